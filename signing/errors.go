package signing

import (
	"errors"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// Layer names the signature layer a verdict is about.
type Layer string

// The layers of a gateway message, plus any other document's root signature.
const (
	LayerTransport Layer = "transport" // WS-Security over the SOAP Body
	LayerData      Layer = "data"      // enveloped, in the business document
	LayerDocument  Layer = "document"  // enveloped over a document root (xmlsec1's default shape)
)

// Class is the gateway's grouping of signature refusals (SCE005-7, SCE015-17).
type Class string

// The three classes.
const (
	ClassMissing    Class = "missing"     // no signature where one is required
	ClassInvalid    Class = "invalid"     // the signature or its certificate is wrong
	ClassNotCurrent Class = "not-current" // the certificate is expired, revoked or of unknown status
)

// Error is a refused signature: the layer, the class and the finer reason.
type Error struct {
	Layer  Layer
	Class  Class
	Reason string // a dsig.Reason or certs.Reason, stable
	Err    error
}

func (e *Error) Error() string {
	s := string(e.Layer) + " signature " + string(e.Class) + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// classify turns an error from dsig or certs into an *Error of layer.
func classify(layer Layer, err error) *Error {
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	var de *dsig.Error
	if errors.As(err, &de) {
		class := ClassInvalid
		if de.Reason == dsig.ReasonMissing {
			class = ClassMissing
		}
		return &Error{Layer: layer, Class: class, Reason: string(de.Reason), Err: err}
	}
	var ce *certs.Error
	if errors.As(err, &ce) {
		class := ClassInvalid
		if ce.NotCurrent() {
			class = ClassNotCurrent
		}
		return &Error{Layer: layer, Class: class, Reason: string(ce.Reason), Err: err}
	}
	return &Error{Layer: layer, Class: ClassInvalid, Reason: "verification-failed", Err: err}
}
