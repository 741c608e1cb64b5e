package signing

import (
	"sort"
	"strings"

	"github.com/beevik/etree"
)

// Detach returns a copy of el as the root of a document of its own, the way a
// business document was signed before it was embedded in a SOAP message.
// Namespace prefixes that el's subtree uses (in names and xsi:type values)
// but only an ancestor declares are declared on the copy, in sorted order;
// unused ones are not, because a standalone document never had them and
// inclusive C14N would otherwise see them.
func Detach(el *etree.Element) *etree.Element {
	cp := el.Copy()
	declared := map[string]bool{}
	for _, a := range cp.Attr {
		if a.Space == "xmlns" {
			declared[a.Key] = true
		} else if a.Space == "" && a.Key == "xmlns" {
			declared[""] = true
		}
	}
	need := usedPrefixes(cp)
	prefixes := make([]string, 0, len(need))
	for p := range need {
		if !declared[p] && p != "xml" {
			prefixes = append(prefixes, p)
		}
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		uri, ok := lookupNS(el.Parent(), p)
		switch {
		case !ok:
		case p == "":
			cp.CreateAttr("xmlns", uri)
		default:
			cp.CreateAttr("xmlns:"+p, uri)
		}
	}
	doc := etree.NewDocument()
	doc.SetRoot(cp)
	return cp
}

// usedPrefixes walks the subtree without recursion and returns every prefix
// used by an element, an attribute or an xsi:type-style QName value.
func usedPrefixes(root *etree.Element) map[string]bool {
	need := map[string]bool{}
	stack := []*etree.Element{root}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		need[e.Space] = true
		for _, a := range e.Attr {
			if a.Space != "" && a.Space != "xmlns" && a.Space != "xml" {
				need[a.Space] = true
			}
			if a.Key == "type" && a.Space != "" && a.Space != "xmlns" {
				if i := strings.IndexByte(a.Value, ':'); i > 0 {
					need[a.Value[:i]] = true
				}
			}
		}
		stack = append(stack, e.ChildElements()...)
	}
	return need
}

// lookupNS finds the namespace bound to prefix on el or its ancestors.
func lookupNS(el *etree.Element, prefix string) (string, bool) {
	key := "xmlns:" + prefix
	if prefix == "" {
		key = "xmlns"
	}
	for ; el != nil; el = el.Parent() {
		if a := el.SelectAttr(key); a != nil {
			return a.Value, true
		}
	}
	return "", false
}
