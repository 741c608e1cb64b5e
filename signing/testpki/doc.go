// Package testpki is a miniature test certification authority shaped like the
// Kazakh national one (НУЦ РК): an RSA root, an RSA intermediate that issues
// end-entity certificates, full and delta CRLs, an OCSP responder, and leaf
// credentials for each profile the adapter meets (individual, legal entity,
// employee, gateway, AUTH key, revoked, expired, ECDSA).
//
// Init writes the authority to a directory; Load reads it back. The layout is
//
//	DIR/trust/root.pem, DIR/trust/intermediate.pem   trust anchors
//	DIR/ca/root.key.pem, DIR/ca/intermediate.key.pem CA keys (test only)
//	DIR/crl/full.crl, DIR/crl/delta.crl              DER CRLs
//	DIR/NAME.p12, DIR/NAME.key.pem, DIR/NAME.cert.pem one per leaf
//
// The PKCS#12 files use go-pkcs12's Modern2023 encoding (PBES2/AES-256,
// HMAC-SHA-256), which OpenSSL 3 and xmlsec1 read.
//
// Nothing here is secure: keys are written unencrypted and the password is a
// constant. It exists so tests can use real keys, real chains and real
// revocation instead of mocks.
package testpki
