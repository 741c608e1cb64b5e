package dsig

import (
	"strings"

	"github.com/beevik/etree"
)

// VerifyWSSecurity verifies the transport signature of a SOAP 1.1
// envelope: /Envelope/Header/wsse:Security/ds:Signature, whose Reference
// URI="#id" must resolve to the very element at /Envelope/Body (found by
// position). IDs must be unique. KeyInfo is a SecurityTokenReference with
// an X509v3 KeyIdentifier or a Reference to a BinarySecurityToken in the
// same header. Element is the verified Body.
func VerifyWSSecurity(doc *etree.Document, opt Options) (*Verified, error) {
	if doc == nil || doc.Root() == nil {
		return nil, errorf(ReasonMalformedXML, "no document")
	}
	env := doc.Root()
	if env.Tag != "Envelope" || env.NamespaceURI() != nsSOAP {
		return nil, errorf(ReasonMalformed, "root is not a SOAP 1.1 Envelope")
	}
	body, sec, err := envelopeParts(env)
	if err != nil {
		return nil, err
	}
	sig, err := oneSignature(sec)
	if err != nil {
		return nil, err
	}
	idx, err := buildIDIndex(env)
	if err != nil {
		return nil, err
	}
	return verify(verifyInput{
		sig: sig, sec: sec, want: body, resolve: wssResolver(idx, body),
		notSigned: ReasonBodyNotSigned, opt: opt,
	})
}

// envelopeParts finds Body and the Security header by position; a second
// Body is a wrapping attempt (which one is "the" Body is reader-dependent).
func envelopeParts(env *etree.Element) (body, sec *etree.Element, err error) {
	bodies := childrenNS(env, nsSOAP, "Body")
	if len(bodies) != 1 {
		return nil, nil, errorf(ReasonWrapping, "%d soap:Body elements", len(bodies))
	}
	headers := childrenNS(env, nsSOAP, "Header")
	if len(headers) == 0 {
		return nil, nil, errorf(ReasonMissing, "no soap:Header")
	}
	if len(headers) > 1 {
		return nil, nil, errorf(ReasonMalformed, "%d soap:Header elements", len(headers))
	}
	secs := childrenNS(headers[0], nsWSSE, "Security")
	if len(secs) == 0 {
		return nil, nil, errorf(ReasonMissing, "no wsse:Security header")
	}
	if len(secs) > 1 {
		return nil, nil, errorf(ReasonMalformed, "%d wsse:Security headers", len(secs))
	}
	return bodies[0], secs[0], nil
}

func oneSignature(sec *etree.Element) (*etree.Element, error) {
	sigs := childrenNS(sec, nsDS, "Signature")
	if len(sigs) == 0 {
		return nil, errorf(ReasonMissing, "no ds:Signature in wsse:Security")
	}
	if len(sigs) > 1 {
		return nil, errorf(ReasonMalformed, "several ds:Signature in wsse:Security")
	}
	return sigs[0], nil
}

// wssResolver accepts "#id" only; an ID naming a soap:Body other than the
// positional one is the classic wrapping attack and is refused.
func wssResolver(idx idIndex, body *etree.Element) resolver {
	return func(uri string) (*etree.Element, error) {
		id, ok := strings.CutPrefix(uri, "#")
		if !ok {
			return nil, errorf(ReasonUnsupportedAlgorithm, "WS-Security reference %q", uri)
		}
		el := idx[id]
		if el == nil {
			return nil, errorf(ReasonMalformed, "reference %q resolves to nothing", uri)
		}
		if el != body && el.Tag == "Body" && el.NamespaceURI() == nsSOAP {
			return nil, errorf(ReasonWrapping, "reference %q resolves to a Body that is not /Envelope/Body", uri)
		}
		return el, nil
	}
}
