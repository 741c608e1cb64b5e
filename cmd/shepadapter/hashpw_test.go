package main

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashPassword(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		password    string
	}{
		{"flag", "", []string{"--password", "s3cret"}, "s3cret"},
		{"stdin", "from-stdin\r\nignored\n", nil, "from-stdin"},
		{"stdin without newline", "abc", nil, "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdin = strings.NewReader(tt.stdin)
			t.Cleanup(func() { stdin = os.Stdin })
			code, out, errOut := runCLI(t, append([]string{"hash-password"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			hash := strings.TrimSpace(out)
			if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(tt.password)); err != nil {
				t.Errorf("hash %q does not match %q: %v", hash, tt.password, err)
			}
		})
	}
	stdin = strings.NewReader("")
	t.Cleanup(func() { stdin = os.Stdin })
	if code, _, errOut := runCLI(t, "hash-password"); code != 2 || errOut == "" {
		t.Errorf("empty password: exit %d", code)
	}
	if code, _, _ := runCLI(t, "hash-password", "extra"); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
}
