package certs

import (
	"context"
	"crypto/x509"
	"errors"
	"time"
)

// RevocationStatus is a revocation source's answer about one certificate.
type RevocationStatus int

// Revocation answers. The zero value is not an answer.
const (
	StatusGood RevocationStatus = iota + 1
	StatusRevoked
	StatusUnknown
)

// String returns "good", "revoked" or "unknown".
func (s RevocationStatus) String() string {
	switch s {
	case StatusGood:
		return "good"
	case StatusRevoked:
		return "revoked"
	case StatusUnknown:
		return "unknown"
	}
	return "invalid"
}

// RevocationChecker answers whether cert, issued by issuer, is revoked at at.
// Any failure must be StatusUnknown with a non-nil error, never StatusGood.
type RevocationChecker interface {
	Status(ctx context.Context, cert, issuer *x509.Certificate, at time.Time) (RevocationStatus, error)
}

// Errors wrapped by revocation sources with StatusUnknown.
var (
	// ErrNotCovered: the source has nothing to say about this issuer (no CRL
	// from it, no OCSP responder). Checker tolerates it for intermediates only.
	ErrNotCovered = errors.New("no revocation source covers this certificate")
	// ErrStale: the freshest information is past its NextUpdate.
	ErrStale = errors.New("revocation information is stale")
)

// Chain asks its sources in order (put OCSP before CRLs) and returns the
// first good or revoked answer. It says StatusUnknown only if none answers;
// the error then joins every source's error. Nil entries are skipped.
type Chain []RevocationChecker

// Status implements RevocationChecker.
func (ch Chain) Status(ctx context.Context, cert, issuer *x509.Certificate, at time.Time) (RevocationStatus, error) {
	var errs []error
	covered := false
	for _, src := range ch {
		if src == nil {
			continue
		}
		st, err := src.Status(ctx, cert, issuer, at)
		switch {
		case err == nil && (st == StatusGood || st == StatusRevoked):
			return st, nil
		case errors.Is(err, ErrNotCovered):
			continue
		}
		covered = true
		if err == nil {
			err = errors.New("source answered " + st.String())
		}
		errs = append(errs, err)
	}
	if !covered {
		return StatusUnknown, ErrNotCovered
	}
	return StatusUnknown, errors.Join(errs...)
}
