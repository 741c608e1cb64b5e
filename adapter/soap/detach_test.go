package soap

import (
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

func TestDetach(t *testing.T) {
	t.Parallel()
	doc := readDoc(t, []byte(`<r xmlns:p="urn:p" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:q="urn:q" xmlns="urn:d">`+
		`<data xsi:type="q:T"><p:a p:x="1"><b/></p:a></data></r>`))
	el := Detach(doc.Root().SelectElement("data"))
	out := etree.NewDocument()
	out.SetRoot(el)
	s, _ := out.WriteToString()
	want := `<data xsi:type="q:T" xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`
	if !strings.HasPrefix(s, want) {
		t.Fatalf("got %s", s)
	}
	if b := el.FindElement("a/b"); b == nil || b.NamespaceURI() != "urn:d" {
		t.Errorf("default namespace lost: %s", s)
	}
}

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
