// Package server assembles the adapter from its configuration: the store
// (Redis, or the embedded file when none is configured), the signature
// verifier, the gateway endpoints, health, readiness and metrics, TLS, and
// a graceful shutdown. Each part is built by its own package from its own
// section of the configuration; this package only wires them.
package server
