package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/server"
)

// TestDemoSetup: `serve --demo` creates its PKI, config and password once,
// keeps them on the next start, and the config builds a working server.
func TestDemoSetup(t *testing.T) {
	t.Chdir(t.TempDir())
	var first, second bytes.Buffer
	path, err := setupDemo("var/demo", &first)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setupDemo("var/demo", &second); err != nil {
		t.Fatal(err)
	}
	pw, err := os.ReadFile("var/demo/sender-password")
	if err != nil || !strings.Contains(first.String(), string(pw)) || first.String() != second.String() {
		t.Fatalf("password not stable or not printed: %v\n%s\n%s", err, first.String(), second.String())
	}
	cfg, err := server.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listen = "127.0.0.1:0"
	srv, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), adapter.SystemClock{})
	if err != nil {
		t.Fatalf("demo config does not build a server: %v", err)
	}
	ln, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := srv.Serve(ctx, ln); err != nil {
		t.Fatalf("serve: %v", err)
	}
}
