package signing_test

import (
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/signing"
)

func TestDetach(t *testing.T) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<r xmlns:p="urn:p" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:q="urn:q" xmlns:unused="urn:u" xmlns="urn:d">` +
		`<data xsi:type="q:T"><p:a p:x="1"><b/></p:a></data></r>`); err != nil {
		t.Fatal(err)
	}
	el := signing.Detach(doc.Root().SelectElement("data"))
	out := etree.NewDocument()
	out.SetRoot(el)
	s, _ := out.WriteToString()
	want := `<data xsi:type="q:T" xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`
	if !strings.HasPrefix(s, want) || strings.Contains(s, "urn:u") {
		t.Fatalf("got %s", s)
	}
	if b := el.FindElement("a/b"); b == nil || b.NamespaceURI() != "urn:d" {
		t.Errorf("default namespace lost: %s", s)
	}
}
