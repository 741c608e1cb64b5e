package soap

import (
	"github.com/isb-region/shepadapter/adapter"
)

// SyncMessage returns the SendMessage envelope a gateway sends to a
// synchronous provider. The adapter never sends one in production; sample
// requests, the load generator and tests do. r.Data is copied.
func SyncMessage(r *SyncRequest) ([]byte, error) {
	const op = "soap.SyncMessage"
	switch {
	case r.MessageID == "" || r.ServiceID == "" || r.SenderID == "":
		return nil, adapter.Errorf(adapter.CodeInternal, op, "messageId, serviceId and senderId are required")
	case r.Data == nil:
		return nil, adapter.Errorf(adapter.CodeInternal, op, "data is required")
	}
	if err := checkOutgoing(op, r.SessionID, r.Properties); err != nil {
		return nil, err
	}
	doc, body := newEnvelope()
	root := body.CreateElement("ns2:SendMessage")
	root.CreateAttr("xmlns:ns2", NSSync)
	req := root.CreateElement("request")
	ri := req.CreateElement("requestInfo")
	opt := func(name, v string) {
		if v != "" {
			leaf(ri, name, v)
		}
	}
	leaf(ri, "messageId", r.MessageID)
	opt("correlationId", r.CorrelationID)
	leaf(ri, "serviceId", r.ServiceID)
	leaf(ri, "messageDate", FormatDateTime(r.MessageDate))
	opt("routeId", r.RouteID)
	writeSenderAndTail(ri, r.SenderID, r.Password, r.Properties, r.SessionID)
	req.CreateElement("requestData").AddChild(dataElement(r.Data))
	return bytesOf(op, doc)
}
