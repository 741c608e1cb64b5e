package soap

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/isb-region/shepadapter/adapter"
)

var at = time.Date(2026, 3, 2, 10, 15, 31, 0, time.FixedZone("", 5*3600))

const session = "{f0774397-4fcd-484a-9434-f71535ee4326}"

func TestBuildersValidate(t *testing.T) {
	t.Parallel()
	req, err := ParseSync(readDoc(t, fixture(t, "sync-request.xml")))
	if err != nil {
		t.Fatal(err)
	}
	app := req.Data.ChildElements()[0] // p:Application, namespace declared on an ancestor? no: on itself
	secret := adapter.Wrap(adapter.CodeInternal, "store.Accept", io.ErrUnexpectedEOF, "")
	secret.Err = errString("redis password hunter2")

	syncResp, err := SyncResponse(ResponseInfo{MessageID: "r-1", CorrelationID: req.MessageID, ResponseDate: at,
		StatusCode: adapter.StatusSuccess, StatusMessage: strings.Repeat("ok ", 200), SessionID: session}, req.Data)
	if err != nil {
		t.Fatal(err)
	}
	syncBare, err := SyncResponse(ResponseInfo{MessageID: "r-2", ResponseDate: at, StatusCode: adapter.StatusSuccess}, app)
	if err != nil {
		t.Fatal(err)
	}
	asyncResp, err := AsyncResponse(AsyncResponseInfo{MessageID: "a-1", CorrelationID: "m-1", ResponseDate: at, SessionID: session})
	if err != nil {
		t.Fatal(err)
	}
	out, err := AsyncMessage(&AsyncRequest{CorrelationID: "m-1", ServiceID: "ISB_FOREIGN_PERIODICAL_REGISTRATION",
		MessageType: TypeResponse, MessageDate: at, SenderID: "ISB", Password: "pw",
		Properties: []Property{{"k", "v"}}, Data: req.Data})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"sync-response", syncResp},
		{"sync-response-bare-data", syncBare},
		{"async-response", asyncResp},
		{"notification-response", NotificationResponse()},
		{"async-message", out},
		{"fault-sync-schema", Fault(Sync, adapter.Errorf(adapter.CodeSchema, "x", "requestInfo/messageId is missing"), at, session)},
		{"fault-async-internal", Fault(Async, secret, at, "not-a-guid")},
		{"fault-nil", Fault(Sync, nil, at, "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			xmllintBytes(t, bundle, tc.b)
			if strings.Contains(string(tc.b), "hunter2") {
				t.Fatal("fault leaks the cause")
			}
		})
	}
	// round trip: what we send parses back.
	back, err := ParseAsync(readDoc(t, out))
	if err != nil || back.MessageType != TypeResponse || back.CorrelationID != "m-1" || back.Data.SelectElement("Application") == nil {
		t.Fatalf("round trip: %+v %v", back, err)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestFault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err             *adapter.Error
		kind            Kind
		faultcode, root string
		codes           []string
	}{
		{adapter.Errorf(adapter.CodeSchema, "op", "bad"), Sync, "soap:Client", "SendMessageFault1_SendMessageFault", []string{"SCE001", "SCHEMA"}},
		{&adapter.Error{Code: adapter.CodeUnavailable, Message: "try later"}, Async, "soap:Server", "sendMessageFault1_sendMessageFault", []string{"SCE909", "UNAVAILABLE"}},
		{&adapter.Error{Code: adapter.CodeDataInvalid, Reason: "GOST_UNSUPPORTED", Message: "m"}, Sync, "soap:Client", "SendMessageFault1_SendMessageFault", []string{"SCE016", "DATA_SIGNATURE_INVALID/GOST_UNSUPPORTED"}},
	} {
		doc := readDoc(t, Fault(tc.kind, tc.err, at, session))
		f := doc.FindElement("//Fault")
		if got := f.SelectElement("faultcode").Text(); got != tc.faultcode {
			t.Errorf("faultcode %s, want %s", got, tc.faultcode)
		}
		info := f.FindElement("detail/" + tc.root)
		if info == nil {
			t.Fatalf("no %s in detail", tc.root)
		}
		if info.SelectElement("errorCode").Text() != tc.codes[0] || info.FindElement("subError/errorCode").Text() != tc.codes[1] {
			t.Errorf("codes %s / %s", info.SelectElement("errorCode").Text(), info.FindElement("subError/errorCode").Text())
		}
	}
}

func TestWSDLHandler(t *testing.T) {
	t.Parallel()
	h := WSDLHandler(WSDLSync, func(*http.Request) string { return "https://isb.example.kz/shep/sync" })
	for _, tc := range []struct {
		target string
		status int
		want   string
	}{
		{"/shep/sync?wsdl", 200, `location="https://isb.example.kz/shep/sync"`},
		{"/shep/sync?wsdl", 200, `schemaLocation="https://isb.example.kz/shep/sync?xsd=sync-channel.xsd"`},
		{"/shep/sync?xsd=sync-channel.xsd", 200, `schemaLocation="https://isb.example.kz/shep/sync?xsd=common.xsd"`},
		{"/shep/sync?xsd=common.xsd", 200, `name="ErrorInfo"`},
		{"/shep/sync?xsd=../go.mod", 404, ""},
		{"/shep/sync?xsd=embed.go", 404, ""},
		{"/shep/sync?xsd=", 404, ""},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s: %d, body lacks %q", tc.target, rec.Code, tc.want)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/shep/sync?wsdl", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
}
