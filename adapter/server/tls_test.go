package server

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/gateway"
	"github.com/isb-region/shepadapter/adapter/sample"
)

// tlsCred is a key and certificate for the TLS tests.
type tlsCred struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func issueTLS(t *testing.T, tmpl *x509.Certificate, parent *tlsCred) *tlsCred {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	signer, issuer := key, tmpl
	if parent != nil {
		signer, issuer = parent.key, parent.cert
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &tlsCred{cert, key}
}

func (c *tlsCred) write(t *testing.T, dir, name string) (certFile, keyFile string) {
	t.Helper()
	certFile, keyFile = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	kb, _ := x509.MarshalECPrivateKey(c.key)
	if os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw}), 0o600) != nil ||
		os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600) != nil {
		t.Fatal("write TLS files")
	}
	return certFile, keyFile
}

func (c *tlsCred) tls() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{c.cert.Raw}, PrivateKey: c.key, Leaf: c.cert}
}

// TestTLSClientCertificatePin: the server speaks TLS, requires a client
// certificate from the configured CA, and a sender pinned to one gateway
// certificate is refused when another (equally valid) one calls as it.
func TestTLSClientCertificatePin(t *testing.T) {
	p := testPKI(t)
	dir := t.TempDir()
	ca := issueTLS(t, &x509.Certificate{Subject: pkix.Name{CommonName: "test TLS CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}, nil)
	srvCert := issueTLS(t, &x509.Certificate{Subject: pkix.Name{CommonName: "adapter"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}, ca)
	client := func(cn string) *tlsCred {
		return issueTLS(t, &x509.Certificate{Subject: pkix.Name{CommonName: cn},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}, ca)
	}
	pinned, other := client("gateway"), client("someone else")
	caFile, _ := ca.write(t, dir, "ca")
	certFile, keyFile := srvCert.write(t, dir, "server")

	cfg := testConfig(t, p)
	cfg.PlainHTTP = false
	cfg.TLS = TLSConfig{CertFile: certFile, KeyFile: keyFile, ClientCAFile: caFile}
	pin := sha256.Sum256(pinned.cert.Raw)
	hash, _ := hashOnce()
	cfg.Senders = append(cfg.Senders, gateway.SenderConfig{ID: "pinned", Channel: adapter.ChannelPortal, PasswordHash: hash, ClientCertSHA256: hex.EncodeToString(pin[:])})
	r := start(t, cfg)
	url := "https://" + r.URL[len("http://"):] + "/shep/sync"

	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	call := func(cred *tlsCred, body []byte) (int, []byte, error) {
		tc := &tls.Config{RootCAs: roots}
		if cred != nil {
			tc.Certificates = []tls.Certificate{cred.tls()}
		}
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: tc}}
		resp, err := c.Post(url, "text/xml", bytes.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b, nil
	}
	asPinned := func() []byte { return request(t, p, func(o *sample.Options) { o.SenderID = "pinned" }) }

	if code, body, err := call(pinned, asPinned()); err != nil || code != http.StatusOK {
		t.Fatalf("pinned certificate: %v HTTP %d\n%s", err, code, body)
	}
	code, body, err := call(other, asPinned())
	if err != nil {
		t.Fatal(err)
	}
	if gw, sub := fault(t, body); code != http.StatusInternalServerError || gw != "SCE001" || sub != string(adapter.CodeClientCert) {
		t.Fatalf("other certificate as the pinned sender: HTTP %d %s %s", code, gw, sub)
	}
	if code, _, err := call(other, request(t, p, nil)); err != nil || code != http.StatusOK {
		t.Fatalf("unpinned sender with a valid client certificate: %v %d", err, code)
	}
	if _, _, err := call(nil, request(t, p, nil)); err == nil {
		t.Fatal("a call without a client certificate got through")
	}
}
