package certs

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Trust holds the trust anchors (roots) and known intermediate CAs.
type Trust struct {
	roots, intermediates         *x509.CertPool
	rootCerts, intermediateCerts []*x509.Certificate
}

// NewTrust returns a Trust with the given roots and intermediates.
func NewTrust(roots, intermediates []*x509.Certificate) *Trust {
	t := &Trust{roots: x509.NewCertPool(), intermediates: x509.NewCertPool()}
	for _, c := range roots {
		t.roots.AddCert(c)
		t.rootCerts = append(t.rootCerts, c)
	}
	for _, c := range intermediates {
		t.intermediates.AddCert(c)
		t.intermediateCerts = append(t.intermediateCerts, c)
	}
	return t
}

// Roots returns the trust anchors.
func (t *Trust) Roots() []*x509.Certificate { return t.rootCerts }

// Intermediates returns the known intermediate CAs.
func (t *Trust) Intermediates() []*x509.Certificate { return t.intermediateCerts }

// LoadTrust reads certificates from files and directories (not recursive:
// *.pem, *.crt, *.cer, *.der), PEM or DER. Self-signed certificates become
// roots, the others intermediates.
func LoadTrust(paths ...string) (*Trust, error) {
	var roots, inter []*x509.Certificate
	for _, p := range paths {
		files, err := trustFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			certs, err := readCerts(f)
			if err != nil {
				return nil, err
			}
			for _, c := range certs {
				if selfSigned(c) {
					roots = append(roots, c)
				} else {
					inter = append(inter, c)
				}
			}
		}
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("certs: no root certificate in %s", strings.Join(paths, ", "))
	}
	return NewTrust(roots, inter), nil
}

func trustFiles(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("certs: trust: %w", err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, fmt.Errorf("certs: trust: %w", err)
	}
	var out []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".pem", ".crt", ".cer", ".der":
			if !e.IsDir() {
				out = append(out, filepath.Join(p, e.Name()))
			}
		}
	}
	return out, nil
}

// readCerts parses every certificate of a PEM file, or a single DER one.
func readCerts(path string) ([]*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("certs: %w", err)
	}
	certs, err := parseCerts(b)
	if err != nil {
		return nil, fmt.Errorf("certs: %s: %w", path, err)
	}
	return certs, nil
}

var errNoCert = errors.New("no certificate found")

func parseCerts(b []byte) ([]*x509.Certificate, error) {
	if !bytes.Contains(b, []byte("-----BEGIN")) {
		c, err := x509.ParseCertificate(b)
		if err != nil {
			return nil, err
		}
		return []*x509.Certificate{c}, nil
	}
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errNoCert
	}
	return out, nil
}

// selfSigned reports whether c names and verifies itself: a trust anchor.
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(c) == nil
}
