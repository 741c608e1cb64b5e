package dsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/x509"
	"math/big"

	"github.com/beevik/etree"
)

// Options tune verification. The zero value is the secure default.
type Options struct {
	AllowSHA1     bool // rsa-sha1/sha1 digests: verify only, off by default (ReasonWeakAlgorithm)
	MaxReferences int  // default 30
	MaxTransforms int  // default 5 per reference
}

func (o Options) withDefaults() Options {
	if o.MaxReferences <= 0 {
		o.MaxReferences = 30
	}
	if o.MaxTransforms <= 0 {
		o.MaxTransforms = 5
	}
	return o
}

// Verified is what a successful verification returns. Callers must read
// only Element.
type Verified struct {
	// Element is the signed element as etree parses it from the exact
	// canonical bytes that were digested (re-parsed, or built to equal
	// that re-parse), so nothing unsigned can be read; for
	// enveloped signatures the ds:Signature is not in it.
	Element *etree.Element
	// Certificates are all certificates from KeyInfo; Leaf is the one
	// whose public key verified SignatureValue.
	Certificates []*x509.Certificate
	Leaf         *x509.Certificate
	// Algorithm URIs as signed.
	SignatureAlgorithm, DigestAlgorithm, CanonicalizationMethod string
}

// resolver maps a Reference URI to the element it denotes, applying the
// shape's rules about which elements may be referenced.
type resolver func(uri string) (*etree.Element, error)

type verifyInput struct {
	sig       *etree.Element // ds:Signature
	sec       *etree.Element // wsse:Security for token references, or nil
	want      *etree.Element // the element to return; must be referenced
	resolve   resolver
	notSigned Reason // reason when no reference resolves to want
	enveloped bool   // every reference must carry the enveloped transform
	opt       Options
}

// verify runs the whole check: algorithms first (so unsupported input is
// refused as such), then SignatureValue over the canonical SignedInfo, then
// each reference read from the signed SignedInfo bytes.
func verify(in verifyInput) (*Verified, error) {
	in.opt = in.opt.withDefaults()
	si, sv, err := signatureParts(in.sig)
	if err != nil {
		return nil, err
	}
	siBytes, info, err := readSignedInfo(si, in.opt)
	if err != nil {
		return nil, err
	}
	certs, err := keyCerts(in.sig, in.sec)
	if err != nil {
		return nil, err
	}
	sigVal, err := decodeB64(textOf(sv))
	if err != nil {
		return nil, wrap(ReasonMalformed, "SignatureValue base64", err)
	}
	leaf, err := findLeaf(certs, info.alg, siBytes, sigVal)
	if err != nil {
		return nil, err
	}
	canon, el, ref, err := checkReferences(in, info)
	if err != nil {
		return nil, err
	}
	if el == nil {
		if el, err = parseCanonical(canon); err != nil {
			return nil, err
		}
	}
	return &Verified{
		Element: el, Certificates: certs, Leaf: leaf,
		SignatureAlgorithm: info.sigURI, DigestAlgorithm: ref.digestURI,
		CanonicalizationMethod: info.c14n.uri,
	}, nil
}

func signatureParts(sig *etree.Element) (si, sv *etree.Element, err error) {
	if len(childrenNS(sig, nsDS, "Object")) > 0 {
		// Enveloping/Manifest shapes are outside our profile.
		return nil, nil, errorf(ReasonUnsupportedAlgorithm, "ds:Object (enveloping or Manifest)")
	}
	if si, err = oneChild(sig, nsDS, "SignedInfo"); err != nil {
		return nil, nil, err
	}
	if sv, err = oneChild(sig, nsDS, "SignatureValue"); err != nil {
		return nil, nil, err
	}
	return si, sv, nil
}

func findLeaf(certs []*x509.Certificate, alg sigAlg, signed, sig []byte) (*x509.Certificate, error) {
	h := alg.hash.New()
	h.Write(signed)
	digest := h.Sum(nil)
	for _, c := range certs {
		if verifyValue(c.PublicKey, alg, digest, sig) {
			return c, nil
		}
	}
	return nil, errorf(ReasonBadSignature, "no KeyInfo certificate verifies SignatureValue")
}

func verifyValue(pub crypto.PublicKey, alg sigAlg, digest, sig []byte) bool {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return !alg.ecdsa && rsa.VerifyPKCS1v15(k, alg.hash, digest, sig) == nil
	case *ecdsa.PublicKey:
		// XMLDSig 1.1 §6.4.3: the value is raw r||s, each padded to the
		// curve size, not ASN.1 DER (goxmldsig gap, upstream #163). Like
		// xmlsec1 we also take evenly split shorter values (old Java
		// signers dropped leading zeros): r and s must still verify.
		n := (k.Curve.Params().BitSize + 7) / 8
		if !alg.ecdsa || len(sig) == 0 || len(sig)%2 != 0 || len(sig) > 2*n {
			return false
		}
		half := len(sig) / 2
		r := new(big.Int).SetBytes(sig[:half])
		s := new(big.Int).SetBytes(sig[half:])
		return ecdsa.Verify(k, digest, r, s)
	}
	return false
}

// checkReferences digests every reference and returns the canonical bytes
// of the one that resolves to in.want, and that reference. It may also
// return the tree parseCanonical would read from those bytes, built while
// writing them (see treeBuilder); if nil, the caller parses the bytes.
func checkReferences(in verifyInput, info *signedInfo) ([]byte, *etree.Element, *reference, error) {
	var canon []byte
	var tree *etree.Element
	var wantRef *reference
	for i := range info.refs {
		r := &info.refs[i]
		target, err := in.resolve(r.uri)
		if err != nil {
			return nil, nil, nil, err
		}
		if in.enveloped && !r.enveloped {
			return nil, nil, nil, errorf(ReasonMalformed, "reference %q lacks the enveloped-signature transform", r.uri)
		}
		var skip *etree.Element
		if r.enveloped {
			skip = in.sig
		}
		// Comments are never in a same-document node-set (XMLDSig
		// §4.4.3.3), even under a #WithComments transform.
		b, t, err := canonicalizeTree(target, r.c14n, r.prefixList, skip, false, target == in.want)
		if err != nil {
			return nil, nil, nil, err
		}
		h := r.hash.New()
		h.Write(b)
		if !hmac.Equal(h.Sum(nil), r.digest) {
			return nil, nil, nil, errorf(ReasonDigestMismatch, "reference %q", r.uri)
		}
		if target == in.want {
			canon, tree, wantRef = b, t, r
		}
	}
	if canon == nil {
		return nil, nil, nil, errorf(in.notSigned, "the returned element is not referenced")
	}
	return canon, tree, wantRef, nil
}
