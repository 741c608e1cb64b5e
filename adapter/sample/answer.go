package sample

import (
	"fmt"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// Answer is what the adapter (or a gateway endpoint) answered to one request,
// as a load generator or an end-to-end test classifies it.
type Answer struct {
	HTTPStatus int
	// Code is the responseInfo status code of a SendMessageResponse
	// (SCSS001), adapter.StatusSuccess for an asynchronous
	// sendMessageResponse, or a fault's errorCode (SCE…).
	Code string
	// SubCode is a fault's subError/errorCode, our own code (and reason).
	SubCode string
	// Acked is true when the request was acknowledged as stored.
	Acked bool
}

// String renders a as "200 SCSS001" or "400 SCE016 DATA_SIGNATURE_INVALID…",
// or just the HTTP status when the body was not understood.
func (a Answer) String() string {
	s := fmt.Sprint(a.HTTPStatus)
	if a.Code != "" {
		s += " " + a.Code
	}
	if a.SubCode != "" {
		s += " " + a.SubCode
	}
	return s
}

// ParseAnswer classifies an HTTP answer to a sample request: a
// SendMessageResponse or sendMessageResponse, or a SOAP fault whose detail
// holds the gateway's ErrorInfo.
func ParseAnswer(status int, body []byte) Answer {
	a := Answer{HTTPStatus: status}
	doc, err := dsig.Parse(body, dsig.Limits{MaxBytes: 1 << 20})
	if err != nil {
		return a
	}
	env := doc.Root()
	if env == nil || env.Tag != "Envelope" || env.NamespaceURI() != soap.NSEnvelope {
		return a
	}
	var op *etree.Element
	for _, b := range env.ChildElements() {
		if b.Tag == "Body" && b.NamespaceURI() == soap.NSEnvelope && len(b.ChildElements()) > 0 {
			op = b.ChildElements()[0]
		}
	}
	switch {
	case op == nil:
	case op.Tag == "Fault":
		if d := op.SelectElement("detail"); d != nil && len(d.ChildElements()) > 0 {
			info := d.ChildElements()[0]
			a.Code = text(info, "errorCode")
			if sub := info.SelectElement("subError"); sub != nil {
				a.SubCode = text(sub, "errorCode")
			}
		}
	case op.Tag == soap.OpSync+"Response":
		a.Code = text(op, "response/responseInfo/status/code")
		a.Acked = status == 200 && a.Code == adapter.StatusSuccess
	case op.Tag == soap.OpAsync+"Response":
		if status == 200 && op.FindElement("response/correlationId") != nil {
			a.Code, a.Acked = adapter.StatusSuccess, true
		}
	}
	return a
}

func text(el *etree.Element, path string) string {
	if e := el.FindElement(path); e != nil {
		return e.Text()
	}
	return ""
}
