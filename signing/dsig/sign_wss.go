package dsig

import (
	"encoding/base64"
	"errors"

	"github.com/beevik/etree"
)

// SignWSSecurity adds wsse:Security (mustUnderstand="1") to the SOAP 1.1
// Header (created if absent) with a signature over the Body (a wsu:Id is
// added if the Body has no ID); KeyInfo is a SecurityTokenReference whose
// X509v3 KeyIdentifier holds the leaf certificate.
func (s *Signer) SignWSSecurity(doc *etree.Document) error {
	env := doc.Root()
	if env == nil || env.Tag != "Envelope" || env.NamespaceURI() != nsSOAP {
		return errors.New("dsig: SignWSSecurity: root is not a SOAP 1.1 Envelope")
	}
	bodies := childrenNS(env, nsSOAP, "Body")
	if len(bodies) != 1 || len(s.Certs) == 0 {
		return errors.New("dsig: SignWSSecurity: need exactly one Body and a certificate")
	}
	body := bodies[0]
	if elementID(body) == "" && body.SelectAttr("xmlns:wsu") == nil {
		body.CreateAttr("xmlns:wsu", nsWSU)
	}
	id, err := s.ensureID(body, "wsu:Id")
	if err != nil {
		return err
	}
	sec := securityHeader(env, body)
	ki := etree.NewElement("wsse:SecurityTokenReference")
	kid := ki.CreateElement("wsse:KeyIdentifier")
	kid.CreateAttr("EncodingType", encodingBase64)
	kid.CreateAttr("ValueType", valueTypeX509v3)
	kid.SetText(base64.StdEncoding.EncodeToString(s.Certs[0].Raw))
	return s.sign(body, "#"+id, false, ki, func(sig *etree.Element) { sec.AddChild(sig) })
}

// securityHeader returns the existing wsse:Security header or creates the
// Header and Security elements, prefixed like the Envelope.
func securityHeader(env, body *etree.Element) *etree.Element {
	var hdr *etree.Element
	if hs := childrenNS(env, nsSOAP, "Header"); len(hs) > 0 {
		hdr = hs[0]
	} else {
		hdr = etree.NewElement("Header")
		hdr.Space = env.Space
		env.InsertChildAt(body.Index(), hdr)
	}
	if ss := childrenNS(hdr, nsWSSE, "Security"); len(ss) > 0 {
		return ss[0]
	}
	sec := hdr.CreateElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", nsWSSE)
	prefix := env.Space
	if prefix == "" {
		prefix = "soapenv"
		sec.CreateAttr("xmlns:soapenv", nsSOAP)
	}
	sec.CreateAttr(prefix+":mustUnderstand", "1")
	return sec
}
