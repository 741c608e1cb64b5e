package certs_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/testpki"
)

// wireRequest is an OCSP request as the responder sees it.
type wireRequest struct {
	TBS struct {
		RequestList []asn1.RawValue
		Extensions  []pkix.Extension `asn1:"explicit,tag:2,optional"`
	}
}

type wireCertID struct {
	Cert struct {
		HashAlgorithm pkix.AlgorithmIdentifier
	}
}

// rewriting passes each request to h after edit changes it, and records what
// the client sent.
type rewriting struct {
	h    http.Handler
	edit func(*wireRequest)
	mu   sync.Mutex
	seen []wireRequest
}

func (rw *rewriting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req wireRequest
	if _, err := asn1.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rw.mu.Lock()
	rw.seen = append(rw.seen, req)
	rw.mu.Unlock()
	if rw.edit != nil {
		rw.edit(&req)
	}
	body, _ = asn1.Marshal(req)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rw.h.ServeHTTP(w, r)
}

func TestOCSPNonce(t *testing.T) {
	fixedNonce := bytes.Repeat([]byte{0x42}, 16)
	wantExt, _ := asn1.Marshal(fixedNonce)
	tests := []struct {
		name    string
		edit    func(*wireRequest)
		require bool
		wantErr error
	}{
		{name: "echoed"},
		{name: "echoed, required", require: true},
		{name: "different nonce back", edit: func(r *wireRequest) {
			v, _ := asn1.Marshal(bytes.Repeat([]byte{7}, 16))
			r.TBS.Extensions = []pkix.Extension{{Id: certs.OIDOCSPNonce, Value: v}}
		}, wantErr: certs.ErrNonce},
		{name: "not echoed", edit: func(r *wireRequest) { r.TBS.Extensions = nil }},
		{name: "not echoed, required", edit: func(r *wireRequest) { r.TBS.Extensions = nil }, require: true, wantErr: certs.ErrNonce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rw := &rewriting{h: pki.OCSPHandler(clock(now)), edit: tt.edit}
			srv, _ := ocspServer(t, rw)
			c := &certs.OCSPClient{URL: srv.URL, Rand: bytes.NewReader(fixedNonce), RequireNonce: tt.require}
			st, err := c.Status(t.Context(), pki.Leaves[testpki.Individual].Cert, pki.Intermediate, now)
			if tt.wantErr == nil && (st != certs.StatusGood || err != nil) {
				t.Fatalf("%v, %v; want good", st, err)
			}
			if tt.wantErr != nil && (st != certs.StatusUnknown || !errors.Is(err, tt.wantErr)) {
				t.Fatalf("%v, %v; want unknown, %v", st, err, tt.wantErr)
			}
			if len(rw.seen) != 1 {
				t.Fatalf("%d requests", len(rw.seen))
			}
			req := rw.seen[0]
			if len(req.TBS.Extensions) != 1 || !req.TBS.Extensions[0].Id.Equal(certs.OIDOCSPNonce) ||
				!bytes.Equal(req.TBS.Extensions[0].Value, wantExt) {
				t.Errorf("request extensions %+v, want the nonce %x", req.TBS.Extensions, wantExt)
			}
			var id wireCertID
			asn1.Unmarshal(req.TBS.RequestList[0].FullBytes, &id)
			if got := id.Cert.HashAlgorithm.Algorithm.String(); got != "2.16.840.1.101.3.4.2.1" {
				t.Errorf("CertID hash %s, want SHA-256", got)
			}
		})
	}
}

func TestOCSPCache(t *testing.T) {
	var mu sync.Mutex
	cur := now
	responderNow := func() time.Time { mu.Lock(); defer mu.Unlock(); return cur }
	srv, n := ocspServer(t, pki.OCSPHandler(responderNow))
	tryLater, nTry := ocspServer(t, fixed(testpki.FailureResponse(ocsp.TryLater)))
	tests := []struct {
		name     string
		url      string
		cert     string
		at       time.Time
		want     certs.RevocationStatus
		requests *int
		wantN    int
	}{
		{"first good asks", srv.URL, testpki.Individual, now, certs.StatusGood, n, 1},
		{"good within validity is cached", srv.URL, testpki.Individual, now.Add(5 * time.Minute), certs.StatusGood, n, 1},
		{"first revoked asks", srv.URL, testpki.Revoked, now, certs.StatusRevoked, n, 2},
		{"revoked is cached", srv.URL, testpki.Revoked, now.Add(time.Minute), certs.StatusRevoked, n, 2},
		{"past NextUpdate asks again", srv.URL, testpki.Individual, now.Add(testpki.OCSPValidity + time.Second), certs.StatusGood, n, 3},
		{"tryLater asks", tryLater.URL, testpki.Individual, now, certs.StatusUnknown, nTry, 1},
		{"tryLater is not cached", tryLater.URL, testpki.Individual, now, certs.StatusUnknown, nTry, 2},
	}
	clients := map[string]*certs.OCSPClient{srv.URL: {URL: srv.URL}, tryLater.URL: {URL: tryLater.URL}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			cur = tt.at
			mu.Unlock()
			st, err := clients[tt.url].Status(t.Context(), pki.Leaves[tt.cert].Cert, pki.Intermediate, tt.at)
			if st != tt.want {
				t.Errorf("status %v (%v), want %v", st, err, tt.want)
			}
			if *tt.requests != tt.wantN {
				t.Errorf("%d requests, want %d", *tt.requests, tt.wantN)
			}
		})
	}
}

func TestOCSPUnknown(t *testing.T) {
	down := httptest.NewServer(nil)
	down.Close()
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Second):
		}
	})
	notIssued, err := testpki.Template(testpki.Individual, now, "")
	if err != nil {
		t.Fatal(err)
	}
	handler := func(h http.Handler) string { srv, _ := ocspServer(t, h); return srv.URL }
	tests := []struct {
		name string
		url  string
	}{
		{name: "tryLater", url: handler(fixed(testpki.FailureResponse(ocsp.TryLater)))},
		{name: "unauthorized", url: handler(fixed(testpki.FailureResponse(ocsp.Unauthorized)))},
		{name: "malformed", url: handler(fixed(testpki.FailureResponse(ocsp.Malformed)))},
		{name: "internalError", url: handler(fixed(testpki.FailureResponse(ocsp.InternalError)))},
		{name: "garbage", url: handler(fixed([]byte("<html>proxy error</html>")))},
		{name: "HTTP 503", url: handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))},
		{name: "signed by another CA", url: handler(otherPKI.OCSPHandler(clock(now)))},
		{name: "answer already stale", url: handler(pki.OCSPHandler(clock(now.Add(-time.Hour))))},
		{name: "answer from the future", url: handler(pki.OCSPHandler(clock(now.Add(time.Hour))))},
		{name: "timeout", url: handler(slow)},
		{name: "responder down", url: down.URL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &certs.OCSPClient{URL: tt.url, Timeout: 300 * time.Millisecond}
			st, err := c.Status(t.Context(), pki.Leaves[testpki.Individual].Cert, pki.Intermediate, now)
			if st != certs.StatusUnknown || err == nil {
				t.Fatalf("%v, %v; want unknown with an error", st, err)
			}
			t.Log(err)
		})
	}
	t.Run("responder does not know the certificate", func(t *testing.T) {
		srv, _ := ocspServer(t, pki.OCSPHandler(clock(now)))
		notIssued.SerialNumber.SetInt64(12345)
		c := &certs.OCSPClient{URL: srv.URL}
		if st, err := c.Status(t.Context(), notIssued, pki.Intermediate, now); st != certs.StatusUnknown || err == nil {
			t.Fatalf("%v, %v", st, err)
		}
	})
	t.Run("CA without AIA is not covered", func(t *testing.T) {
		c := &certs.OCSPClient{URL: "http://127.0.0.1:1/"}
		if st, err := c.Status(t.Context(), pki.Intermediate, pki.Root, now); st != certs.StatusUnknown || !errors.Is(err, certs.ErrNotCovered) {
			t.Fatalf("%v, %v", st, err)
		}
	})
}

func TestOCSPDelegatedResponder(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	responder := func(eku []x509.ExtKeyUsage, notAfter time.Time) *x509.Certificate {
		c, err := pki.Issue("ocsp", key, &x509.Certificate{
			SerialNumber: big.NewInt(time.Now().UnixNano()),
			Subject:      pkix.Name{CommonName: "TEST OCSP RESPONDER"},
			NotBefore:    now.Add(-time.Hour), NotAfter: notAfter,
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: eku,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c.Cert
	}
	ocspEKU := []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
	tests := []struct {
		name string
		cert *x509.Certificate
		key  crypto.Signer
		want certs.RevocationStatus
	}{
		{"delegated responder", responder(ocspEKU, now.AddDate(0, 1, 0)), key, certs.StatusGood},
		{"responder certificate expired", responder(ocspEKU, now.Add(-time.Minute)), key, certs.StatusUnknown},
		{"certificate without OCSPSigning", responder(nil, now.AddDate(0, 1, 0)), key, certs.StatusUnknown},
		{"a subscriber vouches for itself", pki.Leaves[testpki.Individual].Cert, pki.Leaves[testpki.Individual].Key, certs.StatusUnknown},
		{"responder from another CA", otherPKI.Intermediate, otherPKI.IntermediateKey, certs.StatusUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := ocspServer(t, pki.OCSPHandlerSignedBy(clock(now), tt.cert, tt.key))
			c := &certs.OCSPClient{URL: srv.URL}
			st, err := c.Status(t.Context(), pki.Leaves[testpki.Individual].Cert, pki.Intermediate, now)
			if st != tt.want {
				t.Fatalf("%v (%v), want %v", st, err, tt.want)
			}
			t.Log(err)
		})
	}
}
