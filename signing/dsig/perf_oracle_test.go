package dsig

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// oracleParse is Parse as it was before the single-pass change: a full
// pre-scan, then etree with default settings.
func oracleParse(data []byte, lim Limits) (*etree.Document, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return nil, errorf(ReasonTooLarge, "%d bytes > %d", len(data), lim.MaxBytes)
	}
	if err := prescan(data, lim); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, wrap(ReasonMalformedXML, "parse", err)
	}
	if doc.Root() == nil {
		return nil, errorf(ReasonMalformedXML, "no root element")
	}
	return doc, nil
}

func reasonOf(err error) Reason {
	if err == nil {
		return ""
	}
	var de *Error
	if errors.As(err, &de) {
		return de.Reason
	}
	return "non-dsig error: " + Reason(err.Error())
}

func fixtureDocs(t testing.TB) [][]byte {
	var out [][]byte
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".xml" {
			return err
		}
		b, err := os.ReadFile(path)
		out = append(out, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var parseEdgeCases = []string{
	`<a/>`, ``, `<a/><b/>`, `<!DOCTYPE a><a/>`, `<a><!DOCTYPE a></a>`, `<a/><!DOCTYPE a>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, `<?xml version="1.0" encoding="utf-8"?><a/>`,
	`<?xml version="1.1"?><a/>`, `<a><?xml version="1.0" encoding="latin1"?></a>`, `<a><?pi x?></a>`,
	`<?pi?><a/>`, `<a></b>`, `<a>`, `</a>`, `<a/></a>`, `<a>&foo;</a>`, `<!DOCTYPE a><a></b>`,
	`<a><b><c/></b></a>`, `<a><!-- c --></a>`, `text`, `<a/>text`, `<a b="1" b="2"/>`,
	`<a><![CDATA[x]]></a>`, `<p:a xmlns:p="u"/>`, `<a/><?pi?>`, `<a/><!DOCTYPE x><b/>`,
	strings.Repeat("<e>", 300) + strings.Repeat("</e>", 300),
	strings.Repeat("<e>", 1100) + strings.Repeat("</e>", 1100),
	`<!DOCTYPE a>` + strings.Repeat("<e>", 300) + strings.Repeat("</e>", 300),
	strings.Repeat("<e>", 300) + `<!DOCTYPE a>` + strings.Repeat("</e>", 300),
	"<r>" + strings.Repeat("<e/>", 20) + "</r>",
	"<r>" + strings.Repeat("<e/>", 20) + "<!DOCTYPE a></r>",
	"<r><!DOCTYPE a>" + strings.Repeat("<e/>", 20) + "</r>",
	"<r>" + strings.Repeat("<e/>", 20) + "</x>",
}

// TestParseMatchesOracle: the single-pass Parse gives the same Reason
// (or the same tree) as pre-scan + parse, for fixtures, edge cases and
// random mutations, under several limits.
func TestParseMatchesOracle(t *testing.T) {
	inputs := [][]byte{}
	for _, s := range parseEdgeCases {
		inputs = append(inputs, []byte(s))
	}
	fx := fixtureDocs(t)
	inputs = append(inputs, fx...)
	rng := rand.New(rand.NewSource(1))
	frags := []string{"<", ">", "</", "<!DOCTYPE x>", "<?pi?>", "<?xml version=\"1.0\" encoding=\"latin1\"?>", "<x>", "</x>", "&", "<!--", "-->", "\"", "<![CDATA[", "]]>", "<x/>"}
	for i := 0; i < 3000; i++ {
		b := []byte(string(fx[rng.Intn(len(fx))]))
		for n := rng.Intn(3) + 1; n > 0; n-- {
			p := rng.Intn(len(b) + 1)
			switch rng.Intn(3) {
			case 0:
				b = append(b[:p:p], append([]byte(frags[rng.Intn(len(frags))]), b[p:]...)...)
			case 1:
				if p < len(b) {
					b = append(b[:p:p], b[min(len(b), p+rng.Intn(20)+1):]...)
				}
			case 2:
				if p < len(b) {
					b[p] = "<>/!?&\"x "[rng.Intn(9)]
				}
			}
		}
		inputs = append(inputs, b)
	}
	limits := []Limits{DefaultLimits(), {MaxDepth: 4, MaxElements: 10}, {MaxDepth: 64, MaxElements: 15}, {MaxDepth: 2000, MaxElements: 100000}, {MaxElements: 1}}
	for _, lim := range limits {
		for i, in := range inputs {
			got, gerr := Parse(in, lim)
			want, werr := oracleParse(in, lim)
			if reasonOf(gerr) != reasonOf(werr) {
				t.Fatalf("input %d %q lim %+v: got %v, want %v", i, trunc(in), lim, gerr, werr)
			}
			if gerr == nil {
				gb, _ := got.WriteToBytes()
				wb, _ := want.WriteToBytes()
				if !bytes.Equal(gb, wb) {
					t.Fatalf("input %d: trees differ", i)
				}
			}
		}
	}
}

func trunc(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
