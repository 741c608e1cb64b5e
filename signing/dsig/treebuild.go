package dsig

import (
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// treeBuilder builds, while the canonical bytes are written, the tree that
// parseCanonical (etree with default settings) would read back from them,
// saving the re-parse. What a re-parse yields from our output is fixed:
// elements and attributes with the names and order written, attribute
// values and text with etree's escaping undone (the value itself, with
// characters outside XML replaced by U+FFFD), each maximal run of text as
// one CharData (whitespace flag as etree sets it), nothing else. The
// builder gives up (failed; the caller re-parses) wherever a re-parse could
// differ or fail: names outside a plain ASCII subset encoding/xml surely
// accepts, more than maxBuildAttrs attributes on an element (etree's
// CreateAttr is linear per call), depth beyond etree's default limit.
// TestTreeBuilderMatchesReparse compares the two with reflect.DeepEqual.
type treeBuilder struct {
	root    *etree.Element
	stack   []*etree.Element
	pending []string // text pieces not yet flushed
	failed  bool
}

const maxBuildAttrs = 32

func (b *treeBuilder) start(e *etree.Element, attrs []etree.Attr) {
	if b == nil || b.failed {
		return
	}
	b.flush()
	if !plainName(e.Space, true) || !plainName(e.Tag, false) || len(attrs) > maxBuildAttrs || len(b.stack) >= etreeMaxDepth {
		b.failed = true
		return
	}
	n := etree.NewElement(e.Tag)
	n.Space = e.Space
	if len(e.Child) > 0 {
		// Upper bound (text runs merge, comments drop): one allocation.
		n.Child = make([]etree.Token, 0, len(e.Child))
	}
	if len(attrs) > 0 {
		n.Attr = make([]etree.Attr, 0, len(attrs))
	}
	for _, a := range attrs {
		if !plainName(a.Space, true) || !plainName(a.Key, false) {
			b.failed = true
			return
		}
		n.CreateAttr(fullName(a.Space, a.Key), sanitizeXML(a.Value))
	}
	if len(b.stack) == 0 {
		doc := etree.NewDocument()
		doc.SetRoot(n)
		b.root = n
	} else {
		b.stack[len(b.stack)-1].AddChild(n)
	}
	b.stack = append(b.stack, n)
}

func (b *treeBuilder) text(s string) {
	if b == nil || b.failed || s == "" {
		return
	}
	b.pending = append(b.pending, s)
}

func (b *treeBuilder) flush() {
	if len(b.pending) == 0 {
		return
	}
	s := b.pending[0]
	if len(b.pending) > 1 {
		s = strings.Join(b.pending, "")
	}
	b.pending = b.pending[:0]
	cd := etree.NewText(sanitizeXML(s))
	cd.SetData(cd.Data) // sets the whitespace flag as etree's reader does
	b.stack[len(b.stack)-1].AddChild(cd)
}

func (b *treeBuilder) end() {
	if b == nil || b.failed {
		return
	}
	b.flush()
	b.stack = b.stack[:len(b.stack)-1]
}

func fullName(space, local string) string {
	if space == "" {
		return local
	}
	return space + ":" + local
}

// plainName reports whether s is [A-Za-z_][A-Za-z0-9_.-]* (or empty, if
// allowed): names any XML parser accepts.
func plainName(s string, emptyOK bool) bool {
	if s == "" {
		return emptyOK
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch == '_':
		case i > 0 && (ch >= '0' && ch <= '9' || ch == '.' || ch == '-'):
		default:
			return false
		}
	}
	return true
}

// sanitizeXML returns s with every character etree's writer replaces by
// U+FFFD so replaced (s itself when there is none).
func sanitizeXML(s string) string {
	for i := 0; i < len(s); {
		ch := s[i]
		if ch < utf8.RuneSelf {
			if ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' {
				return sanitizeSlow(s)
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isInXMLRange(r) || (r == utf8.RuneError && w == 1) {
			return sanitizeSlow(s)
		}
		i += w
	}
	return s
}

func sanitizeSlow(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isInXMLRange(r) || (r == utf8.RuneError && w == 1) {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}
