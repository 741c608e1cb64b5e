package signing

import (
	"strings"

	"github.com/beevik/etree"
)

// Detach returns a copy of el as the root of a document of its own, the way a
// business document was signed before it was embedded in a SOAP message.
// Namespace prefixes that el's subtree uses (in names and xsi:type values) but its ancestors declare are
// declared on the copy; unused ones are not, because a standalone document
// never had them and inclusive C14N would otherwise see them.
func Detach(el *etree.Element) *etree.Element {
	cp := el.Copy()
	used := map[string]bool{}
	declared := map[string]bool{}
	collectPrefixes(cp, used, declared)
	for p := range used {
		if declared[p] {
			continue
		}
		if uri := lookupNS(el.Parent(), p); uri != "" {
			if p == "" {
				cp.CreateAttr("xmlns", uri)
			} else {
				cp.CreateAttr("xmlns:"+p, uri)
			}
		}
	}
	doc := etree.NewDocument()
	doc.SetRoot(cp)
	return cp
}

// collectPrefixes records the prefixes used by element and attribute names in
// the subtree, and those declared on its root.
func collectPrefixes(root *etree.Element, used, declared map[string]bool) {
	for _, a := range root.Attr {
		switch {
		case a.Space == "xmlns":
			declared[a.Key] = true
		case a.Space == "" && a.Key == "xmlns":
			declared[""] = true
		}
	}
	stack := []*etree.Element{root}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		used[e.Space] = true
		for _, a := range e.Attr {
			if a.Space != "" && a.Space != "xmlns" && a.Space != "xml" {
				used[a.Space] = true
			}
			// xsi:type values are QNames: their prefix must stay bound.
			if a.Key == "type" && a.Space != "" && a.Space != "xmlns" {
				if i := strings.IndexByte(a.Value, ':'); i > 0 {
					used[a.Value[:i]] = true
				}
			}
		}
		stack = append(stack, e.ChildElements()...)
	}
}

// lookupNS finds the URI bound to prefix p in e or its ancestors.
func lookupNS(e *etree.Element, p string) string {
	for ; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if (p == "" && a.Space == "" && a.Key == "xmlns") || (p != "" && a.Space == "xmlns" && a.Key == p) {
				return a.Value
			}
		}
	}
	return ""
}
