package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing/dsig"
	"github.com/isb-region/shepadapter/signing/testpki"
)

func TestRequestNew(t *testing.T) {
	dir := cliPKI(t)
	trust := filepath.Join(dir, "trust")
	tests := []struct {
		name   string
		args   []string
		valid  bool
		shapes string
		want   string
	}{
		{"default", nil, true, "transport,data", "<senderId>demo-portal</senderId>"},
		{"legal", []string{"--signer", "legal"}, true, "transport,data", testpki.BIN},
		{"async", []string{"--async", "--sender", "desk", "--password", "pw"}, true, "transport,data", "<messageType>REQUEST</messageType>"},
		{"no transport", []string{"--no-transport"}, true, "data", "SendMessage"},
		{"employee transport", []string{"--transport", "employee", "--message-id", "id-42"}, true, "transport,data", "<messageId>id-42</messageId>"},
		{"revoked", []string{"--signer", "revoked"}, false, "transport,data", ""},
		{"other applicant", []string{"--applicant", testpki.IINs[testpki.Legal]}, true, "transport,data", testpki.IINs[testpki.Legal]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := sampleRequest(t, dir, tt.args...)
			code, rep, errOut := verifyReport(t, "--trust", trust, "--crl", filepath.Join(dir, "crl", "full.crl"), in)
			if (code == 0) != tt.valid || shapes(rep) != tt.shapes {
				t.Fatalf("exit %d shapes %s: %+v\n%s", code, shapes(rep), rep, errOut)
			}
			doc, err := readDoc(in)
			if err != nil {
				t.Fatal(err)
			}
			if op := soap.Operation(doc); op != soap.OpSync && op != soap.OpAsync {
				t.Errorf("operation %q", op)
			}
			b, _ := doc.WriteToString()
			if !strings.Contains(b, tt.want) {
				t.Errorf("request lacks %q", tt.want)
			}
		})
	}
}

func TestRequestUsage(t *testing.T) {
	dir := cliPKI(t)
	for _, args := range [][]string{
		{"request"}, {"request", "old"}, {"request", "new"},
		{"request", "new", "--pki", filepath.Join(dir, "nope")},
		{"request", "new", "--pki", dir, "--signer", "nobody"},
		{"request", "new", "--pki", dir, "extra"},
	} {
		if code, out, errOut := runCLI(t, args...); code != 2 || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, errOut)
		}
	}
}

// TestRequestParses checks the request against the contract parser the
// adapter uses.
func TestRequestParses(t *testing.T) {
	dir := cliPKI(t)
	code, out, _ := runCLI(t, "request", "new", "--pki", dir, "--sender", "s1", "--password", "p1")
	if code != 0 {
		t.Fatal(code)
	}
	doc, err := dsig.Parse([]byte(out), dsig.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := soap.ParseSync(doc)
	if err != nil {
		t.Fatal(err)
	}
	if r.SenderID != "s1" || r.Password != "p1" || len(r.MessageID) != 36 {
		t.Errorf("sender %q password %q messageId %q", r.SenderID, r.Password, r.MessageID)
	}
}
