package dsig

import "fmt"

// Reason is a stable, kebab-case code for why a document or signature was
// refused; callers map it to gateway faults and must not match on text.
type Reason string

// Reasons returned in *Error.
const (
	ReasonMissing              Reason = "signature-missing"
	ReasonMalformed            Reason = "signature-malformed"
	ReasonMalformedXML         Reason = "malformed-xml"
	ReasonDTD                  Reason = "dtd-forbidden"
	ReasonTooLarge             Reason = "too-large"
	ReasonTooDeep              Reason = "too-deep"
	ReasonTooManyElements      Reason = "too-many-elements"
	ReasonTooManyAttributes    Reason = "too-many-attributes"
	ReasonDigestMismatch       Reason = "digest-mismatch"
	ReasonBadSignature         Reason = "signature-value-invalid"
	ReasonUnsupportedAlgorithm Reason = "unsupported-algorithm"
	ReasonGOST                 Reason = "gost-not-supported"
	ReasonWeakAlgorithm        Reason = "weak-algorithm"
	ReasonWrapping             Reason = "signature-wrapping"
	ReasonDuplicateID          Reason = "duplicate-id"
	ReasonTooManyReferences    Reason = "too-many-references"
	ReasonTooManyTransforms    Reason = "too-many-transforms"
	ReasonNoCertificate        Reason = "no-certificate"
	ReasonUnsupportedKeyInfo   Reason = "unsupported-keyinfo"
	ReasonBodyNotSigned        Reason = "body-not-signed"
)

// Error is the only error type this package returns for refused input.
type Error struct {
	Reason Reason
	Detail string
	Err    error
}

// Error renders the reason, the detail and the cause.
func (e *Error) Error() string {
	s := "dsig: " + string(e.Reason)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

func errorf(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...)}
}

func wrap(r Reason, detail string, err error) *Error {
	return &Error{Reason: r, Detail: detail, Err: err}
}
