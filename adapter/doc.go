// Package adapter is shepadapter's domain: the request the gateway delivers,
// its status and deadline, the back-office's decision, the error codes every
// refusal carries, and the small interfaces (store, clock) that the adapters
// in the subpackages implement. Subpackages wrap one technology each and talk
// to each other only through these types.
package adapter
