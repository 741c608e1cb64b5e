package dsig

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// conformanceDir finds ../shared/conformance/xmldsig relative to the repo
// root (the directory holding go.mod), or SHEP_CONFORMANCE_DIR.
func conformanceDir(t *testing.T) string {
	if d := os.Getenv("SHEP_CONFORMANCE_DIR"); d != "" {
		return filepath.Join(d, "xmldsig")
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "conformance", "xmldsig")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

type vector struct {
	file, expected, algorithms, note, xmlsecResult string
}

func readManifest(t *testing.T, dir string) []vector {
	f, err := os.Open(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Skipf("conformance vectors not present (%v): they live in ../shared/conformance, outside user clones; set SHEP_CONFORMANCE_DIR to run", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	var out []vector
	for i := 0; ; i++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("manifest: %v", err)
		}
		if i == 0 || len(rec) < 6 {
			continue
		}
		out = append(out, vector{rec[0], rec[1], rec[3], rec[4], rec[5]})
	}
}

// profileTokens are the manifest's algorithm tokens inside our profile.
var profileTokens = map[string]bool{}

func init() {
	for _, c := range []string{"c14n", "exc-c14n", "c14n11"} {
		for _, s := range []string{"", "#WithComments"} {
			profileTokens[c+s], profileTokens["T:"+c+s] = true, true
		}
	}
	for _, a := range []string{"rsa-sha1", "rsa-sha256", "rsa-sha384", "rsa-sha512", "ecdsa-sha256",
		"ecdsa-sha384", "ecdsa-sha512", "sha1", "sha256", "sha384", "sha512", "T:enveloped"} {
		profileTokens[a] = true
	}
}

var urisRE = regexp.MustCompile(`uris=(\S*);`)

// inProfile: enveloped shape, same-document bare-name or empty URIs,
// X.509 KeyInfo and allow-listed algorithms only.
func (v vector) inProfile() bool {
	if !strings.HasPrefix(strings.Trim(v.note, `"`), "enveloped ") || !strings.Contains(v.note, "KeyInfo:X509Data;") {
		return false
	}
	for _, tok := range strings.Split(v.algorithms, ",") {
		if !profileTokens[tok] {
			return false
		}
	}
	m := urisRE.FindStringSubmatch(v.note)
	return m != nil && !strings.Contains(m[1], "xpointer")
}

// TestConformanceVectors runs every public vector: in-profile verdicts
// must equal xmlsec1's; everything else must be refused, never accepted.
func TestConformanceVectors(t *testing.T) {
	dir := conformanceDir(t)
	vectors := readManifest(t, dir)
	var agree, inProfile, refused int
	reasons := map[Reason]int{}
	for _, v := range vectors {
		err := verifyVector(t, filepath.Join(dir, v.file))
		if v.inProfile() {
			inProfile++
			if ok := err == nil; ok != (v.xmlsecResult == "valid") {
				t.Errorf("%s: xmlsec1 says %s, we say %v", v.file, v.xmlsecResult, err)
				continue
			}
			agree++
			t.Logf("in profile %s: xmlsec1 %s, ours %v", v.file, v.xmlsecResult, err)
			continue
		}
		var de *Error
		if err == nil {
			t.Errorf("%s: outside our profile but ACCEPTED", v.file)
			continue
		}
		if !errors.As(err, &de) || !refusedAsUnsupported(de.Reason) {
			t.Errorf("%s: outside profile, want an unsupported-class refusal, got %v", v.file, err)
			continue
		}
		refused++
		reasons[de.Reason]++
	}
	t.Logf("conformance: %d vectors; in profile %d, agree with xmlsec1 %d; outside profile refused as unsupported %d %v",
		len(vectors), inProfile, agree, refused, reasons)
}

// refusedAsUnsupported lists the reasons that mean "outside our profile".
func refusedAsUnsupported(r Reason) bool {
	switch r {
	case ReasonUnsupportedAlgorithm, ReasonUnsupportedKeyInfo, ReasonDTD, ReasonWeakAlgorithm:
		return true
	}
	return false
}

// verifyVector applies our engine: the enveloped entry point for a
// signature inside an element, the core for a root (enveloping or
// detached) signature. SHA-1 is allowed: legacy verify is in profile.
func verifyVector(t *testing.T, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse(data, DefaultLimits())
	if err != nil {
		return err
	}
	opt := Options{AllowSHA1: true}
	sig := findSignature(doc.Root())
	if sig == nil {
		return errorf(ReasonMissing, "no signature")
	}
	if isRoot(sig) {
		return verifyRootSignature(sig, opt)
	}
	_, err = VerifyEnveloped(sig.Parent(), opt)
	return err
}

func verifyRootSignature(sig *etree.Element, opt Options) error {
	_, err := verify(verifyInput{sig: sig, want: sig, resolve: envelopedResolver(sig),
		notSigned: ReasonWrapping, enveloped: true, opt: opt})
	return err
}

func findSignature(root *etree.Element) *etree.Element {
	stack := []*etree.Element{root}
	for len(stack) > 0 {
		e := stack[0]
		stack = stack[1:]
		if e.Tag == "Signature" && e.NamespaceURI() == nsDS {
			return e
		}
		stack = append(stack, e.ChildElements()...)
	}
	return nil
}
