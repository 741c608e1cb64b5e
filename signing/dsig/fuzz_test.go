package dsig

import (
	"os"
	"path/filepath"
	"testing"
)

// seedFromTestdata adds every XML fixture under testdata as a corpus seed.
func seedFromTestdata(f *testing.F) {
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".xml" {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil {
			f.Add(b)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
}

// FuzzParse: Parse never panics and, when it accepts, yields a root.
func FuzzParse(f *testing.F) {
	seedFromTestdata(f)
	f.Add([]byte("<!DOCTYPE a><a/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, Limits{MaxBytes: 1 << 20, MaxDepth: 64, MaxElements: 10_000})
		if err == nil && doc.Root() == nil {
			t.Fatal("accepted document without root")
		}
	})
}

// FuzzVerify: verification never panics, and an acceptance always comes
// with a verified element and the certificate that verified it.
func FuzzVerify(f *testing.F) {
	seedFromTestdata(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, Limits{MaxBytes: 1 << 20, MaxDepth: 64, MaxElements: 10_000})
		if err != nil {
			return
		}
		check := func(v *Verified, err error) {
			if err == nil && (v == nil || v.Element == nil || v.Leaf == nil) {
				t.Fatalf("accepted without element or leaf: %+v", v)
			}
		}
		check(VerifyWSSecurity(doc, Options{}))
		check(VerifyEnveloped(doc.Root(), Options{AllowSHA1: true}))
	})
}
