package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestBench(t *testing.T) {
	dir := cliPKI(t)
	in := sampleRequest(t, dir)
	row := regexp.MustCompile(`(?m)^1\s+\d+\s+[0-9.]+\s+[0-9.]+$`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"verify", []string{"verify", "--trust", filepath.Join(dir, "trust"), in, "--duration", "100ms"}, "revocation not checked"},
		{"sign p12", []string{"sign", "--p12", filepath.Join(dir, "individual.p12"), "--password", "test", "--duration", "100ms", in}, "data-layer"},
		{"sign pem", []string{"sign", "--key", filepath.Join(dir, "ecdsa.key.pem"), "--cert", filepath.Join(dir, "ecdsa.cert.pem"), in, "--duration=100ms"}, "µs/op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"bench"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, tt.want) || !row.MatchString(out) {
				t.Errorf("output:\n%s", out)
			}
		})
	}
}

func TestBenchRefusals(t *testing.T) {
	dir := cliPKI(t)
	trust := filepath.Join(dir, "trust")
	in := sampleRequest(t, dir)
	bad := sampleRequest(t, dir, "--signer", "expired")
	tests := []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"frob"}, 2},
		{[]string{"verify", in}, 2},
		{[]string{"verify", "--trust", trust}, 2},
		{[]string{"verify", "--trust", trust, in, "--duration", "0s"}, 2},
		{[]string{"sign", in}, 2},
		{[]string{"sign", "--trust", trust, in}, 2},
		{[]string{"verify", "--trust", trust, bad, "--duration", "50ms"}, 1},
		{[]string{"sign", "--p12", filepath.Join(dir, "individual.p12"), "--password", "test", filepath.Join(dir, "crl", "full.crl")}, 1},
	}
	for _, tt := range tests {
		if code, _, errOut := runCLI(t, append([]string{"bench"}, tt.args...)...); code != tt.code || errOut == "" {
			t.Errorf("%v: exit %d, want %d (%q)", tt.args, code, tt.code, errOut)
		}
	}
}
