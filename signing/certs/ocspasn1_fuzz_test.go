package certs

import (
	"crypto/x509/pkix"
	"testing"
)

// FuzzParseResponse feeds arbitrary bytes to our own OCSP response parsing
// (the part x/crypto does not do); seeds in testdata/fuzz are real testpki
// answers for a good and a revoked certificate.
func FuzzParseResponse(f *testing.F) {
	f.Add([]byte{0x30, 0x03, 0x0a, 0x01, 0x03})
	f.Fuzz(func(t *testing.T, der []byte) {
		p, err := parseRaw(der)
		if err != nil {
			return
		}
		_ = p.checkNonce(pkix.Extension{Id: OIDOCSPNonce, Value: []byte{4, 1, 1}}, true)
		for _, id := range p.ids {
			if id.SerialNumber == nil {
				t.Fatal("parsed a CertID without serial")
			}
		}
	})
}
