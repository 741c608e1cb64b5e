package testpki

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/isb-region/shepadapter/signing/certs"
)

// Load reads an authority written by Init.
func Load(dir string) (*PKI, error) {
	p := &PKI{Dir: dir, Leaves: map[string]*Credential{}, RevokedSerials: map[string]time.Time{}, issued: map[string]bool{}}
	var err error
	if p.RootKey, p.Root, err = loadPair(filepath.Join(dir, "ca", "root.key.pem"), filepath.Join(dir, "trust", "root.pem")); err != nil {
		return nil, err
	}
	if p.IntermediateKey, p.Intermediate, err = loadPair(filepath.Join(dir, "ca", "intermediate.key.pem"), filepath.Join(dir, "trust", "intermediate.pem")); err != nil {
		return nil, err
	}
	for _, name := range LeafNames {
		key, cert, err := loadPair(filepath.Join(dir, name+".key.pem"), filepath.Join(dir, name+".cert.pem"))
		if err != nil {
			return nil, err
		}
		p.Leaves[name] = &Credential{Name: name, Key: key, Cert: cert, Chain: []*x509.Certificate{cert, p.Intermediate}}
		p.markIssued(cert)
	}
	for _, f := range []string{"full.crl", "delta.crl"} {
		der, err := os.ReadFile(filepath.Join(dir, "crl", f))
		if err != nil {
			return nil, err
		}
		rl, err := x509.ParseRevocationList(der)
		if err != nil {
			return nil, fmt.Errorf("testpki: %s: %w", f, err)
		}
		for _, e := range rl.RevokedCertificateEntries {
			p.RevokedSerials[e.SerialNumber.Text(16)] = e.RevocationTime
		}
	}
	return p, nil
}

// loadPair reads a PEM key and its certificate with the loader the adapter
// itself uses, which also checks that they belong together.
func loadPair(keyPath, certPath string) (crypto.Signer, *x509.Certificate, error) {
	key, chain, err := certs.LoadPEM(keyPath, certPath)
	if err != nil {
		return nil, nil, fmt.Errorf("testpki: %w", err)
	}
	return key, chain[0], nil
}
