package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter"
)

// QueueCounter is implemented by stores that can count the entries in
// their work queue; the suite uses it to prove a replay queues nothing.
type QueueCounter interface {
	// QueueLen returns the number of entries ever queued and not trimmed.
	QueueLen(ctx context.Context) (int64, error)
}

// almaty is UTC+5, the zone the request year is taken in.
var almaty = time.FixedZone("Asia/Almaty", 5*60*60)

// Request returns a complete sample request, distinct for each i, with
// every field set (including binary Envelope bytes and two Signers), and
// received on 20 March 2026 in Almaty.
func Request(i int) *adapter.Request {
	body := []byte(fmt.Sprintf("<soap:Body>application %d</soap:Body>", i))
	sum := sha256.Sum256(body)
	received := time.Date(2026, 3, 20, 10, 0, 0, 123456789, almaty).Add(time.Duration(i) * time.Millisecond)
	return &adapter.Request{
		MessageID:     fmt.Sprintf("msg-%06d-6f1c2a", i),
		CorrelationID: fmt.Sprintf("corr-%d", i),
		SessionID:     "{f0774397-4fcd-484a-9434-f71535ee4326}",
		ServiceID:     "P1.01",
		SenderID:      "shep-test",
		Channel:       adapter.ChannelPortal,
		ApplicantID:   "921029350851",
		MessageDate:   received.Add(-2 * time.Second).UTC(),
		ReceivedAt:    received,
		Deadline:      time.Date(2026, 4, 8, 23, 59, 59, 0, almaty),
		Status:        adapter.StatusReceived,
		ContentHash:   hex.EncodeToString(sum[:]),
		// Not valid UTF-8 and with a NUL: must come back byte for byte.
		Envelope:    append([]byte{0xEF, 0xBB, 0xBF, 0x00, 0xFF, 0xFE}, body...),
		Application: []byte(`<app xmlns="urn:test">Қазақ тілі</app>`),
		Signers: []adapter.Signer{
			{Layer: "transport", Subject: "CN=SHEP", Issuer: "CN=NCA RK (RSA)", SerialNumber: "0a1b",
				NotAfter: time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)},
			{Layer: "data", Subject: "SERIALNUMBER=IIN921029350851,CN=ТЕСТОВ ТЕСТ", Issuer: "CN=NCA RK (GOST)",
				SerialNumber: "ff00", IIN: "921029350851", BIN: "940140000385", CommonName: "ТЕСТОВ ТЕСТ",
				Organisation: "ТОО Тест", Roles: []string{"1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.1"},
				NotAfter: time.Date(2027, 6, 1, 0, 0, 0, 0, almaty)},
		},
	}
}

// Run runs the adapter.Store contract against stores made by open. open
// must return a new, empty store each call and close it when t ends.
func Run(t *testing.T, open func(t *testing.T) adapter.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, adapter.Store)
	}{
		{"SequentialNumbers", testSequentialNumbers},
		{"YearFromAlmatyTime", testYearFromAlmatyTime},
		{"ReplaySameContent", testReplaySameContent},
		{"ReplayOtherContent", testReplayOtherContent},
		{"RoundTrip", testRoundTrip},
		{"NotFound", testNotFound},
		{"ConcurrentSameMessageID", testConcurrentSame},
		{"ConcurrentDistinct", testConcurrentDistinct},
		{"Ping", testPing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

func accept(t *testing.T, s adapter.Store, r *adapter.Request) (*adapter.Request, bool) {
	t.Helper()
	got, created, err := s.Accept(context.Background(), r)
	if err != nil {
		t.Fatalf("Accept(%s): %v", r.MessageID, err)
	}
	return got, created
}

func queueLen(t *testing.T, s adapter.Store) int64 {
	t.Helper()
	q, ok := s.(QueueCounter)
	if !ok {
		t.Fatalf("%T does not implement storetest.QueueCounter", s)
	}
	n, err := q.QueueLen(context.Background())
	if err != nil {
		t.Fatalf("QueueLen: %v", err)
	}
	return n
}

func testSequentialNumbers(t *testing.T, s adapter.Store) {
	for i := 1; i <= 3; i++ {
		r := Request(i)
		got, created := accept(t, s, r)
		want := adapter.FormatNumber(2026, int64(i))
		if !created || got.Number != want || r.Number != want {
			t.Fatalf("Accept #%d: number %q (r.Number %q), created %v; want %q, true", i, got.Number, r.Number, created, want)
		}
	}
	if n := queueLen(t, s); n != 3 {
		t.Fatalf("QueueLen = %d, want 3", n)
	}
}

func testYearFromAlmatyTime(t *testing.T, s adapter.Store) {
	r := Request(1)
	r.ReceivedAt = time.Date(2026, 12, 31, 19, 30, 0, 0, time.UTC) // 00:30 on 1 Jan 2027 in Almaty
	got, _ := accept(t, s, r)
	r2 := Request(2)
	got2, _ := accept(t, s, r2)
	if got.Number != adapter.FormatNumber(2027, 1) || got2.Number != adapter.FormatNumber(2026, 1) {
		t.Fatalf("numbers %q, %q; want a sequence per Almaty year", got.Number, got2.Number)
	}
}

func testReplaySameContent(t *testing.T, s adapter.Store) {
	first, _ := accept(t, s, Request(7))
	again, created := accept(t, s, Request(7))
	if created {
		t.Fatal("replay created a second request")
	}
	if err := diff(first, again); err != nil {
		t.Fatalf("replay returned another record: %v", err)
	}
	if n := queueLen(t, s); n != 1 {
		t.Fatalf("QueueLen = %d after a replay, want 1", n)
	}
}

func testReplayOtherContent(t *testing.T, s adapter.Store) {
	first, _ := accept(t, s, Request(7))
	other := Request(8)
	other.MessageID = first.MessageID
	got, created, err := s.Accept(context.Background(), other)
	if adapter.ErrorCode(err) != adapter.CodeReplayConflict || created || got != nil {
		t.Fatalf("Accept with reused messageId = %v, %v, %v; want CodeReplayConflict", got, created, err)
	}
	if n := queueLen(t, s); n != 1 {
		t.Fatalf("QueueLen = %d, want 1", n)
	}
	kept, err := s.GetByMessageID(context.Background(), first.MessageID)
	if err != nil || diff(first, kept) != nil {
		t.Fatalf("original changed: %v %v", err, diff(first, kept))
	}
}

func testRoundTrip(t *testing.T, s adapter.Store) {
	want := Request(3)
	stored, _ := accept(t, s, Request(3))
	want.Number = stored.Number
	for name, get := range map[string]func() (*adapter.Request, error){
		"Accept":         func() (*adapter.Request, error) { return stored, nil },
		"Get":            func() (*adapter.Request, error) { return s.Get(context.Background(), want.Number) },
		"GetByMessageID": func() (*adapter.Request, error) { return s.GetByMessageID(context.Background(), want.MessageID) },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := diff(want, got); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func testNotFound(t *testing.T, s adapter.Store) {
	accept(t, s, Request(1))
	if _, err := s.Get(context.Background(), adapter.FormatNumber(2026, 999)); adapter.ErrorCode(err) != adapter.CodeNotFound {
		t.Errorf("Get(unknown) err = %v, want CodeNotFound", err)
	}
	if _, err := s.GetByMessageID(context.Background(), "no-such-message"); adapter.ErrorCode(err) != adapter.CodeNotFound {
		t.Errorf("GetByMessageID(unknown) err = %v, want CodeNotFound", err)
	}
}

// parallel runs fn(i) for i in [0,n) from n goroutines released together.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); <-start; fn(i) }()
	}
	close(start)
	wg.Wait()
}

func testConcurrentSame(t *testing.T, s adapter.Store) {
	const n = 32
	var mu sync.Mutex
	created, numbers := 0, map[string]bool{}
	var errs []error
	parallel(n, func(int) {
		got, c, err := s.Accept(context.Background(), Request(5))
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			return
		}
		numbers[got.Number] = true
		if c {
			created++
		}
	})
	if len(errs) > 0 || created != 1 || len(numbers) != 1 {
		t.Fatalf("created %d, numbers %v, errors %v; want exactly one created, one number", created, numbers, errors.Join(errs...))
	}
	if q := queueLen(t, s); q != 1 {
		t.Fatalf("QueueLen = %d, want 1", q)
	}
}

func testConcurrentDistinct(t *testing.T, s adapter.Store) {
	const n = 32
	var mu sync.Mutex
	numbers := map[string]bool{}
	parallel(n, func(i int) {
		got, c, err := s.Accept(context.Background(), Request(100+i))
		mu.Lock()
		defer mu.Unlock()
		if err != nil || !c {
			t.Errorf("Accept #%d: created %v, err %v", i, c, err)
			return
		}
		numbers[got.Number] = true
	})
	for i := 1; i <= n; i++ {
		if !numbers[adapter.FormatNumber(2026, int64(i))] {
			t.Errorf("number %d not assigned; got %v", i, numbers)
		}
	}
	if q := queueLen(t, s); q != n {
		t.Fatalf("QueueLen = %d, want %d", q, n)
	}
}

func testPing(t *testing.T, s adapter.Store) {
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// diff reports how got differs from want: times by instant, Envelope by
// bytes, everything else exactly.
func diff(want, got *adapter.Request) error {
	if got == nil {
		return errors.New("nil request")
	}
	if !bytes.Equal(want.Envelope, got.Envelope) {
		return fmt.Errorf("Envelope differs: %x vs %x", got.Envelope, want.Envelope)
	}
	w, g := normalise(*want), normalise(*got)
	if !reflect.DeepEqual(w, g) {
		return fmt.Errorf("got %+v\nwant %+v", g, w)
	}
	return nil
}

// normalise puts every time in UTC so DeepEqual compares instants.
func normalise(r adapter.Request) adapter.Request {
	r.MessageDate, r.ReceivedAt, r.Deadline = r.MessageDate.UTC(), r.ReceivedAt.UTC(), r.Deadline.UTC()
	r.Signers = append([]adapter.Signer(nil), r.Signers...)
	for i := range r.Signers {
		r.Signers[i].NotAfter = r.Signers[i].NotAfter.UTC()
	}
	return r
}
