// Package soap reads and writes the gateway's (ШЭП) SOAP 1.1 messages at the
// wire level: it checks an already securely parsed envelope against the
// channel contract (element order, cardinality, facets) and builds the
// responses and faults the gateway expects. It does not speak HTTP beyond
// publishing the WSDL and XSDs, and it does not verify or make signatures:
// those belong to the server and to the signing packages.
//
// The contract's `data` elements are xsd:anyType, which the generated types
// in adapter/contract flatten to a string of inner XML; this package hands
// them on as *etree.Element so that signatures can be verified on the very
// tree that was received.
package soap
