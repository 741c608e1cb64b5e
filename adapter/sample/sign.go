package sample

import (
	"errors"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// ErrNoDocument is returned when there is nothing to sign.
var ErrNoDocument = errors.New("sample: document has no root element")

// DataTarget returns the element the data layer signs in doc: the business
// document inside a gateway message's data, or else the document's root.
func DataTarget(doc *etree.Document) *etree.Element {
	root := doc.Root()
	if root == nil {
		return nil
	}
	if el := signing.DataDocument(root); el != nil {
		return el
	}
	return root
}

// SignData signs the data layer of doc in place with s. Inside a gateway
// message the business document is signed as a standalone document (detached,
// signed enveloped with Reference URI="", put back where it was), because
// that is how the applicant's software signed it before it was embedded;
// any other document gets an enveloped signature over its root. An existing
// enveloped signature on the target is replaced.
func SignData(s *dsig.Signer, doc *etree.Document) error {
	target := DataTarget(doc)
	if target == nil {
		return ErrNoDocument
	}
	if target == doc.Root() {
		removeEnveloped(target)
		return s.SignEnveloped(target)
	}
	signed, err := SignStandalone(s, target)
	if err != nil {
		return err
	}
	parent := target.Parent()
	i := target.Index()
	parent.RemoveChildAt(i)
	parent.InsertChildAt(i, signed)
	return nil
}

// SignStandalone returns a signed copy of el: el detached into a document of
// its own (see signing.Detach) with an enveloped signature over its root.
// el itself is not changed.
func SignStandalone(s *dsig.Signer, el *etree.Element) (*etree.Element, error) {
	cp := signing.Detach(el)
	removeEnveloped(cp)
	if err := s.SignEnveloped(cp); err != nil {
		return nil, err
	}
	return cp, nil
}

// SignTransport signs the Body of the SOAP envelope doc with WS-Security,
// replacing an existing wsse:Security header.
func SignTransport(s *dsig.Signer, doc *etree.Document) error {
	if root := doc.Root(); root != nil {
		for _, h := range root.ChildElements() {
			if h.Tag != "Header" {
				continue
			}
			for _, sec := range h.ChildElements() {
				if sec.Tag == "Security" {
					h.RemoveChild(sec)
				}
			}
		}
	}
	return s.SignWSSecurity(doc)
}

// removeEnveloped drops el's direct ds:Signature child, if any, so that a
// document can be signed again.
func removeEnveloped(el *etree.Element) {
	if sig := dsig.FindEnveloped(el); sig != nil {
		el.RemoveChild(sig)
	}
}
