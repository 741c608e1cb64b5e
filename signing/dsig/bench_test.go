package dsig

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

var benchSizes = []struct {
	name string
	size int
}{{"5KB", 5 << 10}, {"500KB", 500 << 10}, {"5MB", 5 << 20}}

// benchRequest builds an unsigned SOAP request whose Body is about size
// bytes.
func benchRequest(size int) []byte {
	var b strings.Builder
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:typ="http://bip.bee.kz/SyncChannel/v10/Types"><soapenv:Body><typ:SendMessage><request><requestInfo><messageId>7c1a2b3c-0000-4000-8000-000000000001</messageId><serviceId>ISB_REG</serviceId></requestInfo><requestData><data>`)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `<item n="%d">applicant record %d</item>`, i, i)
	}
	b.WriteString(`</data></requestData></request></typ:SendMessage></soapenv:Body></soapenv:Envelope>`)
	return []byte(b.String())
}

// BenchmarkVerify measures Parse + VerifyWSSecurity (what ingest does).
func BenchmarkVerify(b *testing.B) {
	s := getPKI(b).rsa.signer("")
	for _, sz := range benchSizes {
		doc := mustParse(b, benchRequest(sz.size))
		if err := s.SignWSSecurity(doc); err != nil {
			b.Fatal(err)
		}
		signed := mustWrite(b, doc)
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(signed)))
			for b.Loop() {
				d, err := Parse(signed, DefaultLimits())
				if err != nil {
					b.Fatal(err)
				}
				if _, err := VerifyWSSecurity(d, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSign measures Parse + SignWSSecurity with RSA-2048.
func BenchmarkSign(b *testing.B) {
	s := getPKI(b).rsa.signer("")
	for _, sz := range benchSizes {
		src := benchRequest(sz.size)
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				d, err := Parse(src, DefaultLimits())
				if err != nil {
					b.Fatal(err)
				}
				if err := s.SignWSSecurity(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRSA2048Verify is the floor: one raw PKCS#1 v1.5 verification.
func BenchmarkRSA2048Verify(b *testing.B) {
	k := getPKI(b).rsa.key.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("signed info"))
	sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}
