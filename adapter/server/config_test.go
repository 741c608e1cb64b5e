package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfig(t *testing.T) {
	t.Setenv("SHEP_TEST_KEY_PASSWORD", "p@ss: with colon")
	path := writeConfig(t, `
listen: ":9443"
plainHTTP: true
redis: {url: "redis://127.0.0.1:6379/0", waitReplicas: 1, waitTimeout: 2s}
signing:
  trust: [pki/trust]
  crls: [crl/full.crl, "http://crl.example/full.crl"]
  key: {p12: keys/dept.p12, password: "${SHEP_TEST_KEY_PASSWORD}"}
senders:
  - {id: egov, channel: portal, passwordHash: "$2a$10$abcdefghijklmnopqrstuu0123456789012345678901234567890", clientCertSHA256: "ab"}
messageDatePast: 2h
`)
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	switch {
	case cfg.Listen != ":9443" || !cfg.PlainHTTP:
		t.Errorf("listen %q plain %v", cfg.Listen, cfg.PlainHTTP)
	case cfg.Signing.Key.Password != "p@ss: with colon":
		t.Errorf("${VAR} not expanded: %q", cfg.Signing.Key.Password)
	case cfg.Signing.Trust[0] != filepath.Join(dir, "pki/trust") || cfg.Signing.CRLs[1] != "http://crl.example/full.crl":
		t.Errorf("paths not resolved against the file: %v %v", cfg.Signing.Trust, cfg.Signing.CRLs)
	case cfg.Redis.WaitReplicas != 1 || cfg.Redis.WaitTimeout != 2*time.Second:
		t.Errorf("redis %+v", cfg.Redis)
	case cfg.MessageDatePast != 2*time.Hour || cfg.MessageDateFuture != 5*time.Minute || cfg.MaxBodyBytes != 20<<20:
		t.Errorf("defaults: %+v", cfg)
	case cfg.Senders[0].Channel != "portal":
		t.Errorf("senders %+v", cfg.Senders)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"unset variable", "signing: {key: {password: \"${SHEP_TEST_UNSET_VAR}\"}}", "SHEP_TEST_UNSET_VAR"},
		{"unknown key", "lisen: \":8080\"", "lisen"},
		{"not YAML", "listen: [", "config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to name %q", err, tt.want)
			}
		})
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Fatal("missing file accepted")
	}
}

// TestNewRefusesUnsafeConfig: no TLS without plainHTTP, no senders, and no
// revocation source are configuration errors, not silent defaults.
func TestNewRefusesUnsafeConfig(t *testing.T) {
	p := testPKI(t)
	tests := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"no TLS", func(c *Config) { c.PlainHTTP = false }, "tls.certFile"},
		{"no senders", func(c *Config) { c.Senders = nil }, "no senders"},
		{"no revocation", func(c *Config) { c.Signing.CRLs = nil }, "revocation"},
		{"no trust", func(c *Config) { c.Signing.Trust = nil }, "trust anchors"},
		{"bad key password", func(c *Config) { c.Signing.Key.Password = "wrong" }, "signing key"},
		{"bad channel", func(c *Config) { c.Senders[0].Channel = "fax" }, "channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, p)
			tt.mod(cfg)
			_, err := New(t.Context(), cfg, discardLog(), adapter.SystemClock{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
