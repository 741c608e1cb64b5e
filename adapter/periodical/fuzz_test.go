package periodical

import (
	"os"
	"testing"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
)

func FuzzDecodeApplication(f *testing.F) {
	for _, name := range []string{"application.xml", "TestBuilders/sample-application.xml", "certificate.xml"} {
		b, err := os.ReadFile("../../testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc := etree.NewDocument()
		if doc.ReadFromBytes(b) != nil || doc.Root() == nil {
			return
		}
		a, err := DecodeApplication(doc.Root(), Options{CheckIIN: true})
		if err != nil {
			if c := adapter.ErrorCode(err); c != adapter.CodeSchema && c != adapter.CodeInvalidIIN {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(a.ApplicantID()) != 12 || len(a.Attachments) == 0 || len(a.Publication.Languages) == 0 {
			t.Fatalf("accepted incomplete application %+v", a)
		}
	})
}
