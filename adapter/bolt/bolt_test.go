package bolt

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/storetest"
)

func open(t testing.TB) *Store {
	t.Helper()
	s, err := New(Config{Path: filepath.Join(t.TempDir(), "shep.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) adapter.Store { return open(t) })
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		if _, _, err := s.Accept(ctx, storetest.Request(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.GetByMessageID(ctx, storetest.Request(2).MessageID)
	if err != nil || got.Number != adapter.FormatNumber(2026, 2) {
		t.Fatalf("after reopen: %v, %v", got, err)
	}
	r, created, err := s.Accept(ctx, storetest.Request(4))
	if err != nil || !created || r.Number != adapter.FormatNumber(2026, 4) {
		t.Fatalf("sequence after reopen: %v %v %v", r, created, err)
	}
	if n, _ := s.QueueLen(ctx); n != 4 {
		t.Fatalf("QueueLen = %d, want 4", n)
	}
}

func TestClosedIsUnavailable(t *testing.T) {
	s := open(t)
	s.Close()
	ctx := context.Background()
	if err := s.Ping(ctx); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Errorf("Ping on closed store = %v, want CodeUnavailable", err)
	}
	if _, _, err := s.Accept(ctx, storetest.Request(1)); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Errorf("Accept on closed store = %v, want CodeUnavailable", err)
	}
}

func TestCancelledContext(t *testing.T) {
	s := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Accept(ctx, storetest.Request(1)); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Errorf("Accept = %v, want CodeUnavailable", err)
	}
	if n, _ := s.QueueLen(context.Background()); n != 0 {
		t.Errorf("QueueLen = %d, want 0", n)
	}
}

func TestLockedFileIsUnavailable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Open(path, Options{Timeout: 50 * time.Millisecond}); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("second Open = %v, want CodeUnavailable", err)
	}
}

func TestRejectsIncompleteRequest(t *testing.T) {
	s := open(t)
	r := storetest.Request(1)
	r.MessageID = ""
	if _, _, err := s.Accept(context.Background(), r); adapter.ErrorCode(err) != adapter.CodeInternal {
		t.Errorf("Accept without messageId = %v, want CodeInternal", err)
	}
	if _, err := New(Config{}); err == nil {
		t.Error("New without a path succeeded")
	}
}

func BenchmarkAccept(b *testing.B) {
	storetest.BenchmarkAccept(b, open(b))
}
