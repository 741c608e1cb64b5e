package certs

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// OIDOCSPNonce is id-pkix-ocsp-nonce (RFC 8954).
var OIDOCSPNonce = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}

var oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}

// RFC 6960 structures. x/crypto/ocsp neither writes request extensions nor
// exposes response extensions, and the nonce lives in both.
type certID struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	NameHash      []byte
	IssuerKeyHash []byte
	SerialNumber  *big.Int
}

type singleRequest struct{ Cert certID }

type tbsRequest struct {
	RequestList []singleRequest
	Extensions  []pkix.Extension `asn1:"explicit,tag:2,optional"`
}

type ocspRequest struct{ TBS tbsRequest }

type rawResponse struct {
	Status asn1.Enumerated
	Bytes  struct {
		Type     asn1.ObjectIdentifier
		Response []byte
	} `asn1:"explicit,tag:0,optional"`
}

type rawBasic struct {
	TBS struct {
		Version     int `asn1:"optional,default:0,explicit,tag:0"`
		ResponderID asn1.RawValue
		ProducedAt  time.Time                 `asn1:"generalized"`
		Responses   []struct{ CertID certID } // later fields: read by x/crypto
		Extensions  []pkix.Extension          `asn1:"explicit,tag:1,optional"`
	}
}

type parsedResponse struct {
	ids        []certID
	extensions []pkix.Extension
}

// newCertID builds a SHA-256 CertID for cert issued by issuer.
func newCertID(cert, issuer *x509.Certificate) (certID, error) {
	name, key, err := issuerHashes(issuer, crypto.SHA256)
	if err != nil {
		return certID{}, err
	}
	return certID{
		HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue},
		NameHash:      name, IssuerKeyHash: key, SerialNumber: cert.SerialNumber,
	}, nil
}

func issuerHashes(issuer *x509.Certificate, h crypto.Hash) (name, key []byte, err error) {
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(issuer.RawSubjectPublicKeyInfo, &spki); err != nil {
		return nil, nil, err
	}
	if !h.Available() {
		return nil, nil, fmt.Errorf("hash %v unavailable", h)
	}
	hh := h.New()
	hh.Write(issuer.RawSubject)
	name = hh.Sum(nil)
	hh.Reset()
	hh.Write(spki.PublicKey.RightAlign())
	return name, hh.Sum(nil), nil
}

// marshalRequest encodes an unsigned request for id carrying the nonce.
func marshalRequest(id certID, nonce []byte) ([]byte, pkix.Extension, error) {
	v, err := asn1.Marshal(nonce) // RFC 8954: extnValue is an OCTET STRING
	if err != nil {
		return nil, pkix.Extension{}, err
	}
	ext := pkix.Extension{Id: OIDOCSPNonce, Value: v}
	der, err := asn1.Marshal(ocspRequest{TBS: tbsRequest{RequestList: []singleRequest{{Cert: id}}, Extensions: []pkix.Extension{ext}}})
	return der, ext, err
}

// parseRaw extracts the CertIDs and response extensions of a basic response.
func parseRaw(der []byte) (*parsedResponse, error) {
	var r rawResponse
	if _, err := asn1.Unmarshal(der, &r); err != nil {
		return nil, err
	}
	var b rawBasic
	if _, err := asn1.Unmarshal(r.Bytes.Response, &b); err != nil {
		return nil, err
	}
	p := &parsedResponse{extensions: b.TBS.Extensions}
	for _, s := range b.TBS.Responses {
		p.ids = append(p.ids, s.CertID)
	}
	return p, nil
}

// checkCertID requires the answer for cert's serial to name cert's issuer:
// an answer about another CA's certificate with the same serial is not ours.
func (p *parsedResponse) checkCertID(cert, issuer *x509.Certificate) error {
	for _, id := range p.ids {
		if id.SerialNumber.Cmp(cert.SerialNumber) != 0 {
			continue
		}
		h, ok := hashOIDs[id.HashAlgorithm.Algorithm.String()]
		if !ok {
			return fmt.Errorf("CertID hash %v not supported", id.HashAlgorithm.Algorithm)
		}
		name, key, err := issuerHashes(issuer, h)
		if err != nil {
			return err
		}
		if bytes.Equal(name, id.NameHash) && bytes.Equal(key, id.IssuerKeyHash) {
			return nil
		}
	}
	return errors.New("no answer names this certificate's issuer")
}

// checkNonce compares an echoed nonce with the one sent; replayed answers
// carry an old nonce.
func (p *parsedResponse) checkNonce(sent pkix.Extension, required bool) error {
	for _, e := range p.extensions {
		if e.Id.Equal(OIDOCSPNonce) {
			if !bytes.Equal(e.Value, sent.Value) {
				return ErrNonce
			}
			return nil
		}
	}
	if required {
		return fmt.Errorf("%w: responder did not echo it", ErrNonce)
	}
	return nil
}
