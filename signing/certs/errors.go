package certs

import (
	"errors"
	"fmt"
)

// Reason is a stable, kebab-case cause of a refusal, safe to log and to map
// to gateway codes.
type Reason string

// Reasons a certificate is refused.
const (
	ReasonUntrusted         Reason = "untrusted-chain"           // no chain to a trust anchor
	ReasonExpired           Reason = "certificate-expired"       // leaf or CA past NotAfter
	ReasonNotYetValid       Reason = "certificate-not-yet-valid" // before NotBefore
	ReasonRevoked           Reason = "certificate-revoked"       // OCSP or CRL says revoked
	ReasonRevocationUnknown Reason = "revocation-unknown"        // no source could say good or revoked
	ReasonKeyUsage          Reason = "key-usage"                 // key usage does not allow the purpose
	ReasonAuthKey           Reason = "auth-key-used-to-sign"     // an AUTH key signed a document
	ReasonBadIdentity       Reason = "invalid-iin-bin"           // subject IIN/BIN missing or check digit wrong
)

// Error is a refusal with its Reason, a human-readable detail and the cause.
type Error struct {
	Reason Reason // why, stable
	Detail string // which certificate and what, for logs
	Err    error  // underlying cause, may be nil
}

// Error formats the refusal as "certs: reason: detail: cause".
func (e *Error) Error() string {
	s := "certs: " + string(e.Reason)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// NotCurrent reports whether the certificate is refused for its status in
// time (expired, not yet valid, revoked, status unknown) rather than for
// being invalid: the gateway has separate codes for the two.
func (e *Error) NotCurrent() bool {
	switch e.Reason {
	case ReasonExpired, ReasonNotYetValid, ReasonRevoked, ReasonRevocationUnknown:
		return true
	}
	return false
}

// ReasonOf returns the Reason of the *Error in err's chain, or "" if none.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func refuse(r Reason, err error, format string, args ...any) *Error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...), Err: err}
}
