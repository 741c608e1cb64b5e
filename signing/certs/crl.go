package certs

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// maxCRLSize bounds a downloaded CRL; the НУЦ full CRL is a few megabytes.
const maxCRLSize = 64 << 20

var oidDeltaCRLIndicator = asn1.ObjectIdentifier{2, 5, 29, 27}

// CRLSource answers revocation from full and delta CRLs read from files or
// http(s) URLs. Each CRL is accepted only if signed by one of Issuers with
// matching issuer name and authority key identifier. Call Refresh (or Run)
// before use; until then every answer is StatusUnknown.
type CRLSource struct {
	// Issuers are the CA certificates whose CRLs are accepted.
	Issuers []*x509.Certificate
	// Locations are file paths or http(s) URLs, full and delta CRLs in any order.
	Locations []string
	// HTTPClient fetches URLs; a client with a 30 s timeout if nil.
	HTTPClient *http.Client
	// OnError, if set, receives Run's refresh errors (for logs and metrics).
	OnError func(error)

	mu    sync.RWMutex
	byLoc map[string]*loadedCRL // last CRL accepted from each location
}

type loadedCRL struct {
	rl     *x509.RevocationList
	issuer *x509.Certificate
	base   *big.Int // BaseCRLNumber for a delta CRL, nil for a full one
}

// NewCRLSource returns a CRLSource for the issuers' CRLs at locations.
func NewCRLSource(issuers []*x509.Certificate, locations ...string) *CRLSource {
	return &CRLSource{Issuers: issuers, Locations: locations}
}

// Refresh reloads every location. A location that fails (unreachable,
// unparsable, wrong signer, older than what we hold) keeps its previous CRL,
// which becomes stale in time; the errors are joined and returned.
func (s *CRLSource) Refresh(ctx context.Context) error {
	var errs []error
	fresh := map[string]*loadedCRL{}
	for _, loc := range s.Locations {
		l, err := s.load(ctx, loc)
		if err != nil {
			errs = append(errs, fmt.Errorf("certs: CRL %s: %w", loc, err))
			continue
		}
		fresh[loc] = l
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byLoc == nil {
		s.byLoc = map[string]*loadedCRL{}
	}
	for loc, l := range fresh {
		// Refuse rollback: a replayed older CRL could hide a revocation.
		if old := s.byLoc[loc]; old != nil && sameIssuer(old, l) && l.rl.Number.Cmp(old.rl.Number) < 0 {
			errs = append(errs, fmt.Errorf("certs: CRL %s: number %v is older than %v held", loc, l.rl.Number, old.rl.Number))
			continue
		}
		s.byLoc[loc] = l
	}
	return errors.Join(errs...)
}

// Run refreshes every interval until ctx is done; call it in a goroutine.
// It refreshes once at start. Errors go to OnError if set.
func (s *CRLSource) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.Refresh(ctx); err != nil {
			if s.OnError != nil {
				s.OnError(err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Stale reports whether no CRL is loaded or any loaded one is past its
// NextUpdate at now; a readiness probe should fail while it is true.
func (s *CRLSource) Stale(now time.Time) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	loaded := 0
	for _, is := range s.Issuers {
		full, delta := s.current(is)
		if full == nil {
			continue // no list for this issuer (a root without a CRL): coverage, not age, and Status says so
		}
		loaded++
		if now.After(full.rl.NextUpdate) || delta != nil && now.After(delta.rl.NextUpdate) {
			return true
		}
	}
	return loaded == 0
}

// Status implements RevocationChecker. A CRL past its NextUpdate at at gives
// StatusUnknown (ErrStale): an old list cannot vouch for a key today.
func (s *CRLSource) Status(_ context.Context, cert, issuer *x509.Certificate, at time.Time) (RevocationStatus, error) {
	s.mu.RLock()
	full, delta := s.current(issuer)
	s.mu.RUnlock()
	if full == nil {
		return StatusUnknown, ErrNotCovered
	}
	if at.After(full.rl.NextUpdate) {
		return StatusUnknown, fmt.Errorf("full CRL %v expired %s: %w", full.rl.Number, full.rl.NextUpdate.Format(time.RFC3339), ErrStale)
	}
	if delta != nil && at.After(delta.rl.NextUpdate) {
		return StatusUnknown, fmt.Errorf("delta CRL %v expired %s: %w", delta.rl.Number, delta.rl.NextUpdate.Format(time.RFC3339), ErrStale)
	}
	revoked := false
	for _, e := range full.rl.RevokedCertificateEntries {
		if e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
			revoked = true
		}
	}
	if delta != nil {
		for _, e := range delta.rl.RevokedCertificateEntries {
			if e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
				revoked = e.ReasonCode != 8 // removeFromCRL lifts a certificateHold
			}
		}
	}
	if revoked {
		return StatusRevoked, nil
	}
	return StatusGood, nil
}

// current picks issuer's newest full CRL and the newest delta based on it
// (BaseCRLNumber ≤ the full CRL's number, CRLNumber above it).
func (s *CRLSource) current(issuer *x509.Certificate) (full, delta *loadedCRL) {
	for _, l := range s.byLoc {
		if !l.issuer.Equal(issuer) || l.base != nil {
			continue
		}
		if full == nil || l.rl.Number.Cmp(full.rl.Number) > 0 {
			full = l
		}
	}
	if full == nil {
		return nil, nil
	}
	for _, l := range s.byLoc {
		if !l.issuer.Equal(issuer) || l.base == nil {
			continue
		}
		if l.base.Cmp(full.rl.Number) <= 0 && l.rl.Number.Cmp(full.rl.Number) > 0 &&
			(delta == nil || l.rl.Number.Cmp(delta.rl.Number) > 0) {
			delta = l
		}
	}
	return full, delta
}

func (s *CRLSource) load(ctx context.Context, loc string) (*loadedCRL, error) {
	b, err := s.fetch(ctx, loc)
	if err != nil {
		return nil, err
	}
	if blk, _ := pem.Decode(b); blk != nil && blk.Type == "X509 CRL" {
		b = blk.Bytes
	}
	rl, err := x509.ParseRevocationList(b)
	if err != nil {
		return nil, err
	}
	if rl.Number == nil {
		return nil, errors.New("CRL has no CRLNumber")
	}
	issuer, err := s.verify(rl)
	if err != nil {
		return nil, err
	}
	l := &loadedCRL{rl: rl, issuer: issuer}
	for _, e := range rl.Extensions {
		if e.Id.Equal(oidDeltaCRLIndicator) {
			l.base = new(big.Int)
			if _, err := asn1.Unmarshal(e.Value, &l.base); err != nil {
				return nil, fmt.Errorf("delta CRL indicator: %w", err)
			}
		}
	}
	return l, nil
}

// verify finds the issuer whose name and key identifier the CRL names and
// checks the signature: a CRL from anyone else could un-revoke a key.
func (s *CRLSource) verify(rl *x509.RevocationList) (*x509.Certificate, error) {
	var errs []error
	for _, is := range s.Issuers {
		if !bytes.Equal(rl.RawIssuer, is.RawSubject) {
			continue
		}
		if len(rl.AuthorityKeyId) > 0 && len(is.SubjectKeyId) > 0 && !bytes.Equal(rl.AuthorityKeyId, is.SubjectKeyId) {
			errs = append(errs, fmt.Errorf("authority key id %x is not %x", rl.AuthorityKeyId, is.SubjectKeyId))
			continue
		}
		if err := rl.CheckSignatureFrom(is); err != nil {
			errs = append(errs, err)
			continue
		}
		return is, nil
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("issuer %q is not a configured CRL issuer", rl.Issuer)
	}
	return nil, errors.Join(errs...)
}

func (s *CRLSource) fetch(ctx context.Context, loc string) ([]byte, error) {
	if !strings.HasPrefix(loc, "http://") && !strings.HasPrefix(loc, "https://") {
		return os.ReadFile(loc)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return nil, err
	}
	hc := s.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return fetchHTTP(hc, req, maxCRLSize)
}

func sameIssuer(a, b *loadedCRL) bool {
	return a.issuer.Equal(b.issuer) && (a.base == nil) == (b.base == nil)
}
