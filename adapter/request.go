package adapter

import (
	"context"
	"fmt"
	"time"
)

// Channel is where an application was filed; the gateway sender tells it.
type Channel string

// The three channels of the regulation.
const (
	ChannelPortal        Channel = "portal"         // e-gov portal (ЭҮП)
	ChannelServiceCentre Channel = "service-centre" // public service centre (ХҚКО)
	ChannelDesk          Channel = "desk"           // the department's own desk
)

// Valid reports whether c is one of the known channels.
func (c Channel) Valid() bool {
	switch c {
	case ChannelPortal, ChannelServiceCentre, ChannelDesk:
		return true
	}
	return false
}

// Status is where a request stands in the regulation's steps.
type Status string

// Statuses a request moves through.
const (
	StatusReceived Status = "RECEIVED" // stored and acknowledged, waiting for the back-office
	StatusInWork   Status = "IN_WORK"  // taken into work by an employee
	StatusIssued   Status = "ISSUED"   // registration certificate issued
	StatusRefused  Status = "REFUSED"  // reasoned refusal issued
)

// Signer is the verified identity behind one signature of a request.
type Signer struct {
	Layer        string    `json:"layer"` // "transport" or "data"
	Subject      string    `json:"subject"`
	Issuer       string    `json:"issuer"`
	SerialNumber string    `json:"serialNumber"` // certificate serial, hex
	IIN          string    `json:"iin,omitempty"`
	BIN          string    `json:"bin,omitempty"`
	CommonName   string    `json:"commonName,omitempty"`
	Organisation string    `json:"organisation,omitempty"`
	Roles        []string  `json:"roles,omitempty"` // role OIDs from the EKU
	NotAfter     time.Time `json:"notAfter"`
}

// Request is one application as accepted from the gateway. Everything the
// adapter later needs as evidence (the raw envelope, the verified signers) is
// kept with it.
type Request struct {
	Number        string    `json:"number"` // our request number, assigned by the store
	MessageID     string    `json:"messageId"`
	CorrelationID string    `json:"correlationId,omitempty"`
	SessionID     string    `json:"sessionId,omitempty"`
	ServiceID     string    `json:"serviceId"`
	SenderID      string    `json:"senderId"`
	Channel       Channel   `json:"channel"`
	ApplicantID   string    `json:"applicantId"` // IIN or BIN from the application
	MessageDate   time.Time `json:"messageDate"`
	ReceivedAt    time.Time `json:"receivedAt"`
	Deadline      time.Time `json:"deadline"`
	Status        Status    `json:"status"`
	// ContentHash is the SHA-256 (hex) of the raw SOAP Body, used to tell a
	// retry of the same message from a different message reusing its ID.
	ContentHash string   `json:"contentHash"`
	Envelope    []byte   `json:"envelope"`    // the signed envelope exactly as received
	Application []byte   `json:"application"` // the verified application document
	Signers     []Signer `json:"signers"`
}

// Store keeps accepted requests durably. Accept is atomic: a request is
// either wholly stored (record, messageId index, queue entry) or not at all.
type Store interface {
	// Accept stores r, assigning r.Number, unless a request with the same
	// MessageID exists: then it returns the stored one and created=false, or
	// an *Error with CodeReplayConflict when the content differs.
	Accept(ctx context.Context, r *Request) (stored *Request, created bool, err error)
	// Get returns the request with the given number or CodeNotFound.
	Get(ctx context.Context, number string) (*Request, error)
	// GetByMessageID returns the request with the given messageId or CodeNotFound.
	GetByMessageID(ctx context.Context, messageID string) (*Request, error)
	// Ping reports whether the store can take writes now.
	Ping(ctx context.Context) error
	// Close flushes and releases the store.
	Close() error
}

// Clock is the time source; injected so tests are deterministic.
type Clock interface{ Now() time.Time }

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// FormatNumber makes the request number shown to applicants from the year
// of receipt and the store's sequence: ISB-2026-0000042.
func FormatNumber(year int, seq int64) string {
	return fmt.Sprintf("ISB-%04d-%07d", year, seq)
}

// CheckStorable refuses a request no store may keep: a programming error,
// reported as CodeInternal.
func CheckStorable(op string, r *Request) error {
	switch {
	case r == nil:
		return Errorf(CodeInternal, op, "nil request")
	case r.MessageID == "":
		return Errorf(CodeInternal, op, "request without messageId")
	case r.ReceivedAt.IsZero():
		return Errorf(CodeInternal, op, "request without receipt time")
	}
	return nil
}
