package testpki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"net/http"
	"time"

	"golang.org/x/crypto/ocsp"
)

// OIDOCSPNonce is id-pkix-ocsp-nonce (RFC 8954).
var OIDOCSPNonce = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}

var (
	oidSHA1        = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidOCSPBasic   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 1}
	oidSHA256RSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA256ECDSA = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
)

// RFC 6960 structures; x/crypto/ocsp hides request and response extensions,
// which the nonce needs, so the responder speaks ASN.1 itself.
type certID struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	NameHash      []byte
	IssuerKeyHash []byte
	SerialNumber  *big.Int
}

type ocspRequest struct {
	TBS struct {
		Version     int           `asn1:"explicit,tag:0,default:0,optional"`
		Requestor   asn1.RawValue `asn1:"explicit,tag:1,optional"`
		RequestList []struct{ Cert certID }
		Extensions  []pkix.Extension `asn1:"explicit,tag:2,optional"`
	}
}

type singleResponse struct {
	CertID     certID
	Status     asn1.RawValue
	ThisUpdate time.Time `asn1:"generalized"`
	NextUpdate time.Time `asn1:"generalized,explicit,tag:0,optional"`
}

type responseData struct {
	ResponderID asn1.RawValue
	ProducedAt  time.Time `asn1:"generalized"`
	Responses   []singleResponse
	Extensions  []pkix.Extension `asn1:"explicit,tag:1,optional"`
}

type basicResponse struct {
	TBS          asn1.RawValue
	Algorithm    pkix.AlgorithmIdentifier
	Signature    asn1.BitString
	Certificates []asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

type responseBytes struct {
	Type     asn1.ObjectIdentifier
	Response []byte
}

type ocspResponse struct {
	Status asn1.Enumerated
	Bytes  responseBytes `asn1:"explicit,tag:0,optional"`
}

// OCSPValidity is how long the responder's answers stay valid (NextUpdate).
const OCSPValidity = 10 * time.Minute

// OCSPHandler answers OCSP POSTs for the intermediate's leaves: revoked for
// RevokedSerials, good for serials it issued, unknown otherwise. Answers are
// signed by the intermediate itself and echo the request's nonce.
func (p *PKI) OCSPHandler(now func() time.Time) http.Handler {
	return p.OCSPHandlerSignedBy(now, p.Intermediate, p.IntermediateKey)
}

// OCSPHandlerSignedBy is OCSPHandler with answers signed by key and carrying
// cert: a delegated responder (or, in attack tests, a certificate that is not
// one). cert may be the intermediate itself, which is then not embedded.
func (p *PKI) OCSPHandlerSignedBy(now func() time.Time, cert *x509.Certificate, key crypto.Signer) http.Handler {
	rs := responder{p: p, cert: cert, key: key}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if r.Method != http.MethodPost || err != nil {
			writeOCSP(w, FailureResponse(ocsp.Malformed))
			return
		}
		resp, err := rs.answer(body, now())
		if err != nil {
			writeOCSP(w, FailureResponse(ocsp.Malformed))
			return
		}
		writeOCSP(w, resp)
	})
}

// FailureResponse is a DER OCSP response with a non-successful status, such
// as ocsp.TryAgain, for tests of responders that refuse.
func FailureResponse(status ocsp.ResponseStatus) []byte {
	return []byte{0x30, 0x03, 0x0a, 0x01, byte(status)}
}

func writeOCSP(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/ocsp-response")
	w.Write(b)
}

type responder struct {
	p    *PKI
	cert *x509.Certificate
	key  crypto.Signer
}

func (r responder) answer(der []byte, now time.Time) ([]byte, error) {
	p := r.p
	var req ocspRequest
	if _, err := asn1.Unmarshal(der, &req); err != nil || len(req.TBS.RequestList) == 0 {
		return nil, errMalformed
	}
	var rd responseData
	for _, sr := range req.TBS.RequestList {
		rd.Responses = append(rd.Responses, singleResponse{
			CertID: sr.Cert, Status: p.statusOf(sr.Cert),
			ThisUpdate: now.UTC().Truncate(time.Second), NextUpdate: now.Add(OCSPValidity).UTC().Truncate(time.Second),
		})
	}
	for _, e := range req.TBS.Extensions {
		if e.Id.Equal(OIDOCSPNonce) {
			rd.Extensions = append(rd.Extensions, pkix.Extension{Id: OIDOCSPNonce, Value: e.Value})
		}
	}
	rd.ResponderID = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, IsCompound: true, Bytes: r.cert.RawSubject}
	rd.ProducedAt = now.UTC().Truncate(time.Second)
	tbs, err := asn1.Marshal(rd)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(tbs)
	sig, err := r.key.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	b := basicResponse{
		TBS:       asn1.RawValue{FullBytes: tbs},
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256RSA, Parameters: asn1.NullRawValue},
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	}
	if _, ok := r.key.Public().(*ecdsa.PublicKey); ok {
		b.Algorithm = pkix.AlgorithmIdentifier{Algorithm: oidSHA256ECDSA}
	}
	if !r.cert.Equal(p.Intermediate) {
		b.Certificates = []asn1.RawValue{{FullBytes: r.cert.Raw}}
	}
	basic, err := asn1.Marshal(b)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(ocspResponse{Status: asn1.Enumerated(ocsp.Success), Bytes: responseBytes{Type: oidOCSPBasic, Response: basic}})
}

// statusOf encodes CertStatus: [0] good, [1] revoked, [2] unknown.
func (p *PKI) statusOf(id certID) asn1.RawValue {
	unknown := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2}
	if !p.isIssuer(id) {
		return unknown
	}
	if at, ok := p.RevokedSerials[id.SerialNumber.Text(16)]; ok {
		inner, _ := asn1.Marshal(struct {
			At time.Time `asn1:"generalized"`
		}{at.UTC()})
		// revokedInfo is an IMPLICIT [1] SEQUENCE: keep the contents, retag.
		var seq asn1.RawValue
		asn1.Unmarshal(inner, &seq)
		return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, IsCompound: true, Bytes: seq.Bytes}
	}
	if p.wasIssued(id.SerialNumber) {
		return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0}
	}
	return unknown
}

// isIssuer reports whether id names the intermediate (SHA-1 or SHA-256 CertID).
func (p *PKI) isIssuer(id certID) bool {
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(p.Intermediate.RawSubjectPublicKeyInfo, &spki); err != nil {
		return false
	}
	var name, key []byte
	switch {
	case id.HashAlgorithm.Algorithm.Equal(oidSHA256):
		n, k := sha256.Sum256(p.Intermediate.RawSubject), sha256.Sum256(spki.PublicKey.RightAlign())
		name, key = n[:], k[:]
	case id.HashAlgorithm.Algorithm.Equal(oidSHA1):
		n, k := sha1.Sum(p.Intermediate.RawSubject), sha1.Sum(spki.PublicKey.RightAlign())
		name, key = n[:], k[:]
	default:
		return false
	}
	return bytes.Equal(name, id.NameHash) && bytes.Equal(key, id.IssuerKeyHash)
}
