package dsig

import (
	"crypto/x509"
	"encoding/base64"
	"strings"

	"github.com/beevik/etree"
)

// maxCerts bounds KeyInfo so a hostile document cannot make us parse and
// try thousands of certificates.
const maxCerts = 16

// keyCerts extracts the certificates KeyInfo carries. sec is the enclosing
// wsse:Security header (nil for enveloped signatures); only then are
// SecurityTokenReference forms accepted.
func keyCerts(sig, sec *etree.Element) ([]*x509.Certificate, error) {
	kis := childrenNS(sig, nsDS, "KeyInfo")
	if len(kis) == 0 {
		return nil, errorf(ReasonNoCertificate, "no KeyInfo")
	}
	if len(kis) > 1 {
		return nil, errorf(ReasonMalformed, "several KeyInfo")
	}
	var certs []*x509.Certificate
	unsupported := ""
	for _, c := range kis[0].ChildElements() {
		var got []*x509.Certificate
		var err error
		switch {
		case c.Tag == "X509Data" && c.NamespaceURI() == nsDS:
			got, err = x509DataCerts(c)
		case c.Tag == "SecurityTokenReference" && c.NamespaceURI() == nsWSSE && sec != nil:
			got, err = strCerts(c, sec)
		default:
			// KeyName, KeyValue, RetrievalMethod…: no certificate to
			// check trust on, so never a basis for acceptance.
			unsupported = c.Tag
		}
		if err != nil {
			return nil, err
		}
		certs = append(certs, got...)
		if len(certs) > maxCerts {
			return nil, errorf(ReasonMalformed, "more than %d certificates", maxCerts)
		}
	}
	if len(certs) == 0 && unsupported != "" {
		return nil, errorf(ReasonUnsupportedKeyInfo, "KeyInfo/%s", unsupported)
	}
	if len(certs) == 0 {
		return nil, errorf(ReasonNoCertificate, "KeyInfo holds no certificate")
	}
	return certs, nil
}

func x509DataCerts(xd *etree.Element) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, c := range childrenNS(xd, nsDS, "X509Certificate") {
		cert, err := parseB64Cert(textOf(c))
		if err != nil {
			return nil, err
		}
		out = append(out, cert)
	}
	return out, nil
}

func strCerts(str, sec *etree.Element) ([]*x509.Certificate, error) {
	for _, c := range str.ChildElements() {
		if c.NamespaceURI() != nsWSSE {
			continue
		}
		switch c.Tag {
		case "KeyIdentifier":
			if err := checkTokenTypes(c); err != nil {
				return nil, err
			}
			cert, err := parseB64Cert(textOf(c))
			if err != nil {
				return nil, err
			}
			return []*x509.Certificate{cert}, nil
		case "Reference":
			return bstCert(c.SelectAttrValue("URI", ""), sec)
		}
	}
	return nil, errorf(ReasonUnsupportedKeyInfo, "SecurityTokenReference without KeyIdentifier or Reference")
}

func checkTokenTypes(e *etree.Element) error {
	if vt := e.SelectAttrValue("ValueType", ""); vt != valueTypeX509v3 {
		return errorf(ReasonUnsupportedKeyInfo, "ValueType %q", vt)
	}
	if et := e.SelectAttrValue("EncodingType", encodingBase64); et != encodingBase64 {
		return errorf(ReasonUnsupportedKeyInfo, "EncodingType %q", et)
	}
	return nil
}

// bstCert resolves a wsse:Reference to a BinarySecurityToken in the same
// Security header only: a token elsewhere could be attacker-placed.
func bstCert(uri string, sec *etree.Element) ([]*x509.Certificate, error) {
	id, ok := strings.CutPrefix(uri, "#")
	if !ok || id == "" {
		return nil, errorf(ReasonUnsupportedKeyInfo, "token reference %q", uri)
	}
	for _, t := range childrenNS(sec, nsWSSE, "BinarySecurityToken") {
		if elementID(t) != id {
			continue
		}
		if err := checkTokenTypes(t); err != nil {
			return nil, err
		}
		cert, err := parseB64Cert(textOf(t))
		if err != nil {
			return nil, err
		}
		return []*x509.Certificate{cert}, nil
	}
	return nil, errorf(ReasonNoCertificate, "BinarySecurityToken %q not in Security header", id)
}

func parseB64Cert(s string) (*x509.Certificate, error) {
	der, err := decodeB64(s)
	if err != nil {
		return nil, wrap(ReasonMalformed, "certificate base64", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, wrap(ReasonMalformed, "certificate", err)
	}
	return cert, nil
}

// decodeB64 decodes base64 that XML may have wrapped with whitespace.
func decodeB64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}
