// Package gateway is the SOAP endpoint the e-gov gateway (ШЭП/РШЭП) calls:
// the synchronous channel provider and the participant side of the
// asynchronous channel. It runs every request through the ingest pipeline
// (bound, parse, authenticate, verify both signature layers, check the
// applicant against the signer, validate, de-duplicate, store) and answers
// with the gateway's own acknowledgement or fault shapes. A request is
// acknowledged only after the store has confirmed it.
package gateway
