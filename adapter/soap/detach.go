package soap

import (
	"sort"
	"strings"

	"github.com/beevik/etree"
)

// Detach returns a deep copy of el that can live outside its document: every
// namespace prefix the subtree uses (in tags, attribute names and xsi:type
// values) but declares only on an ancestor is declared on the copy's root.
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
	need := map[string]bool{}
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
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
		for _, k := range e.ChildElements() {
			walk(k)
		}
	}
	walk(cp)
	prefixes := make([]string, 0, len(need))
	for p := range need {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes) // stable output
	for _, prefix := range prefixes {
		if declared[prefix] || prefix == "xml" {
			continue
		}
		uri, ok := lookupNS(el.Parent(), prefix)
		if !ok {
			continue
		}
		if prefix == "" {
			cp.CreateAttr("xmlns", uri)
		} else {
			cp.CreateAttr("xmlns:"+prefix, uri)
		}
	}
	return cp
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
