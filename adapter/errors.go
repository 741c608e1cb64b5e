package adapter

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is our own stable error code; it travels in the fault's subError.
type Code string

// Codes. A new code needs a row in codeTable.
const (
	CodeMalformed        Code = "MALFORMED"        // not well-formed, not SOAP 1.1, DTD, too large or deep
	CodeSchema           Code = "SCHEMA"           // does not match the contract or the service schema
	CodeInvalidIIN       Code = "INVALID_IIN_BIN"  // IIN/BIN check digit or structure wrong
	CodeUnknownService   Code = "UNKNOWN_SERVICE"  // serviceId not served here
	CodeUnknownSender    Code = "UNKNOWN_SENDER"   // senderId not configured
	CodeBadPassword      Code = "BAD_PASSWORD"     // sender password wrong
	CodeClientCert       Code = "CLIENT_CERT"      // TLS client certificate not the pinned one
	CodeMessageDate      Code = "MESSAGE_DATE"     // messageDate outside the accepted window
	CodeReplayConflict   Code = "REPLAY_CONFLICT"  // messageId reused with other content
	CodeIdentityMismatch Code = "IIN_BIN_MISMATCH" // applicant IIN/BIN differs from the signer's certificate

	CodeTransportNotCurrent Code = "TRANSPORT_CERT_NOT_CURRENT"
	CodeTransportInvalid    Code = "TRANSPORT_SIGNATURE_INVALID"
	CodeTransportMissing    Code = "TRANSPORT_SIGNATURE_MISSING"
	CodeDataNotCurrent      Code = "DATA_CERT_NOT_CURRENT"
	CodeDataInvalid         Code = "DATA_SIGNATURE_INVALID"
	CodeDataMissing         Code = "DATA_SIGNATURE_MISSING"

	CodeNotFound    Code = "NOT_FOUND"
	CodeUnavailable Code = "UNAVAILABLE" // store cannot confirm; retryable, nothing stored
	CodeInternal    Code = "INTERNAL"
)

// Gateway fault codes (DESIGN §2).
const (
	FaultFormat              = "SCE001"
	FaultUnknownService      = "SCE004"
	FaultTransportNotCurrent = "SCE005"
	FaultTransportInvalid    = "SCE006"
	FaultTransportMissing    = "SCE007"
	FaultDataNotCurrent      = "SCE015"
	FaultDataInvalid         = "SCE016"
	FaultDataMissing         = "SCE017"
	FaultInternal            = "SCE909"
	StatusSuccess            = "SCSS001"
)

type codeInfo struct {
	fault string // gateway fault code
	http  int    // status for the back-office JSON API and the SOAP fault
}

// codeTable is the single map from our codes to gateway faults and HTTP.
var codeTable = map[Code]codeInfo{
	CodeMalformed:           {FaultFormat, http.StatusBadRequest},
	CodeSchema:              {FaultFormat, http.StatusBadRequest},
	CodeInvalidIIN:          {FaultFormat, http.StatusBadRequest},
	CodeUnknownService:      {FaultUnknownService, http.StatusBadRequest},
	CodeUnknownSender:       {FaultFormat, http.StatusForbidden},
	CodeBadPassword:         {FaultFormat, http.StatusForbidden},
	CodeClientCert:          {FaultFormat, http.StatusForbidden},
	CodeMessageDate:         {FaultFormat, http.StatusBadRequest},
	CodeReplayConflict:      {FaultFormat, http.StatusConflict},
	CodeIdentityMismatch:    {FaultDataInvalid, http.StatusBadRequest},
	CodeTransportNotCurrent: {FaultTransportNotCurrent, http.StatusBadRequest},
	CodeTransportInvalid:    {FaultTransportInvalid, http.StatusBadRequest},
	CodeTransportMissing:    {FaultTransportMissing, http.StatusBadRequest},
	CodeDataNotCurrent:      {FaultDataNotCurrent, http.StatusBadRequest},
	CodeDataInvalid:         {FaultDataInvalid, http.StatusBadRequest},
	CodeDataMissing:         {FaultDataMissing, http.StatusBadRequest},
	CodeNotFound:            {FaultFormat, http.StatusNotFound},
	CodeUnavailable:         {FaultInternal, http.StatusServiceUnavailable},
	CodeInternal:            {FaultInternal, http.StatusInternalServerError},
}

// Error is the one domain error. Message is safe to show to the caller;
// Err (the cause) is for logs only.
type Error struct {
	Code    Code
	Message string
	Op      string // what was being done, e.g. "ingest.verifyTransport"
	Reason  string // finer stable reason, e.g. a signing reason; may be empty
	Err     error
}

// Errorf returns an *Error with a formatted safe message.
func Errorf(code Code, op, format string, args ...any) *Error {
	return &Error{Code: code, Op: op, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with cause err.
func Wrap(code Code, op string, err error, msg string) *Error {
	return &Error{Code: code, Op: op, Message: msg, Err: err}
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches on code, so errors.Is(err, &Error{Code: CodeNotFound}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == ""
}

// FaultCode is the gateway fault code for e.
func (e *Error) FaultCode() string { return lookup(e.Code).fault }

// HTTPStatus is the HTTP status for e.
func (e *Error) HTTPStatus() int { return lookup(e.Code).http }

// SubCode is what goes in the fault's subError: our code, then the finer
// reason when there is one.
func (e *Error) SubCode() string {
	if e.Reason != "" {
		return string(e.Code) + "/" + e.Reason
	}
	return string(e.Code)
}

func lookup(c Code) codeInfo {
	if i, ok := codeTable[c]; ok {
		return i
	}
	return codeTable[CodeInternal]
}

// ErrorCode returns the Code of err, or CodeInternal when err is no *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// AsError returns err as an *Error, wrapping anything else as CodeInternal
// with a message that leaks nothing.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, Message: "internal error", Err: err}
}
