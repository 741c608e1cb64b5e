// Package wsdl holds the gateway contract's WSDL documents, embedded so the
// server can publish them (with the address rewritten) and the code
// generator can read them from disk.
package wsdl

import "embed"

// Files holds sync-channel.wsdl, async-channel-client.wsdl and
// async-channel.wsdl.
//
//go:embed *.wsdl
var Files embed.FS
