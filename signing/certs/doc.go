// Package certs decides whether a signer's certificate may be relied on: it
// builds the chain to the trusted НУЦ roots, checks validity at an injected
// time, key usage for the purpose (document signature or transport), the
// subject's IIN/BIN check digits, and revocation through OCSP and CRLs; and it
// extracts the signer's Identity from the Kazakh certificate profile.
//
// The XML signature engine (signing/dsig) verifies the signature itself and
// hands the certificates from KeyInfo to Checker.Check. Every refusal is an
// *Error with a stable Reason, which the adapter maps to a gateway fault code
// (NotCurrent reasons are SCE005/SCE015, the others SCE006/SCE016).
//
// Revocation sources are CRLSource (full and delta CRLs from files or URLs,
// refreshed in the background) and OCSPClient (SHA-256 CertID, nonce,
// cached until NextUpdate), combined in order by Chain. A source that cannot
// answer says StatusUnknown, never StatusGood: a missing answer must not let
// a revoked key through.
//
// LoadP12 and LoadPEM read signing keys for the department's own signatures.
package certs
