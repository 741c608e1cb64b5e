package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
)

// FuzzSendMessage drives the whole ingest pipeline with mutated requests: it
// must never panic, and every answer is an acknowledgement or a SOAP fault
// with a gateway code and our subError code.
func FuzzSendMessage(f *testing.F) {
	p := testPKI(f)
	r := start(f, testConfig(f, p))
	f.Add(request(f, p, nil))
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "*.xml"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	handler := r.srv.http.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/shep/sync", bytes.NewReader(body)))
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(rec.Body.Bytes()); err != nil {
			t.Fatalf("answer is not XML: %v", err)
		}
		switch rec.Code {
		case http.StatusOK:
			if doc.FindElement("//responseInfo/status/code") == nil {
				t.Fatalf("200 without a status code:\n%s", rec.Body)
			}
		case http.StatusInternalServerError:
			code, sub := doc.FindElement("//detail/*/errorCode"), doc.FindElement("//detail/*/subError/errorCode")
			if code == nil || sub == nil || code.Text() == "" || sub.Text() == "" || code.Text() == "SCE909" && sub.Text() == "INTERNAL" {
				t.Fatalf("fault without codes, or an internal error:\n%s", rec.Body)
			}
		default:
			t.Fatalf("HTTP %d", rec.Code)
		}
	})
}
