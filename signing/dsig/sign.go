package dsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/beevik/etree"
)

// Signer signs documents with a key and its certificate chain.
type Signer struct {
	Key   crypto.Signer       // *rsa.PrivateKey or *ecdsa.PrivateKey (or an HSM handle)
	Certs []*x509.Certificate // leaf first; all written to KeyInfo
	C14N  string              // c14n URI for SignedInfo and the reference; default exc-c14n
	Rand  io.Reader           // nil = crypto/rand
}

// SignEnveloped adds an enveloped signature as the last child of el:
// URI="" if el is the document root, else URI="#id" (an Id attribute is
// added if el has none). RSA keys sign rsa-sha256, ECDSA keys ecdsa-shaN
// (raw r||s per XMLDSig 1.1); the digest is sha256.
func (s *Signer) SignEnveloped(el *etree.Element) error {
	if el == nil {
		return errors.New("dsig: SignEnveloped: nil element")
	}
	uri := ""
	if !isRoot(el) {
		id, err := s.ensureID(el, "Id")
		if err != nil {
			return err
		}
		uri = "#" + id
	}
	ki := etree.NewElement("ds:X509Data")
	for _, c := range s.Certs {
		ki.CreateElement("ds:X509Certificate").SetText(base64.StdEncoding.EncodeToString(c.Raw))
	}
	return s.sign(el, uri, true, ki, func(sig *etree.Element) { el.AddChild(sig) })
}

func (s *Signer) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

// ensureID returns el's ID, adding attribute key with a random value if
// el has none.
func (s *Signer) ensureID(el *etree.Element, key string) (string, error) {
	if id := elementID(el); id != "" {
		return id, nil
	}
	var b [12]byte
	if _, err := io.ReadFull(s.rand(), b[:]); err != nil {
		return "", fmt.Errorf("dsig: id: %w", err)
	}
	id := "id-" + hex.EncodeToString(b[:])
	el.CreateAttr(key, id)
	return id, nil
}

// sign digests target, builds the Signature, lets place attach it to the
// tree (SignedInfo is canonicalised in its final context) and signs it.
func (s *Signer) sign(target *etree.Element, uri string, enveloped bool, keyInfo *etree.Element, place func(*etree.Element)) error {
	if s.Key == nil || len(s.Certs) == 0 {
		return errors.New("dsig: Signer needs Key and Certs")
	}
	c14nURI := s.C14N
	if c14nURI == "" {
		c14nURI = C14NExclusive
	}
	spec, err := lookupC14N(c14nURI)
	if err != nil {
		return err
	}
	sigURI, hash, err := signatureMethod(s.Key.Public())
	if err != nil {
		return err
	}
	canon, err := canonicalize(target, spec, "", nil, false)
	if err != nil {
		return err
	}
	d := crypto.SHA256.New()
	d.Write(canon)
	sig := buildSignature(spec.uri, sigURI, uri, enveloped, d.Sum(nil), keyInfo)
	place(sig)
	si := sig.SelectElement("SignedInfo")
	siBytes, err := canonicalize(si, spec, "", nil, true)
	if err != nil {
		return err
	}
	value, err := s.signValue(siBytes, hash)
	if err != nil {
		return err
	}
	sig.SelectElement("SignatureValue").SetText(base64.StdEncoding.EncodeToString(value))
	return nil
}

func signatureMethod(pub crypto.PublicKey) (string, crypto.Hash, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return RSASHA256, crypto.SHA256, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return ECDSASHA256, crypto.SHA256, nil
		case elliptic.P384():
			return ECDSASHA384, crypto.SHA384, nil
		case elliptic.P521():
			return ECDSASHA512, crypto.SHA512, nil
		}
	}
	return "", 0, fmt.Errorf("dsig: unsupported signing key %T", pub)
}

func (s *Signer) signValue(signed []byte, hash crypto.Hash) ([]byte, error) {
	h := hash.New()
	h.Write(signed)
	out, err := s.Key.Sign(s.rand(), h.Sum(nil), hash)
	if err != nil {
		return nil, fmt.Errorf("dsig: sign: %w", err)
	}
	pub, ok := s.Key.Public().(*ecdsa.PublicKey)
	if !ok {
		return out, nil
	}
	// crypto.Signer yields ASN.1 DER; XMLDSig wants fixed-size r||s.
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(out, &rs); err != nil {
		return nil, fmt.Errorf("dsig: ecdsa signature: %w", err)
	}
	n := (pub.Curve.Params().BitSize + 7) / 8
	raw := make([]byte, 2*n)
	rs.R.FillBytes(raw[:n])
	rs.S.FillBytes(raw[n:])
	return raw, nil
}

func buildSignature(c14nURI, sigURI, refURI string, enveloped bool, digest []byte, keyInfo *etree.Element) *etree.Element {
	sig := etree.NewElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", nsDS)
	si := sig.CreateElement("ds:SignedInfo")
	si.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", c14nURI)
	si.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", sigURI)
	ref := si.CreateElement("ds:Reference")
	ref.CreateAttr("URI", refURI)
	ts := ref.CreateElement("ds:Transforms")
	if enveloped {
		ts.CreateElement("ds:Transform").CreateAttr("Algorithm", TransformEnveloped)
	}
	ts.CreateElement("ds:Transform").CreateAttr("Algorithm", c14nURI)
	ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", DigestSHA256)
	ref.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(digest))
	sig.CreateElement("ds:SignatureValue")
	sig.CreateElement("ds:KeyInfo").AddChild(keyInfo)
	return sig
}
