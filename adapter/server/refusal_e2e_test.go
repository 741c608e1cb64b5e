package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/signing/dsig"
	"github.com/isb-region/shepadapter/signing/testpki"
)

// TestRefusals sends one request per refusal class through HTTP and checks
// the exact gateway code and our subError code; nothing may be queued.
func TestRefusals(t *testing.T) {
	p := testPKI(t)
	r := start(t, testConfig(t, p))
	other := otherPKI(t)
	gw, err := sample.LeafSigner(p, testpki.Gateway, nil)
	if err != nil {
		t.Fatal(err)
	}
	// resign re-signs the transport layer after mod changed the document,
	// so only the data layer shows the change.
	resign := func(mod func(doc *etree.Document)) []byte {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(request(t, p, func(o *sample.Options) { o.NoTransport = true })); err != nil {
			t.Fatal(err)
		}
		mod(doc)
		if err := sample.SignTransport(gw, doc); err != nil {
			t.Fatal(err)
		}
		b, _ := doc.WriteToBytes()
		return b
	}
	with := func(mod func(*sample.Options)) []byte { return request(t, p, mod) }
	valid := with(nil)
	tests := []struct {
		name  string
		body  []byte
		fault string
		sub   string
	}{
		{"not XML", []byte("hello"), "SCE001", "MALFORMED/malformed-xml"},
		{"DTD with entity", append([]byte(`<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x "y">]>`), valid[bytes.IndexByte(valid, '<'):]...), "SCE001", "MALFORMED/dtd-forbidden"},
		{"XXE", []byte(`<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><e>&x;</e>`), "SCE001", "MALFORMED/dtd-forbidden"},
		{"deep nesting", []byte(strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000)), "SCE001", "MALFORMED/too-deep"},
		{"oversized", append(valid, bytes.Repeat([]byte(" "), 3<<20)...), "SCE001", "MALFORMED/too-large"},
		{"SOAP 1.2", []byte(`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>`), "SCE001", "MALFORMED"},
		{"unknown mustUnderstand header", bytes.Replace(valid, []byte("<soap:Header>"), []byte(`<soap:Header><x:Routing xmlns:x="urn:other" soap:mustUnderstand="1"/>`), 1), "SCE001", "MALFORMED/must-understand"},
		{"unknown sender", with(func(o *sample.Options) { o.SenderID = "nobody" }), "SCE001", "UNKNOWN_SENDER"},
		{"bad password", with(func(o *sample.Options) { o.Password = "guess" }), "SCE001", "BAD_PASSWORD"},
		{"transport signature missing", with(func(o *sample.Options) { o.NoTransport = true }), "SCE007", "TRANSPORT_SIGNATURE_MISSING/signature-missing"},
		{"transport signer untrusted", with(func(o *sample.Options) { o.TransportSigner = other }), "SCE006", "TRANSPORT_SIGNATURE_INVALID/untrusted-chain"},
		{"transport signer revoked", with(func(o *sample.Options) { o.Transport = testpki.Revoked }), "SCE005", "TRANSPORT_CERT_NOT_CURRENT/certificate-revoked"},
		{"Body changed after signing", bytes.Replace(valid, []byte("<p:title>"), []byte("<p:title>X"), 1), "SCE006", "TRANSPORT_SIGNATURE_INVALID/digest-mismatch"},
		{"Body wrapped", wrapBody(t, valid), "SCE006", "TRANSPORT_SIGNATURE_INVALID/signature-wrapping"},
		{"unknown service", with(func(o *sample.Options) { o.ServiceID = "SOME_OTHER_SERVICE" }), "SCE004", "UNKNOWN_SERVICE"},
		{"data signature missing", resign(func(d *etree.Document) { removeAll(d, "Signature", "http://www.w3.org/2000/09/xmldsig#", "Body") }), "SCE017", "DATA_SIGNATURE_MISSING/signature-missing"},
		{"application changed after signing", resign(func(d *etree.Document) { setFirst(d, "title", "Forged title") }), "SCE016", "DATA_SIGNATURE_INVALID/digest-mismatch"},
		{"data signer revoked", with(func(o *sample.Options) { o.Signer = testpki.Revoked }), "SCE015", "DATA_CERT_NOT_CURRENT/certificate-revoked"},
		{"data signer expired", with(func(o *sample.Options) { o.Signer = testpki.Expired }), "SCE015", "DATA_CERT_NOT_CURRENT/certificate-expired"},
		{"AUTH key signed the application", with(func(o *sample.Options) { o.Signer = testpki.Auth }), "SCE016", "DATA_SIGNATURE_INVALID/auth-key-used-to-sign"},
		{"applicant is not the signer", with(func(o *sample.Options) { o.ApplicantID = testpki.IINs[testpki.Legal] }), "SCE016", "IIN_BIN_MISMATCH/applicant-not-signer"},
		{"messageDate too old", with(func(o *sample.Options) { o.Now = o.Now.AddDate(0, 0, -3) }), "SCE001", "MESSAGE_DATE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(t, r.URL+"/shep/sync", tt.body)
			gotFault, gotSub := fault(t, body)
			if code != http.StatusInternalServerError || gotFault != tt.fault || gotSub != tt.sub {
				t.Fatalf("HTTP %d fault %s sub %s; want 500 %s %s", code, gotFault, gotSub, tt.fault, tt.sub)
			}
			if bytes.Contains(body, []byte(testPassword)) {
				t.Fatal("the fault leaks the sender's password")
			}
		})
	}
	if n := queueLen(t, r); n != 0 {
		t.Fatalf("refused requests were queued: %d", n)
	}
	// Every refusal is logged with its code, and no log line carries the
	// sender's password or the applicant's document.
	logs := r.logs.String()
	if n := strings.Count(logs, `"msg":"request refused"`); n != len(tests) {
		t.Errorf("%d refusals logged, want %d", n, len(tests))
	}
	for _, secret := range []string{testPassword, "<p:title>", "X509Certificate"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log leaks %q", secret)
		}
	}
	// The same server still accepts good ones, from each kind of signer.
	for _, signer := range []string{testpki.Individual, testpki.Legal, testpki.ECDSA} {
		code, body := post(t, r.URL+"/shep/sync", with(func(o *sample.Options) { o.Signer = signer }))
		if code != http.StatusOK {
			t.Errorf("%s: HTTP %d\n%s", signer, code, body)
		}
	}
}

// otherPKI is a second authority nobody trusts.
func otherPKI(t *testing.T) *dsig.Signer {
	t.Helper()
	dir := t.TempDir()
	if err := testpki.Init(dir, testpki.Options{}); err != nil {
		t.Fatal(err)
	}
	p, err := testpki.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sample.LeafSigner(p, testpki.Gateway, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wrapBody moves the signed Body into the header and puts a forged Body
// (same wsu:Id removed) in its place: the classic wrapping attack.
func wrapBody(t *testing.T, req []byte) []byte {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(req); err != nil {
		t.Fatal(err)
	}
	env := doc.Root()
	var header, body *etree.Element
	for _, c := range env.ChildElements() {
		switch c.Tag {
		case "Header":
			header = c
		case "Body":
			body = c
		}
	}
	forged := body.Copy()
	setFirstIn(forged, "title", "Forged title")
	env.RemoveChild(body)
	header.AddChild(body)
	for _, a := range forged.Attr {
		if a.Key == "Id" {
			forged.RemoveAttr(a.FullKey())
		}
	}
	env.AddChild(forged)
	b, _ := doc.WriteToBytes()
	return b
}

func setFirst(doc *etree.Document, tag, text string) { setFirstIn(doc.Root(), tag, text) }

func setFirstIn(root *etree.Element, tag, text string) {
	if el := root.FindElement(".//" + tag); el != nil {
		el.SetText(text)
	}
}

// removeAll removes every element tag in ns below the element called under.
func removeAll(doc *etree.Document, tag, ns, under string) {
	base := doc.Root().FindElement(".//" + under)
	var victims []*etree.Element
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			if c.Tag == tag && c.NamespaceURI() == ns {
				victims = append(victims, c)
				continue
			}
			walk(c)
		}
	}
	walk(base)
	for _, v := range victims {
		v.Parent().RemoveChild(v)
	}
}
