// Package periodical is the service's own documents for "registration of
// foreign periodical print publications distributed in the region": the
// application that arrives inside the gateway's data element, and the
// registration certificate (анықтама), the reasoned refusal and the status
// answer that go back. The XML schema is schemas/periodical.xsd; this
// package checks the same facets in Go so the server needs no XSD engine.
//
// Signing and signature verification happen elsewhere: DecodeApplication
// expects the element that verification returned, and the builders return
// unsigned elements with room for an enveloped ds:Signature as last child.
package periodical
