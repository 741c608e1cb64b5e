package signing_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter/periodical"
	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
	"github.com/isb-region/shepadapter/signing/testpki"
)

var (
	pkiOnce sync.Once
	thePKI  *testpki.PKI
	pkiErr  error
)

func testPKI(t *testing.T) *testpki.PKI {
	t.Helper()
	pkiOnce.Do(func() {
		dir, err := os.MkdirTemp("", "shep-signing-pki")
		if err != nil {
			pkiErr = err
			return
		}
		if pkiErr = testpki.Init(dir, testpki.Options{}); pkiErr == nil {
			thePKI, pkiErr = testpki.Load(dir)
		}
	})
	if pkiErr != nil {
		t.Fatal(pkiErr)
	}
	return thePKI
}

func verifier(t *testing.T, p *testpki.PKI) *signing.Verifier {
	t.Helper()
	v, _, err := signing.New(context.Background(), signing.Config{
		Trust: []string{p.Path("trust")}, CRLs: []string{p.Path("crl", "full.crl"), p.Path("crl", "delta.crl")}, CheckIINBIN: true,
	}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func parse(t *testing.T, b []byte) *etree.Document {
	t.Helper()
	doc, err := dsig.Parse(b, dsig.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestVerifyAllGatewayMessage(t *testing.T) {
	p := testPKI(t)
	req, err := sample.Request(sample.Options{PKI: p, Signer: testpki.Legal})
	if err != nil {
		t.Fatal(err)
	}
	rep := verifier(t, p).VerifyAll(context.Background(), parse(t, req))
	if !rep.Valid || len(rep.Signatures) != 2 {
		t.Fatalf("report: %+v", rep)
	}
	if got := rep.Signatures[1].Signer; got.BIN != testpki.BIN || rep.Signatures[0].Shape != signing.LayerTransport {
		t.Fatalf("data signer %+v", got)
	}
}

// TestDataSignedStandaloneInclusiveC14N: the applicant's software signs the
// application as a document of its own with inclusive C14N, then it is
// embedded where the envelope declares other namespaces. Verifying it in
// place would pull those into the canonical form; Detach must not.
func TestDataSignedStandaloneInclusiveC14N(t *testing.T) {
	p := testPKI(t)
	for _, c14n := range []string{dsig.C14N10, dsig.C14N11, dsig.C14NExclusive} {
		t.Run(c14n, func(t *testing.T) {
			s, err := sample.LeafSigner(p, testpki.Individual, nil)
			if err != nil {
				t.Fatal(err)
			}
			s.C14N = c14n
			app := periodical.SampleApplication(testpki.IINs[testpki.Individual], periodical.KindIndividual, nil)
			signed, err := sample.SignStandalone(s, app)
			if err != nil {
				t.Fatal(err)
			}
			var inner bytes.Buffer
			signed.WriteTo(&inner, &etree.WriteSettings{})
			env := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:extra="urn:unused"><s:Body>` +
				`<x:wrap xmlns:x="urn:wrap">` + inner.String() + `</x:wrap></s:Body></s:Envelope>`
			doc := parse(t, []byte(env))
			el := doc.FindElement("//wrap/*")
			res, err := verifier(t, p).VerifyData(context.Background(), el)
			if err != nil {
				t.Fatalf("VerifyData: %v", err)
			}
			if res.Identity.IIN != testpki.IINs[testpki.Individual] || res.Element.SelectAttr("xmlns:extra") != nil {
				t.Fatalf("identity %+v", res.Identity)
			}
		})
	}
}

func TestVerifyAllNoSignature(t *testing.T) {
	p := testPKI(t)
	rep := verifier(t, p).VerifyAll(context.Background(), parse(t, []byte(`<a><b>text</b></a>`)))
	if rep.Valid || len(rep.Reasons) != 1 || rep.Reasons[0] != string(dsig.ReasonMissing) {
		t.Fatalf("unsigned document: %+v", rep)
	}
}

// TestCertificateSwapped: the signer's certificate in KeyInfo is replaced by
// another trusted one; the signature no longer matches its key.
func TestCertificateSwapped(t *testing.T) {
	p := testPKI(t)
	req, err := sample.Request(sample.Options{PKI: p, NoTransport: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, req)
	cert := doc.FindElement("//X509Certificate")
	cert.SetText(base64.StdEncoding.EncodeToString(p.Leaves[testpki.Legal].Cert.Raw))
	rep := verifier(t, p).VerifyAll(context.Background(), doc)
	if rep.Valid || rep.Signatures[0].Class != signing.ClassInvalid {
		t.Fatalf("swapped certificate: %+v", rep)
	}
	if rep.Signatures[0].Reason != string(dsig.ReasonBadSignature) {
		t.Fatalf("reason %q", rep.Signatures[0].Reason)
	}
}
