package signing

import (
	"context"
	"errors"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// Report is the verdict on every signature found in a document, the shape
// `shepadapter verify` prints.
type Report struct {
	Valid      bool      `json:"valid"`
	Signatures []Verdict `json:"signatures"`
	Reasons    []string  `json:"reasons,omitempty"`
}

// Verdict is the outcome for one signature shape.
type Verdict struct {
	Shape     Layer           `json:"shape"`
	Valid     bool            `json:"valid"`
	Class     Class           `json:"class,omitempty"`
	Reason    string          `json:"reason,omitempty"`
	Detail    string          `json:"detail,omitempty"`
	Algorithm string          `json:"algorithm,omitempty"`
	Signer    *certs.Identity `json:"signer,omitempty"`
}

// VerifyAll checks every signature it finds in doc, in three shapes: a
// WS-Security header signature over the Body, an enveloped signature in the
// business document inside data, and an enveloped signature over the
// document root (as xmlsec1 does, including a SOAP Envelope whose signature
// is its direct child). No signature at all is not valid.
func (v *Verifier) VerifyAll(ctx context.Context, doc *etree.Document) Report {
	var r Report
	add := func(layer Layer, res *Result, err error) {
		vd := Verdict{Shape: layer, Valid: err == nil}
		if err != nil {
			e := classify(layer, err)
			vd.Class, vd.Reason, vd.Detail = e.Class, e.Reason, detail(err)
			r.Reasons = append(r.Reasons, string(layer)+": "+e.Reason)
		} else {
			vd.Algorithm, vd.Signer = res.Algorithm, &res.Identity
		}
		r.Signatures = append(r.Signatures, vd)
	}
	root := doc.Root()
	if root == nil {
		r.Reasons = []string{"empty document"}
		return r
	}
	if HasTransportSignature(root) {
		res, err := v.VerifyTransport(ctx, doc)
		add(LayerTransport, res, err)
	}
	if data := DataDocument(root); data != nil && dsig.FindEnveloped(data) != nil {
		res, err := v.VerifyData(ctx, data)
		add(LayerData, res, err)
	}
	if dsig.FindEnveloped(root) != nil {
		res, err := v.VerifyDocument(ctx, doc)
		add(LayerDocument, res, err)
	}
	if len(r.Signatures) == 0 {
		r.Reasons = append(r.Reasons, string(dsig.ReasonMissing))
		return r
	}
	r.Valid = len(r.Reasons) == 0
	return r
}

// detail is the human-readable part of a refusal, without the cause chain.
func detail(err error) string {
	var de *dsig.Error
	if errors.As(err, &de) {
		return de.Detail
	}
	var ce *certs.Error
	if errors.As(err, &ce) {
		return ce.Detail
	}
	return ""
}

const (
	nsSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	// NSWSSE is the WS-Security extension namespace of the transport layer.
	NSWSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
)

func isSOAP(root *etree.Element) bool {
	return root.Tag == "Envelope" && root.NamespaceURI() == nsSOAP11
}

// soapChild returns the child tag (Header or Body) of a SOAP 1.1 envelope.
func soapChild(root *etree.Element, tag string) *etree.Element {
	if !isSOAP(root) {
		return nil
	}
	for _, c := range root.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == nsSOAP11 {
			return c
		}
	}
	return nil
}

// HasTransportSignature reports whether root is a SOAP envelope with a
// wsse:Security header, i.e. claims a transport signature.
func HasTransportSignature(root *etree.Element) bool {
	h := soapChild(root, "Header")
	if h == nil {
		return false
	}
	for _, sec := range h.ChildElements() {
		if sec.Tag == "Security" && sec.NamespaceURI() == NSWSSE {
			return true
		}
	}
	return false
}

// DataDocument returns the business document carried in a gateway message:
// the first element child of Body/*/request/(requestData|messageData)/data,
// or nil when root is no gateway message.
func DataDocument(root *etree.Element) *etree.Element {
	body := soapChild(root, "Body")
	if body == nil {
		return nil
	}
	for _, op := range body.ChildElements() {
		req := op.SelectElement("request")
		if req == nil {
			continue
		}
		for _, holder := range req.ChildElements() {
			if holder.Tag != "requestData" && holder.Tag != "messageData" {
				continue
			}
			if data := holder.SelectElement("data"); data != nil {
				if kids := data.ChildElements(); len(kids) > 0 {
					return kids[0]
				}
			}
		}
	}
	return nil
}
