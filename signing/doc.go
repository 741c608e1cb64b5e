// Package signing joins the XML-signature engine (signing/dsig) and the
// certificate policy (signing/certs) into the two checks the gateway
// contract asks for: the transport signature (WS-Security over the Body) and
// the business-data signature (enveloped, inside data). Each check returns
// only the verified element and the signer's identity, or an *Error whose
// Class says which of the gateway's three fault classes applies (missing,
// invalid, not current) and whose Reason is a stable code for subError.
//
// It stands alone: it knows nothing about queues, stores or HTTP.
package signing
