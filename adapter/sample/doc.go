// Package sample builds signed sample requests for the periodical
// registration service, the way a citizen's application reaches the adapter
// through the gateway: the application is signed enveloped as a standalone
// document (the data layer), put into the gateway message's data, and the
// SOAP Body is signed with WS-Security (the transport layer).
//
// It serves `shepadapter request new`, `shepadapter loadgen`, `shepadapter
// sign` and end-to-end tests. Every key comes from a test НУЦ (signing/testpki)
// or from an explicit dsig.Signer; nothing here is for production use.
package sample
