package redis

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/storetest"
	"github.com/isb-region/shepadapter/internal/testredis"
)

func open(t testing.TB, cfg Config) *Store {
	t.Helper()
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// raw is a plain client for looking under the store.
func raw(t testing.TB, srv *testredis.Server) *goredis.Client {
	t.Helper()
	opts, err := goredis.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := goredis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

func mustAccept(t *testing.T, s *Store, r *adapter.Request) *adapter.Request {
	t.Helper()
	got, _, err := s.Accept(context.Background(), r)
	if err != nil {
		t.Fatalf("Accept: %v", err)
	}
	return got
}

func TestContract(t *testing.T) {
	srv := testredis.Start(t)
	n := 0
	storetest.Run(t, func(t *testing.T) adapter.Store {
		n++ // a fresh prefix per subtest is a fresh, empty store
		return open(t, Config{URL: srv.URL(), Prefix: "t" + strconv.Itoa(n)})
	})
}

func TestKeyLayout(t *testing.T) {
	srv := testredis.Start(t)
	s := open(t, Config{URL: srv.URL()})
	rc := raw(t, srv)
	ctx := context.Background()
	r := mustAccept(t, s, storetest.Request(1))
	want := map[string]string{
		"{shep}:msgid:" + r.MessageID: r.Number,
		"{shep}:seq:2026":             "1",
	}
	for k, v := range want {
		if got, err := rc.Get(ctx, k).Result(); err != nil || got != v {
			t.Errorf("GET %s = %q, %v; want %q", k, got, err, v)
		}
	}
	rec, err := rc.Get(ctx, "{shep}:req:"+r.Number).Result()
	if err != nil || !strings.HasPrefix(rec, `{"number":"`+r.Number+`",`) {
		t.Errorf("record = %.60q, %v", rec, err)
	}
	msgs, err := rc.XRange(ctx, "{shep}:queue:requests", "-", "+").Result()
	if err != nil || len(msgs) != 1 || msgs[0].Values["number"] != r.Number {
		t.Errorf("queue = %v, %v", msgs, err)
	}
	groups, err := rc.XInfoGroups(ctx, "{shep}:queue:requests").Result()
	if err != nil || len(groups) != 1 || groups[0].Name != "backoffice" {
		t.Errorf("groups = %v, %v", groups, err)
	}
	// A second New keeps the existing group (BUSYGROUP ignored).
	open(t, Config{URL: srv.URL()})

	// The script's number format matches adapter.FormatNumber past 7 digits.
	if err := rc.Set(ctx, "{shep}:seq:2026", 9999999, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if r := mustAccept(t, s, storetest.Request(2)); r.Number != adapter.FormatNumber(2026, 10000000) {
		t.Errorf("number %s, want %s", r.Number, adapter.FormatNumber(2026, 10000000))
	}
}

func TestStoppedIsUnavailableAndRestartLosesNothing(t *testing.T) {
	srv := testredis.Start(t)
	s := open(t, Config{URL: srv.URL()})
	var acked []*adapter.Request
	for i := 1; i <= 3; i++ {
		acked = append(acked, mustAccept(t, s, storetest.Request(i)))
	}
	srv.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, _, err := s.Accept(ctx, storetest.Request(4)); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("Accept with Redis stopped = %v, want CodeUnavailable", err)
	}
	if err := s.Ping(ctx); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("Ping with Redis stopped = %v, want CodeUnavailable", err)
	}
	if _, err := s.Get(ctx, acked[0].Number); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("Get with Redis stopped = %v, want CodeUnavailable (not NotFound)", err)
	}

	srv.Restart() // reloads the AOF
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping after restart: %v", err)
	}
	r4, created, err := s.Accept(ctx, storetest.Request(4))
	if err != nil || !created || r4.Number != adapter.FormatNumber(2026, 4) {
		t.Fatalf("Accept after restart = %v, %v, %v; want number 4 (sequence kept)", r4, created, err)
	}
	for _, want := range acked {
		got, err := s.Get(ctx, want.Number)
		if err != nil || got.MessageID != want.MessageID || string(got.Envelope) != string(want.Envelope) {
			t.Errorf("acknowledged %s after restart: %v, %v", want.Number, got, err)
		}
	}
	if n, err := s.QueueLen(ctx); err != nil || n != 4 {
		t.Errorf("QueueLen after restart = %d, %v; want 4", n, err)
	}
}

func TestRefusedWriteLeavesNothing(t *testing.T) {
	srv := testredis.Start(t)
	s := open(t, Config{URL: srv.URL()})
	rc := raw(t, srv)
	ctx := context.Background()
	// Like MISCONF or OOM, min-replicas-to-write makes Redis refuse writes.
	if err := rc.ConfigSet(ctx, "min-replicas-to-write", "1").Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("Ping = %v, want CodeUnavailable", err)
	}
	if _, _, err := s.Accept(ctx, storetest.Request(1)); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("Accept = %v, want CodeUnavailable", err)
	}
	if n, err := rc.Exists(ctx, "{shep}:seq:2026", "{shep}:msgid:"+storetest.Request(1).MessageID).Result(); err != nil || n != 0 {
		t.Fatalf("refused Accept left %d keys (%v)", n, err)
	}
	if err := rc.ConfigSet(ctx, "min-replicas-to-write", "0").Err(); err != nil {
		t.Fatal(err)
	}
	if r := mustAccept(t, s, storetest.Request(1)); r.Number != adapter.FormatNumber(2026, 1) {
		t.Fatalf("number %s, want the first of the year", r.Number)
	}
}

// startReplica starts a replica of primary and waits until it is online.
func startReplica(t *testing.T, primary *testredis.Server) *testredis.Server {
	t.Helper()
	host, port, _ := net.SplitHostPort(primary.Addr())
	rep := testredis.Start(t, testredis.Args("--replicaof", host, port))
	rc := raw(t, primary)
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := rc.Info(context.Background(), "replication").Result()
		if err == nil && strings.Contains(info, "state=online") {
			return rep
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica not online: %v %s", err, info)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestWaitReplicas(t *testing.T) {
	primary := testredis.Start(t)
	replica := startReplica(t, primary)
	ctx := context.Background()

	one := open(t, Config{URL: primary.URL(), WaitReplicas: 1, WaitTimeout: 5 * time.Second})
	r1 := mustAccept(t, one, storetest.Request(1))
	if got, err := raw(t, replica).Get(ctx, "{shep}:msgid:"+r1.MessageID).Result(); err != nil || got != r1.Number {
		t.Fatalf("replica index = %q, %v; want %s right after the ack", got, err, r1.Number)
	}
	if err := one.Ping(ctx); err != nil {
		t.Fatalf("Ping with 1 of 1 replicas: %v", err)
	}

	two := open(t, Config{URL: primary.URL(), WaitReplicas: 2, WaitTimeout: 100 * time.Millisecond})
	if _, _, err := two.Accept(ctx, storetest.Request(2)); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("Accept with 1 of 2 replicas = %v, want CodeUnavailable", err)
	}
	if err := two.Ping(ctx); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("Ping with 1 of 2 replicas = %v, want CodeUnavailable", err)
	}
	// The gateway's retry gets the same acknowledgement.
	got, created, err := one.Accept(ctx, storetest.Request(2))
	if err != nil || created || got.Number != adapter.FormatNumber(2026, 2) {
		t.Fatalf("retry = %v, %v, %v; want the stored request, created=false", got, created, err)
	}

	if _, err := New(ctx, Config{URL: replica.URL()}); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Fatalf("New on a read-only replica = %v, want CodeUnavailable", err)
	}
}

func TestNewErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := New(ctx, Config{URL: "http://nope"}); adapter.ErrorCode(err) != adapter.CodeInternal {
		t.Errorf("New(bad URL) = %v, want CodeInternal", err)
	}
	srv := testredis.Start(t)
	url := srv.URL()
	srv.Stop()
	if _, err := New(ctx, Config{URL: url}); adapter.ErrorCode(err) != adapter.CodeUnavailable {
		t.Errorf("New(server down) = %v, want CodeUnavailable", err)
	}
}

func BenchmarkAccept(b *testing.B) {
	srv := testredis.Start(b)
	storetest.BenchmarkAccept(b, open(b, Config{URL: srv.URL()}))
}
