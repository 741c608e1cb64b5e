package dsig

import (
	"crypto"
	"strings"

	// Hash implementations registered for crypto.Hash.New.
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha512"
)

// Namespaces used by the shapes we read and write.
const (
	nsDS    = "http://www.w3.org/2000/09/xmldsig#"
	nsSOAP  = "http://schemas.xmlsoap.org/soap/envelope/"
	nsWSSE  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	nsXML   = "http://www.w3.org/XML/1998/namespace"
	nsExcNS = "http://www.w3.org/2001/10/xml-exc-c14n#"

	valueTypeX509v3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
	encodingBase64  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// Canonicalisation and transform URIs.
const (
	C14NExclusive             = "http://www.w3.org/2001/10/xml-exc-c14n#"
	C14NExclusiveWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
	C14N10                    = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	C14N10WithComments        = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
	C14N11                    = "http://www.w3.org/2006/12/xml-c14n11"
	C14N11WithComments        = "http://www.w3.org/2006/12/xml-c14n11#WithComments"
	TransformEnveloped        = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
)

// Signature and digest URIs.
const (
	RSASHA1      = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	RSASHA256    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	RSASHA384    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	RSASHA512    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	ECDSASHA256  = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	ECDSASHA384  = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	ECDSASHA512  = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
	DigestSHA1   = "http://www.w3.org/2000/09/xmldsig#sha1"
	DigestSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	DigestSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	DigestSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
)

// c14nSpec describes one accepted canonicalisation method.
type c14nSpec struct {
	uri       string
	exclusive bool
	v11       bool
	comments  bool
}

var c14nMethods = map[string]c14nSpec{
	C14NExclusive:             {uri: C14NExclusive, exclusive: true},
	C14NExclusiveWithComments: {uri: C14NExclusiveWithComments, exclusive: true, comments: true},
	C14N10:                    {uri: C14N10},
	C14N10WithComments:        {uri: C14N10WithComments, comments: true},
	C14N11:                    {uri: C14N11, v11: true},
	C14N11WithComments:        {uri: C14N11WithComments, v11: true, comments: true},
}

type sigAlg struct {
	hash  crypto.Hash
	ecdsa bool
}

var sigAlgs = map[string]sigAlg{
	RSASHA1:     {hash: crypto.SHA1},
	RSASHA256:   {hash: crypto.SHA256},
	RSASHA384:   {hash: crypto.SHA384},
	RSASHA512:   {hash: crypto.SHA512},
	ECDSASHA256: {hash: crypto.SHA256, ecdsa: true},
	ECDSASHA384: {hash: crypto.SHA384, ecdsa: true},
	ECDSASHA512: {hash: crypto.SHA512, ecdsa: true},
}

var digestAlgs = map[string]crypto.Hash{
	DigestSHA1:   crypto.SHA1,
	DigestSHA256: crypto.SHA256,
	DigestSHA384: crypto.SHA384,
	DigestSHA512: crypto.SHA512,
}

// gostURIs are the Kazakh national algorithms: recognised so the refusal is
// precise (ReasonGOST), not a generic "unsupported".
var gostURIs = map[string]bool{
	"urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256": true,
	"urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512": true,
	"urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256":               true,
	"urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512":               true,
	"http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311":                        true,
	"http://www.w3.org/2001/04/xmldsig-more#gost34311":                                  true,
}

func unknownAlg(kind, uri string) *Error {
	if gostURIs[uri] || strings.Contains(strings.ToLower(uri), "gost") {
		return &Error{Reason: ReasonGOST, Detail: uri}
	}
	return errorf(ReasonUnsupportedAlgorithm, "%s %q", kind, uri)
}

func lookupSigAlg(uri string, opt Options) (sigAlg, error) {
	a, ok := sigAlgs[uri]
	if !ok {
		return a, unknownAlg("SignatureMethod", uri)
	}
	// SHA-1 signatures are forgeable by collision; legacy peers only.
	if a.hash == crypto.SHA1 && !opt.AllowSHA1 {
		return a, errorf(ReasonWeakAlgorithm, "%s", uri)
	}
	return a, nil
}

func lookupDigest(uri string, opt Options) (crypto.Hash, error) {
	h, ok := digestAlgs[uri]
	if !ok {
		return 0, unknownAlg("DigestMethod", uri)
	}
	if h == crypto.SHA1 && !opt.AllowSHA1 {
		return 0, errorf(ReasonWeakAlgorithm, "%s", uri)
	}
	return h, nil
}

func lookupC14N(uri string) (c14nSpec, error) {
	s, ok := c14nMethods[uri]
	if !ok {
		return s, unknownAlg("canonicalization", uri)
	}
	return s, nil
}
