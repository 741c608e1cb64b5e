package soap

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
)

func readDoc(t testing.TB, b []byte) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSync(t *testing.T) {
	t.Parallel()
	r, err := ParseSync(readDoc(t, fixture(t, "sync-request.xml")))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 3, 2, 5, 15, 30, 123e6, time.UTC)
	if r.MessageID != "5f0e8a4c-2b7d-4f33-9a61-0c2d9e7b1a10" || r.ServiceID != "ISB_FOREIGN_PERIODICAL_REGISTRATION" ||
		r.CorrelationID == "" || r.RouteID != "ISB_AKMOLA" || r.SenderID != "EGOV_PORTAL" || r.Password != "portal-secret" ||
		!r.MessageDate.Equal(want) || r.SessionID != "{f0774397-4fcd-484a-9434-f71535ee4326}" || len(r.Properties) != 2 {
		t.Fatalf("got %+v", r)
	}
	if v, ok := r.Property("channel"); !ok || v != "portal" {
		t.Errorf("property channel = %q, %v", v, ok)
	}
	if r.Data == nil || r.Data.Tag != "data" || r.Data.SelectElement("Application") == nil {
		t.Errorf("data = %v", r.Data)
	}
	if Operation(readDoc(t, fixture(t, "sync-request.xml"))) != OpSync {
		t.Error("Operation != SendMessage")
	}
}

// TestParseSyncErrors mutates the valid request one way per case.
func TestParseSyncErrors(t *testing.T) {
	t.Parallel()
	base := string(fixture(t, "sync-request.xml"))
	long := strings.Repeat("k", 31)
	for _, tc := range []struct {
		name, old, new string
		code           adapter.Code
		msg            string
	}{
		{"missing messageId", "<messageId>5f0e8a4c-2b7d-4f33-9a61-0c2d9e7b1a10</messageId>", "", adapter.CodeSchema, "requestInfo/messageId is missing"},
		{"empty messageId", "<messageId>5f0e8a4c-2b7d-4f33-9a61-0c2d9e7b1a10</messageId>", "<messageId> </messageId>", adapter.CodeSchema, "requestInfo/messageId is empty"},
		{"wrong order", "<serviceId>ISB_FOREIGN_PERIODICAL_REGISTRATION</serviceId>\n          <messageDate>2026-03-02T10:15:30.123+05:00</messageDate>",
			"<messageDate>2026-03-02T10:15:30.123+05:00</messageDate>\n          <serviceId>ISB_FOREIGN_PERIODICAL_REGISTRATION</serviceId>", adapter.CodeSchema, "requestInfo/serviceId is out of order: found messageDate where serviceId expected"},
		{"duplicate serviceId", "<routeId>ISB_AKMOLA</routeId>", "<serviceId>X</serviceId>", adapter.CodeSchema, "requestInfo/sender is out of order: found serviceId where sender expected"},
		{"property key > 30", "<key>channel</key>", "<key>" + long + "</key>", adapter.CodeSchema, "requestInfo/properties[1]/key is longer than 30 characters"},
		{"property value > 500", "<value>kk</value>", "<value>" + strings.Repeat("ж", 501) + "</value>", adapter.CodeSchema, "requestInfo/properties[2]/value is longer than 500 characters"},
		{"property without value", "<value>portal</value>", "", adapter.CodeSchema, "requestInfo/properties/value is missing"},
		{"bad sessionId", "{f0774397-4fcd-484a-9434-f71535ee4326}", "f0774397-4fcd-484a-9434-f71535ee4326", adapter.CodeSchema, "requestInfo/sessionId is not a braced GUID"},
		{"bad messageDate", "2026-03-02T10:15:30.123+05:00", "02.03.2026 10:15", adapter.CodeSchema, "requestInfo/messageDate is not an xsd:dateTime"},
		{"missing sender", "<sender>\n            <senderId>EGOV_PORTAL</senderId>\n            <password>portal-secret</password>\n          </sender>", "", adapter.CodeSchema, "requestInfo/sender is missing"},
		{"missing senderId", "<senderId>EGOV_PORTAL</senderId>", "", adapter.CodeSchema, "requestInfo/sender/senderId is missing"},
		{"unknown element", "<routeId>ISB_AKMOLA</routeId>", "<routeId>ISB_AKMOLA</routeId><extra/>", adapter.CodeSchema, "found extra where sender expected"},
		{"trailing element", "<sessionId>", "<extra/><sessionId>", adapter.CodeSchema, "requestInfo: unexpected element extra"},
		{"qualified child", "<messageId>", `<messageId xmlns="urn:x">`, adapter.CodeSchema, `requestInfo/messageId must be unqualified, found namespace "urn:x"`},
		{"text in requestInfo", "<requestInfo>", "<requestInfo>junk", adapter.CodeSchema, "requestInfo: unexpected text content"},
		{"element in leaf", "<routeId>ISB_AKMOLA</routeId>", "<routeId><b/></routeId>", adapter.CodeSchema, "requestInfo/routeId must hold text only"},
		{"missing requestData", "requestData>", "requestDatum>", adapter.CodeSchema, "request/requestData is missing"},
		{"wrong namespace", `xmlns:ns2="http://bip.bee.kz/SyncChannel/v10/Types"`, `xmlns:ns2="http://bip.bee.kz/SyncChannel/v11/Types"`, adapter.CodeSchema, `SendMessage is in namespace "http://bip.bee.kz/SyncChannel/v11/Types"`},
		{"async root", "ns2:SendMessage", "ns2:sendMessage", adapter.CodeSchema, "Body holds sendMessage, expected SendMessage"},
		{"two in body", "</ns2:SendMessage>", "</ns2:SendMessage><x/>", adapter.CodeSchema, "Body must hold exactly one element, found 2"},
		{"SOAP 1.2", "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope", adapter.CodeMalformed, "SOAP 1.2 envelope"},
		{"not an envelope", "soap:Envelope", "soap:Envelop", adapter.CodeMalformed, "not a SOAP 1.1 Envelope"},
		{"no body", "soap:Body", "soap:Corpus", adapter.CodeMalformed, "unexpected element Corpus"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(base, tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			_, err := ParseSync(readDoc(t, []byte(strings.Replace(base, tc.old, tc.new, -1))))
			var e *adapter.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *adapter.Error", err)
			}
			if e.Code != tc.code || !strings.Contains(e.Message, tc.msg) {
				t.Fatalf("got %s %q, want %s containing %q", e.Code, e.Message, tc.code, tc.msg)
			}
		})
	}
}

func TestParseAsync(t *testing.T) {
	t.Parallel()
	base := string(fixture(t, "async-request.xml"))
	r, err := ParseAsync(readDoc(t, []byte(base)))
	if err != nil {
		t.Fatal(err)
	}
	if r.MessageType != TypeRequest || r.ServiceID == "" || r.Data == nil || r.CorrelationID != "" {
		t.Fatalf("got %+v", r)
	}
	for _, tc := range []struct{ name, old, new, msg string }{
		{"bad type", "<messageType>REQUEST", "<messageType>REPLY", `messageInfo/messageType "REPLY" is not one of`},
		{"response without correlationId", "<messageType>REQUEST", "<messageType>RESPONSE", "correlationId is required for messageType RESPONSE"},
		{"order", "<messageType>REQUEST</messageType>", "", "messageInfo/messageType is missing"},
	} {
		_, err := ParseAsync(readDoc(t, []byte(strings.Replace(base, tc.old, tc.new, 1))))
		if adapter.ErrorCode(err) != adapter.CodeSchema || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func TestParseNotification(t *testing.T) {
	t.Parallel()
	base := string(fixture(t, "notification.xml"))
	n, err := ParseNotification(readDoc(t, []byte(base)))
	if err != nil {
		t.Fatal(err)
	}
	if n.MessageState != StateNotDelivered || n.StatusCode != "DELIVERY_ERROR" || n.Error == nil || n.Error.Code != "SCE909" {
		t.Fatalf("got %+v", n)
	}
	_, err = ParseNotification(readDoc(t, []byte(strings.Replace(base, "NOT_DELIVERED", "LOST", 1))))
	if adapter.ErrorCode(err) != adapter.CodeSchema {
		t.Errorf("bad state: err = %v", err)
	}
	if Operation(readDoc(t, []byte(base))) != OpNotification {
		t.Error("Operation")
	}
}

func TestParseDateTime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2026-03-02T10:15:30Z", true},
		{"2026-03-02T10:15:30.123456+06:00", true},
		{" 2026-03-02T10:15:30-01:00 ", true},
		{"2026-03-02T10:15:30", true}, // no zone: UTC+5
		{"2026-03-02 10:15:30", false},
		{"2026-13-02T10:15:30Z", false},
		{"2026-03-02T10:15Z", false},
		{"", false},
	} {
		if _, ok := ParseDateTime(tc.in); ok != tc.ok {
			t.Errorf("ParseDateTime(%q) ok = %v", tc.in, ok)
		}
	}
	got, _ := ParseDateTime("2026-03-02T10:15:30")
	if !got.Equal(time.Date(2026, 3, 2, 5, 15, 30, 0, time.UTC)) {
		t.Errorf("zone-less = %v", got)
	}
}

func FuzzParseSync(f *testing.F) {
	for _, name := range []string{"sync-request.xml", "async-request.xml", "notification.xml", "sync-fault.xml"} {
		f.Add(fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc := etree.NewDocument()
		if doc.ReadFromBytes(b) != nil {
			return
		}
		r, err := ParseSync(doc)
		if err != nil {
			var e *adapter.Error
			if !errors.As(err, &e) || (e.Code != adapter.CodeSchema && e.Code != adapter.CodeMalformed) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if r.MessageID == "" || r.ServiceID == "" || r.SenderID == "" || r.Data == nil {
			t.Fatalf("accepted incomplete request %+v", r)
		}
		_ = Operation(doc)
	})
}
