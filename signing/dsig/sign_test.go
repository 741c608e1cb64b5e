package dsig

import (
	"testing"
)

// TestSignVerifyRoundTrip proves our own signatures verify, for both
// shapes, every key type and every c14n we accept.
func TestSignVerifyRoundTrip(t *testing.T) {
	p := getPKI(t)
	for _, k := range []*testKey{p.rsa, p.ec, p.ec384} {
		for _, c := range allC14N {
			t.Run(k.name+"/"+shortC14N(c), func(t *testing.T) {
				doc := mustParse(t, readTestdata(t, "TestSignVerifyRoundTrip/request.xml"))
				if err := k.signer(c).SignWSSecurity(doc); err != nil {
					t.Fatal(err)
				}
				doc = mustParse(t, mustWrite(t, doc))
				v, err := VerifyWSSecurity(doc, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if v.Leaf == nil || !v.Leaf.Equal(k.cert) || v.Element.Tag != "Body" {
					t.Fatalf("bad Verified: %+v", v)
				}
				app := doc.Root().FindElement("//SendMessage")
				if err := k.signer(c).SignEnveloped(app); err != nil {
					t.Fatal(err)
				}
				doc = mustParse(t, mustWrite(t, doc))
				app = doc.Root().FindElement("//SendMessage")
				if _, err := VerifyEnveloped(app, Options{}); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}
