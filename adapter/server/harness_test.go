package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/gateway"
	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/testpki"
)

const testPassword = "s3cret-gateway-pass"

var (
	pkiOnce sync.Once
	pkiDir  string
	pkiErr  error
	theCA   *testpki.PKI
)

// testPKI creates one test НУЦ for the package's tests (RSA key generation
// is the slow part, very slow under fuzzing instrumentation) and loads it.
// Its folder is handed to fuzzing worker processes through the environment,
// so they load it instead of minting their own.
func testPKI(t testing.TB) *testpki.PKI {
	t.Helper()
	pkiOnce.Do(func() {
		if dir := os.Getenv(pkiEnv); dir != "" {
			theCA, pkiErr = testpki.Load(dir)
			return
		}
		if pkiDir, pkiErr = os.MkdirTemp("", "shep-server-pki"); pkiErr != nil {
			return
		}
		if pkiErr = testpki.Init(pkiDir, testpki.Options{}); pkiErr == nil {
			theCA, pkiErr = testpki.Load(pkiDir)
			os.Setenv(pkiEnv, pkiDir)
		}
	})
	if pkiErr != nil {
		t.Fatalf("test PKI: %v", pkiErr)
	}
	return theCA
}

const pkiEnv = "SHEP_SERVER_TEST_PKI"

var hashOnce = sync.OnceValues(func() (string, error) { return gateway.HashPassword(testPassword) })

// testConfig is a complete configuration for the test PKI: CRL revocation,
// IIN/BIN checks on, senders for each channel plus one that sends no
// transport signature (a plain SOAP toolkit).
func testConfig(t testing.TB, p *testpki.PKI) *Config {
	t.Helper()
	hash, err := hashOnce()
	if err != nil {
		t.Fatal(err)
	}
	no := false
	return &Config{
		Listen:    "127.0.0.1:0",
		PlainHTTP: true,
		DataDir:   t.TempDir(),
		Signing: signing.Config{
			Trust:       []string{p.Path("trust")},
			CRLs:        []string{p.Path("crl", "full.crl"), p.Path("crl", "delta.crl")},
			CheckIINBIN: true,
			Key:         signing.KeyConfig{P12: p.Path("employee.p12"), Password: "test"},
		},
		Senders: []gateway.SenderConfig{
			{ID: "demo-portal", Channel: adapter.ChannelPortal, PasswordHash: hash},
			{ID: "centre", Channel: adapter.ChannelServiceCentre, PasswordHash: hash},
			{ID: "toolkit", Channel: adapter.ChannelDesk, PasswordHash: hash, RequireTransportSignature: &no},
		},
		MaxBodyBytes: 2 << 20,
	}
}

// running is a server started on a free port.
type running struct {
	URL    string
	srv    *Server
	logs   *syncBuffer // everything the server logged
	cancel context.CancelFunc
	done   chan error
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent logging.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func start(t testing.TB, cfg *Config) *running {
	t.Helper()
	logs := &syncBuffer{}
	srv, err := New(context.Background(), cfg, slog.New(slog.NewJSONHandler(logs, nil)), adapter.SystemClock{})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ln, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{URL: "http://" + ln.Addr().String(), srv: srv, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(r.stop)
	return r
}

// stop shuts the server down gracefully; safe to call twice.
func (r *running) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	<-r.done
	r.cancel = nil
}

// post sends a SOAP request and returns status and body.
func post(t testing.TB, url string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, "text/xml; charset=utf-8", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// request builds a signed sample request with defaults for these tests.
func request(t testing.TB, p *testpki.PKI, mod func(*sample.Options)) []byte {
	t.Helper()
	o := sample.Options{PKI: p, SenderID: "demo-portal", Password: testPassword, Now: time.Now()}
	if mod != nil {
		mod(&o)
	}
	b, err := sample.Request(o)
	if err != nil {
		t.Fatalf("sample.Request: %v", err)
	}
	return b
}

// fault returns the gateway errorCode and our subError code of a fault.
func fault(t testing.TB, body []byte) (code, sub string) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil {
		t.Fatalf("fault is not XML: %v\n%s", err, body)
	}
	el := doc.FindElement("//detail/*/errorCode")
	if el == nil {
		t.Fatalf("no fault errorCode in:\n%s", body)
	}
	if s := doc.FindElement("//detail/*/subError/errorCode"); s != nil {
		sub = s.Text()
	}
	return el.Text(), sub
}

// ackNumber returns the status code and request number of an acknowledgement.
func ackNumber(t testing.TB, body []byte) (status, number string) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil {
		t.Fatalf("ack is not XML: %v\n%s", err, body)
	}
	if s := doc.FindElement("//responseInfo/status/code"); s != nil {
		status = s.Text()
	}
	if n := doc.FindElement("//requestNumber"); n != nil {
		number = n.Text()
	}
	return status, number
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pkiDir != "" {
		os.RemoveAll(pkiDir)
	}
	os.Exit(code)
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
