package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/testpki"
)

const xmlsecTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<data xmlns="urn:test:shepadapter">
  <iin>921029350851</iin>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
      <ds:Reference URI="">
        <ds:Transforms>
          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
        </ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue/>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue/>
    <ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>
  </ds:Signature>
</data>
`

func hasReason(rep signing.Report, reason string) bool {
	return slices.ContainsFunc(rep.Signatures, func(v signing.Verdict) bool { return v.Reason == reason }) ||
		slices.Contains(rep.Reasons, reason)
}

// sampleRequest writes `request new` output with extra flags.
func sampleRequest(t *testing.T, dir string, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"request", "new", "--pki", dir}, args...)...)
	if code != 0 {
		t.Fatalf("request new %v: exit %d: %s", args, code, errOut)
	}
	return writeFile(t, "request.xml", []byte(out))
}

func TestVerifyVerdicts(t *testing.T) {
	dir := cliPKI(t)
	trust := filepath.Join(dir, "trust")
	crl := filepath.Join(dir, "crl", "full.crl")
	valid := sampleRequest(t, dir)
	b, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}
	tampered := writeFile(t, "tampered.xml", []byte(strings.Replace(string(b), "The Sample Review", "The Sample Reviex", 1)))

	xmlsecOut := filepath.Join(t.TempDir(), "xmlsec.xml")
	tmpl := writeFile(t, "template.xml", []byte(xmlsecTemplate))
	if out, err := exec.Command("xmlsec1", "--sign", "--pkcs12", filepath.Join(dir, "individual.p12"), "--pwd", "test",
		"--output", xmlsecOut, tmpl).CombinedOutput(); err != nil {
		t.Fatalf("xmlsec1 --sign: %v\n%s", err, out)
	}

	tests := []struct {
		name   string
		args   []string
		code   int
		reason string // expected in a verdict or the report's reasons
		shapes string
	}{
		{"valid with CRL", []string{"--crl", crl, valid}, 0, "", "transport,data"},
		{"valid with CRLs full and delta", []string{"--crl", crl, "--crl", filepath.Join(dir, "crl", "delta.crl"), valid}, 0, "", "transport,data"},
		{"tampered", []string{"--no-revocation", tampered}, 1, "digest-mismatch", "transport,data"},
		{"revoked", []string{"--crl", crl, sampleRequest(t, dir, "--signer", "revoked")}, 1, "certificate-revoked", "transport,data"},
		{"expired", []string{"--no-revocation", sampleRequest(t, dir, "--signer", "expired")}, 1, "certificate-expired", "transport,data"},
		{"auth key", []string{"--no-revocation", sampleRequest(t, dir, "--signer", "auth")}, 1, "auth-key-used-to-sign", "transport,data"},
		{"after expiry (--at)", []string{"--no-revocation", "--at", "2099-01-01T00:00:00Z", valid}, 1, "certificate-expired", "transport,data"},
		{"signed by xmlsec1", []string{"--crl", crl, xmlsecOut}, 0, "", "document"},
		{"no signature", []string{unsignedEnvelope(t)}, 1, "", ""},
		{"DTD", []string{writeFile(t, "dtd.xml", []byte(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`))}, 1, "dtd-forbidden", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, rep, errOut := verifyReport(t, append([]string{"--trust", trust}, tt.args...)...)
			if code != tt.code || rep.Valid != (tt.code == 0) {
				t.Fatalf("exit %d valid %v, want %d: %+v\n%s", code, rep.Valid, tt.code, rep, errOut)
			}
			if tt.reason != "" && !hasReason(rep, tt.reason) {
				t.Errorf("reason %q missing: %+v", tt.reason, rep)
			}
			if got := shapes(rep); got != tt.shapes {
				t.Errorf("shapes %q, want %q", got, tt.shapes)
			}
			if code == 1 && !strings.Contains(errOut, "verify: invalid") {
				t.Errorf("stderr %q lacks the verdict line", errOut)
			}
		})
	}
}

func TestVerifyUsage(t *testing.T) {
	dir := cliPKI(t)
	trust := filepath.Join(dir, "trust")
	in := writeFile(t, "doc.xml", []byte(standaloneDoc))
	for _, args := range [][]string{
		{in},
		{"--trust", trust},
		{"--trust", trust, in, in},
		{"--trust", trust, "--at", "yesterday", in},
		{"--trust", trust, in + ".nope"},
		{"--trust", filepath.Join(dir, "nope"), in},
		{"--trust", trust, "--crl", filepath.Join(dir, "nope.crl"), in},
		{"--trust", trust, "--frobnicate", in},
	} {
		code, out, errOut := runCLI(t, append([]string{"verify"}, args...)...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, nothing, a message", args, code, out, errOut)
		}
	}
}

// TestVerifyOCSP checks revocation through a live OCSP responder (the test
// PKI's handler over HTTP) instead of CRLs.
func TestVerifyOCSP(t *testing.T) {
	dir := cliPKI(t)
	p, err := testpki.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p.OCSPHandler(time.Now))
	t.Cleanup(srv.Close)
	trust := filepath.Join(dir, "trust")
	if code, rep, errOut := verifyReport(t, "--trust", trust, "--ocsp", srv.URL, sampleRequest(t, dir)); code != 0 {
		t.Fatalf("valid: exit %d %+v %s", code, rep, errOut)
	}
	code, rep, _ := verifyReport(t, "--trust", trust, "--ocsp", srv.URL, sampleRequest(t, dir, "--signer", "revoked"))
	if code != 1 || !hasReason(rep, "certificate-revoked") {
		t.Fatalf("revoked: exit %d %+v", code, rep)
	}
}
