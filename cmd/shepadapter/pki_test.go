package main

import (
	"bytes"
	"context"
	"crypto"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/isb-region/shepadapter/signing/testpki"
)

// runCLI runs the command line in-process and returns its exit code, stdout
// and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// cliPKI creates a test PKI with `pki init` in a fresh temporary directory.
func cliPKI(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pki")
	if code, _, errOut := runCLI(t, "pki", "init", "--out", dir); code != 0 {
		t.Fatalf("pki init: exit %d: %s", code, errOut)
	}
	return dir
}

func TestPKIInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	code, out, errOut := runCLI(t, "pki", "init", "--out", dir, "--password", "pw")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"trust/root.pem", "trust/intermediate.pem", "crl/full.crl", "crl/delta.crl", "individual.p12", "gateway.key.pem", "ecdsa.cert.pem", `"pw"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "revoked.p12")); err != nil {
		t.Error(err)
	}
	if code, _, _ := runCLI(t, "sign", "--layer", "data", "--p12", filepath.Join(dir, "individual.p12"), "--password", "test", filepath.Join(dir, "trust", "root.pem")); code != 2 {
		t.Errorf("wrong p12 password: exit %d, want 2", code)
	}
}

func TestPKIUsage(t *testing.T) {
	for _, args := range [][]string{
		{"pki"}, {"pki", "frob"}, {"pki", "init"}, {"pki", "init", "--out", "x", "extra"},
		{"pki", "ocsp"}, {"pki", "init", "--bogus"},
	} {
		if code, _, errOut := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
	if code, _, _ := runCLI(t, "pki", "-h"); code != 0 {
		t.Errorf("pki -h: exit %d", code)
	}
}

// TestPKIOCSP serves the responder on a free port and asks it about a good
// and a revoked certificate over real HTTP.
func TestPKIOCSP(t *testing.T) {
	dir := cliPKI(t)
	p, err := testpki.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serveOCSP(ctx, dir, "127.0.0.1:0", func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serveOCSP: %v", err)
	}
	for name, want := range map[string]int{testpki.Individual: ocsp.Good, testpki.Revoked: ocsp.Revoked} {
		leaf := p.Leaves[name].Cert
		req, err := ocsp.CreateRequest(leaf, p.Intermediate, &ocsp.RequestOptions{Hash: crypto.SHA256})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post("http://"+addr+"/", "application/ocsp-request", bytes.NewReader(req))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r, err := ocsp.ParseResponseForCert(body, leaf, p.Intermediate)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r.Status != want {
			t.Errorf("%s: status %d, want %d", name, r.Status, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serveOCSP after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveOCSP did not stop")
	}
}
