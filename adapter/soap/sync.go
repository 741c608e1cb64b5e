package soap

import (
	"strings"
	"time"

	"github.com/beevik/etree"
)

// Property is one requestInfo/properties entry.
type Property struct {
	Key   string // at most 30 characters
	Value string // at most 500 characters
}

// SyncRequest is ISyncChannel.SendMessage's request as received.
type SyncRequest struct {
	MessageID     string
	CorrelationID string // optional
	ServiceID     string
	MessageDate   time.Time
	RouteID       string // optional
	SenderID      string
	Password      string // optional; compare in constant time, never log
	Properties    []Property
	SessionID     string // optional braced GUID
	// Data is the requestData/data element, still inside doc: its
	// signatures are verified on this very tree.
	Data *etree.Element
}

// Property returns the value of the first property called key.
func (r *SyncRequest) Property(key string) (string, bool) {
	return findProperty(r.Properties, key)
}

func findProperty(ps []Property, key string) (string, bool) {
	for _, p := range ps {
		if p.Key == key {
			return p.Value, true
		}
	}
	return "", false
}

// ParseSync checks that doc (already parsed with the server's bounds) is a
// SOAP 1.1 envelope whose Body holds exactly one {NSSync}SendMessage that
// follows the contract, and returns its content. Errors are *adapter.Error:
// CodeMalformed when doc is no SOAP 1.1 envelope, CodeSchema naming the
// field and what is wrong otherwise.
//
// Stricter than the XSD on purpose: messageId, serviceId and senderId must
// not be empty, since idempotency and routing depend on them.
func ParseSync(doc *etree.Document) (*SyncRequest, error) {
	const op = "soap.ParseSync"
	root, err := operationRoot(op, doc, NSSync, OpSync)
	if err != nil {
		return nil, err
	}
	top := newCursor(op, OpSync, root)
	reqEl := top.next("request", true)
	if err := top.end(); err != nil {
		return nil, err
	}
	req := newCursor(op, "request", reqEl)
	infoEl := req.next("requestInfo", true)
	dataEl := req.next("requestData", true)
	if err := req.end(); err != nil {
		return nil, err
	}

	c := newCursor(op, "requestInfo", infoEl)
	r := &SyncRequest{}
	r.MessageID = strings.TrimSpace(c.leaf("messageId", true, 0))
	r.CorrelationID = strings.TrimSpace(c.leaf("correlationId", false, 0))
	r.ServiceID = strings.TrimSpace(c.leaf("serviceId", true, 0))
	r.MessageDate = c.dateTime("messageDate")
	r.RouteID = strings.TrimSpace(c.leaf("routeId", false, 0))
	r.SenderID, r.Password = sender(c)
	r.Properties = properties(c)
	r.SessionID = c.sessionID()
	if err := c.end(); err != nil {
		return nil, err
	}
	if r.Data, err = data(op, "requestData", dataEl); err != nil {
		return nil, err
	}
	return r, nil
}

// sender reads the sender{senderId, password?} child.
func sender(c *cursor) (id, password string) {
	el := c.next("sender", true)
	if c.err != nil {
		return "", ""
	}
	s := newCursor(c.op, c.path+"/sender", el)
	id = strings.TrimSpace(s.leaf("senderId", true, 0))
	password = s.leaf("password", false, 0)
	if err := s.end(); err != nil {
		c.err = err
	}
	return id, password
}

// properties reads the repeated properties{key, value} children.
func properties(c *cursor) []Property {
	var out []Property
	for i, el := range c.all("properties") {
		p := newCursor(c.op, c.path+"/properties", el)
		k := p.next("key", true)
		v := p.next("value", true)
		if p.err == nil && len([]rune(k.Text())) > maxPropertyKey {
			p.fail("%s/properties[%d]/key is longer than %d characters", c.path, i+1, maxPropertyKey)
		}
		if p.err == nil && len([]rune(v.Text())) > maxPropertyVal {
			p.fail("%s/properties[%d]/value is longer than %d characters", c.path, i+1, maxPropertyVal)
		}
		key, val := p.text(k, 0, false), p.text(v, 0, false)
		if err := p.end(); err != nil {
			c.err = err
			return nil
		}
		out = append(out, Property{Key: key, Value: val})
	}
	return out
}

// data returns the single data child of requestData/messageData.
func data(op, path string, parent *etree.Element) (*etree.Element, error) {
	c := newCursor(op, path, parent)
	el := c.next("data", true)
	if err := c.end(); err != nil {
		return nil, err
	}
	return el, nil
}
