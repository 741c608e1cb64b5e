package signing

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// Config is the signing section of the adapter's configuration.
type Config struct {
	// Trust lists files or directories of trust anchors (roots and
	// intermediates, PEM or DER).
	Trust []string `yaml:"trust"`
	// CRLs lists CRL files or http(s) URLs (full and delta).
	CRLs []string `yaml:"crls"`
	// CRLRefresh is how often CRLs are reloaded in the background (default 1h).
	CRLRefresh time.Duration `yaml:"crlRefresh"`
	// OCSP is the responder URL; "aia" asks the certificate's own responder;
	// empty means no OCSP.
	OCSP string `yaml:"ocsp"`
	// SkipRevocation turns revocation checking off. Unsafe: demos only.
	SkipRevocation bool `yaml:"skipRevocation"`
	// CheckIINBIN requires valid IIN/BIN check digits in signer subjects and
	// in applications. On in production; the НУЦ test certificates fail it.
	CheckIINBIN bool `yaml:"checkIINBIN"`
	// AllowSHA1 accepts legacy rsa-sha1 signatures (verify only).
	AllowSHA1 bool `yaml:"allowSHA1"`
	// Key is the department's signing key: a PKCS#12 file with Password, or
	// PEM KeyFile + CertFile.
	Key KeyConfig `yaml:"key"`
}

// KeyConfig locates a signing key.
type KeyConfig struct {
	P12      string `yaml:"p12"`
	Password string `yaml:"password"`
	KeyFile  string `yaml:"keyFile"`
	CertFile string `yaml:"certFile"`
}

// Revocation is the running revocation machinery built from Config.
type Revocation struct {
	CRLs    *certs.CRLSource
	checker certs.RevocationChecker
	refresh time.Duration
}

// Run refreshes CRLs in the background until ctx ends.
func (r *Revocation) Run(ctx context.Context) {
	if r != nil && r.CRLs != nil {
		r.CRLs.Run(ctx, r.refresh)
	}
}

// Stale reports whether revocation data is too old to answer "good".
func (r *Revocation) Stale(now time.Time) bool {
	return r != nil && r.CRLs != nil && r.CRLs.Stale(now)
}

// New builds a Verifier from cfg. now is the clock for validity checks.
func New(ctx context.Context, cfg Config, now func() time.Time) (*Verifier, *Revocation, error) {
	if len(cfg.Trust) == 0 {
		return nil, nil, errors.New("signing: no trust anchors configured")
	}
	trust, err := certs.LoadTrust(cfg.Trust...)
	if err != nil {
		return nil, nil, fmt.Errorf("signing: trust anchors: %w", err)
	}
	rev, err := newRevocation(ctx, cfg, trust)
	if err != nil {
		return nil, nil, err
	}
	chk := &certs.Checker{Trust: trust, Now: now, CheckIINBIN: cfg.CheckIINBIN}
	if rev != nil {
		chk.Revocation = rev.checker
	}
	return &Verifier{DSig: dsig.Options{AllowSHA1: cfg.AllowSHA1}, Certs: chk}, rev, nil
}

func newRevocation(ctx context.Context, cfg Config, trust *certs.Trust) (*Revocation, error) {
	if cfg.SkipRevocation {
		return nil, nil
	}
	rev := &Revocation{refresh: cfg.CRLRefresh}
	if rev.refresh <= 0 {
		rev.refresh = time.Hour
	}
	var chain certs.Chain
	if cfg.OCSP != "" {
		url := cfg.OCSP
		if url == "aia" {
			url = ""
		}
		chain = append(chain, &certs.OCSPClient{URL: url})
	}
	if len(cfg.CRLs) > 0 {
		issuers := append(append([]*x509.Certificate{}, trust.Roots()...), trust.Intermediates()...)
		rev.CRLs = certs.NewCRLSource(issuers, cfg.CRLs...)
		if err := rev.CRLs.Refresh(ctx); err != nil {
			return nil, fmt.Errorf("signing: CRLs: %w", err)
		}
		chain = append(chain, rev.CRLs)
	}
	if len(chain) == 0 {
		return nil, errors.New("signing: no revocation source: configure crls and/or ocsp, or skipRevocation for a demo")
	}
	rev.checker = chain
	return rev, nil
}

// LoadKey loads the signing key and its chain (leaf first).
func LoadKey(k KeyConfig) (crypto.Signer, []*x509.Certificate, error) {
	switch {
	case k.P12 != "":
		return certs.LoadP12(k.P12, k.Password)
	case k.KeyFile != "" && k.CertFile != "":
		return certs.LoadPEM(k.KeyFile, k.CertFile)
	}
	return nil, nil, errors.New("signing: no key configured (p12, or keyFile and certFile)")
}

// NewSigner loads the key of k into a dsig.Signer.
func NewSigner(k KeyConfig) (*dsig.Signer, error) {
	key, chain, err := LoadKey(k)
	if err != nil {
		return nil, err
	}
	return &dsig.Signer{Key: key, Certs: chain}, nil
}
