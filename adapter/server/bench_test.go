package server

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter/sample"
)

// BenchmarkSendMessage is one accepted request end to end over HTTP: parse,
// both signatures, certificate and CRL checks, validation and the store
// (embedded, fsynced). Requests are signed before the timer starts.
func BenchmarkSendMessage(b *testing.B) {
	p := testPKI(b)
	r := start(b, testConfig(b, p))
	reqs := make([][]byte, b.N)
	for i := range reqs {
		reqs[i] = request(b, p, func(o *sample.Options) { o.Now = time.Now() })
	}
	client := &http.Client{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := client.Post(r.URL+"/shep/sync", "text/xml", bytes.NewReader(reqs[i]))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("HTTP %d", resp.StatusCode)
		}
	}
}
