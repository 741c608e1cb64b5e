package dsig

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bodyIDAttr = "http://schemas.xmlsoap.org/soap/envelope/:Body"

// TestInteropXmlsec1Signs proves documents signed by xmlsec1 (the
// reference implementation) verify here: both shapes, RSA and ECDSA (raw
// r||s), every c14n we accept.
func TestInteropXmlsec1Signs(t *testing.T) {
	p := getPKI(t)
	for _, k := range []*testKey{p.rsa, p.ec} {
		alg := RSASHA256
		if k != p.rsa {
			alg = ECDSASHA256
		}
		for _, c := range allC14N {
			for _, shape := range []string{"enveloped", "wssecurity"} {
				t.Run(k.name+"/"+shape+"/"+shortC14N(c), func(t *testing.T) {
					tmpl := fill(readTestdata(t, "TestInteropXmlsec1Signs/"+shape+".tmpl.xml"),
						"{{C14N}}", c, "{{SIGALG}}", alg, "{{CERT}}", base64.StdEncoding.EncodeToString(k.cert.Raw))
					in := writeTemp(t, "tmpl.xml", tmpl)
					out := filepath.Join(filepath.Dir(in), "signed.xml")
					args := []string{"--sign", "--privkey-pem", k.combined, "--output", out}
					if shape == "wssecurity" {
						args = append(args, "--id-attr:Id", bodyIDAttr)
					}
					if msg, err := xmlsec1(t, append(args, in)...); err != nil {
						t.Fatalf("xmlsec1 --sign: %v\n%s", err, msg)
					}
					signed, err := os.ReadFile(out)
					if err != nil {
						t.Fatal(err)
					}
					doc := mustParse(t, signed)
					var v *Verified
					if shape == "wssecurity" {
						v, err = VerifyWSSecurity(doc, Options{})
					} else {
						v, err = VerifyEnveloped(doc.Root(), Options{})
					}
					if err != nil {
						t.Fatalf("verify xmlsec1-signed doc: %v\n%s", err, signed)
					}
					if !v.Leaf.Equal(k.cert) || v.CanonicalizationMethod != c || v.SignatureAlgorithm != alg {
						t.Fatalf("unexpected Verified %+v", v)
					}
				})
			}
		}
	}
}

// TestInteropXmlsec1Verifies proves documents we sign verify in xmlsec1:
// enveloped (root, URI="" with chain to the CA; non-root, URI="#id") and
// WS-Security, RSA and ECDSA, every c14n.
func TestInteropXmlsec1Verifies(t *testing.T) {
	p := getPKI(t)
	for _, k := range []*testKey{p.rsa, p.ec, p.ec384} {
		for _, c := range allC14N {
			for _, shape := range []string{"enveloped-root", "enveloped-id", "wssecurity"} {
				t.Run(k.name+"/"+shape+"/"+shortC14N(c), func(t *testing.T) {
					signed, args := signForXmlsec(t, k, c, shape)
					path := writeTemp(t, "signed.xml", signed)
					msg, err := xmlsec1(t, append(append([]string{"--verify"}, args...), path)...)
					if err != nil || !strings.Contains(msg, "OK") {
						t.Fatalf("xmlsec1 --verify refused our signature: %v\n%s\n%s", err, msg, signed)
					}
				})
			}
		}
	}
}

func signForXmlsec(t *testing.T, k *testKey, c14n, shape string) ([]byte, []string) {
	p := getPKI(t)
	src := readTestdata(t, "TestSignVerifyRoundTrip/request.xml")
	doc := mustParse(t, src)
	s := k.signer(c14n)
	switch shape {
	case "enveloped-root":
		doc = mustParse(t, readTestdata(t, "TestInteropXmlsec1Verifies/application.xml"))
		if err := s.SignEnveloped(doc.Root()); err != nil {
			t.Fatal(err)
		}
		return mustWrite(t, doc), []string{"--trusted-pem", p.caPEM}
	case "enveloped-id":
		if err := s.SignEnveloped(doc.Root().FindElement("//SendMessage")); err != nil {
			t.Fatal(err)
		}
		return mustWrite(t, doc), []string{"--trusted-pem", p.caPEM,
			"--id-attr:Id", "http://bip.bee.kz/SyncChannel/v10/Types:SendMessage"}
	}
	if err := s.SignWSSecurity(doc); err != nil {
		t.Fatal(err)
	}
	return mustWrite(t, doc), []string{"--pubkey-cert-pem", k.certPEM, "--id-attr:Id", bodyIDAttr}
}
