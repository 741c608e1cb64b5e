package gateway

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"time"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/calendar"
	"github.com/isb-region/shepadapter/adapter/periodical"
	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// Ingest is the pipeline every request from the gateway goes through, in the
// order the regulation asks: bound and parse, authenticate the sender,
// transport signature, service, business-data signature, applicant identity,
// payload, messageDate window and replay, then store before acknowledging.
type Ingest struct {
	Senders     *Senders
	Verifier    *signing.Verifier
	Store       adapter.Store
	Calendar    *calendar.Calendar
	Clock       adapter.Clock
	Limits      dsig.Limits
	Services    map[string]bool
	DatePast    time.Duration // how old a messageDate may be
	DateFuture  time.Duration // how far ahead a messageDate may be (clock skew)
	CheckIINBIN bool          // check digits of the applicant's IIN/BIN
}

// message is what the sync and async operations carry, in one shape.
type message struct {
	MessageID, CorrelationID, ServiceID, SessionID string
	SenderID, Password                             string
	MessageDate                                    time.Time
	Data                                           *etree.Element
}

// Outcome is an accepted request and whether this call stored it (false for
// a retry of a message already stored, which gets the original answer).
type Outcome struct {
	Request *adapter.Request
	Created bool
}

// Parse bounds and parses a request body with the signing package's secure
// settings (no DTD, bounded size, depth and element count).
func (in *Ingest) Parse(body []byte) (*etree.Document, error) {
	doc, err := dsig.Parse(body, in.Limits)
	if err != nil {
		return nil, parseError(err)
	}
	return doc, nil
}

// Accept runs the rest of the pipeline on a parsed request; body is kept as
// evidence. Every refusal is an *adapter.Error.
func (in *Ingest) Accept(ctx context.Context, body []byte, doc *etree.Document, peer *x509.Certificate) (*Outcome, error) {
	if err := checkMustUnderstand(doc); err != nil {
		return nil, err
	}
	msg, err := in.parse(doc)
	if err != nil {
		return nil, err
	}
	sender, err := in.Senders.Authenticate(msg.SenderID, msg.Password, peer)
	if err != nil {
		return nil, err
	}
	signers := make([]adapter.Signer, 0, 2)
	if msg, signers, err = in.transport(ctx, doc, msg, sender, signers); err != nil {
		return nil, err
	}
	if !in.Services[msg.ServiceID] {
		return nil, adapter.Errorf(adapter.CodeUnknownService, "gateway.service", "serviceId %q is not served here", msg.ServiceID)
	}
	app, appXML, signer, err := in.application(ctx, msg)
	if err != nil {
		return nil, err
	}
	signers = append(signers, signer)
	return in.store(ctx, body, msg, sender, app, appXML, signers)
}

// parse reads the operation in doc's Body into a message.
func (in *Ingest) parse(doc *etree.Document) (message, error) {
	switch soap.Operation(doc) {
	case soap.OpSync:
		r, err := soap.ParseSync(doc)
		if err != nil {
			return message{}, err
		}
		return message{r.MessageID, r.CorrelationID, r.ServiceID, r.SessionID, r.SenderID, r.Password, r.MessageDate, r.Data}, nil
	case soap.OpAsync:
		r, err := soap.ParseAsync(doc)
		if err != nil {
			return message{}, err
		}
		if r.MessageType != soap.TypeRequest {
			return message{}, adapter.Errorf(adapter.CodeSchema, "gateway.parse", "messageType %s is not accepted here; applications come as REQUEST", r.MessageType)
		}
		if r.MessageID == "" {
			return message{}, adapter.Errorf(adapter.CodeSchema, "gateway.parse", "messageInfo/messageId is required for a REQUEST")
		}
		return message{r.MessageID, r.CorrelationID, r.ServiceID, r.SessionID, r.SenderID, r.Password, r.MessageDate, r.Data}, nil
	}
	if _, _, _, err := soap.Envelope(doc); err != nil {
		return message{}, err // not a SOAP 1.1 envelope: the precise reason
	}
	return message{}, adapter.Errorf(adapter.CodeSchema, "gateway.parse", "the Body holds no SendMessage or sendMessage request")
}

// transport verifies the WS-Security signature when present (and requires it
// when the sender's configuration does). From then on only the verified Body
// is read: the message is parsed again from it.
func (in *Ingest) transport(ctx context.Context, doc *etree.Document, msg message, snd *Sender, signers []adapter.Signer) (message, []adapter.Signer, error) {
	if !signing.HasTransportSignature(doc.Root()) {
		if snd.RequireTransportSignature {
			e := adapter.Errorf(adapter.CodeTransportMissing, "gateway.transport", "the message has no WS-Security signature")
			e.Reason = string(dsig.ReasonMissing)
			return msg, nil, e
		}
		return msg, signers, nil
	}
	res, err := in.Verifier.VerifyTransport(ctx, doc)
	if err != nil {
		return msg, nil, signatureError(err)
	}
	verified, err := in.parse(envelopeOf(res.Element))
	if err != nil {
		return msg, nil, err
	}
	if verified.SenderID != msg.SenderID || verified.MessageID != msg.MessageID {
		// Cannot happen while the Body is found by position; checked so a
		// future change to that rule fails closed.
		e := adapter.Errorf(adapter.CodeTransportInvalid, "gateway.transport", "the signed Body is not the Body that was read")
		e.Reason = "signature-wrapping"
		return msg, nil, e
	}
	verified.Password = msg.Password // the header is not signed; the password is checked already
	return verified, append(signers, signerOf(res)), nil
}

// application verifies the business-data signature and decodes the
// application from the verified element only.
func (in *Ingest) application(ctx context.Context, msg message) (*periodical.Application, []byte, adapter.Signer, error) {
	var none adapter.Signer
	kids := msg.Data.ChildElements()
	if len(kids) != 1 {
		return nil, nil, none, adapter.Errorf(adapter.CodeSchema, "gateway.application", "data must hold exactly one application document, found %d elements", len(kids))
	}
	res, err := in.Verifier.VerifyData(ctx, kids[0])
	if err != nil {
		return nil, nil, none, signatureError(err)
	}
	app, err := periodical.DecodeApplication(res.Element, periodical.Options{CheckIIN: in.CheckIINBIN})
	if err != nil {
		return nil, nil, none, err
	}
	if err := matchApplicant(app, res); err != nil {
		return nil, nil, none, err
	}
	var buf bytes.Buffer
	res.Element.WriteTo(&buf, &etree.WriteSettings{CanonicalEndTags: true, CanonicalText: true, CanonicalAttrVal: true})
	return app, buf.Bytes(), signerOf(res), nil
}

// matchApplicant is the regulation's condition 2: the applicant's IIN (or
// BIN) must be the one in the certificate that signed the application.
func matchApplicant(app *periodical.Application, res *signing.Result) error {
	id := app.ApplicantID()
	certID := res.Identity.IIN
	if app.Applicant.Kind == periodical.KindLegal {
		certID = res.Identity.BIN
	}
	if certID == "" || certID != id {
		e := adapter.Errorf(adapter.CodeIdentityMismatch, "gateway.identity", "the applicant's IIN/BIN %s is not the one in the signer's certificate", id)
		e.Reason = "applicant-not-signer"
		return e
	}
	return nil
}

// store checks the messageDate window and replays, then stores the request.
func (in *Ingest) store(ctx context.Context, body []byte, msg message, snd *Sender, app *periodical.Application, appXML []byte, signers []adapter.Signer) (*Outcome, error) {
	hash := contentHash(msg, snd.ID, appXML)
	// Replays are looked up before the date window, so a gateway retry of an
	// accepted message gets its original answer however late it comes.
	prev, err := in.Store.GetByMessageID(ctx, msg.MessageID)
	switch {
	case err == nil:
		return replay(prev, hash)
	case adapter.ErrorCode(err) != adapter.CodeNotFound:
		return nil, unavailable(err)
	}
	now := in.Clock.Now()
	if msg.MessageDate.Before(now.Add(-in.DatePast)) || msg.MessageDate.After(now.Add(in.DateFuture)) {
		return nil, adapter.Errorf(adapter.CodeMessageDate, "gateway.messageDate", "messageDate %s is outside the accepted window (%s back, %s ahead)", msg.MessageDate.Format(time.RFC3339), in.DatePast, in.DateFuture)
	}
	r := &adapter.Request{
		MessageID: msg.MessageID, CorrelationID: msg.CorrelationID, SessionID: msg.SessionID,
		ServiceID: msg.ServiceID, SenderID: snd.ID, Channel: snd.Channel,
		ApplicantID: app.ApplicantID(), MessageDate: msg.MessageDate,
		ReceivedAt: now, Deadline: in.Calendar.AddWorkingDays(now, 10),
		Status: adapter.StatusReceived, ContentHash: hash,
		Envelope: body, Application: appXML, Signers: signers,
	}
	stored, created, err := in.Store.Accept(ctx, r)
	if err != nil {
		if adapter.ErrorCode(err) == adapter.CodeReplayConflict {
			return nil, err
		}
		return nil, unavailable(err)
	}
	return &Outcome{Request: stored, Created: created}, nil
}

func replay(prev *adapter.Request, hash string) (*Outcome, error) {
	if prev.ContentHash != hash {
		return nil, adapter.Errorf(adapter.CodeReplayConflict, "gateway.replay", "messageId %s was already used for another message", prev.MessageID)
	}
	return &Outcome{Request: prev}, nil
}

// contentHash identifies a message's content for replay detection: the
// service, sender and the verified application, so a gateway retry with a
// fresh transport signature still counts as the same message.
func contentHash(msg message, sender string, appXML []byte) string {
	h := sha256.New()
	for _, s := range []string{msg.ServiceID, sender, msg.MessageID} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write(appXML)
	return hex.EncodeToString(h.Sum(nil))
}

func unavailable(err error) error {
	var e *adapter.Error
	if errors.As(err, &e) && e.Code == adapter.CodeUnavailable {
		return e
	}
	return adapter.Wrap(adapter.CodeUnavailable, "gateway.store", err, "the request could not be stored; nothing was kept, retry later")
}

// Notification takes the gateway's report on a message we sent. The
// transport signature is verified when present; delivery tracking of our
// results builds on this.
func (in *Ingest) Notification(ctx context.Context, doc *etree.Document) (*soap.Notification, error) {
	if signing.HasTransportSignature(doc.Root()) {
		res, err := in.Verifier.VerifyTransport(ctx, doc)
		if err != nil {
			return nil, signatureError(err)
		}
		doc = envelopeOf(res.Element)
	}
	return soap.ParseNotification(doc)
}
