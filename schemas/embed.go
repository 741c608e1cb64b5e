// Package schemas holds the contract's XML Schemas (the gateway's channel
// types, the SOAP 1.1 envelope and the service's own documents), embedded
// so the server can publish them and tests can validate against them.
package schemas

import "embed"

// Files holds every *.xsd of this directory.
//
//go:embed *.xsd
var Files embed.FS
