package soap

import (
	"testing"
	"time"
)

// TestSyncMessageRoundTrip: what SyncMessage writes, ParseSync reads back
// unchanged, and xmllint accepts.
func TestSyncMessageRoundTrip(t *testing.T) {
	t.Parallel()
	in, err := ParseSync(readDoc(t, fixture(t, "sync-request.xml")))
	if err != nil {
		t.Fatal(err)
	}
	b, err := SyncMessage(in)
	if err != nil {
		t.Fatal(err)
	}
	xmllintBytes(t, bundle, b)
	out, err := ParseSync(readDoc(t, b))
	if err != nil {
		t.Fatal(err)
	}
	if out.MessageID != in.MessageID || !out.MessageDate.Equal(in.MessageDate) || out.SessionID != in.SessionID ||
		len(out.Properties) != len(in.Properties) || out.Password != in.Password || out.Data.SelectElement("Application") == nil {
		t.Fatalf("round trip changed the request:\n%+v\n%+v", in, out)
	}
	if _, err := SyncMessage(&SyncRequest{MessageID: "m", ServiceID: "s", SenderID: "x", MessageDate: time.Now()}); err == nil {
		t.Error("accepted a message without data")
	}
}
