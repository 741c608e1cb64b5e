package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/adapter/storetest"
	"github.com/isb-region/shepadapter/internal/testredis"
	"github.com/isb-region/shepadapter/signing/testpki"
)

// backends runs fn against the embedded store and a real redis-server.
func backends(t *testing.T, fn func(t *testing.T, cfg *Config)) {
	p := testPKI(t)
	t.Run("embedded", func(t *testing.T) { fn(t, testConfig(t, p)) })
	t.Run("redis", func(t *testing.T) {
		rs := testredis.Start(t)
		cfg := testConfig(t, p)
		cfg.Redis.URL = rs.URL()
		fn(t, cfg)
	})
}

func TestAcceptOnceAndDuplicate(t *testing.T) {
	backends(t, func(t *testing.T, cfg *Config) {
		p := testPKI(t)
		r := start(t, cfg)
		req := request(t, p, nil)
		code, first := post(t, r.URL+"/shep/sync", req)
		status, number := ackNumber(t, first)
		if code != http.StatusOK || status != adapter.StatusSuccess || !strings.HasPrefix(number, "ISB-") {
			t.Fatalf("accept: HTTP %d status %q number %q\n%s", code, status, number, first)
		}
		queued := queueLen(t, r)
		code, again := post(t, r.URL+"/shep/sync", req)
		if code != http.StatusOK || !bytes.Equal(first, again) {
			t.Fatalf("duplicate: HTTP %d, answer differs from the original:\n%s\n---\n%s", code, first, again)
		}
		if n := queueLen(t, r); n != queued || n != 1 {
			t.Fatalf("queue holds %d entries after a duplicate, want 1", n)
		}
		stored, err := r.srv.store.GetByMessageID(context.Background(), messageIDOf(t, req))
		if err != nil || stored.Number != number || !bytes.Equal(stored.Envelope, req) {
			t.Fatalf("stored request: %v %+v", err, stored)
		}
		if len(stored.Signers) != 2 || stored.Signers[1].IIN != stored.ApplicantID || stored.Channel != adapter.ChannelPortal {
			t.Fatalf("stored signers/channel wrong: %+v", stored.Signers)
		}
		if !stored.Deadline.After(stored.ReceivedAt.AddDate(0, 0, 13)) {
			t.Fatalf("deadline %v is not 10 working days after %v", stored.Deadline, stored.ReceivedAt)
		}
	})
}

func TestReplayWithOtherContent(t *testing.T) {
	p := testPKI(t)
	r := start(t, testConfig(t, p))
	code, _ := post(t, r.URL+"/shep/sync", request(t, p, func(o *sample.Options) { o.MessageID = "fixed-id-1" }))
	if code != http.StatusOK {
		t.Fatalf("first: HTTP %d", code)
	}
	other := request(t, p, func(o *sample.Options) { o.MessageID = "fixed-id-1"; o.Signer = testpki.Legal })
	code, body := post(t, r.URL+"/shep/sync", other)
	if gw, sub := fault(t, body); code != http.StatusInternalServerError || gw != adapter.FaultFormat || sub != string(adapter.CodeReplayConflict) {
		t.Fatalf("replay with other content: HTTP %d %s %s", code, gw, sub)
	}
}

func queueLen(t *testing.T, r *running) int64 {
	t.Helper()
	q, ok := r.srv.store.(storetest.QueueCounter)
	if !ok {
		t.Fatalf("%T cannot count its queue", r.srv.store)
	}
	n, err := q.QueueLen(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func messageIDOf(t *testing.T, req []byte) string {
	t.Helper()
	i := bytes.Index(req, []byte("<messageId>"))
	j := bytes.Index(req, []byte("</messageId>"))
	if i < 0 || j < i {
		t.Fatalf("no messageId in request")
	}
	return string(req[i+len("<messageId>") : j])
}

func TestAsyncRequestAndNotification(t *testing.T) {
	p := testPKI(t)
	r := start(t, testConfig(t, p))
	code, body := post(t, r.URL+"/shep/async", request(t, p, func(o *sample.Options) { o.Async = true }))
	if code != http.StatusOK || !bytes.Contains(body, []byte("sendMessageResponse")) {
		t.Fatalf("async request: HTTP %d\n%s", code, body)
	}
	if queueLen(t, r) != 1 {
		t.Fatal("async request not queued")
	}
	note := []byte(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<c:changeMassageStatusNotification xmlns:c="http://bip.bee.kz/AsyncChannel/v10/Types/Client"><notification>
<notificationId>n-1</notificationId><messageId>m-1</messageId><notificationDate>2026-12-04T10:00:00+05:00</notificationDate>
<messageState>DELIVERED</messageState><status><statusCode>OK</statusCode><statusMessage>delivered</statusMessage>
<statusDate>2026-12-04T10:00:00+05:00</statusDate></status></notification></c:changeMassageStatusNotification></soap:Body></soap:Envelope>`)
	code, body = post(t, r.URL+"/shep/async", note)
	if code != http.StatusOK {
		t.Fatalf("notification: HTTP %d\n%s", code, body)
	}
}

func TestHealthAndReady(t *testing.T) {
	r := start(t, testConfig(t, testPKI(t)))
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get(r.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, b)
		}
	}
}

// TestRedisOutage: with Redis down the gateway gets the retryable SCE909 and
// nothing is acknowledged; when Redis is back the same message is accepted,
// and everything acknowledged before is still there.
func TestRedisOutage(t *testing.T) {
	p := testPKI(t)
	rs := testredis.Start(t)
	cfg := testConfig(t, p)
	cfg.Redis.URL = rs.URL() + "?max_retries=0&dial_timeout=200ms"
	r := start(t, cfg)
	before := request(t, p, nil)
	if code, body := post(t, r.URL+"/shep/sync", before); code != http.StatusOK {
		t.Fatalf("before outage: HTTP %d\n%s", code, body)
	}
	rs.Stop()
	during := request(t, p, nil)
	code, body := post(t, r.URL+"/shep/sync", during)
	if gw, sub := fault(t, body); code != http.StatusInternalServerError || gw != adapter.FaultInternal || sub != string(adapter.CodeUnavailable) {
		t.Fatalf("during outage: HTTP %d %s %s", code, gw, sub)
	}
	if resp, err := http.Get(r.URL + "/readyz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz during outage: %v %v", resp.StatusCode, err)
	}
	rs.Restart()
	var ok bool
	for i := 0; i < 50 && !ok; i++ { // the client reconnects on its own
		code, _ = post(t, r.URL+"/shep/sync", during)
		ok = code == http.StatusOK
		if !ok {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !ok {
		t.Fatal("not accepted after Redis came back")
	}
	if _, err := r.srv.store.GetByMessageID(context.Background(), messageIDOf(t, before)); err != nil {
		t.Fatalf("request acknowledged before the outage is gone: %v", err)
	}
	if queueLen(t, r) != 2 {
		t.Fatalf("queue holds %d, want 2", queueLen(t, r))
	}
}

// TestRestartLosesNothing: everything acknowledged survives an adapter
// restart, and a retry after it gets the original answer.
func TestRestartLosesNothing(t *testing.T) {
	backends(t, func(t *testing.T, cfg *Config) {
		p := testPKI(t)
		r := start(t, cfg)
		var reqs, acks [][]byte
		for i := 0; i < 5; i++ {
			req := request(t, p, nil)
			code, ack := post(t, r.URL+"/shep/sync", req)
			if code != http.StatusOK {
				t.Fatalf("HTTP %d\n%s", code, ack)
			}
			reqs, acks = append(reqs, req), append(acks, ack)
		}
		r.stop()
		r2 := start(t, cfg)
		for i, req := range reqs {
			code, ack := post(t, r2.URL+"/shep/sync", req)
			if code != http.StatusOK || !bytes.Equal(ack, acks[i]) {
				t.Fatalf("after restart, request %d: HTTP %d, answer differs", i, code)
			}
		}
		if n := queueLen(t, r2); n != 5 {
			t.Fatalf("queue holds %d after restart, want 5", n)
		}
	})
}

// TestBusy: when the in-flight budget is taken, a request waits BusyWait and
// gets the retryable SCE909 with nothing stored; once freed, it is accepted.
func TestBusy(t *testing.T) {
	p := testPKI(t)
	cfg := testConfig(t, p)
	cfg.MaxInFlightBytes, cfg.BusyWait = cfg.MaxBodyBytes, 100*time.Millisecond
	r := start(t, cfg)
	release, err := r.srv.gateway.InFlight.Take(context.Background(), cfg.MaxInFlightBytes)
	if err != nil {
		t.Fatal(err)
	}
	req := request(t, p, nil)
	code, body := post(t, r.URL+"/shep/sync", req)
	if gw, sub := fault(t, body); code != http.StatusInternalServerError || gw != adapter.FaultInternal || sub != "UNAVAILABLE/busy" {
		t.Fatalf("busy: HTTP %d %s %s", code, gw, sub)
	}
	// A chunked body (no Content-Length) is read first, then charged its size.
	pr, pw := io.Pipe()
	go func() { pw.Write(req); pw.Close() }()
	resp, err := http.Post(r.URL+"/shep/sync", "text/xml", pr)
	if err != nil {
		t.Fatal(err)
	}
	chunked, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if _, sub := fault(t, chunked); sub != "UNAVAILABLE/busy" {
		t.Fatalf("chunked while busy: %s", sub)
	}
	if queueLen(t, r) != 0 {
		t.Fatal("a refused request was stored")
	}
	release()
	if code, body := post(t, r.URL+"/shep/sync", req); code != http.StatusOK {
		t.Fatalf("after release: HTTP %d\n%s", code, body)
	}
}

// TestShutdownFinishesInFlight: a request still being received when the
// server is told to stop is finished and stored before the store closes.
func TestShutdownFinishesInFlight(t *testing.T) {
	p := testPKI(t)
	r := start(t, testConfig(t, p))
	req := request(t, p, nil)
	pr, pw := io.Pipe()
	type result struct {
		code int
		err  error
	}
	got := make(chan result, 1)
	go func() {
		hr, _ := http.NewRequest(http.MethodPost, r.URL+"/shep/sync", pr)
		hr.ContentLength = int64(len(req))
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			got <- result{err: err}
			return
		}
		resp.Body.Close()
		got <- result{code: resp.StatusCode}
	}()
	half := len(req) / 2
	if _, err := pw.Write(req[:half]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the handler is now reading the body
	stopped := make(chan struct{})
	go func() { r.stop(); close(stopped) }()
	time.Sleep(100 * time.Millisecond) // shutdown has begun and waits for us
	if _, err := pw.Write(req[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	res := <-got
	<-stopped
	if res.err != nil || res.code != http.StatusOK {
		t.Fatalf("in-flight request during shutdown: %v HTTP %d", res.err, res.code)
	}
	cfg := *r.srv.cfg
	r2 := start(t, &cfg)
	if _, err := r2.srv.store.GetByMessageID(context.Background(), messageIDOf(t, req)); err != nil {
		t.Fatalf("the request finished during shutdown is not stored: %v", err)
	}
}
