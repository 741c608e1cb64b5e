package dsig

import "github.com/beevik/etree"

// idIndex maps ID values to their element; built once per document so
// reference resolution is O(1) instead of a tree walk per reference.
type idIndex map[string]*etree.Element

// buildIDIndex collects Id, ID, wsu:Id and xml:id values under root and
// refuses duplicates: with two equal IDs, which one a reference means is
// parser-dependent, the root of many wrapping attacks.
func buildIDIndex(root *etree.Element) (idIndex, error) {
	idx := idIndex{}
	stack := []*etree.Element{root}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for i := range e.Attr {
			a := &e.Attr[i]
			if !isIDAttr(a) {
				continue
			}
			if prev, dup := idx[a.Value]; dup && prev != e {
				return nil, errorf(ReasonDuplicateID, "id %q", a.Value)
			}
			idx[a.Value] = e
		}
		// Same visiting order as before, without allocating the slice
		// ChildElements returns.
		for _, t := range e.Child {
			if c, ok := t.(*etree.Element); ok {
				stack = append(stack, c)
			}
		}
	}
	return idx, nil
}

func isIDAttr(a *etree.Attr) bool {
	switch {
	case a.Space == "" && (a.Key == "Id" || a.Key == "ID"):
		return true
	case a.Space == "xml" && a.Key == "id":
		return true
	case a.Space != "" && a.Space != "xmlns" && a.Key == "Id":
		return a.NamespaceURI() == nsWSU
	}
	return false
}

// elementID returns the first ID attribute value of e, or "".
func elementID(e *etree.Element) string {
	for i := range e.Attr {
		if isIDAttr(&e.Attr[i]) {
			return e.Attr[i].Value
		}
	}
	return ""
}

// isRoot reports whether e is the document element (etree parents the root
// to the Document's unnamed element).
func isRoot(e *etree.Element) bool {
	p := e.Parent()
	return p == nil || (p.Parent() == nil && p.Tag == "" && p.Space == "")
}

// docRoot returns the topmost element above e.
func docRoot(e *etree.Element) *etree.Element {
	for !isRoot(e) {
		e = e.Parent()
	}
	return e
}

// childrenNS returns the element children of e with namespace ns and local
// name tag.
func childrenNS(e *etree.Element, ns, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

// oneChild returns the single child ns:tag of e or a ReasonMalformed error.
func oneChild(e *etree.Element, ns, tag string) (*etree.Element, error) {
	cs := childrenNS(e, ns, tag)
	if len(cs) != 1 {
		return nil, errorf(ReasonMalformed, "want one %s in %s, have %d", tag, e.Tag, len(cs))
	}
	return cs[0], nil
}
