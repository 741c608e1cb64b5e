package certs_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/testpki"
)

// roundTrip signs with the loaded key and verifies with the loaded leaf.
func roundTrip(t *testing.T, name string, key crypto.Signer, chain []*x509.Certificate) {
	t.Helper()
	want := pki.Leaves[name]
	if len(chain) != 2 || !chain[0].Equal(want.Cert) || !chain[1].Equal(pki.Intermediate) {
		t.Fatalf("chain of %d, leaf first expected", len(chain))
	}
	digest := sha256.Sum256([]byte("shepadapter"))
	sig, err := key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	switch pub := chain[0].PublicKey.(type) {
	case *rsa.PublicKey:
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, digest[:], sig) {
			err = errors.New("ECDSA signature does not verify")
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestLoadP12(t *testing.T) {
	for _, name := range []string{testpki.Individual, testpki.Gateway, testpki.ECDSA} {
		t.Run(name, func(t *testing.T) {
			key, chain, err := certs.LoadP12(pki.Path(name+".p12"), testpki.DefaultPassword)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, name, key, chain)
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		_, _, err := certs.LoadP12(pki.Path("individual.p12"), "nope")
		if !errors.Is(err, certs.ErrWrongPassword) || !strings.Contains(err.Error(), "individual.p12: wrong PKCS#12 password") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		if _, _, err := certs.LoadP12(pki.Path("nobody.p12"), "test"); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestLoadPEM(t *testing.T) {
	dir := t.TempDir()
	// The same keys in the legacy encodings LoadPEM also reads.
	pkcs1 := writeFile(t, filepath.Join(dir, "gateway.pkcs1.pem"),
		pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(pki.Leaves[testpki.Gateway].Key.(*rsa.PrivateKey))))
	ecDER, err := x509.MarshalECPrivateKey(pki.Leaves[testpki.ECDSA].Key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	sec1 := writeFile(t, filepath.Join(dir, "ecdsa.sec1.pem"), pemBlock("EC PRIVATE KEY", ecDER))
	// Chain in the wrong order: the key's certificate must still come first.
	reversed := writeFile(t, filepath.Join(dir, "reversed.pem"),
		append(pemBlock("CERTIFICATE", pki.Intermediate.Raw), pemBlock("CERTIFICATE", pki.Leaves[testpki.Individual].Cert.Raw)...))
	tests := []struct {
		name, leaf, key, cert string
		wantErr               error
	}{
		{"PKCS#8 RSA", testpki.Individual, pki.Path("individual.key.pem"), pki.Path("individual.cert.pem"), nil},
		{"PKCS#8 EC", testpki.ECDSA, pki.Path("ecdsa.key.pem"), pki.Path("ecdsa.cert.pem"), nil},
		{"PKCS#1", testpki.Gateway, pkcs1, pki.Path("gateway.cert.pem"), nil},
		{"SEC 1", testpki.ECDSA, sec1, pki.Path("ecdsa.cert.pem"), nil},
		{"leaf not first in file", testpki.Individual, pki.Path("individual.key.pem"), reversed, nil},
		{"key of another cert", testpki.Individual, pki.Path("legal.key.pem"), pki.Path("individual.cert.pem"), certs.ErrKeyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, chain, err := certs.LoadPEM(tt.key, tt.cert)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, tt.leaf, key, chain)
		})
	}
}

func TestLoadTrust(t *testing.T) {
	dir := t.TempDir()
	der := writeFile(t, filepath.Join(dir, "root.cer"), pki.Root.Raw)
	tests := []struct {
		name        string
		paths       []string
		roots, ints int
		wantErr     bool
	}{
		{"testpki trust dir", []string{pki.Path("trust")}, 1, 1, false},
		{"files", []string{pki.Path("trust", "root.pem"), pki.Path("trust", "intermediate.pem")}, 1, 1, false},
		{"DER root", []string{der}, 1, 0, false},
		{"intermediate only", []string{pki.Path("trust", "intermediate.pem")}, 0, 0, true},
		{"missing", []string{filepath.Join(dir, "nope")}, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := certs.LoadTrust(tt.paths...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && (len(tr.Roots()) != tt.roots || len(tr.Intermediates()) != tt.ints) {
				t.Fatalf("%d roots, %d intermediates", len(tr.Roots()), len(tr.Intermediates()))
			}
		})
	}
}
