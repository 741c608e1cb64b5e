package dsig

import (
	"strings"

	"github.com/beevik/etree"
)

// FindEnveloped returns the direct ds:Signature child of el, or nil.
func FindEnveloped(el *etree.Element) *etree.Element {
	if el == nil {
		return nil
	}
	for _, c := range el.ChildElements() {
		if c.Tag == "Signature" && c.NamespaceURI() == nsDS {
			return c
		}
	}
	return nil
}

// VerifyEnveloped verifies the enveloped ds:Signature that is a direct
// child of el. Its Reference must denote el itself: URI="" is accepted only
// when el is the document root (it means the whole document), and URI="#id"
// only when the ID, unique in the document, is el's. Transforms are
// enveloped-signature plus at most one c14n; KeyInfo is X509Data.
func VerifyEnveloped(el *etree.Element, opt Options) (*Verified, error) {
	if el == nil {
		return nil, errorf(ReasonMissing, "no element")
	}
	sigs := childrenNS(el, nsDS, "Signature")
	if len(sigs) == 0 {
		return nil, errorf(ReasonMissing, "no ds:Signature in %s", el.Tag)
	}
	if len(sigs) > 1 {
		return nil, errorf(ReasonMalformed, "several ds:Signature in %s", el.Tag)
	}
	return verify(verifyInput{
		sig: sigs[0], want: el, resolve: envelopedResolver(el),
		notSigned: ReasonWrapping, enveloped: true, opt: opt,
	})
}

func envelopedResolver(el *etree.Element) resolver {
	var idx idIndex
	return func(uri string) (*etree.Element, error) {
		if uri == "" {
			// URI="" is the document; it equals el only at the root.
			if !isRoot(el) {
				return nil, errorf(ReasonWrapping, `URI="" refers to the document, not to %s`, el.Tag)
			}
			return el, nil
		}
		if idx == nil {
			var err error
			if idx, err = buildIDIndex(docRoot(el)); err != nil {
				return nil, err
			}
		}
		if idx[strings.TrimPrefix(uri, "#")] != el {
			return nil, errorf(ReasonWrapping, "reference %q does not denote the enveloping element", uri)
		}
		return el, nil
	}
}
