package soap

import (
	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
)

// Operation names as they appear as the Body's root element.
const (
	OpSync         = "SendMessage"                     // {NSSync}SendMessage
	OpAsync        = "sendMessage"                     // {NSAsync}sendMessage
	OpNotification = "changeMassageStatusNotification" // {NSAsyncClient}…, the gateway's spelling
)

// Operation tells which contract operation doc's Body holds: OpSync, OpAsync
// or OpNotification, or "" when it is none of them or doc is no SOAP 1.1
// envelope with exactly one element in its Body.
func Operation(doc *etree.Document) string {
	root, err := bodyRoot("soap.Operation", doc)
	if err != nil {
		return ""
	}
	switch root.NamespaceURI() + " " + root.Tag {
	case NSSync + " " + OpSync:
		return OpSync
	case NSAsync + " " + OpAsync:
		return OpAsync
	case NSAsyncClient + " " + OpNotification:
		return OpNotification
	}
	return ""
}

// Envelope returns doc's SOAP 1.1 Envelope, its Header (nil when absent)
// and its Body, checking the envelope's structure: Header? then Body, and
// nothing else but foreign-namespace elements after the Body.
func Envelope(doc *etree.Document) (env, header, body *etree.Element, err error) {
	const op = "soap.Envelope"
	env = doc.Root()
	if env == nil {
		return nil, nil, nil, adapter.Errorf(adapter.CodeMalformed, op, "document has no root element")
	}
	switch ns := env.NamespaceURI(); {
	case env.Tag == "Envelope" && ns == NSEnvelope12:
		return nil, nil, nil, adapter.Errorf(adapter.CodeMalformed, op, "SOAP 1.2 envelope: this endpoint speaks SOAP 1.1 (%s)", NSEnvelope)
	case env.Tag != "Envelope" || ns != NSEnvelope:
		return nil, nil, nil, adapter.Errorf(adapter.CodeMalformed, op, "root is {%s}%s, not a SOAP 1.1 Envelope", clip(ns), clip(env.Tag))
	}
	for _, el := range env.ChildElements() {
		inSOAP := el.NamespaceURI() == NSEnvelope
		switch {
		case inSOAP && el.Tag == "Header" && header == nil && body == nil:
			header = el
		case inSOAP && el.Tag == "Body" && body == nil:
			body = el
		case !inSOAP && body != nil:
			// the SOAP 1.1 schema allows foreign elements after the Body
		default:
			return nil, nil, nil, adapter.Errorf(adapter.CodeMalformed, op, "Envelope: unexpected element %s", clip(el.Tag))
		}
	}
	if body == nil {
		return nil, nil, nil, adapter.Errorf(adapter.CodeMalformed, op, "Envelope has no Body")
	}
	return env, header, body, nil
}

// bodyRoot returns the single element in the envelope's Body.
func bodyRoot(op string, doc *etree.Document) (*etree.Element, error) {
	_, _, body, err := Envelope(doc)
	if err != nil {
		return nil, err
	}
	kids := body.ChildElements()
	if len(kids) != 1 {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "Body must hold exactly one element, found %d", len(kids))
	}
	return kids[0], nil
}

// operationRoot returns the Body's element and checks it is {ns}name.
func operationRoot(op string, doc *etree.Document, ns, name string) (*etree.Element, error) {
	root, err := bodyRoot(op, doc)
	if err != nil {
		return nil, err
	}
	if root.Tag != name {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "Body holds %s, expected %s", clip(root.Tag), name)
	}
	if got := root.NamespaceURI(); got != ns {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "%s is in namespace %q, expected %q", name, clip(got), ns)
	}
	return root, nil
}
