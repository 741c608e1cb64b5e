package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter/periodical"
	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/testpki"
)

const standaloneDoc = `<?xml version="1.0" encoding="UTF-8"?>
<data xmlns="urn:test:shepadapter">
  <iin>921029350851</iin>
</data>
`

// unsignedEnvelope writes a gateway message carrying an unsigned application
// and returns its path.
func unsignedEnvelope(t *testing.T) string {
	t.Helper()
	b, err := soap.SyncMessage(&soap.SyncRequest{
		MessageID: "m-1", ServiceID: periodical.ServiceID, MessageDate: time.Now(), SenderID: "demo-portal",
		Data: periodical.SampleApplication(testpki.IINs[testpki.Individual], periodical.KindIndividual, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "envelope.xml", b)
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// signFile runs sign with args plus in, fails the test on a non-zero exit and
// returns the path of the output.
func signFile(t *testing.T, in string, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, append(append([]string{"sign"}, args...), in)...)
	if code != 0 {
		t.Fatalf("sign %v: exit %d: %s", args, code, errOut)
	}
	return writeFile(t, "signed.xml", []byte(out))
}

func verifyReport(t *testing.T, args ...string) (int, signing.Report, string) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"verify"}, args...)...)
	var rep signing.Report
	if code != 2 {
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("verify output is no JSON report: %v\n%s", err, out)
		}
	}
	return code, rep, errOut
}

func shapes(rep signing.Report) string {
	var s []string
	for _, v := range rep.Signatures {
		s = append(s, string(v.Shape))
	}
	return strings.Join(s, ",")
}

// TestSignBothLayers signs an envelope's data layer, then its transport
// layer, with PKCS#12 and with PEM keys, and checks that verify accepts both
// shapes and xmlsec1 accepts the data layer.
func TestSignBothLayers(t *testing.T) {
	dir := cliPKI(t)
	p12 := func(name string) []string {
		return []string{"--p12", filepath.Join(dir, name+".p12"), "--password", "test"}
	}
	pem := func(name string) []string {
		return []string{"--key", filepath.Join(dir, name+".key.pem"), "--cert", filepath.Join(dir, name+".cert.pem")}
	}
	tests := []struct {
		name            string
		dataKey, trnKey []string
		c14n            string
	}{
		{"p12", p12(testpki.Individual), p12(testpki.Gateway), ""},
		{"pem", pem(testpki.Legal), pem(testpki.Gateway), ""},
		{"ecdsa c14n10", pem(testpki.ECDSA), p12(testpki.Gateway), "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--layer", "data"}, tt.dataKey...)
			if tt.c14n != "" {
				args = append(args, "--c14n", tt.c14n)
			}
			data := signFile(t, unsignedEnvelope(t), args...)
			both := signFile(t, data, append([]string{"--layer", "transport"}, tt.trnKey...)...)
			code, rep, errOut := verifyReport(t, "--trust", filepath.Join(dir, "trust"), "--crl", filepath.Join(dir, "crl", "full.crl"), both)
			if code != 0 || !rep.Valid || shapes(rep) != "transport,data" {
				t.Fatalf("verify: exit %d, shapes %s, report %+v\n%s", code, shapes(rep), rep, errOut)
			}
			xmlsecVerify(t, dir, detachData(t, both))
		})
	}
}

// TestSignStandalone signs a plain document's root, which verify reports as
// the document shape and xmlsec1 accepts; stdin works as input.
func TestSignStandalone(t *testing.T) {
	dir := cliPKI(t)
	stdin = strings.NewReader(standaloneDoc)
	t.Cleanup(func() { stdin = os.Stdin })
	out := signFile(t, "-", "--layer", "data", "--p12", filepath.Join(dir, "employee.p12"), "--password", "test")
	code, rep, errOut := verifyReport(t, "--trust", filepath.Join(dir, "trust"), out)
	if code != 0 || shapes(rep) != "document" {
		t.Fatalf("exit %d, shapes %s: %s", code, shapes(rep), errOut)
	}
	if !strings.Contains(errOut, "revocation: not checked") {
		t.Errorf("no revocation note on stderr: %q", errOut)
	}
	xmlsecVerify(t, dir, out)
	// Signing twice replaces the signature rather than adding one.
	again := signFile(t, out, "--layer", "data", "--p12", filepath.Join(dir, "individual.p12"), "--password", "test")
	if code, rep, _ := verifyReport(t, "--trust", filepath.Join(dir, "trust"), again); code != 0 || len(rep.Signatures) != 1 {
		t.Fatalf("re-signed: exit %d, %+v", code, rep)
	}
}

func TestSignUsage(t *testing.T) {
	dir := cliPKI(t)
	in := writeFile(t, "doc.xml", []byte(standaloneDoc))
	p12 := filepath.Join(dir, "individual.p12")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no layer", []string{"--p12", p12, "--password", "test", in}, 2},
		{"bad layer", []string{"--layer", "x", "--p12", p12, "--password", "test", in}, 2},
		{"no key", []string{"--layer", "data", in}, 2},
		{"key without cert", []string{"--layer", "data", "--key", filepath.Join(dir, "individual.key.pem"), in}, 2},
		{"p12 and pem", []string{"--layer", "data", "--p12", p12, "--key", "k", "--cert", "c", in}, 2},
		{"no input", []string{"--layer", "data", "--p12", p12, "--password", "test"}, 2},
		{"missing input", []string{"--layer", "data", "--p12", p12, "--password", "test", in + ".nope"}, 2},
		{"transport on no envelope", []string{"--layer", "transport", "--p12", p12, "--password", "test", in}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, append([]string{"sign"}, tt.args...)...)
			if code != tt.code || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d (want %d), stderr %q (want one line)", code, tt.code, errOut)
			}
		})
	}
}

// detachData writes the business document of the envelope at path as a
// standalone document, as it was signed.
func detachData(t *testing.T, path string) string {
	t.Helper()
	doc, err := readDoc(path)
	if err != nil {
		t.Fatal(err)
	}
	el := signing.DataDocument(doc.Root())
	if el == nil {
		t.Fatal("no data document")
	}
	doc.SetRoot(signing.Detach(el))
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "data.xml", b)
}

func xmlsecVerify(t *testing.T, dir, file string) {
	t.Helper()
	out, err := exec.Command("xmlsec1", "--verify", "--trusted-pem", filepath.Join(dir, "trust", "root.pem"),
		"--untrusted-pem", filepath.Join(dir, "trust", "intermediate.pem"), file).CombinedOutput()
	if err != nil {
		t.Fatalf("xmlsec1 --verify: %v\n%s", err, out)
	}
}
