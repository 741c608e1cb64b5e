package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/isb-region/shepadapter/adapter/gateway"
	"github.com/isb-region/shepadapter/signing/testpki"
)

// demoConfig is the configuration `serve --demo` writes once. Paths are
// relative to the file. Revocation comes from the test PKI's CRLs, which
// the demo re-issues in the background so they never go stale.
const demoConfig = `# Written by 'shepadapter serve --demo'. A demo: plain HTTP, test PKI, embedded store.
listen: ":8080"
plainHTTP: true
dataDir: data
signing:
  trust: [pki/trust]
  crls: [pki/crl/full.crl, pki/crl/delta.crl]
  crlRefresh: 5m
  checkIINBIN: true
  key:
    p12: pki/employee.p12
    password: test
senders:
  - id: demo-portal
    channel: portal
    passwordHash: "%[1]s"
  - id: demo-centre
    channel: service-centre
    passwordHash: "%[1]s"
  - id: demo-desk
    channel: desk
    passwordHash: "%[1]s"
`

// setupDemo creates dir/pki, dir/config.yaml and the demo sender's password
// on first use, refreshes the CRLs, prints how to call the adapter and
// returns the config path.
func setupDemo(dir string, out io.Writer) (string, error) {
	pkiDir := filepath.Join(dir, "pki")
	if _, err := os.Stat(filepath.Join(pkiDir, "trust")); errors.Is(err, fs.ErrNotExist) {
		if err := testpki.Init(pkiDir, testpki.Options{}); err != nil {
			return "", fmt.Errorf("test PKI: %w", err)
		}
	}
	if err := reissueCRLs(pkiDir, time.Now()); err != nil {
		return "", err
	}
	pwFile := filepath.Join(dir, "sender-password")
	pw, err := os.ReadFile(pwFile)
	if errors.Is(err, fs.ErrNotExist) {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		pw = []byte(hex.EncodeToString(b))
		if err := os.WriteFile(pwFile, pw, 0o600); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	password := strings.TrimSpace(string(pw))
	cfgPath := filepath.Join(dir, "config.yaml")
	if _, err := os.Stat(cfgPath); errors.Is(err, fs.ErrNotExist) {
		hash, err := gateway.HashPassword(password)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf(demoConfig, hash)), 0o600); err != nil {
			return "", err
		}
	}
	fmt.Fprintf(out, `shepadapter demo (config %s, test PKI %s)
  senders demo-portal, demo-centre, demo-desk; password %s
  send a signed sample request:
    bin/shepadapter request new --pki %s --sender demo-portal --password %s \
      | curl -sS -H 'Content-Type: text/xml; charset=utf-8' --data-binary @- http://localhost:8080/shep/sync
  a refusal: add --signer revoked (or expired, auth) to 'request new'
  contract: http://localhost:8080/shep/sync?wsdl   health: /healthz /readyz   metrics: /metrics
`, cfgPath, pkiDir, password, pkiDir, password)
	return cfgPath, nil
}

// reissueCRLs writes fresh CRLs numbered by the minute, so each is newer.
func reissueCRLs(pkiDir string, now time.Time) error {
	p, err := testpki.Load(pkiDir)
	if err != nil {
		return fmt.Errorf("test PKI: %w", err)
	}
	return p.WriteCRLs(now, now.Unix()/60*2)
}

// refreshDemoCRLs keeps the demo's delta CRL (valid an hour) fresh.
func refreshDemoCRLs(ctx context.Context, pkiDir string, log *slog.Logger) {
	t := time.NewTicker(20 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if err := reissueCRLs(pkiDir, now); err != nil {
				log.Error("demo CRL refresh", "error", err)
			}
		}
	}
}
