package dsig

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
)

const nsXMLNS = "http://www.w3.org/2000/xmlns/"

// excCanonical serialises el's subtree (without skip) with exclusive C14N
// straight from the tree: no copy, no per-element namespace maps, one
// output buffer, an explicit stack. It reproduces, byte for byte, what the
// general path (copyTree, addAncestorContext, goxmldsig's
// TransformExcC14n, etree's canonical writer) produces, and it does so only
// for the shapes where that path needs no repair and raises no error: ok is
// false (and the caller takes the general path) for kept comments,
// processing instructions, xmlns="" output, attributes with two different
// prefixes on one element, duplicate or odd names, reserved or undeclared
// prefixes. TestExcCanonicalMatchesGeneral pins the equivalence.
func excCanonical(el, skip *etree.Element, prefixList string, comments bool) (out []byte, ok bool) {
	out, _, ok = directCanonicalTree(el, skip, c14nMethods[C14NExclusive], prefixList, comments, false)
	return out, ok
}

// directCanonicalTree serialises el's subtree with method s (comments as
// given), as excCanonical describes, for inclusive C14N (1.0 and 1.1)
// too: there it reproduces copyTree, addAncestorContext and goxmldsig's
// canonicalPrep, declining where the general path would reorder
// attributes. If build, it also returns the tree etree would parse from
// out (see treeBuilder), or a nil tree when it cannot vouch for that and
// the caller must re-parse out.
func directCanonicalTree(el, skip *etree.Element, s c14nSpec, prefixList string, comments, build bool) (out []byte, tree *etree.Element, ok bool) {
	c := excC14n{
		inclusive: !s.exclusive,
		comments:  comments,
		out:       make([]byte, 0, sizeHint(el, skip)),
	}
	if s.exclusive {
		c.incl = strings.Fields(prefixList)
		c.scope = nsMap{m: map[string]string{"": nsXML, "xml": nsXML, "xmlns": nsXMLNS}}
		c.declared = nsMap{m: map[string]string{"": nsXML, "xml": nsXML, "xmlns": nsXMLNS}}
	} else {
		// canonicalPrep's seenSoFar: the declarations rendered above.
		c.declared = nsMap{m: map[string]string{}}
	}
	if build {
		c.tb = &treeBuilder{}
	}
	if !c.run(el, skip, ancestorContext(el, s)) {
		return nil, nil, false
	}
	if c.tb != nil && !c.tb.failed {
		tree = c.tb.root
	}
	return c.out, tree, true
}

// nsMap is a prefix map with an undo log, so entering and leaving an
// element costs only its own declarations.
type nsMap struct {
	m    map[string]string
	undo []nsUndo
}

type nsUndo struct {
	prefix, old string
	had         bool
}

func (n *nsMap) set(prefix, uri string) {
	old, had := n.m[prefix]
	n.undo = append(n.undo, nsUndo{prefix, old, had})
	n.m[prefix] = uri
}

func (n *nsMap) rollback(mark int) {
	for i := len(n.undo) - 1; i >= mark; i-- {
		u := n.undo[i]
		if u.had {
			n.m[u.prefix] = u.old
		} else {
			delete(n.m, u.prefix)
		}
	}
	n.undo = n.undo[:mark]
}

type excC14n struct {
	incl            []string
	scope, declared nsMap
	comments        bool
	out             []byte
	attrs           []etree.Attr // scratch: the element's output attributes
	inclusive       bool
	vu              []string     // scratch: visibly utilised prefixes
	tb              *treeBuilder // nil unless building the re-parse tree
}

func (c *excC14n) run(apex, skip *etree.Element, extra []etree.Attr) bool {
	type frame struct {
		e                   *etree.Element
		next                int
		scopeMark, declMark int
	}
	if !c.open(apex, extra) {
		return false
	}
	stack := []frame{{apex, 0, 0, 0}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next >= len(f.e.Child) {
			c.out = append(c.out, "</"...)
			c.out = appendName(c.out, f.e.Space, f.e.Tag)
			c.out = append(c.out, '>')
			c.tb.end()
			c.scope.rollback(f.scopeMark)
			c.declared.rollback(f.declMark)
			stack = stack[:len(stack)-1]
			continue
		}
		tok := f.e.Child[f.next]
		f.next++
		switch t := tok.(type) {
		case *etree.Element:
			if t == skip {
				continue
			}
			sm, dm := len(c.scope.undo), len(c.declared.undo)
			if !c.open(t, nil) {
				return false
			}
			stack = append(stack, frame{t, 0, sm, dm})
		case *etree.CharData:
			c.out = appendEscaped(c.out, t.Data, false)
			c.tb.text(t.Data)
		case *etree.Comment:
			if c.comments {
				return false
			}
		case *etree.ProcInst:
			return false
		}
		// Directives are dropped, as copyTree drops them.
	}
	// The general path repairs exclusive output holding ` xmlns=""`.
	return c.inclusive || !bytes.Contains(c.out, []byte(` xmlns=""`))
}

// ancestorContext returns the attributes addAncestorContext adds to the
// apex's copy, in the same order: the nearest ancestor's value of each
// attribute name counts; namespace declarations (but not xmlns="") and,
// for inclusive C14N, inherited xml:* attributes are added.
func ancestorContext(orig *etree.Element, s c14nSpec) []etree.Attr {
	var extra []etree.Attr
	has := map[string]bool{}
	for _, a := range orig.Attr {
		has[a.FullKey()] = true
	}
	for p := orig.Parent(); p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			k := a.FullKey()
			if has[k] {
				continue
			}
			has[k] = true
			switch {
			case a.Space == "xmlns" || k == "xmlns":
				if k == "xmlns" && a.Value == "" {
					continue
				}
				extra = append(extra, a)
			case a.Space == "xml" && !s.exclusive && inheritXMLAttr(a.Key, s.v11):
				extra = append(extra, a)
			}
		}
	}
	return extra
}

// open renders e's start tag, updating the namespace contexts as
// TransformExcC14n does.
func (c *excC14n) open(e *etree.Element, extra []etree.Attr) bool {
	if e.Tag == "" || strings.IndexByte(e.Tag, ':') >= 0 {
		return false
	}
	c.attrs = c.attrs[:0]
	c.vu = append(c.vu[:0], e.Space)
	prefixes := 0
	first := ""
	for _, list := range [2][]etree.Attr{e.Attr, extra} {
		for _, a := range list {
			if a.Key == "" || strings.IndexByte(a.Key, ':') >= 0 || strings.IndexByte(a.Space, ':') >= 0 {
				return false
			}
			switch {
			case c.inclusive && (a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns")):
				// canonicalPrep renders a declaration unless the
				// same one is rendered above (xmlns="" at the top).
				p := a.Key
				if a.Space == "" {
					p = ""
				}
				seen, had := c.declared.m[p]
				if (p == "" && a.Value != seen) || (p != "" && (!had || a.Value != seen)) {
					c.attrs = append(c.attrs, a)
					c.declared.set(p, a.Value)
				}
			case a.Space == "xmlns":
				if (a.Key == "xml" && a.Value != nsXML) || a.Key == "xmlns" || a.Key == "" {
					return false
				}
				c.scope.set(a.Key, a.Value)
				if slices.Contains(c.incl, a.Key) {
					c.vu = append(c.vu, a.Key)
				}
			case a.Space == "" && a.Key == "xmlns":
				if a.Value == nsXMLNS {
					return false
				}
				c.scope.set("", a.Value)
			default:
				if a.Space != "" {
					c.vu = append(c.vu, a.Space)
					if prefixes == 0 {
						first = a.Space
						prefixes = 1
					} else if a.Space != first {
						return false // the general path reorders these
					}
				}
				c.attrs = append(c.attrs, a)
			}
		}
	}
	if c.inclusive {
		c.vu = c.vu[:0]
	}
	slices.Sort(c.vu)
	c.vu = slices.Compact(c.vu)
	for _, p := range c.vu {
		d, okd := c.declared.m[p]
		s, oks := c.scope.m[p]
		if okd && oks && d == s {
			continue
		}
		if !oks {
			return false // undeclared prefix: the general path errs
		}
		if p == "" {
			c.attrs = append(c.attrs, etree.Attr{Key: "xmlns", Value: s})
		} else {
			c.attrs = append(c.attrs, etree.Attr{Space: "xmlns", Key: p, Value: s})
		}
		c.declared.set(p, s)
	}
	slices.SortFunc(c.attrs, excAttrCmp)
	for i := 1; i < len(c.attrs); i++ {
		if c.attrs[i].Space == c.attrs[i-1].Space && c.attrs[i].Key == c.attrs[i-1].Key {
			return false
		}
	}
	c.out = append(c.out, '<')
	c.out = appendName(c.out, e.Space, e.Tag)
	for _, a := range c.attrs {
		c.out = append(c.out, ' ')
		c.out = appendName(c.out, a.Space, a.Key)
		c.out = append(c.out, '=', '"')
		c.out = appendEscaped(c.out, a.Value, true)
		c.out = append(c.out, '"')
	}
	c.out = append(c.out, '>')
	c.tb.start(e, c.attrs)
	return true
}

// excAttrCmp is goxmldsig's SortedAttrs order for attributes that carry
// at most one distinct prefix: default declaration, prefixed declarations
// by prefix, unprefixed attributes by name, prefixed ones by name.
func excAttrCmp(a, b etree.Attr) int {
	ra, rb := attrRank(&a), attrRank(&b)
	if ra != rb {
		return ra - rb
	}
	return strings.Compare(a.Key, b.Key)
}

func appendName(b []byte, space, local string) []byte {
	if space != "" {
		b = append(b, space...)
		b = append(b, ':')
	}
	return append(b, local...)
}

// appendEscaped escapes s exactly as etree's canonical writer does
// (escapeCanonicalText or escapeCanonicalAttr), including its replacement
// of characters outside the XML range by U+FFFD.
func appendEscaped(b []byte, s string, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		ch := s[i]
		var esc string
		width := 1
		if ch < utf8.RuneSelf {
			switch {
			case ch == '&':
				esc = "&amp;"
			case ch == '<':
				esc = "&lt;"
			case ch == '>' && !attr:
				esc = "&gt;"
			case ch == '"' && attr:
				esc = "&quot;"
			case ch == '\t' && attr:
				esc = "&#x9;"
			case ch == '\n' && attr:
				esc = "&#xA;"
			case ch == '\r':
				esc = "&#xD;"
			case ch < 0x20 && ch != '\t' && ch != '\n':
				esc = "\uFFFD"
			default:
				i++
				continue
			}
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			width = w
			if isInXMLRange(r) && !(r == utf8.RuneError && w == 1) {
				i += w
				continue
			}
			esc = "\uFFFD"
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		i += width
		last = i
	}
	return append(b, s[last:]...)
}

func isInXMLRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// sizeHint estimates the canonical size of el's subtree (names twice,
// attributes, text, a little for escapes and declarations) so the output
// buffer is allocated once instead of grown by doubling. It walks with an
// explicit stack and allocates nothing else.
func sizeHint(el, skip *etree.Element) int {
	n := 0
	stack := []*etree.Element{el}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n += 2*(len(e.Space)+len(e.Tag)) + 7
		for _, a := range e.Attr {
			n += len(a.Space) + len(a.Key) + len(a.Value) + 5
		}
		for _, t := range e.Child {
			switch t := t.(type) {
			case *etree.Element:
				if t != skip {
					stack = append(stack, t)
				}
			case *etree.CharData:
				n += len(t.Data)
			}
		}
	}
	return n + n/16 + 256
}
