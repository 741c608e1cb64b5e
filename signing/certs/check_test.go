package certs_test

import (
	"crypto/x509"
	"math/big"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/testpki"
)

func TestCheck(t *testing.T) {
	okOCSP, _ := ocspServer(t, pki.OCSPHandler(clock(now)))
	tryLater, _ := ocspServer(t, fixed(testpki.FailureResponse(ocsp.TryLater)))
	down := httptest.NewServer(nil)
	down.Close()
	crl := crlSource(t)
	ocspAt := func(url string) certs.RevocationChecker { return &certs.OCSPClient{URL: url, Timeout: 2 * time.Second} }
	badIIN := issueWithIIN(t, "921029350852")
	arl := func(revoked ...*big.Int) certs.RevocationChecker {
		path := writeFile(t, filepath.Join(t.TempDir(), "arl.crl"), mustCRL(t, pki, testpki.CRLSpec{Number: 1,
			ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour), Revoked: revoked, Issuer: pki.Root, Signer: pki.RootKey}))
		s := certs.NewCRLSource([]*x509.Certificate{pki.Intermediate, pki.Root}, pki.Path("crl", "full.crl"), path)
		if err := s.Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
		return s
	}

	tests := []struct {
		name   string
		leaf   *x509.Certificate
		extra  []*x509.Certificate
		usage  certs.Usage
		rev    certs.RevocationChecker
		at     time.Time
		iinbin bool
		want   certs.Reason
	}{
		{name: "individual sign", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: crl},
		{name: "legal sign", leaf: pki.Leaves[testpki.Legal].Cert, usage: certs.UsageSign, rev: crl},
		{name: "employee sign", leaf: pki.Leaves[testpki.Employee].Cert, usage: certs.UsageSign, rev: crl},
		{name: "ecdsa sign", leaf: pki.Leaves[testpki.ECDSA].Cert, usage: certs.UsageSign, rev: crl},
		{name: "gateway transport", leaf: pki.Leaves[testpki.Gateway].Cert, usage: certs.UsageTransport, rev: crl},
		{name: "individual via OCSP", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: ocspAt(okOCSP.URL)},
		{name: "individual via AIA OCSP", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: &certs.OCSPClient{}},
		{name: "no revocation (unsafe)", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign},
		{name: "intermediate from KeyInfo", leaf: pki.Leaves[testpki.Individual].Cert, extra: pki.Intermediates(), usage: certs.UsageSign, rev: crl},
		{name: "untrusted root", leaf: otherPKI.Leaves[testpki.Individual].Cert, extra: otherPKI.Intermediates(), usage: certs.UsageSign, rev: crl, want: certs.ReasonUntrusted},
		{name: "expired", leaf: pki.Leaves[testpki.Expired].Cert, usage: certs.UsageSign, rev: crl, want: certs.ReasonExpired},
		{name: "not yet valid", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: crl, at: now.Add(-48 * time.Hour), want: certs.ReasonNotYetValid},
		{name: "revoked via CRL", leaf: pki.Leaves[testpki.Revoked].Cert, usage: certs.UsageSign, rev: crl, want: certs.ReasonRevoked},
		{name: "revoked via OCSP", leaf: pki.Leaves[testpki.Revoked].Cert, usage: certs.UsageSign, rev: ocspAt(okOCSP.URL), want: certs.ReasonRevoked},
		{name: "stale CRL", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: crl, at: now.Add(25 * time.Hour), want: certs.ReasonRevocationUnknown},
		{name: "stale delta CRL", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: crl, at: now.Add(2 * time.Hour), want: certs.ReasonRevocationUnknown},
		{name: "OCSP tryLater", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: ocspAt(tryLater.URL), want: certs.ReasonRevocationUnknown},
		{name: "OCSP down", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: ocspAt(down.URL), want: certs.ReasonRevocationUnknown},
		{name: "OCSP down, CRL good", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: certs.Chain{ocspAt(down.URL), crl}},
		{name: "OCSP down, CRL revoked", leaf: pki.Leaves[testpki.Revoked].Cert, usage: certs.UsageSign, rev: certs.Chain{ocspAt(down.URL), crl}, want: certs.ReasonRevoked},
		{name: "OCSP tryLater, CRL stale", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: certs.Chain{ocspAt(tryLater.URL), crl}, at: now.Add(25 * time.Hour), want: certs.ReasonRevocationUnknown},
		{name: "no source covers leaf", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: certs.NewCRLSource(otherPKI.Intermediates()), want: certs.ReasonRevocationUnknown},
		{name: "auth key signs", leaf: pki.Leaves[testpki.Auth].Cert, usage: certs.UsageSign, rev: crl, want: certs.ReasonAuthKey},
		{name: "auth key transport", leaf: pki.Leaves[testpki.Auth].Cert, usage: certs.UsageTransport, rev: crl},
		{name: "gateway key signs document", leaf: pki.Leaves[testpki.Gateway].Cert, usage: certs.UsageSign, rev: crl, want: certs.ReasonKeyUsage},
		{name: "unknown usage", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.Usage(9), rev: crl, want: certs.ReasonKeyUsage},
		{name: "IIN check on", leaf: pki.Leaves[testpki.Legal].Cert, usage: certs.UsageSign, rev: crl, iinbin: true},
		{name: "bad IIN check on", leaf: badIIN, usage: certs.UsageSign, rev: crl, iinbin: true, want: certs.ReasonBadIdentity},
		{name: "bad IIN check off", leaf: badIIN, usage: certs.UsageSign, rev: crl},
		{name: "root CRL covers intermediate, good", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: arl()},
		{name: "intermediate revoked by root CRL", leaf: pki.Leaves[testpki.Individual].Cert, usage: certs.UsageSign, rev: arl(pki.Intermediate.SerialNumber), want: certs.ReasonRevoked},
		{name: "nil leaf", usage: certs.UsageSign, want: certs.ReasonUntrusted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.at
			if at.IsZero() {
				at = now
			}
			trust := certs.NewTrust(pki.Trust(), pki.Intermediates())
			if tt.extra != nil {
				trust = certs.NewTrust(pki.Trust(), nil)
			}
			c := &certs.Checker{Trust: trust, Revocation: tt.rev, Now: clock(at), CheckIINBIN: tt.iinbin}
			id, err := c.Check(t.Context(), tt.leaf, tt.extra, tt.usage)
			if got := certs.ReasonOf(err); got != tt.want {
				t.Fatalf("reason %q, want %q (err %v)", got, tt.want, err)
			}
			if err == nil && id.SerialNumber == "" {
				t.Error("empty identity")
			}
		})
	}
}

// issueWithIIN issues an individual SIGN certificate whose subject IIN is iin.
func issueWithIIN(t *testing.T, iin string) *x509.Certificate {
	t.Helper()
	tmpl, err := testpki.Template(testpki.Individual, now, "")
	if err != nil {
		t.Fatal(err)
	}
	tmpl.Subject.SerialNumber = "IIN" + iin
	c, err := pki.Issue("badiin", pki.Leaves[testpki.Individual].Key, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	return c.Cert
}

func TestErrorNotCurrent(t *testing.T) {
	tests := []struct {
		reason certs.Reason
		want   bool
	}{
		{certs.ReasonExpired, true}, {certs.ReasonNotYetValid, true}, {certs.ReasonRevoked, true},
		{certs.ReasonRevocationUnknown, true}, {certs.ReasonUntrusted, false}, {certs.ReasonKeyUsage, false},
		{certs.ReasonAuthKey, false}, {certs.ReasonBadIdentity, false},
	}
	for _, tt := range tests {
		if got := (&certs.Error{Reason: tt.reason}).NotCurrent(); got != tt.want {
			t.Errorf("%s: NotCurrent = %v", tt.reason, got)
		}
	}
}
