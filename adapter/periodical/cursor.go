package periodical

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
)

// cursor walks the qualified element children of one parent in schema
// order, keeping the first error.
type cursor struct {
	op   string
	path string
	kids []*etree.Element
	i    int
	err  *adapter.Error
}

func newCursor(op, path string, el *etree.Element, attrs ...string) *cursor {
	c := &cursor{op: op, path: path, kids: el.ChildElements()}
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok && strings.TrimLeft(cd.Data, " \t\r\n") != "" {
			c.fail("", "has unexpected text content")
		}
	}
	c.checkAttrs(el, "", attrs...)
	return c
}

// checkAttrs refuses attributes the schema does not declare: only namespace
// declarations, xsi:* and the listed unqualified names are allowed.
func (c *cursor) checkAttrs(el *etree.Element, name string, allowed ...string) {
	for i := range el.Attr {
		a := &el.Attr[i]
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") ||
			a.NamespaceURI() == "http://www.w3.org/2001/XMLSchema-instance" {
			continue
		}
		ok := false
		for _, k := range allowed {
			ok = ok || (a.Space == "" && a.Key == k)
		}
		if !ok {
			c.fail(name, "has undeclared attribute "+clip(a.FullKey()))
		}
	}
}

func (c *cursor) fail(name, what string) {
	if c.err != nil {
		return
	}
	p := c.path
	if name != "" {
		p += "/" + name
	}
	c.err = adapter.Errorf(adapter.CodeSchema, c.op, "%s %s", p, what)
}

// next consumes the child {Namespace}name if it comes next.
func (c *cursor) next(name string, required bool) *etree.Element {
	if c.err != nil {
		return nil
	}
	if c.i < len(c.kids) && c.kids[c.i].Tag == name && c.kids[c.i].NamespaceURI() == Namespace {
		c.i++
		return c.kids[c.i-1]
	}
	if !required {
		return nil
	}
	if c.i < len(c.kids) {
		k := c.kids[c.i]
		if k.Tag == name {
			c.fail(name, "is in namespace "+strconv.Quote(clip(k.NamespaceURI()))+", expected "+Namespace)
		} else {
			c.fail(name, "is missing (found "+clip(k.Tag)+")")
		}
		return nil
	}
	c.fail(name, "is missing")
	return nil
}

// all consumes one or more consecutive name children.
func (c *cursor) all(name string) []*etree.Element {
	out := []*etree.Element{c.next(name, true)}
	for c.err == nil && c.i < len(c.kids) && c.kids[c.i].Tag == name && c.kids[c.i].NamespaceURI() == Namespace {
		out = append(out, c.next(name, true))
	}
	if c.err != nil {
		return nil
	}
	return out
}

// signature consumes an optional trailing ds:Signature.
func (c *cursor) signature() bool {
	if c.err == nil && c.i < len(c.kids) && c.kids[c.i].NamespaceURI() == NSDSig {
		c.i++
		return true
	}
	return false
}

func (c *cursor) end() *adapter.Error {
	if c.err == nil && c.i < len(c.kids) {
		c.fail("", "has unexpected element "+clip(c.kids[c.i].Tag))
	}
	return c.err
}

// text reads a simple-typed element and applies check to its value.
func (c *cursor) text(el *etree.Element, name string, check func(string) string) string {
	if c.err != nil || el == nil {
		return ""
	}
	if len(el.ChildElements()) > 0 {
		c.fail(name, "must hold text only")
		return ""
	}
	c.checkAttrs(el, name)
	s := el.Text()
	if msg := check(s); msg != "" {
		c.fail(name, msg)
	}
	return s
}

func (c *cursor) leaf(name string, check func(string) string) string {
	return c.text(c.next(name, true), name, check)
}

func (c *cursor) optLeaf(name string, check func(string) string) string {
	return c.text(c.next(name, false), name, check)
}

func (c *cursor) sub(name string) *cursor {
	el := c.next(name, true)
	if el == nil {
		return &cursor{op: c.op, path: c.path + "/" + name, err: c.err}
	}
	return newCursor(c.op, c.path+"/"+name, el)
}

// close ends sub-cursor s and carries its error to c.
func (c *cursor) close(s *cursor) {
	if err := s.end(); err != nil && c.err == nil {
		c.err = err
	}
}

func text(max int) func(string) string {
	return func(s string) string { return checkText(s, max, true) }
}

func longText(s string) string { return checkText(s, 2000, false) }

func pattern(re *regexp.Regexp, what string) func(string) string {
	return func(s string) string { return checkPattern(s, re, what) }
}

func enum(allowed ...string) func(string) string {
	return func(s string) string { return checkEnum(s, allowed) }
}
