package certs_test

import (
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/testpki"
)

// now is the fixed clock of every test; the authorities are minted at it.
var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

var (
	pki      *testpki.PKI // the trusted authority; leaves carry AIA to aiaOCSP
	otherPKI *testpki.PKI // an unrelated authority with the same names
	aiaOCSP  *httptest.Server
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "setup:", err)
		code = 1
	}
	os.Exit(code)
}

// setup mints both authorities once per test binary: RSA keys are slow.
func setup(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "certs-test")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 1, err
	}
	aiaURL := "http://" + ln.Addr().String() + "/ocsp"
	if err := testpki.Init(dir+"/a", testpki.Options{Now: now, OCSPURL: aiaURL}); err != nil {
		return 1, err
	}
	if err := testpki.Init(dir+"/b", testpki.Options{Now: now}); err != nil {
		return 1, err
	}
	if pki, err = testpki.Load(dir + "/a"); err != nil {
		return 1, err
	}
	if otherPKI, err = testpki.Load(dir + "/b"); err != nil {
		return 1, err
	}
	aiaOCSP = httptest.NewUnstartedServer(pki.OCSPHandler(func() time.Time { return now }))
	aiaOCSP.Listener.Close()
	aiaOCSP.Listener = ln
	aiaOCSP.Start()
	defer aiaOCSP.Close()
	return m.Run(), nil
}

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

// crlSource returns a CRLSource over the authority's full and delta files.
func crlSource(t *testing.T) *certs.CRLSource {
	t.Helper()
	s := certs.NewCRLSource(pki.Intermediates(), pki.Path("crl", "full.crl"), pki.Path("crl", "delta.crl"))
	if err := s.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s
}

// ocspServer serves h and counts requests.
func ocspServer(t *testing.T, h http.Handler) (*httptest.Server, *int) {
	t.Helper()
	n := new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*n++
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, n
}

// fixed answers every request with body.
func fixed(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
}

func mustCRL(t *testing.T, p *testpki.PKI, s testpki.CRLSpec) []byte {
	t.Helper()
	b, err := p.CRL(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) string {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
