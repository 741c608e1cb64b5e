package main

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// fakeGateway answers like the adapter's sync endpoint: it parses the
// envelope, verifies both signatures for real, refuses the first `busy`
// requests with SCE909 and acknowledges the rest with SCSS001.
type fakeGateway struct {
	v     *signing.Verifier
	busy  int64
	seen  atomic.Int64
	conns atomic.Int64
	mu    sync.Mutex
	acked []string
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	doc, err := dsig.Parse(body, dsig.Limits{})
	if err != nil {
		g.fault(w, adapter.Errorf(adapter.CodeMalformed, "test", "malformed"))
		return
	}
	req, err := soap.ParseSync(doc)
	if err != nil {
		g.fault(w, adapter.AsError(err))
		return
	}
	if rep := g.v.VerifyAll(r.Context(), doc); !rep.Valid {
		g.fault(w, adapter.Errorf(adapter.CodeDataNotCurrent, "test", "data certificate not current"))
		return
	}
	if g.seen.Add(1) <= g.busy {
		g.fault(w, adapter.Errorf(adapter.CodeUnavailable, "test", "store unavailable"))
		return
	}
	g.mu.Lock()
	g.acked = append(g.acked, req.MessageID)
	g.mu.Unlock()
	b, err := soap.SyncResponse(soap.ResponseInfo{
		MessageID: "ack-" + req.MessageID, CorrelationID: req.MessageID, ResponseDate: time.Now(),
		StatusCode: adapter.StatusSuccess, StatusMessage: "stored",
	}, nil)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(b)
}

func (g *fakeGateway) fault(w http.ResponseWriter, e *adapter.Error) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(e.HTTPStatus())
	w.Write(soap.Fault(soap.Sync, e, time.Now(), ""))
}

func startGateway(t *testing.T, dir string, busy int64) (*fakeGateway, string) {
	t.Helper()
	v, _, err := signing.New(context.Background(), signing.Config{
		Trust: []string{filepath.Join(dir, "trust")}, CRLs: []string{filepath.Join(dir, "crl", "full.crl")},
	}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	g := &fakeGateway{v: v, busy: busy}
	srv := httptest.NewUnstartedServer(g)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			g.conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return g, srv.URL + "/shep/sync"
}

func TestLoadgen(t *testing.T) {
	dir := cliPKI(t)
	g, url := startGateway(t, dir, 5)
	ackedFile := filepath.Join(t.TempDir(), "acked.txt")
	code, out, errOut := runCLI(t, "loadgen", "--target", url, "--pki", dir, "--concurrency", "4",
		"--requests", "30", "--acked", ackedFile, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "pre-signed 30 requests in") {
		t.Errorf("stderr lacks the pre-signing time: %q", errOut)
	}
	var rep loadReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantOutcomes := map[string]int{"200 SCSS001": 25, "503 SCE909 UNAVAILABLE": 5}
	if !maps.Equal(rep.Outcomes, wantOutcomes) || rep.Acked != 25 || rep.Errors != 0 || rep.Requests != 30 {
		t.Errorf("report %+v, want outcomes %v", rep, wantOutcomes)
	}
	if rep.Throughput <= 0 || rep.Latency.P50 <= 0 || rep.Latency.P50 > rep.Latency.P90 ||
		rep.Latency.P90 > rep.Latency.P99 || rep.Latency.P99 > rep.Latency.Max {
		t.Errorf("throughput/latency %+v %+v", rep.Throughput, rep.Latency)
	}
	b, err := os.ReadFile(ackedFile)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(b))
	want := slices.Clone(g.acked)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || len(slices.Compact(got)) != 25 {
		t.Errorf("acked file has %d ids, server acked %d distinct", len(got), len(want))
	}
	// The client puts a connection back in its pool just after the body is
	// read, so a worker may now and then open one more; without keep-alive
	// it would be one per request (30).
	if n := g.conns.Load(); n > 8 {
		t.Errorf("%d connections for 4 workers and 30 requests: keep-alive not used", n)
	}
}

func TestLoadgenRefusedAndText(t *testing.T) {
	dir := cliPKI(t)
	_, url := startGateway(t, dir, 0)
	code, out, errOut := runCLI(t, "loadgen", "--target", url, "--pki", dir, "--concurrency", "2",
		"--requests", "3", "--signer", "revoked")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"throughput:", "p99", "SCE015 DATA_CERT_NOT_CURRENT", "acked:       0"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestLoadgenUnreachable(t *testing.T) {
	dir := cliPKI(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, out, errOut := runCLI(t, "loadgen", "--target", "http://"+addr+"/", "--pki", dir, "--requests", "2", "--json")
	var rep loadReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if code != 1 || rep.Errors != 2 || rep.FirstError == "" || !strings.Contains(errOut, "no answer") {
		t.Errorf("exit %d, report %+v, stderr %q", code, rep, errOut)
	}
}

func TestLoadgenUsage(t *testing.T) {
	for _, args := range [][]string{
		{"loadgen"}, {"loadgen", "--target", "http://x"}, {"loadgen", "--pki", "d"},
		{"loadgen", "--target", "http://x", "--pki", "d", "--concurrency", "0"},
		{"loadgen", "--target", "http://x", "--pki", filepath.Join(t.TempDir(), "none")},
	} {
		if code, _, errOut := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}
