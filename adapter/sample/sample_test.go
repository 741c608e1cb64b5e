package sample

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
	"github.com/isb-region/shepadapter/signing/testpki"
)

var pki *testpki.PKI

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sample-pki-")
	if err != nil {
		panic(err)
	}
	if err := testpki.Init(dir, testpki.Options{}); err != nil {
		panic(err)
	}
	if pki, err = testpki.Load(dir); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func verifier(t *testing.T, revocation bool) *signing.Verifier {
	t.Helper()
	cfg := signing.Config{Trust: []string{pki.Path("trust")}, SkipRevocation: !revocation}
	if revocation {
		cfg.CRLs = []string{pki.Path("crl", "full.crl"), pki.Path("crl", "delta.crl")}
	}
	v, _, err := signing.New(context.Background(), cfg, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRequestVerifies(t *testing.T) {
	tests := []struct {
		name   string
		opt    Options
		valid  bool
		shapes []signing.Layer
		class  signing.Class // of the failing verdict
		text   string        // the request must contain it
	}{
		{"individual", Options{}, true, []signing.Layer{signing.LayerTransport, signing.LayerData}, "", testpki.IINs[testpki.Individual]},
		{"legal", Options{Signer: testpki.Legal}, true, []signing.Layer{signing.LayerTransport, signing.LayerData}, "", testpki.BIN},
		{"async", Options{Async: true}, true, []signing.Layer{signing.LayerTransport, signing.LayerData}, "", "REQUEST"},
		{"ecdsa", Options{Signer: testpki.ECDSA}, true, []signing.Layer{signing.LayerTransport, signing.LayerData}, "", dsig.ECDSASHA256},
		{"no transport", Options{NoTransport: true}, true, []signing.Layer{signing.LayerData}, "", "demo-portal"},
		{"sender", Options{SenderID: "desk", Password: "s3cret"}, true, nil, "", "s3cret"},
		{"revoked", Options{Signer: testpki.Revoked}, false, nil, signing.ClassNotCurrent, ""},
		{"expired", Options{Signer: testpki.Expired}, false, nil, signing.ClassNotCurrent, ""},
		{"auth", Options{Signer: testpki.Auth}, false, nil, signing.ClassInvalid, ""},
	}
	v := verifier(t, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.PKI = pki
			tt.opt.Rand = rand.NewChaCha8([32]byte{1})
			b, err := Request(tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte(tt.text)) {
				t.Errorf("request lacks %q", tt.text)
			}
			doc, err := dsig.Parse(b, dsig.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			rep := v.VerifyAll(context.Background(), doc)
			if rep.Valid != tt.valid {
				t.Fatalf("valid = %v, want %v: %+v", rep.Valid, tt.valid, rep)
			}
			for i, s := range tt.shapes {
				if i >= len(rep.Signatures) || rep.Signatures[i].Shape != s {
					t.Errorf("signatures = %+v, want shapes %v", rep.Signatures, tt.shapes)
				}
			}
			if tt.class != "" && !hasClass(rep, tt.class) {
				t.Errorf("no verdict of class %s: %+v", tt.class, rep)
			}
		})
	}
}

func hasClass(rep signing.Report, c signing.Class) bool {
	for _, s := range rep.Signatures {
		if s.Class == c {
			return true
		}
	}
	return false
}

func TestRequestDeterministic(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	mk := func(seed byte) []byte {
		b, err := Request(Options{PKI: pki, Now: now, Rand: rand.NewChaCha8([32]byte{seed})})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(mk(1), mk(1)) {
		t.Error("same Rand and Now gave different requests")
	}
	if bytes.Equal(mk(1), mk(2)) {
		t.Error("different Rand gave the same request")
	}
}

func TestRequestMessageIDAndApplicant(t *testing.T) {
	b, err := Request(Options{PKI: pki, MessageID: "msg-1", ApplicantID: testpki.IINs[testpki.Legal]})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := dsig.Parse(b, dsig.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := soap.ParseSync(doc)
	if err != nil {
		t.Fatal(err)
	}
	if req.MessageID != "msg-1" || req.SenderID != DefaultSenderID {
		t.Errorf("messageId %q senderId %q", req.MessageID, req.SenderID)
	}
	if !strings.Contains(string(b), testpki.IINs[testpki.Legal]) {
		t.Error("applicant ID not in the application")
	}
}

func TestUnknownSigner(t *testing.T) {
	if _, err := Request(Options{PKI: pki, Signer: "nobody"}); err == nil {
		t.Fatal("unknown signer accepted")
	}
	if _, err := Request(Options{}); err == nil {
		t.Fatal("no PKI accepted")
	}
}

// TestXMLSec1VerifiesDataLayer checks interop: the application, detached from
// the envelope as a standalone document, verifies in xmlsec1.
func TestXMLSec1VerifiesDataLayer(t *testing.T) {
	for _, signer := range []string{testpki.Individual, testpki.Legal, testpki.ECDSA} {
		t.Run(signer, func(t *testing.T) {
			b, err := Request(Options{PKI: pki, Signer: signer})
			if err != nil {
				t.Fatal(err)
			}
			doc, err := dsig.Parse(b, dsig.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			app := signing.Detach(signing.DataDocument(doc.Root()))
			out := etreeBytes(t, app)
			file := filepath.Join(t.TempDir(), "app.xml")
			if err := os.WriteFile(file, out, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("xmlsec1", "--verify", "--trusted-pem", pki.Path("trust", "root.pem"),
				"--untrusted-pem", pki.Path("trust", "intermediate.pem"), file)
			if res, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("xmlsec1 --verify: %v\n%s", err, res)
			}
		})
	}
}

// TestSignDataResigns re-signs the data layer of a signed request with
// another key: the old signature is replaced, not doubled, and both layers
// still verify after the transport layer is signed again.
func TestSignDataResigns(t *testing.T) {
	b, err := Request(Options{PKI: pki})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := dsig.Parse(b, dsig.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := LeafSigner(pki, testpki.Employee, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := LeafSigner(pki, testpki.Gateway, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := SignData(ds, doc); err != nil {
		t.Fatal(err)
	}
	if err := SignTransport(ts, doc); err != nil {
		t.Fatal(err)
	}
	out, _ := doc.WriteToBytes()
	if n := bytes.Count(out, []byte("SignatureValue>")); n != 4 {
		t.Errorf("%d SignatureValue tags, want 4 (two signatures)", n)
	}
	doc, _ = dsig.Parse(out, dsig.Limits{})
	rep := verifier(t, false).VerifyAll(context.Background(), doc)
	if !rep.Valid || len(rep.Signatures) != 2 || rep.Signatures[1].Signer.IIN != testpki.IINs[testpki.Employee] {
		t.Fatalf("report %+v", rep)
	}
}
