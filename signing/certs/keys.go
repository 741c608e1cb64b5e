package certs

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"software.sslmate.com/src/go-pkcs12"
)

// ErrWrongPassword is returned (wrapped) when a PKCS#12 password is wrong.
var ErrWrongPassword = errors.New("wrong PKCS#12 password")

// ErrKeyMismatch is returned when no certificate matches the private key.
var ErrKeyMismatch = errors.New("private key does not match the certificate")

// LoadP12 reads a PKCS#12 file: the signing key and its certificates, leaf
// first, then the CA certificates the file carries.
func LoadP12(path, password string) (crypto.Signer, []*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("certs: %w", err)
	}
	key, leaf, cas, err := pkcs12.DecodeChain(b, password)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return nil, nil, fmt.Errorf("certs: %s: %w", path, ErrWrongPassword)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("certs: %s: %w", path, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, fmt.Errorf("certs: %s: key type %T cannot sign", path, key)
	}
	chain := append([]*x509.Certificate{leaf}, cas...)
	if chain, err = leafFirst(signer, chain); err != nil {
		return nil, nil, fmt.Errorf("certs: %s: %w", path, err)
	}
	return signer, chain, nil
}

// LoadPEM reads a PEM private key (PKCS#8, PKCS#1 RSA or SEC 1 EC) and a PEM
// certificate file that may hold the chain; the key's certificate comes first.
func LoadPEM(keyPath, certPath string) (crypto.Signer, []*x509.Certificate, error) {
	b, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, fmt.Errorf("certs: %w", err)
	}
	signer, err := parseKey(b)
	if err != nil {
		return nil, nil, fmt.Errorf("certs: %s: %w", keyPath, err)
	}
	certs, err := readCerts(certPath)
	if err != nil {
		return nil, nil, err
	}
	if certs, err = leafFirst(signer, certs); err != nil {
		return nil, nil, fmt.Errorf("certs: %s: %w", certPath, err)
	}
	return signer, certs, nil
}

func parseKey(b []byte) (crypto.Signer, error) {
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return nil, errors.New("no private key PEM block")
		}
		if _, enc := blk.Headers["Proc-Type"]; enc {
			// Legacy PEM encryption is broken (RFC 1423, unauthenticated): refuse it.
			return nil, errors.New("encrypted PEM keys are not supported; use PKCS#12")
		}
		var key any
		var err error
		switch blk.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(blk.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("encrypted PKCS#8 keys are not supported; use PKCS#12")
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		s, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("key type %T cannot sign", key)
		}
		return s, nil
	}
}

// leafFirst moves the certificate holding key's public key to the front;
// signing with a key whose certificate we do not send would always fail.
func leafFirst(key crypto.Signer, certs []*x509.Certificate) ([]*x509.Certificate, error) {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := key.Public().(equaler)
	if !ok {
		return nil, ErrKeyMismatch
	}
	for i, c := range certs {
		if pub.Equal(c.PublicKey) {
			out := append([]*x509.Certificate{c}, certs[:i]...)
			return append(out, certs[i+1:]...), nil
		}
	}
	return nil, ErrKeyMismatch
}
