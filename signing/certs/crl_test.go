package certs_test

import (
	"context"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/testpki"
)

func TestCRLSourceStatus(t *testing.T) {
	dir := t.TempDir()
	ind := pki.Leaves[testpki.Individual].Cert
	rev := pki.Leaves[testpki.Revoked].Cert
	full := writeFile(t, filepath.Join(dir, "full.crl"), mustCRL(t, pki, testpki.CRLSpec{
		Number: 4, ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour), Revoked: []*big.Int{rev.SerialNumber}}))
	delta := func(name string, s testpki.CRLSpec) string {
		s.ThisUpdate, s.NextUpdate = now, now.Add(time.Hour)
		return writeFile(t, filepath.Join(dir, name), mustCRL(t, pki, s))
	}
	revokesInd := delta("delta-ind.crl", testpki.CRLSpec{Number: 5, Base: 4, Revoked: []*big.Int{ind.SerialNumber}})
	futureBase := delta("delta-future.crl", testpki.CRLSpec{Number: 9, Base: 8, Revoked: []*big.Int{ind.SerialNumber}})
	oldDelta := delta("delta-old.crl", testpki.CRLSpec{Number: 3, Base: 2, Revoked: []*big.Int{ind.SerialNumber}})
	removes := delta("delta-remove.crl", testpki.CRLSpec{Number: 5, Base: 4, Removed: []*big.Int{rev.SerialNumber}})
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	tests := []struct {
		name      string
		locations []string
		ind, rev  certs.RevocationStatus
	}{
		{"full from file", []string{full}, certs.StatusGood, certs.StatusRevoked},
		{"full from URL", []string{srv.URL + "/full.crl"}, certs.StatusGood, certs.StatusRevoked},
		{"testpki full and delta", []string{pki.Path("crl", "full.crl"), pki.Path("crl", "delta.crl")}, certs.StatusGood, certs.StatusRevoked},
		{"delta applied", []string{full, revokesInd}, certs.StatusRevoked, certs.StatusRevoked},
		{"delta from URL applied", []string{srv.URL + "/full.crl", srv.URL + "/delta-ind.crl"}, certs.StatusRevoked, certs.StatusRevoked},
		{"delta on a later base ignored", []string{full, futureBase}, certs.StatusGood, certs.StatusRevoked},
		{"delta older than full ignored", []string{full, oldDelta}, certs.StatusGood, certs.StatusRevoked},
		{"delta removeFromCRL", []string{full, removes}, certs.StatusGood, certs.StatusGood},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := certs.NewCRLSource(pki.Intermediates(), tt.locations...)
			if err := s.Refresh(t.Context()); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name string
				want certs.RevocationStatus
				st   func() (certs.RevocationStatus, error)
			}{
				{"individual", tt.ind, func() (certs.RevocationStatus, error) { return s.Status(t.Context(), ind, pki.Intermediate, now) }},
				{"revoked", tt.rev, func() (certs.RevocationStatus, error) { return s.Status(t.Context(), rev, pki.Intermediate, now) }},
			} {
				if got, err := c.st(); got != c.want || err != nil {
					t.Errorf("%s: %v (%v), want %v", c.name, got, err, c.want)
				}
			}
			if s.Stale(now) {
				t.Error("Stale(now) = true")
			}
		})
	}
}

func TestCRLSourceRefused(t *testing.T) {
	dir := t.TempDir()
	good := mustCRL(t, pki, testpki.CRLSpec{Number: 1, ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour)})
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)-5] ^= 0xff
	tests := []struct {
		name string
		der  []byte
	}{
		{"wrong signer, same issuer name", mustCRL(t, otherPKI, testpki.CRLSpec{Number: 7, ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour)})},
		{"signature bytes altered", flipped},
		{"issued by the root", mustCRL(t, pki, testpki.CRLSpec{Number: 1, ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour), Issuer: pki.Root, Signer: pki.RootKey})},
		{"not a CRL", []byte("hello")},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(dir, string(rune('a'+i))+".crl"), tt.der)
			s := certs.NewCRLSource(pki.Intermediates(), path)
			if err := s.Refresh(t.Context()); err == nil {
				t.Fatal("Refresh accepted the CRL")
			}
			st, err := s.Status(t.Context(), pki.Leaves[testpki.Individual].Cert, pki.Intermediate, now)
			if st != certs.StatusUnknown || !errors.Is(err, certs.ErrNotCovered) {
				t.Errorf("status %v, %v; want unknown, not covered", st, err)
			}
			if !s.Stale(now) {
				t.Error("Stale = false with no CRL")
			}
		})
	}
}

func TestCRLSourceStale(t *testing.T) {
	s := crlSource(t)
	tests := []struct {
		name  string
		at    time.Time
		stale bool
	}{
		{"fresh", now.Add(30 * time.Minute), false},
		{"delta past NextUpdate", now.Add(90 * time.Minute), true},
		{"full past NextUpdate", now.Add(25 * time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Stale(tt.at); got != tt.stale {
				t.Errorf("Stale = %v", got)
			}
			st, err := s.Status(t.Context(), pki.Leaves[testpki.Individual].Cert, pki.Intermediate, tt.at)
			if tt.stale && (st != certs.StatusUnknown || !errors.Is(err, certs.ErrStale)) {
				t.Errorf("stale CRL said %v (%v)", st, err)
			}
			if !tt.stale && st != certs.StatusGood {
				t.Errorf("fresh CRL said %v (%v)", st, err)
			}
		})
	}
}

// crlServer serves whatever CRL was last set.
type crlServer struct {
	mu  sync.Mutex
	der []byte
}

func (c *crlServer) set(b []byte) { c.mu.Lock(); c.der = b; c.mu.Unlock() }

func (c *crlServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w.Write(c.der)
}

func TestCRLSourceRun(t *testing.T) {
	ind := pki.Leaves[testpki.Individual].Cert
	spec := func(n int64, revoked ...*big.Int) testpki.CRLSpec {
		return testpki.CRLSpec{Number: n, ThisUpdate: now, NextUpdate: now.Add(24 * time.Hour), Revoked: revoked}
	}
	cs := &crlServer{}
	cs.set(mustCRL(t, pki, spec(1)))
	srv := httptest.NewServer(cs)
	defer srv.Close()
	s := certs.NewCRLSource(pki.Intermediates(), srv.URL+"/full.crl")
	errs := make(chan error, 100)
	s.OnError = func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go s.Run(ctx, 10*time.Millisecond)

	waitStatus(t, s, certs.StatusGood)
	cs.set(mustCRL(t, pki, spec(2, ind.SerialNumber)))
	waitStatus(t, s, certs.StatusRevoked)

	// A replayed older CRL is refused and the newer one stays.
	cs.set(mustCRL(t, pki, spec(1)))
	select {
	case err := <-errs:
		t.Logf("refused as expected: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("rollback not reported")
	}
	if st, _ := s.Status(t.Context(), ind, pki.Intermediate, now); st != certs.StatusRevoked {
		t.Fatalf("after rollback attempt: %v", st)
	}
}

func waitStatus(t *testing.T, s *certs.CRLSource, want certs.RevocationStatus) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if st, _ := s.Status(t.Context(), pki.Leaves[testpki.Individual].Cert, pki.Intermediate, now); st == want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("status never became %v", want)
}

func TestCRLSourcePEM(t *testing.T) {
	der, err := os.ReadFile(pki.Path("crl", "full.crl"))
	if err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, filepath.Join(t.TempDir(), "full.pem"), pemBlock("X509 CRL", der))
	s := certs.NewCRLSource(pki.Intermediates(), p)
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Status(t.Context(), pki.Leaves[testpki.Revoked].Cert, pki.Intermediate, now); st != certs.StatusRevoked {
		t.Fatalf("%v %v", st, err)
	}
}
