package dsig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
)

// testKey is a throwaway key with a certificate issued by the test CA.
type testKey struct {
	name     string
	key      crypto.Signer
	cert     *x509.Certificate
	keyPEM   string // path
	certPEM  string // path
	combined string // "key.pem,cert.pem" for xmlsec1 --privkey-pem
}

type testPKI struct {
	dir   string
	caPEM string
	ca    *x509.Certificate
	rsa   *testKey
	ec    *testKey
	ec384 *testKey
}

var (
	pkiOnce sync.Once
	pki     *testPKI
	pkiErr  error
)

// getPKI generates (once per test binary) a CA and RSA/ECDSA leaves in a
// temporary directory.
func getPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki, pkiErr = newPKI() })
	if pkiErr != nil {
		t.Fatalf("test PKI: %v", pkiErr)
	}
	return pki
}

func newPKI() (*testPKI, error) {
	dir, err := os.MkdirTemp("", "dsig-pki-")
	if err != nil {
		return nil, err
	}
	p := &testPKI{dir: dir}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := certTemplate("Test Root CA", 1)
	caTmpl.IsCA, caTmpl.BasicConstraintsValid = true, true
	caTmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	if p.ca, err = issue(caTmpl, caTmpl, caKey.Public(), caKey); err != nil {
		return nil, err
	}
	p.caPEM = filepath.Join(dir, "ca.pem")
	if err := writePEM(p.caPEM, "CERTIFICATE", p.ca.Raw); err != nil {
		return nil, err
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for i, k := range []struct {
		name string
		key  crypto.Signer
		dst  **testKey
	}{{"rsa", rsaKey, &p.rsa}, {"ec", ecKey, &p.ec}, {"ec384", ec384, &p.ec384}} {
		tk, err := p.leaf(k.name, k.key, caKey, int64(i+2))
		if err != nil {
			return nil, err
		}
		*k.dst = tk
	}
	return p, nil
}

func certTemplate(cn string, serial int64) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn, SerialNumber: "IIN921029350851"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
}

func issue(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func (p *testPKI) leaf(name string, key crypto.Signer, caKey crypto.Signer, serial int64) (*testKey, error) {
	tmpl := certTemplate("Test "+name, serial)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
	cert, err := issue(tmpl, p.ca, key.Public(), caKey)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	tk := &testKey{name: name, key: key, cert: cert,
		keyPEM: filepath.Join(p.dir, name+"-key.pem"), certPEM: filepath.Join(p.dir, name+"-cert.pem")}
	tk.combined = tk.keyPEM + "," + tk.certPEM
	if err := writePEM(tk.keyPEM, "PRIVATE KEY", der); err != nil {
		return nil, err
	}
	return tk, writePEM(tk.certPEM, "CERTIFICATE", cert.Raw)
}

func writePEM(path, typ string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600)
}

func (k *testKey) signer(c14n string) *Signer {
	return &Signer{Key: k.key, Certs: []*x509.Certificate{k.cert}, C14N: c14n}
}

// xmlsec1 runs the real xmlsec1; a missing binary fails the test (it is a
// required peer, not optional).
func xmlsec1(t testing.TB, args ...string) (string, error) {
	t.Helper()
	path, err := exec.LookPath("xmlsec1")
	if err != nil {
		t.Fatalf("xmlsec1 is required for interop tests (apt-get install xmlsec1): %v", err)
	}
	var out bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.String(), err
}

func mustParse(t testing.TB, b []byte) *etree.Document {
	t.Helper()
	doc, err := Parse(b, DefaultLimits())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return doc
}

// mustWrite serialises so that the document round-trips: etree's default
// settings write CR and attribute TAB/LF raw, which a parser normalises.
func mustWrite(t testing.TB, doc *etree.Document) []byte {
	t.Helper()
	doc.WriteSettings.CanonicalAttrVal = true
	doc.WriteSettings.CanonicalText = true
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func fill(tmpl []byte, kv ...string) []byte {
	return []byte(strings.NewReplacer(kv...).Replace(string(tmpl)))
}

// wantReason fails unless err is an *Error with reason r.
func wantReason(t testing.TB, err error, r Reason) {
	t.Helper()
	var de *Error
	if !asError(err, &de) || de.Reason != r {
		t.Fatalf("want reason %s, got %v", r, err)
	}
}

var allC14N = []string{C14NExclusive, C14NExclusiveWithComments, C14N10, C14N10WithComments, C14N11, C14N11WithComments}

func shortC14N(u string) string {
	u = strings.TrimPrefix(u, "http://www.w3.org/")
	return strings.NewReplacer("/", "_", "#", "_").Replace(u)
}

func asError(err error, target **Error) bool { return errors.As(err, target) }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
