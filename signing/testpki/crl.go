package testpki

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"time"
)

// oidDeltaCRLIndicator is RFC 5280's delta CRL indicator (2.5.29.27).
var oidDeltaCRLIndicator = asn1.ObjectIdentifier{2, 5, 29, 27}

// CRLSpec describes a CRL for PKI.CRL.
type CRLSpec struct {
	Number                 int64      // CRLNumber
	Base                   int64      // BaseCRLNumber; 0 makes a full CRL, otherwise a delta
	ThisUpdate, NextUpdate time.Time  // validity window
	Revoked                []*big.Int // serials listed as revoked (keyCompromise)
	RevokedAt              time.Time  // revocation time of every entry; ThisUpdate if zero
	// Removed lists serials a delta CRL un-revokes (reason removeFromCRL).
	Removed []*big.Int
	// Signer and Issuer override the intermediate, to forge CRLs in tests.
	Signer crypto.Signer
	Issuer *x509.Certificate // see Signer
}

// CRL returns a DER CRL issued by the intermediate (or s.Issuer/s.Signer).
func (p *PKI) CRL(s CRLSpec) ([]byte, error) {
	issuer, key := p.Intermediate, p.IntermediateKey
	if s.Issuer != nil {
		issuer = s.Issuer
	}
	if s.Signer != nil {
		key = s.Signer
	}
	at := s.RevokedAt
	if at.IsZero() {
		at = s.ThisUpdate
	}
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(s.Number),
		ThisUpdate: s.ThisUpdate,
		NextUpdate: s.NextUpdate,
	}
	for _, n := range s.Revoked {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: n, RevocationTime: at, ReasonCode: 1})
	}
	for _, n := range s.Removed {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: n, RevocationTime: at, ReasonCode: 8})
	}
	if s.Base > 0 {
		v, err := asn1.Marshal(big.NewInt(s.Base))
		if err != nil {
			return nil, err
		}
		// RFC 5280 §5.2.4: the delta CRL indicator is critical.
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: oidDeltaCRLIndicator, Critical: true, Value: v})
	}
	return x509.CreateRevocationList(rand.Reader, tmpl, issuer, key)
}
