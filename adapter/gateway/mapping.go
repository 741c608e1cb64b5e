package gateway

import (
	"errors"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// parseError maps a refusal of the secure parser to SCE001 with its reason.
func parseError(err error) error {
	e := adapter.Wrap(adapter.CodeMalformed, "gateway.parse", err, "the message is not a well-formed XML document within the limits")
	var de *dsig.Error
	if errors.As(err, &de) {
		e.Reason = string(de.Reason)
		switch de.Reason {
		case dsig.ReasonDTD:
			e.Message = "document type declarations and entities are not allowed"
		case dsig.ReasonTooLarge:
			e.Message = "the message is larger than allowed"
		case dsig.ReasonTooDeep:
			e.Message = "the message is nested deeper than allowed"
		case dsig.ReasonTooManyElements:
			e.Message = "the message has more elements than allowed"
		case dsig.ReasonTooManyAttributes:
			e.Message = "an element of the message has more attributes than allowed"
		}
	}
	return e
}

// signatureCodes maps layer × class to our code (and so the gateway fault).
var signatureCodes = map[signing.Layer]map[signing.Class]adapter.Code{
	signing.LayerTransport: {
		signing.ClassMissing:    adapter.CodeTransportMissing,
		signing.ClassInvalid:    adapter.CodeTransportInvalid,
		signing.ClassNotCurrent: adapter.CodeTransportNotCurrent,
	},
	signing.LayerData: {
		signing.ClassMissing:    adapter.CodeDataMissing,
		signing.ClassInvalid:    adapter.CodeDataInvalid,
		signing.ClassNotCurrent: adapter.CodeDataNotCurrent,
	},
}

var classMessages = map[signing.Class]string{
	signing.ClassMissing:    "signature is missing",
	signing.ClassInvalid:    "signature is invalid",
	signing.ClassNotCurrent: "signer's certificate is not current (expired, revoked or of unknown status)",
}

// signatureError maps a refused signature to its gateway code, the finer
// reason going to subError.
func signatureError(err error) error {
	var se *signing.Error
	if !errors.As(err, &se) {
		return adapter.Wrap(adapter.CodeInternal, "gateway.signature", err, "internal error")
	}
	code := signatureCodes[se.Layer][se.Class]
	if code == "" {
		code = adapter.CodeDataInvalid
	}
	e := adapter.Wrap(code, "gateway.signature."+string(se.Layer), err, string(se.Layer)+" "+classMessages[se.Class]+": "+se.Reason)
	e.Reason = se.Reason
	return e
}

func signerOf(res *signing.Result) adapter.Signer {
	id := res.Identity
	return adapter.Signer{
		Layer: string(res.Layer), Subject: id.Subject, Issuer: id.Issuer, SerialNumber: id.SerialNumber,
		IIN: id.IIN, BIN: id.BIN, CommonName: id.CommonName, Organisation: id.Organisation,
		Roles: id.Roles, NotAfter: id.NotAfter,
	}
}

// envelopeOf wraps a verified Body in an envelope so the contract parser can
// read it; nothing from the unverified tree is carried over.
func envelopeOf(body *etree.Element) *etree.Document {
	doc := etree.NewDocument()
	env := doc.CreateElement("soapenv:Envelope")
	env.CreateAttr("xmlns:soapenv", soap.NSEnvelope)
	b := body.Copy()
	env.AddChild(b)
	return doc
}

// checkMustUnderstand refuses a header entry marked mustUnderstand="1" that
// the adapter does not process (SOAP 1.1 §4.2.3); only wsse:Security is.
func checkMustUnderstand(doc *etree.Document) error {
	_, header, _, err := soap.Envelope(doc)
	if err != nil || header == nil {
		return nil
	}
	for _, h := range header.ChildElements() {
		mu := ""
		for _, a := range h.Attr {
			if a.Key == "mustUnderstand" && a.NamespaceURI() == soap.NSEnvelope {
				mu = a.Value
			}
		}
		if (mu == "1" || mu == "true") && !(h.Tag == "Security" && h.NamespaceURI() == signing.NSWSSE) {
			e := adapter.Errorf(adapter.CodeMalformed, "gateway.header", "header {%s}%s is marked mustUnderstand but is not processed here", h.NamespaceURI(), h.Tag)
			e.Reason = "must-understand"
			return e
		}
	}
	return nil
}
