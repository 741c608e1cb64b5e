package certs

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/isb-region/shepadapter/signing/kzid"
)

// Usage is what a certificate's key is being relied on for.
type Usage int

// Usages.
const (
	// UsageSign is business data and document signatures: digitalSignature
	// and nonRepudiation are required; an AUTH key is refused as such.
	UsageSign Usage = iota + 1
	// UsageTransport is the WS-Security transport signature: digitalSignature.
	UsageTransport
)

// String returns "sign" or "transport".
func (u Usage) String() string {
	switch u {
	case UsageSign:
		return "sign"
	case UsageTransport:
		return "transport"
	}
	return fmt.Sprintf("usage(%d)", int(u))
}

// Checker decides whether a signer's certificate may be relied on.
type Checker struct {
	// Trust holds the roots and known intermediates.
	Trust *Trust
	// Revocation answers revocation; nil skips the check, which is unsafe
	// and meant for demos and tests only.
	Revocation RevocationChecker
	// Now is the clock; time.Now if nil.
	Now func() time.Time
	// CheckIINBIN requires a valid IIN or BIN check digit in the subject. On
	// in production; the НУЦ's own test certificates fail it.
	CheckIINBIN bool
}

// Check builds a chain from leaf to a trust anchor (extra holds other
// certificates from KeyInfo, used only as intermediates), checks validity at
// Now, key usage for usage, the subject's IIN/BIN if asked, and revocation of
// the leaf and of intermediates a revocation source covers. It returns the
// leaf's identity or an *Error.
func (c *Checker) Check(ctx context.Context, leaf *x509.Certificate, extra []*x509.Certificate, usage Usage) (Identity, error) {
	if leaf == nil {
		return Identity{}, refuse(ReasonUntrusted, nil, "no certificate")
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	if err := validAt(leaf, now); err != nil {
		return Identity{}, err
	}
	chain, err := c.chain(leaf, extra, now)
	if err != nil {
		return Identity{}, err
	}
	if err := checkUsage(leaf, usage); err != nil {
		return Identity{}, err
	}
	id := IdentityOf(leaf)
	if c.CheckIINBIN {
		if err := checkIdentity(id); err != nil {
			return Identity{}, err
		}
	}
	if c.Revocation != nil {
		if err := c.revocation(ctx, chain, now); err != nil {
			return Identity{}, err
		}
	}
	return id, nil
}

func validAt(c *x509.Certificate, now time.Time) error {
	if now.Before(c.NotBefore) {
		return refuse(ReasonNotYetValid, nil, "%q valid from %s", c.Subject.CommonName, c.NotBefore.Format(time.RFC3339))
	}
	if now.After(c.NotAfter) {
		return refuse(ReasonExpired, nil, "%q expired %s", c.Subject.CommonName, c.NotAfter.Format(time.RFC3339))
	}
	return nil
}

func (c *Checker) chain(leaf *x509.Certificate, extra []*x509.Certificate, now time.Time) ([]*x509.Certificate, error) {
	if c.Trust == nil {
		return nil, refuse(ReasonUntrusted, nil, "no trust anchors configured")
	}
	inter := c.Trust.intermediates.Clone()
	for _, x := range extra {
		inter.AddCert(x) // KeyInfo certs may only bridge to our roots, never anchor
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         c.Trust.roots,
		Intermediates: inter,
		CurrentTime:   now,
		// Leaves carry НУЦ role OIDs in EKU; usage is checked by checkUsage.
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) && inv.Reason == x509.Expired {
			return nil, refuse(ReasonExpired, err, "CA certificate %q outside its validity", inv.Cert.Subject.CommonName)
		}
		return nil, refuse(ReasonUntrusted, err, "%q", leaf.Subject.CommonName)
	}
	return chains[0], nil
}

// checkUsage enforces the key usage for the purpose. An AUTH key signing a
// document is named separately: the holder never meant to sign with it.
func checkUsage(c *x509.Certificate, u Usage) error {
	has := func(k x509.KeyUsage) bool { return c.KeyUsage&k != 0 }
	switch u {
	case UsageSign:
		if keyKind(c) == KeyKindAuth {
			return refuse(ReasonAuthKey, nil, "%q is an authentication key", c.Subject.CommonName)
		}
		if !has(x509.KeyUsageDigitalSignature) || !has(x509.KeyUsageContentCommitment) {
			return refuse(ReasonKeyUsage, nil, "signing needs digitalSignature and nonRepudiation")
		}
	case UsageTransport:
		if !has(x509.KeyUsageDigitalSignature) {
			return refuse(ReasonKeyUsage, nil, "transport signing needs digitalSignature")
		}
	default:
		return refuse(ReasonKeyUsage, nil, "unknown %v", u)
	}
	return nil
}

func checkIdentity(id Identity) error {
	if id.IIN == "" && id.BIN == "" {
		return refuse(ReasonBadIdentity, nil, "subject has neither IIN nor BIN")
	}
	if id.IIN != "" {
		if err := kzid.ValidateIIN(id.IIN); err != nil {
			return refuse(ReasonBadIdentity, err, "subject IIN %s", id.IIN)
		}
	}
	if id.BIN != "" {
		if err := kzid.ValidateBIN(id.BIN); err != nil {
			return refuse(ReasonBadIdentity, err, "subject BIN %s", id.BIN)
		}
	}
	return nil
}

// revocation checks the leaf (it must be good) and then each intermediate
// (skipped only when no source covers it; a revoked CA revokes its leaves).
func (c *Checker) revocation(ctx context.Context, chain []*x509.Certificate, now time.Time) error {
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		st, err := c.Revocation.Status(ctx, cert, issuer, now)
		switch {
		case err == nil && st == StatusGood:
			continue
		case err == nil && st == StatusRevoked:
			return refuse(ReasonRevoked, nil, "%q serial %x", cert.Subject.CommonName, cert.SerialNumber)
		case i > 0 && errors.Is(err, ErrNotCovered):
			continue
		}
		if err == nil {
			err = fmt.Errorf("source answered %v", st)
		}
		return refuse(ReasonRevocationUnknown, err, "%q serial %x", cert.Subject.CommonName, cert.SerialNumber)
	}
	return nil
}
