package soap

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/signing"
)

// Kind says which channel a fault answers.
type Kind int

// Channels a fault can answer.
const (
	Sync  Kind = iota // ISyncChannel.SendMessage
	Async             // IAsyncChannelClient.sendMessage and changeMassageStatusNotification
)

// ResponseInfo is the responseInfo of a SendMessageResponse.
type ResponseInfo struct {
	MessageID     string // our id for the response
	CorrelationID string // the request's messageId
	ResponseDate  time.Time
	StatusCode    string // adapter.StatusSuccess when the call was handled
	StatusMessage string // at most 250 characters; longer is cut
	SessionID     string // the request's sessionId, optional
}

// AsyncResponseInfo is the response of IAsyncChannelClient.sendMessage,
// sent once the request is stored.
type AsyncResponseInfo struct {
	MessageID     string // our id for the acknowledgement
	CorrelationID string // the request's messageId
	ResponseDate  time.Time
	SessionID     string // optional
}

// newEnvelope returns a document with a SOAP 1.1 Envelope and its Body.
func newEnvelope() (*etree.Document, *etree.Element) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	env := doc.CreateElement("soap:Envelope")
	env.CreateAttr("xmlns:soap", NSEnvelope)
	return doc, env.CreateElement("soap:Body")
}

func bytesOf(op string, doc *etree.Document) ([]byte, error) {
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, adapter.Wrap(adapter.CodeInternal, op, err, "cannot write envelope")
	}
	return b, nil
}

func leaf(parent *etree.Element, name, text string) *etree.Element {
	el := parent.CreateElement(name)
	el.SetText(text)
	return el
}

func checkSession(op, id string) error {
	if id != "" && !ValidSessionID(id) {
		return adapter.Errorf(adapter.CodeInternal, op, "sessionId is not a braced GUID")
	}
	return nil
}

// SyncResponse returns a SendMessageResponse envelope. data is the
// responseData/data element, or the service document to put inside a plain
// data element; nil leaves responseData out. data is copied, not moved.
func SyncResponse(info ResponseInfo, data *etree.Element) ([]byte, error) {
	const op = "soap.SyncResponse"
	if info.MessageID == "" || info.StatusCode == "" {
		return nil, adapter.Errorf(adapter.CodeInternal, op, "messageId and status code are required")
	}
	if err := checkSession(op, info.SessionID); err != nil {
		return nil, err
	}
	doc, body := newEnvelope()
	root := body.CreateElement("ns2:" + "SendMessageResponse")
	root.CreateAttr("xmlns:ns2", NSSync)
	resp := root.CreateElement("response")
	ri := resp.CreateElement("responseInfo")
	leaf(ri, "messageId", info.MessageID)
	if info.CorrelationID != "" {
		leaf(ri, "correlationId", info.CorrelationID)
	}
	leaf(ri, "responseDate", FormatDateTime(info.ResponseDate))
	st := ri.CreateElement("status")
	leaf(st, "code", info.StatusCode)
	leaf(st, "message", cut(info.StatusMessage, maxStatusMsg))
	if info.SessionID != "" {
		leaf(ri, "sessionId", info.SessionID)
	}
	if data != nil {
		resp.CreateElement("responseData").AddChild(dataElement(data))
	}
	return bytesOf(op, doc)
}

// AsyncResponse returns a sendMessageResponse envelope acknowledging a
// stored sendMessage.
func AsyncResponse(info AsyncResponseInfo) ([]byte, error) {
	const op = "soap.AsyncResponse"
	if info.MessageID == "" || info.CorrelationID == "" {
		return nil, adapter.Errorf(adapter.CodeInternal, op, "messageId and correlationId are required")
	}
	if err := checkSession(op, info.SessionID); err != nil {
		return nil, err
	}
	doc, body := newEnvelope()
	root := body.CreateElement("ns2:sendMessageResponse")
	root.CreateAttr("xmlns:ns2", NSAsync)
	resp := root.CreateElement("response")
	leaf(resp, "messageId", info.MessageID)
	leaf(resp, "correlationId", info.CorrelationID)
	leaf(resp, "responseDate", FormatDateTime(info.ResponseDate))
	if info.SessionID != "" {
		leaf(resp, "sessionId", info.SessionID)
	}
	return bytesOf(op, doc)
}

// NotificationResponse returns the (empty) changeMassageStatusNotificationResponse envelope.
func NotificationResponse() []byte {
	doc, body := newEnvelope()
	root := body.CreateElement("ns2:" + OpNotification + "Response")
	root.CreateAttr("xmlns:ns2", NSAsyncClient)
	b, _ := doc.WriteToBytes() // writing to memory cannot fail
	return b
}

// AsyncMessage returns the sendMessage envelope we send to the gateway's
// IAsyncChannel: a RESPONSE with a result or a NOTIFICATION of a status
// change. r.Data is the messageData/data element or the document to put in
// one; it is copied. correlationId is required for every type but REQUEST.
func AsyncMessage(r *AsyncRequest) ([]byte, error) {
	const op = "soap.AsyncMessage"
	switch {
	case r.ServiceID == "" || r.SenderID == "":
		return nil, adapter.Errorf(adapter.CodeInternal, op, "serviceId and senderId are required")
	case r.MessageType != TypeRequest && r.MessageType != TypeNotification && r.MessageType != TypeUpdate && r.MessageType != TypeResponse:
		return nil, adapter.Errorf(adapter.CodeInternal, op, "unknown messageType %q", r.MessageType)
	case r.MessageType != TypeRequest && r.CorrelationID == "":
		return nil, adapter.Errorf(adapter.CodeInternal, op, "correlationId is required for messageType %s", r.MessageType)
	case r.Data == nil:
		return nil, adapter.Errorf(adapter.CodeInternal, op, "data is required")
	}
	if err := checkOutgoing(op, r.SessionID, r.Properties); err != nil {
		return nil, err
	}
	doc, body := newEnvelope()
	root := body.CreateElement("ns2:sendMessage")
	root.CreateAttr("xmlns:ns2", NSAsync)
	req := root.CreateElement("request")
	mi := req.CreateElement("messageInfo")
	opt := func(name, v string) {
		if v != "" {
			leaf(mi, name, v)
		}
	}
	opt("messageId", r.MessageID)
	opt("correlationId", r.CorrelationID)
	leaf(mi, "serviceId", r.ServiceID)
	leaf(mi, "messageType", r.MessageType)
	opt("routeId", r.RouteID)
	leaf(mi, "messageDate", FormatDateTime(r.MessageDate))
	writeSenderAndTail(mi, r.SenderID, r.Password, r.Properties, r.SessionID)
	req.CreateElement("messageData").AddChild(dataElement(r.Data))
	return bytesOf(op, doc)
}

// dataElement returns a detached copy of el if it is an unqualified data
// element, else a new data element holding a detached copy of el.
func dataElement(el *etree.Element) *etree.Element {
	if el.Tag == "data" && el.NamespaceURI() == "" {
		return signing.Detach(el)
	}
	d := etree.NewElement("data")
	d.AddChild(signing.Detach(el))
	return d
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// faultText is the errorMessage that explains each gateway code.
var faultText = map[string]string{
	adapter.FaultFormat:              "Message does not match the format",
	adapter.FaultUnknownService:      "Unknown service",
	adapter.FaultTransportNotCurrent: "Transport signature certificate is not current",
	adapter.FaultTransportInvalid:    "Transport signature is invalid",
	adapter.FaultTransportMissing:    "Transport signature is missing",
	adapter.FaultDataNotCurrent:      "Data signature certificate is not current",
	adapter.FaultDataInvalid:         "Data signature is invalid",
	adapter.FaultDataMissing:         "Data signature is missing",
	adapter.FaultInternal:            "Internal error",
}

// Fault returns a SOAP 1.1 Fault envelope for e: faultcode soap:Server for
// SCE909 (retryable, nothing stored) and soap:Client otherwise; faultstring
// is e.Message; detail holds the channel's ErrorInfo element with
// errorCode e.FaultCode() and a subError carrying e.SubCode() and
// e.Message. e.Err is never written: causes may hold secrets. A sessionID
// that is no braced GUID is left out so the fault stays valid. A nil e is
// an internal error.
func Fault(kind Kind, e *adapter.Error, at time.Time, sessionID string) []byte {
	if e == nil {
		e = &adapter.Error{Code: adapter.CodeInternal}
	}
	code := e.FaultCode()
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = faultText[code]
	}
	doc, body := newEnvelope()
	f := body.CreateElement("soap:Fault")
	if code == adapter.FaultInternal {
		leaf(f, "faultcode", "soap:Server")
	} else {
		leaf(f, "faultcode", "soap:Client")
	}
	leaf(f, "faultstring", msg)
	detail := f.CreateElement("detail")
	var info *etree.Element
	if kind == Async {
		info = detail.CreateElement("ns2:sendMessageFault1_sendMessageFault")
		info.CreateAttr("xmlns:ns2", NSAsync)
	} else {
		info = detail.CreateElement("ns2:SendMessageFault1_SendMessageFault")
		info.CreateAttr("xmlns:ns2", NSSync)
	}
	date := FormatDateTime(at)
	leaf(info, "errorCode", code)
	leaf(info, "errorMessage", faultText[code])
	leaf(info, "errorDate", date)
	sub := info.CreateElement("subError")
	leaf(sub, "errorCode", e.SubCode())
	leaf(sub, "errorMessage", msg)
	leaf(sub, "errorDate", date)
	if ValidSessionID(sessionID) {
		leaf(info, "sessionId", sessionID)
	}
	b, _ := doc.WriteToBytes() // writing to memory cannot fail
	return b
}

// checkOutgoing checks the sessionId and properties of a message we build.
func checkOutgoing(op, sessionID string, props []Property) error {
	if err := checkSession(op, sessionID); err != nil {
		return err
	}
	for _, p := range props {
		if utf8.RuneCountInString(p.Key) > maxPropertyKey || utf8.RuneCountInString(p.Value) > maxPropertyVal {
			return adapter.Errorf(adapter.CodeInternal, op, "property %q too long", cut(p.Key, maxPropertyKey))
		}
	}
	return nil
}

// writeSenderAndTail writes what both channels' message info end with, in
// the contract's order: sender, properties, sessionId.
func writeSenderAndTail(info *etree.Element, senderID, password string, props []Property, sessionID string) {
	s := info.CreateElement("sender")
	leaf(s, "senderId", senderID)
	if password != "" {
		leaf(s, "password", password)
	}
	for _, p := range props {
		pe := info.CreateElement("properties")
		leaf(pe, "key", p.Key)
		leaf(pe, "value", p.Value)
	}
	if sessionID != "" {
		leaf(info, "sessionId", sessionID)
	}
}
