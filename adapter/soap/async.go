package soap

import (
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
)

// Message types of the asynchronous channel.
const (
	TypeRequest      = "REQUEST"
	TypeNotification = "NOTIFICATION"
	TypeUpdate       = "UPDATE"
	TypeResponse     = "RESPONSE"
)

// Message states of changeMassageStatusNotification.
const (
	StateOnDelivery      = "ON_DELIVERY"
	StateDelivered       = "DELIVERED"
	StateNotDelivered    = "NOT_DELIVERED"
	StateDeliveryStopped = "DELIVERY_STOPPED"
)

// AsyncRequest is IAsyncChannel(Client).sendMessage's request: what the
// gateway delivers to us, and what we send it (see AsyncMessage).
type AsyncRequest struct {
	MessageID     string // optional on the wire
	CorrelationID string // required for every MessageType but REQUEST
	ServiceID     string
	MessageType   string // TypeRequest, TypeNotification, TypeUpdate or TypeResponse
	RouteID       string // optional
	MessageDate   time.Time
	SenderID      string
	Password      string // optional; never log
	Properties    []Property
	SessionID     string // optional braced GUID
	// Data is the messageData/data element (in doc when parsed).
	Data *etree.Element
}

// Property returns the value of the first property called key.
func (r *AsyncRequest) Property(key string) (string, bool) {
	return findProperty(r.Properties, key)
}

// ParseAsync checks that doc's Body holds exactly one {NSAsync}sendMessage
// that follows the contract and returns it; errors as for ParseSync.
// correlationId is required unless messageType is REQUEST.
func ParseAsync(doc *etree.Document) (*AsyncRequest, error) {
	const op = "soap.ParseAsync"
	root, err := operationRoot(op, doc, NSAsync, OpAsync)
	if err != nil {
		return nil, err
	}
	top := newCursor(op, OpAsync, root)
	reqEl := top.next("request", true)
	if err := top.end(); err != nil {
		return nil, err
	}
	req := newCursor(op, "request", reqEl)
	infoEl := req.next("messageInfo", true)
	dataEl := req.next("messageData", true)
	if err := req.end(); err != nil {
		return nil, err
	}

	c := newCursor(op, "messageInfo", infoEl)
	r := &AsyncRequest{}
	r.MessageID = strings.TrimSpace(c.leaf("messageId", false, 0))
	r.CorrelationID = strings.TrimSpace(c.leaf("correlationId", false, 0))
	r.ServiceID = strings.TrimSpace(c.leaf("serviceId", true, 0))
	r.MessageType = c.enum("messageType", TypeRequest, TypeNotification, TypeUpdate, TypeResponse)
	r.RouteID = strings.TrimSpace(c.leaf("routeId", false, 0))
	r.MessageDate = c.dateTime("messageDate")
	r.SenderID, r.Password = sender(c)
	r.Properties = properties(c)
	r.SessionID = c.sessionID()
	if err := c.end(); err != nil {
		return nil, err
	}
	if r.MessageType != TypeRequest && r.CorrelationID == "" {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "messageInfo/correlationId is required for messageType %s", r.MessageType)
	}
	if r.Data, err = data(op, "messageData", dataEl); err != nil {
		return nil, err
	}
	return r, nil
}

// ErrorInfo is the contract's ErrorInfo as read from a notification.
// errorData (xsd:anyType) is not read.
type ErrorInfo struct {
	Code      string
	Message   string
	Date      time.Time
	Sub       *ErrorInfo
	SessionID string
}

// Notification is changeMassageStatusNotification's notification: what
// became of a message we sent through the gateway.
type Notification struct {
	NotificationID   string
	MessageID        string // the messageId of our message
	NotificationDate time.Time
	MessageState     string // StateOnDelivery, StateDelivered, …
	StatusCode       string
	StatusMessage    string
	StatusDate       time.Time
	Error            *ErrorInfo // optional
}

// ParseNotification checks that doc's Body holds exactly one
// {NSAsyncClient}changeMassageStatusNotification that follows the
// contract and returns it; errors as for ParseSync.
func ParseNotification(doc *etree.Document) (*Notification, error) {
	const op = "soap.ParseNotification"
	root, err := operationRoot(op, doc, NSAsyncClient, OpNotification)
	if err != nil {
		return nil, err
	}
	top := newCursor(op, OpNotification, root)
	nEl := top.next("notification", true)
	if err := top.end(); err != nil {
		return nil, err
	}
	c := newCursor(op, "notification", nEl)
	n := &Notification{}
	n.NotificationID = strings.TrimSpace(c.leaf("notificationId", true, 0))
	n.MessageID = strings.TrimSpace(c.leaf("messageId", true, 0))
	n.NotificationDate = c.dateTime("notificationDate")
	n.MessageState = c.enum("messageState", StateOnDelivery, StateDelivered, StateNotDelivered, StateDeliveryStopped)
	if st := c.next("status", true); st != nil {
		s := newCursor(op, "notification/status", st)
		n.StatusCode = s.leaf("statusCode", true, 0)
		n.StatusMessage = s.text(s.next("statusMessage", true), 0, false)
		n.StatusDate = s.dateTime("statusDate")
		if err := s.end(); err != nil {
			return nil, err
		}
	}
	if el := c.next("error", false); el != nil {
		n.Error = errorInfo(c, el, "notification/error", 0)
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	return n, nil
}

// errorInfo reads an ErrorInfo element, following subError to a bound.
func errorInfo(parent *cursor, el *etree.Element, path string, depth int) *ErrorInfo {
	if depth > maxErrorDepth {
		parent.fail("%s: subError nested deeper than %d", path, maxErrorDepth)
		return nil
	}
	c := newCursor(parent.op, path, el)
	e := &ErrorInfo{}
	e.Code = c.leaf("errorCode", true, 0)
	e.Message = c.text(c.next("errorMessage", true), 0, false)
	c.next("errorData", false) // xsd:anyType, not read
	e.Date = c.dateTime("errorDate")
	if sub := c.next("subError", false); sub != nil {
		e.Sub = errorInfo(c, sub, path+"/subError", depth+1)
	}
	e.SessionID = c.sessionID()
	if err := c.end(); err != nil {
		parent.err = err
		return nil
	}
	return e
}
