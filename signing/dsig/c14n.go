package dsig

import (
	"bytes"
	"sort"
	"strings"

	"github.com/beevik/etree"
	gods "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// canonicalize serialises el's subtree with method s. skip (the enveloped
// signature) is left out; comments are kept only if keepComments. The
// in-scope namespaces (and, for inclusive C14N, the inherited xml:*
// attributes) of el's ancestors are made explicit on a detached copy first,
// because goxmldsig's canonicalisers only see the element they are given.
func canonicalize(el *etree.Element, s c14nSpec, prefixList string, skip *etree.Element, keepComments bool) ([]byte, error) {
	out, _, err := canonicalizeTree(el, s, prefixList, skip, keepComments, false)
	return out, err
}

// canonicalizeTree is canonicalize that, if build, may also return the
// tree etree parses from the canonical bytes, built alongside them; when
// it returns a nil tree the caller must parse the bytes.
func canonicalizeTree(el *etree.Element, s c14nSpec, prefixList string, skip *etree.Element, keepComments, build bool) ([]byte, *etree.Element, error) {
	if out, tree, ok := directCanonicalTree(el, skip, s, prefixList, keepComments && s.comments, build); ok {
		return out, tree, nil
	}
	out, err := canonicalizeGeneral(el, s, prefixList, skip, keepComments)
	return out, nil, err
}

// canonicalizeGeneral is the path every shape can take (and the reference
// excCanonical is tested against).
func canonicalizeGeneral(el *etree.Element, s c14nSpec, prefixList string, skip *etree.Element, keepComments bool) ([]byte, error) {
	cp := copyTree(el, skip, keepComments && s.comments)
	addAncestorContext(cp, el, s)
	var out []byte
	var err error
	if s.exclusive {
		// TransformExcC14n mutates its input: cp is our private copy.
		if err = etreeutils.TransformExcC14n(cp, prefixList, s.comments); err != nil {
			return nil, wrap(ReasonMalformed, "exc-c14n", err)
		}
		out, err = serializeCanonical(cp)
	} else {
		out, err = inclusive(s).Canonicalize(cp)
	}
	if err != nil {
		return nil, wrap(ReasonMalformed, "c14n", err)
	}
	// goxmldsig orders prefixed attributes by local name, not namespace
	// URI (xml:lang beside p:a), and its exc-c14n emits xmlns="" where no
	// default namespace was ever rendered: repair both, only when present.
	if needsAttrReorder(cp) || (s.exclusive && bytes.Contains(out, []byte(` xmlns=""`))) {
		return repairCanonical(out)
	}
	return out, nil
}

func inclusive(s c14nSpec) gods.Canonicalizer {
	switch {
	case s.v11 && s.comments:
		return gods.MakeC14N11WithCommentsCanonicalizer()
	case s.v11:
		return gods.MakeC14N11Canonicalizer()
	case s.comments:
		return gods.MakeC14N10WithCommentsCanonicalizer()
	default:
		return gods.MakeC14N10RecCanonicalizer()
	}
}

func serializeCanonical(el *etree.Element) ([]byte, error) {
	doc := etree.NewDocument()
	doc.SetRoot(el)
	doc.WriteSettings = etree.WriteSettings{CanonicalAttrVal: true, CanonicalEndTags: true, CanonicalText: true}
	return doc.WriteToBytes()
}

// copyTree copies src without skip and, unless comments, without comments;
// it walks with an explicit stack.
func copyTree(src, skip *etree.Element, comments bool) *etree.Element {
	type pair struct{ s, d *etree.Element }
	root := shallowCopy(src)
	stack := []pair{{src, root}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, tok := range p.s.Child {
			switch t := tok.(type) {
			case *etree.Element:
				if t == skip {
					continue
				}
				c := shallowCopy(t)
				p.d.AddChild(c)
				stack = append(stack, pair{t, c})
			case *etree.CharData:
				p.d.AddChild(etree.NewText(t.Data))
			case *etree.Comment:
				if comments {
					p.d.AddChild(etree.NewComment(t.Data))
				}
			case *etree.ProcInst:
				p.d.AddChild(etree.NewProcInst(t.Target, t.Inst))
			}
		}
	}
	return root
}

func shallowCopy(e *etree.Element) *etree.Element {
	n := etree.NewElement(e.Tag)
	n.Space = e.Space
	n.Attr = make([]etree.Attr, 0, len(e.Attr))
	for _, a := range e.Attr {
		n.CreateAttr(a.FullKey(), a.Value)
	}
	return n
}

// addAncestorContext declares on cp every namespace in scope at orig that
// orig does not declare itself and, for inclusive C14N, adds the inherited
// xml:* attributes (C14N 1.0 §2.4; 1.1 inherits only xml:lang and xml:space).
func addAncestorContext(cp, orig *etree.Element, s c14nSpec) {
	for _, a := range ancestorContext(orig, s) {
		cp.CreateAttr(a.FullKey(), a.Value)
	}
}

func inheritXMLAttr(key string, v11 bool) bool {
	if v11 {
		return key == "lang" || key == "space"
	}
	return true
}

// needsAttrReorder reports whether any element carries prefixed attributes
// with two different prefixes, the only case goxmldsig may order wrongly.
func needsAttrReorder(root *etree.Element) bool {
	stack := []*etree.Element{root}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		first := ""
		for _, a := range e.Attr {
			if a.Space == "" || a.Space == "xmlns" {
				continue
			}
			if first == "" {
				first = a.Space
			} else if a.Space != first {
				return true
			}
		}
		stack = append(stack, e.ChildElements()...)
	}
	return false
}

// repairCanonical re-parses canonical output (self-contained, so every
// prefix resolves), drops xmlns="" where the nearest rendered default
// namespace is already empty, and sorts attributes by namespace URI then
// local name (C14N §2.2).
func repairCanonical(canon []byte) ([]byte, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(canon); err != nil {
		return nil, wrap(ReasonMalformed, "c14n repair", err)
	}
	type item struct {
		e   *etree.Element
		def string // default namespace rendered by output ancestors
	}
	stack := []item{{doc.Root(), ""}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		def := it.def
		if a := it.e.SelectAttr("xmlns"); a != nil {
			v := a.Value
			if v == "" && def == "" {
				it.e.RemoveAttr("xmlns")
			}
			def = v
		}
		sort.SliceStable(it.e.Attr, func(i, j int) bool { return attrLess(&it.e.Attr[i], &it.e.Attr[j]) })
		for _, c := range it.e.ChildElements() {
			stack = append(stack, item{c, def})
		}
	}
	return serializeCanonical(doc.Root())
}

func attrLess(a, b *etree.Attr) bool {
	ra, rb := attrRank(a), attrRank(b)
	if ra != rb {
		return ra < rb
	}
	switch ra {
	case 0:
		return false
	case 1:
		return a.Key < b.Key
	case 2:
		return a.Key < b.Key
	}
	ua, ub := attrURI(a), attrURI(b)
	if ua != ub {
		return ua < ub
	}
	return a.Key < b.Key
}

// attrRank: default ns decl, prefixed ns decls, unqualified, qualified.
func attrRank(a *etree.Attr) int {
	switch {
	case a.Space == "" && a.Key == "xmlns":
		return 0
	case a.Space == "xmlns":
		return 1
	case a.Space == "":
		return 2
	}
	return 3
}

func attrURI(a *etree.Attr) string {
	if a.Space == "xml" {
		return nsXML
	}
	return a.NamespaceURI()
}

// textOf concatenates all character data directly under e (comments can
// split text nodes, and etree's Text returns only the first piece).
func textOf(e *etree.Element) string {
	var b strings.Builder
	for _, t := range e.Child {
		if c, ok := t.(*etree.CharData); ok {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
