package sample

import (
	"fmt"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/soap"
)

func TestParseAnswer(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	sync, err := soap.SyncResponse(soap.ResponseInfo{MessageID: "a", CorrelationID: "m", ResponseDate: now, StatusCode: adapter.StatusSuccess, StatusMessage: "ok"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	async, err := soap.AsyncResponse(soap.AsyncResponseInfo{MessageID: "a", CorrelationID: "m", ResponseDate: now})
	if err != nil {
		t.Fatal(err)
	}
	refused := &adapter.Error{Code: adapter.CodeIdentityMismatch, Message: "IIN differs"}
	tests := []struct {
		name   string
		status int
		body   []byte
		want   string
		acked  bool
	}{
		{"sync ack", 200, sync, "200 SCSS001", true},
		{"async ack", 200, async, "200 SCSS001", true},
		{"sync fault", refused.HTTPStatus(), soap.Fault(soap.Sync, refused, now, ""), fmt.Sprintf("%d %s IIN_BIN_MISMATCH", refused.HTTPStatus(), refused.FaultCode()), false},
		{"async fault", 503, soap.Fault(soap.Async, &adapter.Error{Code: adapter.CodeUnavailable}, now, ""), "503 SCE909 UNAVAILABLE", false},
		{"not xml", 502, []byte("bad gateway"), "502", false},
		{"not soap", 200, []byte("<a/>"), "200", false},
		{"ack with wrong status", 500, sync, "500 SCSS001", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ParseAnswer(tt.status, tt.body)
			if a.String() != tt.want || a.Acked != tt.acked {
				t.Errorf("got %q acked %v, want %q acked %v", a, a.Acked, tt.want, tt.acked)
			}
		})
	}
}
