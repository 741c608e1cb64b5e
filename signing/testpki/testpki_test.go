package testpki

import (
	"bytes"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/isb-region/shepadapter/signing/kzid"
)

var (
	shared     struct{ dir string }
	sharedOnce sync.Once
	sharedErr  error
	sharedNow  = time.Now().UTC().Truncate(time.Second)
)

// sharedPKI builds one authority per test binary: RSA key generation is slow.
func sharedPKI(t *testing.T) *PKI {
	t.Helper()
	sharedOnce.Do(func() {
		shared.dir, sharedErr = os.MkdirTemp("", "testpki")
		if sharedErr == nil {
			sharedErr = Init(shared.dir, Options{Now: sharedNow, OCSPURL: "http://ocsp.test.invalid/"})
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	p, err := Load(shared.dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func TestInitLoad(t *testing.T) {
	p := sharedPKI(t)
	roots := x509.NewCertPool()
	roots.AddCert(p.Root)
	inter := x509.NewCertPool()
	inter.AddCert(p.Intermediate)
	for _, name := range LeafNames {
		t.Run(name, func(t *testing.T) {
			c := p.Leaves[name]
			if c == nil {
				t.Fatal("missing leaf")
			}
			if err := kzid.ValidateIIN(c.Cert.Subject.SerialNumber[3:]); err != nil {
				t.Errorf("subject IIN: %v", err)
			}
			at := sharedNow
			if name == Expired {
				at = c.Cert.NotAfter.Add(-time.Minute)
				if !sharedNow.After(c.Cert.NotAfter) {
					t.Error("expired leaf is still valid at Now")
				}
			}
			_, err := c.Cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at,
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
			if err != nil {
				t.Errorf("chain: %v", err)
			}
			if _, ok := p.RevokedSerials[c.Cert.SerialNumber.Text(16)]; ok != (name == Revoked) {
				t.Errorf("in CRL = %v", ok)
			}
		})
	}
	if err := kzid.ValidateBIN(BIN); err != nil {
		t.Error(err)
	}
	for _, f := range []string{"trust/root.pem", "trust/intermediate.pem", "crl/full.crl", "crl/delta.crl"} {
		if _, err := os.Stat(p.Path(f)); err != nil {
			t.Error(err)
		}
	}
}

func TestCRLFiles(t *testing.T) {
	p := sharedPKI(t)
	tests := []struct {
		file       string
		number     int64
		validFor   time.Duration
		delta      bool
		numRevoked int
	}{
		{"full.crl", 1, 24 * time.Hour, false, 1},
		{"delta.crl", 2, time.Hour, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			der, err := os.ReadFile(p.Path("crl", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			rl, err := x509.ParseRevocationList(der)
			if err != nil {
				t.Fatal(err)
			}
			if err := rl.CheckSignatureFrom(p.Intermediate); err != nil {
				t.Fatal(err)
			}
			if rl.Number.Int64() != tt.number || rl.NextUpdate.Sub(rl.ThisUpdate) != tt.validFor || len(rl.RevokedCertificateEntries) != tt.numRevoked {
				t.Errorf("number %v, window %v, entries %d", rl.Number, rl.NextUpdate.Sub(rl.ThisUpdate), len(rl.RevokedCertificateEntries))
			}
			hasDelta := false
			for _, e := range rl.Extensions {
				hasDelta = hasDelta || e.Id.Equal(oidDeltaCRLIndicator) && e.Critical
			}
			if hasDelta != tt.delta {
				t.Errorf("delta indicator = %v", hasDelta)
			}
		})
	}
}

func TestOCSPHandler(t *testing.T) {
	p := sharedPKI(t)
	srv := httptest.NewServer(p.OCSPHandler(func() time.Time { return sharedNow }))
	defer srv.Close()
	other, _ := Template(Individual, sharedNow, "")
	tests := []struct {
		name string
		cert *x509.Certificate
		want int
	}{
		{"good", p.Leaves[Individual].Cert, ocsp.Good},
		{"revoked", p.Leaves[Revoked].Cert, ocsp.Revoked},
		{"not issued", other, ocsp.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ocsp.CreateRequest(tt.cert, p.Intermediate, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.Post(srv.URL, "application/ocsp-request", bytes.NewReader(req))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			buf.ReadFrom(resp.Body)
			r, err := ocsp.ParseResponseForCert(buf.Bytes(), tt.cert, p.Intermediate)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tt.want {
				t.Errorf("status %d, want %d", r.Status, tt.want)
			}
		})
	}
}

func TestOpenSSLReadsP12(t *testing.T) {
	p := sharedPKI(t)
	for _, name := range []string{Individual, Gateway, ECDSA} {
		t.Run(name, func(t *testing.T) {
			out, err := exec.Command("openssl", "pkcs12", "-in", p.Path(name+".p12"), "-passin", "pass:test", "-nokeys").CombinedOutput()
			if err != nil {
				t.Fatalf("openssl: %v\n%s", err, out)
			}
			if !bytes.Contains(out, []byte("BEGIN CERTIFICATE")) {
				t.Fatalf("no certificate in output:\n%s", out)
			}
		})
	}
}

func TestXMLSec1Sign(t *testing.T) {
	p := sharedPKI(t)
	tests := []struct{ name, template string }{
		{Individual, "template.xml"},
		{Gateway, "template.xml"},
		{ECDSA, "template-ecdsa.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "signed.xml")
			tmpl := filepath.Join("testdata", "TestXMLSec1Sign", tt.template)
			b, err := exec.Command("xmlsec1", "--sign", "--pkcs12", p.Path(tt.name+".p12"), "--pwd", "test",
				"--output", out, tmpl).CombinedOutput()
			if err != nil {
				t.Fatalf("xmlsec1 --sign: %v\n%s", err, b)
			}
			b, err = exec.Command("xmlsec1", "--verify", "--trusted-pem", p.Path("trust", "root.pem"),
				"--untrusted-pem", p.Path("trust", "intermediate.pem"), out).CombinedOutput()
			if err != nil {
				t.Fatalf("xmlsec1 --verify: %v\n%s", err, b)
			}
		})
	}
}
