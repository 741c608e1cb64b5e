package signing

import (
	"context"
	"crypto/x509"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// Result is a verified signature: the element it covers (the only tree a
// caller may read) and who signed it.
type Result struct {
	Layer     Layer
	Element   *etree.Element
	Identity  certs.Identity
	Leaf      *x509.Certificate
	Algorithm string // SignatureMethod URI
}

// Verifier checks signatures of one layer or of a whole document.
type Verifier struct {
	DSig  dsig.Options
	Certs *certs.Checker
}

// VerifyTransport verifies the WS-Security signature over the Body of a
// SOAP envelope and the signer's certificate for transport use.
func (v *Verifier) VerifyTransport(ctx context.Context, doc *etree.Document) (*Result, error) {
	ver, err := dsig.VerifyWSSecurity(doc, v.DSig)
	if err != nil {
		return nil, classify(LayerTransport, err)
	}
	return v.check(ctx, LayerTransport, ver, certs.UsageTransport)
}

// VerifyData verifies the enveloped signature of a business document el (the
// service's root element inside data) and its signer's SIGN certificate.
// A signature with Reference URI="" covers the document as it was signed
// standalone, so el is detached into a document of its own first; a
// reference by ID is verified in place.
func (v *Verifier) VerifyData(ctx context.Context, el *etree.Element) (*Result, error) {
	return v.verifyEnveloped(ctx, LayerData, el)
}

// VerifyDocument verifies an enveloped signature over a document's root.
func (v *Verifier) VerifyDocument(ctx context.Context, doc *etree.Document) (*Result, error) {
	root := doc.Root()
	if root == nil {
		return nil, &Error{Layer: LayerDocument, Class: ClassMissing, Reason: string(dsig.ReasonMissing)}
	}
	return v.verifyEnveloped(ctx, LayerDocument, root)
}

func (v *Verifier) verifyEnveloped(ctx context.Context, layer Layer, el *etree.Element) (*Result, error) {
	sig := dsig.FindEnveloped(el)
	if sig == nil {
		return nil, &Error{Layer: layer, Class: ClassMissing, Reason: string(dsig.ReasonMissing)}
	}
	target := el
	if referencesWhole(sig) && !isRoot(el) {
		target = Detach(el)
	}
	ver, err := dsig.VerifyEnveloped(target, v.DSig)
	if err != nil {
		return nil, classify(layer, err)
	}
	return v.check(ctx, layer, ver, certs.UsageSign)
}

func (v *Verifier) check(ctx context.Context, layer Layer, ver *dsig.Verified, usage certs.Usage) (*Result, error) {
	var extra []*x509.Certificate
	for _, c := range ver.Certificates {
		if c != ver.Leaf {
			extra = append(extra, c)
		}
	}
	id, err := v.Certs.Check(ctx, ver.Leaf, extra, usage)
	if err != nil {
		return nil, classify(layer, err)
	}
	return &Result{Layer: layer, Element: ver.Element, Identity: id, Leaf: ver.Leaf, Algorithm: ver.SignatureAlgorithm}, nil
}

// referencesWhole reports whether the signature's first reference is URI="".
func referencesWhole(sig *etree.Element) bool {
	si := sig.SelectElement("SignedInfo")
	if si == nil {
		return false
	}
	ref := si.SelectElement("Reference")
	return ref != nil && ref.SelectAttrValue("URI", "#") == ""
}

// isRoot reports whether el is a document's root or stands alone.
func isRoot(el *etree.Element) bool {
	p := el.Parent()
	return p == nil || p.Parent() == nil
}
