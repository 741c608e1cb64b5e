package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// DefaultPassword protects the .p12 files when Options.Password is empty.
const DefaultPassword = "test"

// Options tunes Init.
type Options struct {
	Password string    // PKCS#12 password; DefaultPassword if empty
	Now      time.Time // the authority's "now"; time.Now() if zero
	Rand     io.Reader // serial numbers and signatures; crypto/rand if nil
	OCSPURL  string    // written into each leaf's AIA (OCSP) if set
}

// PKI is a loaded test authority.
type PKI struct {
	Dir             string                 // where Init wrote it
	Root            *x509.Certificate      // self-signed trust anchor
	RootKey         crypto.Signer          // signs the intermediate
	Intermediate    *x509.Certificate      // issues leaves, CRLs and OCSP answers
	IntermediateKey crypto.Signer          // the intermediate's key
	Leaves          map[string]*Credential // by name, see LeafNames
	// RevokedSerials lists the serials the full and delta CRLs revoke, with
	// their revocation times; the OCSP responder answers from it.
	RevokedSerials map[string]time.Time

	mu     sync.Mutex
	issued map[string]bool // serial (hex) of every leaf the intermediate issued
}

// Credential is one leaf: its key, certificate and chain (leaf, intermediate).
type Credential struct {
	Name  string              // one of LeafNames, or what Issue was given
	Key   crypto.Signer       // private key (RSA-2048 or P-256)
	Cert  *x509.Certificate   // the leaf
	Chain []*x509.Certificate // leaf, intermediate
}

// Init creates a fresh authority in dir (created if missing).
func Init(dir string, opt Options) error {
	if opt.Password == "" {
		opt.Password = DefaultPassword
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Rand == nil {
		opt.Rand = rand.Reader
	}
	for _, d := range []string{"trust", "ca", "crl"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	p, err := newCA(opt)
	if err != nil {
		return err
	}
	p.Dir = dir
	if err := p.writeCA(); err != nil {
		return err
	}
	for _, name := range LeafNames {
		c, err := p.issueProfile(name, opt)
		if err != nil {
			return fmt.Errorf("testpki: %s: %w", name, err)
		}
		if err := writeLeaf(dir, c, opt); err != nil {
			return fmt.Errorf("testpki: %s: %w", name, err)
		}
		p.Leaves[name] = c
	}
	rev := p.Leaves[Revoked].Cert.SerialNumber
	full, err := p.CRL(CRLSpec{Number: 1, ThisUpdate: opt.Now, NextUpdate: opt.Now.Add(24 * time.Hour),
		Revoked: []*big.Int{rev}, RevokedAt: opt.Now.Add(-time.Hour)})
	if err != nil {
		return err
	}
	delta, err := p.CRL(CRLSpec{Number: 2, Base: 1, ThisUpdate: opt.Now, NextUpdate: opt.Now.Add(time.Hour)})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "crl", "full.crl"), full, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "crl", "delta.crl"), delta, 0o644)
}

func newCA(opt Options) (*PKI, error) {
	rootKey, err := rsa.GenerateKey(opt.Rand, 2048)
	if err != nil {
		return nil, err
	}
	root := &x509.Certificate{
		SerialNumber: randSerial(opt.Rand),
		Subject:      pkix.Name{CommonName: "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ TEST ROOT (RSA)", Country: []string{"KZ"}},
		NotBefore:    opt.Now.AddDate(-1, 0, 0), NotAfter: opt.Now.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true, IsCA: true, MaxPathLen: 1,
	}
	rootCert, err := sign(opt.Rand, root, root, rootKey.Public(), rootKey)
	if err != nil {
		return nil, err
	}
	intKey, err := rsa.GenerateKey(opt.Rand, 2048)
	if err != nil {
		return nil, err
	}
	inter := &x509.Certificate{
		SerialNumber: randSerial(opt.Rand),
		Subject:      pkix.Name{CommonName: "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ TEST (RSA)", Country: []string{"KZ"}},
		NotBefore:    opt.Now.AddDate(-1, 0, 0), NotAfter: opt.Now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true, IsCA: true, MaxPathLen: 0, MaxPathLenZero: true,
	}
	intCert, err := sign(opt.Rand, inter, rootCert, intKey.Public(), rootKey)
	if err != nil {
		return nil, err
	}
	return &PKI{Root: rootCert, RootKey: rootKey, Intermediate: intCert, IntermediateKey: intKey,
		Leaves: map[string]*Credential{}, RevokedSerials: map[string]time.Time{}, issued: map[string]bool{}}, nil
}

func (p *PKI) writeCA() error {
	files := map[string][]byte{
		"trust/root.pem":         certPEM(p.Root),
		"trust/intermediate.pem": certPEM(p.Intermediate),
	}
	for name, k := range map[string]crypto.Signer{"ca/root.key.pem": p.RootKey, "ca/intermediate.key.pem": p.IntermediateKey} {
		b, err := keyPEM(k)
		if err != nil {
			return err
		}
		files[name] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(p.Dir, name), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// issueProfile generates a key and issues the named profile's certificate.
func (p *PKI) issueProfile(name string, opt Options) (*Credential, error) {
	prof, ok := profiles[name]
	if !ok {
		return nil, fmt.Errorf("unknown profile %q", name)
	}
	var key crypto.Signer
	var err error
	if prof.ecdsa {
		key, err = ecdsa.GenerateKey(elliptic.P256(), opt.Rand)
	} else {
		key, err = rsa.GenerateKey(opt.Rand, 2048)
	}
	if err != nil {
		return nil, err
	}
	return p.Issue(name, key, prof.template(name, randSerial(opt.Rand), opt.Now, opt.OCSPURL))
}

// Template returns the unsigned certificate the named profile would issue at
// now, for tests that mutate it (say, a bad IIN) before calling Issue.
func Template(name string, now time.Time, ocspURL string) (*x509.Certificate, error) {
	prof, ok := profiles[name]
	if !ok {
		return nil, fmt.Errorf("testpki: unknown profile %q", name)
	}
	return prof.template(name, randSerial(rand.Reader), now, ocspURL), nil
}

// Issue signs tmpl for key with the intermediate and records the serial as
// issued, so the OCSP responder answers "good" for it. It writes no files.
func (p *PKI) Issue(name string, key crypto.Signer, tmpl *x509.Certificate) (*Credential, error) {
	cert, err := sign(rand.Reader, tmpl, p.Intermediate, key.Public(), p.IntermediateKey)
	if err != nil {
		return nil, err
	}
	p.markIssued(cert)
	return &Credential{Name: name, Key: key, Cert: cert, Chain: []*x509.Certificate{cert, p.Intermediate}}, nil
}

func (p *PKI) markIssued(c *x509.Certificate) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.issued == nil {
		p.issued = map[string]bool{}
	}
	p.issued[c.SerialNumber.Text(16)] = true
}

func (p *PKI) wasIssued(serial *big.Int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.issued[serial.Text(16)]
}

// Trust returns the root, the only trust anchor.
func (p *PKI) Trust() []*x509.Certificate { return []*x509.Certificate{p.Root} }

// Intermediates returns the intermediate CA certificate.
func (p *PKI) Intermediates() []*x509.Certificate { return []*x509.Certificate{p.Intermediate} }

// Path returns the path of a file inside the authority's directory.
func (p *PKI) Path(elem ...string) string { return filepath.Join(append([]string{p.Dir}, elem...)...) }

func writeLeaf(dir string, c *Credential, opt Options) error {
	p12, err := pkcs12.Modern2023.WithRand(opt.Rand).Encode(c.Key, c.Cert, []*x509.Certificate{c.Chain[1]}, opt.Password)
	if err != nil {
		return err
	}
	kp, err := keyPEM(c.Key)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		c.Name + ".p12":      p12,
		c.Name + ".key.pem":  kp,
		c.Name + ".cert.pem": append(certPEM(c.Cert), certPEM(c.Chain[1])...),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func sign(r io.Reader, tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(r, tmpl, parent, pub, key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func randSerial(r io.Reader) *big.Int {
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		panic(err)
	}
	b[0] &= 0x7f
	b[0] |= 0x40 // positive and 16 bytes long
	return new(big.Int).SetBytes(b)
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func keyPEM(k crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

var errMalformed = errors.New("malformed OCSP request")
