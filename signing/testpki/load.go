package testpki

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Load reads an authority written by Init.
func Load(dir string) (*PKI, error) {
	p := &PKI{Dir: dir, Leaves: map[string]*Credential{}, RevokedSerials: map[string]time.Time{}, issued: map[string]bool{}}
	var err error
	if p.Root, err = readCert(filepath.Join(dir, "trust", "root.pem")); err != nil {
		return nil, err
	}
	if p.Intermediate, err = readCert(filepath.Join(dir, "trust", "intermediate.pem")); err != nil {
		return nil, err
	}
	if p.RootKey, err = readKey(filepath.Join(dir, "ca", "root.key.pem")); err != nil {
		return nil, err
	}
	if p.IntermediateKey, err = readKey(filepath.Join(dir, "ca", "intermediate.key.pem")); err != nil {
		return nil, err
	}
	for _, name := range LeafNames {
		key, err := readKey(filepath.Join(dir, name+".key.pem"))
		if err != nil {
			return nil, err
		}
		cert, err := readCert(filepath.Join(dir, name+".cert.pem"))
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

// readCert reads the first certificate of a PEM file.
func readCert(path string) (*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("testpki: %s: %w", path, errNoPEM)
	}
	return x509.ParseCertificate(blk.Bytes)
}

// readKey reads a PKCS#8 PEM private key.
func readKey(path string) (crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("testpki: %s: %w", path, errNoPEM)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("testpki: %s: key is not a signer", path)
	}
	return s, nil
}
