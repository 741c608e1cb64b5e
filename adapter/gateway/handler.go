package gateway

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/periodical"
	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// Handler serves the gateway's SOAP endpoints: POST runs the ingest
// pipeline, GET ?wsdl / ?xsd=NAME publishes the contract.
type Handler struct {
	Ingest   *Ingest
	Log      *slog.Logger
	MaxBytes int64 // body bound; larger bodies are refused unread
	Metrics  *Metrics
	// InFlight bounds the body bytes being processed at once. Parsing and
	// verifying cost many times a body's size in memory, so this is what
	// keeps a burst of large requests from exhausting it. Nil: no bound.
	InFlight *InFlight
}

// Sync is the synchronous channel provider (ISyncChannel.SendMessage).
func (h *Handler) Sync() http.Handler {
	return h.endpoint(soap.Sync, soap.WSDLHandler(soap.WSDLSync, soap.RequestAddress))
}

// Async is the participant side of the asynchronous channel
// (IAsyncChannelClient: sendMessage, changeMassageStatusNotification).
func (h *Handler) Async() http.Handler {
	return h.endpoint(soap.Async, soap.WSDLHandler(soap.WSDLAsyncClient, soap.RequestAddress))
}

func (h *Handler) endpoint(kind soap.Kind, contract http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			contract.ServeHTTP(w, r)
		case http.MethodPost:
			h.serve(kind, w, r)
		default:
			w.Header().Set("Allow", "GET, POST")
			http.Error(w, "use POST for SOAP calls, GET ?wsdl for the contract", http.StatusMethodNotAllowed)
		}
	})
}

func (h *Handler) serve(kind soap.Kind, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	// A declared length takes its share before the body is read, so many
	// large uploads cannot pile up; an undeclared one (chunked) after, by
	// its real size, so it is not charged the whole limit.
	var release func()
	take := func(n int64) bool {
		var err error
		if release, err = h.InFlight.take(r.Context(), n); err != nil {
			h.fault(kind, w, r, adapter.AsError(err), start)
			return false
		}
		return true
	}
	if r.ContentLength > 0 && !take(min(r.ContentLength, h.MaxBytes)) {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.MaxBytes))
	if err != nil {
		if release != nil {
			release()
		}
		var tooBig *http.MaxBytesError
		e := adapter.Wrap(adapter.CodeMalformed, "gateway.read", err, "the message could not be read")
		if errors.As(err, &tooBig) {
			e.Message, e.Reason = fmt.Sprintf("the message is larger than %d bytes", h.MaxBytes), string(dsig.ReasonTooLarge)
		}
		h.fault(kind, w, r, e, start)
		return
	}
	if release == nil && !take(int64(len(body))) {
		return
	}
	defer release()
	doc, err := h.Ingest.Parse(body)
	if err != nil {
		h.fault(kind, w, r, adapter.AsError(err), start)
		return
	}
	if kind == soap.Async && soap.Operation(doc) == soap.OpNotification {
		h.notification(w, r, doc, start)
		return
	}
	out, err := h.Ingest.Accept(r.Context(), body, doc, peerCert(r))
	if err != nil {
		h.fault(kind, w, r, adapter.AsError(err), start)
		return
	}
	resp, err := h.ack(kind, out.Request)
	if err != nil {
		h.fault(kind, w, r, adapter.AsError(err), start)
		return
	}
	h.Log.Info("request accepted", "messageId", out.Request.MessageID, "number", out.Request.Number,
		"sender", out.Request.SenderID, "created", out.Created, "ms", time.Since(start).Milliseconds())
	h.Metrics.observe(kind, outcomeLabel(out.Created), start)
	writeXML(w, http.StatusOK, resp)
}

// ack is the acknowledgement of a stored request. It is built only from the
// stored record, so a retry of the same message gets the same answer.
func (h *Handler) ack(kind soap.Kind, req *adapter.Request) ([]byte, error) {
	ackID := AckID(req.MessageID, req.Number)
	if kind == soap.Async {
		return soap.AsyncResponse(soap.AsyncResponseInfo{MessageID: ackID, CorrelationID: req.MessageID, ResponseDate: req.ReceivedAt, SessionID: req.SessionID})
	}
	data, err := periodical.StatusAnswerElement(&periodical.StatusAnswer{
		ApplicantID: req.ApplicantID, RequestNumber: req.Number, ServiceID: req.ServiceID,
		Status: adapter.StatusReceived, Deadline: req.Deadline,
		History: []periodical.Step{{Code: "RECEIVED", StartedAt: req.ReceivedAt, FinishedAt: req.ReceivedAt}},
	})
	if err != nil {
		return nil, err
	}
	return soap.SyncResponse(soap.ResponseInfo{
		MessageID: ackID, CorrelationID: req.MessageID, ResponseDate: req.ReceivedAt,
		StatusCode: adapter.StatusSuccess, StatusMessage: "accepted as " + req.Number, SessionID: req.SessionID,
	}, data)
}

// AckID derives the acknowledgement's messageId from the request's
// messageId and number, so the answer to a retried message is the same.
func AckID(messageID, number string) string {
	s := sha256.Sum256([]byte("shepadapter-ack\x00" + messageID + "\x00" + number))
	s[6] = s[6]&0x0f | 0x50 // RFC 4122 name-based layout
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

func (h *Handler) fault(kind soap.Kind, w http.ResponseWriter, r *http.Request, e *adapter.Error, start time.Time) {
	level := slog.LevelWarn
	if e.Code == adapter.CodeInternal || e.Code == adapter.CodeUnavailable {
		level = slog.LevelError
	}
	// e.Error() carries the cause for operators; it holds no password or
	// document content (the pipeline never puts them in errors).
	h.Log.Log(r.Context(), level, "request refused", "code", e.Code, "fault", e.FaultCode(), "reason", e.Reason,
		"remote", r.RemoteAddr, "error", e.Error())
	h.Metrics.observe(kind, string(e.Code), start)
	// SOAP 1.1 answers a fault with HTTP 500 whatever its cause.
	writeXML(w, http.StatusInternalServerError, soap.Fault(kind, e, h.Ingest.Clock.Now(), ""))
}

func writeXML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func peerCert(r *http.Request) *x509.Certificate {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return nil
	}
	return r.TLS.PeerCertificates[0]
}

func outcomeLabel(created bool) string {
	if created {
		return "accepted"
	}
	return "duplicate"
}

func (h *Handler) notification(w http.ResponseWriter, r *http.Request, doc *etree.Document, start time.Time) {
	n, err := h.Ingest.Notification(r.Context(), doc)
	if err != nil {
		h.fault(soap.Async, w, r, adapter.AsError(err), start)
		return
	}
	h.Log.Info("delivery notification", "notificationId", n.NotificationID, "messageId", n.MessageID, "state", n.MessageState)
	h.Metrics.observe(soap.Async, "notification", start)
	writeXML(w, http.StatusOK, soap.NotificationResponse())
}
