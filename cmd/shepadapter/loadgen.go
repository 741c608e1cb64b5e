package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/signing/testpki"
)

func init() {
	commands["loadgen"] = command{"send signed sample requests and report throughput and latency", loadgenCmd}
}

const loadgenUsage = `usage: shepadapter loadgen --target URL --pki DIR [--concurrency N] [--requests M] [--sender ID] [--password P] [--signer NAME] [--async] [--acked FILE] [--json]

Pre-signs M distinct sample requests with the test PKI in DIR (in parallel on
every core), then POSTs them to URL with N workers over one keep-alive HTTP
client, and prints throughput, p50/p90/p99/max latency and the count of each
outcome: the HTTP status with the status code of a response (SCSS001) or the
errorCode and subError code of a SOAP fault. --acked writes the messageId of
every acknowledged request, one a line. Exits 1 when any request got no HTTP
answer at all.
`

// loadReport is what loadgen prints, as text or with --json.
type loadReport struct {
	Target         string         `json:"target"`
	Concurrency    int            `json:"concurrency"`
	Requests       int            `json:"requests"`
	PresignSeconds float64        `json:"presignSeconds"`
	Seconds        float64        `json:"seconds"`
	Throughput     float64        `json:"throughputRps"`
	Latency        latencyMS      `json:"latencyMs"`
	Outcomes       map[string]int `json:"outcomes"`
	Errors         int            `json:"errors"`
	FirstError     string         `json:"firstError,omitempty"`
	Acked          int            `json:"acked"`
}

// latencyMS holds latency percentiles of answered requests, in milliseconds.
type latencyMS struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// loadResult is the fate of one request.
type loadResult struct {
	latency time.Duration
	answer  sample.Answer
	err     error
}

func loadgenCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("loadgen", loadgenUsage, stderr)
	target := fs.String("target", "", "endpoint URL, e.g. http://127.0.0.1:8080/shep/sync")
	dir := fs.String("pki", "", "test PKI directory (pki init)")
	conc := fs.Int("concurrency", 1, "concurrent workers")
	n := fs.Int("requests", 100, "number of requests")
	acked := fs.String("acked", "", "file to write acknowledged messageIds to")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request timeout")
	o := sample.Options{}
	fs.StringVar(&o.SenderID, "sender", sample.DefaultSenderID, "senderId")
	fs.StringVar(&o.Password, "password", "", "sender password")
	fs.StringVar(&o.Signer, "signer", sample.DefaultSigner, "leaf signing the applications")
	fs.BoolVar(&o.Async, "async", false, "send asynchronous sendMessage requests")
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 0 || *target == "" || *dir == "" || *conc < 1 || *n < 1 {
		return usageError(stderr, "loadgen", "need --target URL, --pki DIR, --concurrency ≥ 1 and --requests ≥ 1")
	}
	p, err := testpki.Load(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: %v\n", err)
		return 2
	}
	o.PKI = p
	start := time.Now()
	ids, bodies, err := presign(o, *n)
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: pre-sign: %v\n", err)
		return 2
	}
	presigned := time.Since(start)
	fmt.Fprintf(stderr, "loadgen: pre-signed %d requests in %s on %d cores\n", *n, presigned.Round(time.Millisecond), runtime.GOMAXPROCS(0))

	start = time.Now()
	results := send(*target, *conc, *timeout, bodies)
	rep := summarise(results, time.Since(start))
	rep.Target, rep.Concurrency, rep.Requests, rep.PresignSeconds = *target, *conc, *n, presigned.Seconds()
	if *acked != "" {
		if err := writeAcked(*acked, ids, results); err != nil {
			fmt.Fprintf(stderr, "loadgen: %v\n", err)
			return 2
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = printLoad(stdout, rep)
	}
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: write: %v\n", err)
		return 2
	}
	if rep.Errors > 0 {
		fmt.Fprintf(stderr, "loadgen: %d requests got no answer, first: %s\n", rep.Errors, rep.FirstError)
		return 1
	}
	return 0
}

// presign builds n distinct signed requests on every core.
func presign(o sample.Options, n int) (ids []string, bodies [][]byte, err error) {
	ids, bodies = make([]string, n), make([][]byte, n)
	for i := range ids {
		if ids[i], err = sample.UUID(rand.Reader); err != nil {
			return nil, nil, err
		}
	}
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ro := o
				ro.MessageID = ids[i]
				bodies[i], errs[i] = sample.Request(ro)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, nil, e
		}
	}
	return ids, bodies, nil
}

// send POSTs every body to target with conc workers over one client.
func send(target string, conc int, timeout time.Duration, bodies [][]byte) []loadResult {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = conc * 2
	tr.MaxIdleConnsPerHost = conc
	client := &http.Client{Transport: tr, Timeout: timeout}
	defer tr.CloseIdleConnections()
	results := make([]loadResult, len(bodies))
	next := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = post(client, target, bodies[i])
			}
		}()
	}
	for i := range bodies {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func post(client *http.Client, target string, body []byte) loadResult {
	start := time.Now()
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return loadResult{err: err}
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `""`)
	resp, err := client.Do(req)
	if err != nil {
		return loadResult{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return loadResult{err: err}
	}
	return loadResult{latency: time.Since(start), answer: sample.ParseAnswer(resp.StatusCode, b)}
}

// summarise counts outcomes and computes throughput and latency percentiles
// (nearest rank) over the answered requests.
func summarise(results []loadResult, elapsed time.Duration) loadReport {
	rep := loadReport{Outcomes: map[string]int{}, Seconds: elapsed.Seconds()}
	var lat []time.Duration
	for _, r := range results {
		if r.err != nil {
			if rep.Errors == 0 {
				rep.FirstError = r.err.Error()
			}
			rep.Errors++
			continue
		}
		rep.Outcomes[r.answer.String()]++
		if r.answer.Acked {
			rep.Acked++
		}
		lat = append(lat, r.latency)
	}
	if elapsed > 0 {
		rep.Throughput = float64(len(results)) / elapsed.Seconds()
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		pct := func(p float64) float64 {
			i := int(float64(len(lat))*p+0.999999) - 1
			return ms(lat[max(0, min(i, len(lat)-1))])
		}
		rep.Latency = latencyMS{P50: pct(0.50), P90: pct(0.90), P99: pct(0.99), Max: ms(lat[len(lat)-1])}
	}
	return rep
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func printLoad(w io.Writer, r loadReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "target:      %s (concurrency %d, %d requests)\n", r.Target, r.Concurrency, r.Requests)
	fmt.Fprintf(&b, "throughput:  %.1f req/s (%.3fs)\n", r.Throughput, r.Seconds)
	fmt.Fprintf(&b, "latency:     p50 %.2fms  p90 %.2fms  p99 %.2fms  max %.2fms\n", r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.Max)
	fmt.Fprintln(&b, "outcomes:")
	keys := make([]string, 0, len(r.Outcomes))
	for k := range r.Outcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-50s %d\n", k, r.Outcomes[k])
	}
	fmt.Fprintf(&b, "errors:      %d\nacked:       %d\n", r.Errors, r.Acked)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeAcked writes the messageId of every acknowledged request, in request
// order, one a line.
func writeAcked(path string, ids []string, results []loadResult) error {
	var b strings.Builder
	for i, r := range results {
		if r.err == nil && r.answer.Acked {
			b.WriteString(ids[i] + "\n")
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
