package dsig

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
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

// excCorpus returns parsed documents: the fixtures, documents from the
// signing round trips, and random mutations of the fixtures that still
// parse.
func excCorpus(t *testing.T) []*etree.Document {
	var docs []*etree.Document
	add := func(b []byte) {
		d, err := Parse(b, DefaultLimits())
		if err == nil {
			docs = append(docs, d)
		}
	}
	fx := fixtureDocs(t)
	for _, b := range fx {
		add(b)
	}
	add(benchRequest(3000))
	for _, s := range excEdgeDocs {
		add([]byte(s))
	}
	rng := rand.New(rand.NewSource(2))
	frags := []string{` xmlns=""`, ` xmlns="urn:d"`, ` xmlns:p="urn:p"`, ` xmlns:q="urn:q"`, ` xmlns:ds="urn:other"`,
		` p:a="1"`, ` q:b="2"`, ` a="&#xD;&#x9;&#xA;&quot;&lt;&gt;'"`, ` xml:lang="kk"`, ` xml:id="x1"`, ` Id="i9"`,
		`<!-- c -->`, `<?xml version="1.0"?>`, `<p:e>t&amp;&#xD;&gt;"'</p:e>`, `<e xmlns="">x</e>`, `<![CDATA[<&>]]>`, "\u00e9\U0001F600\uFFFD",
		` xmlns:xml="http://www.w3.org/XML/1998/namespace"`, `<q:z xmlns:q="urn:q2" q:c="3"/>`, ` xmlns:p="urn:p2"`}
	for i := 0; i < 2500; i++ {
		src := fx[rng.Intn(len(fx))]
		if i%4 == 0 {
			src = []byte(excEdgeDocs[rng.Intn(len(excEdgeDocs))])
		}
		b := []byte(string(src))
		for n := rng.Intn(4) + 1; n > 0; n-- {
			// Insert after a tag name or at a '>' so the result often parses.
			idxs := []int{}
			for j := 1; j < len(b); j++ {
				if b[j] == '>' || (b[j] == ' ' && b[j-1] != ' ') {
					idxs = append(idxs, j)
				}
			}
			if len(idxs) == 0 {
				break
			}
			p := idxs[rng.Intn(len(idxs))]
			f := frags[rng.Intn(len(frags))]
			if b[p] == '>' && f[0] == '<' {
				p++
			}
			b = append(b[:p:p], append([]byte(f), b[p:]...)...)
		}
		add(b)
	}
	return docs
}

var excEdgeDocs = []string{
	`<r xmlns="urn:d" xmlns:p="urn:p"><p:a p:x="1" y="2"><b xmlns="">t</b><c xmlns:q="urn:q" q:z="1"/></p:a></r>`,
	`<p:r xmlns:p="urn:p" xmlns:q="urn:q" xml:lang="en"><q:a xmlns:p="urn:p2" p:b="1" c="&#xD;"><p:c/></q:a><!--x--><d xml:space="preserve"> </d></p:r>`,
	`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="soap ds"/></ds:CanonicalizationMethod></ds:SignedInfo></ds:Signature>`,
	`<a xmlns:u="urn:u"><b><c u:x="1" xmlns:v="urn:v" v:y="2"/></b></a>`,
	`<a><b xmlns="urn:x"><c xmlns="urn:x"><d xmlns=""/></c></b></a>`,
	`<a xmlns:p="urn:p"><p:b xmlns:p="urn:p"><p:c xmlns:p="urn:p3"/></p:b></a>`,
}

// TestExcCanonicalMatchesGeneral: for every element of the corpus, every
// c14n method, several PrefixLists and with the enveloped signature
// skipped or not, the direct serialiser either declines or yields exactly
// the general path's bytes; and it does not decline on common shapes.
func TestExcCanonicalMatchesGeneral(t *testing.T) {
	docs := excCorpus(t)
	lists := []string{"", "ds", "soapenv ds wsu", "p q", "#default xml p"}
	checked, declined := 0, 0
	for di, d := range docs {
		stack := []*etree.Element{d.Root()}
		for len(stack) > 0 {
			el := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			stack = append(stack, el.ChildElements()...)
			skips := []*etree.Element{nil}
			if s := FindEnveloped(el); s != nil {
				skips = append(skips, s)
			}
			for _, uri := range allC14N {
				spec := c14nMethods[uri]
				for _, pl := range lists {
					if !spec.exclusive && pl != "" {
						continue // PrefixList is exclusive C14N's only
					}
					for _, skip := range skips {
						for _, keep := range []bool{false, true} {
							want, werr := canonicalizeGeneral(el, spec, pl, skip, keep)
							got, _, ok := directCanonicalTree(el, skip, spec, pl, keep && spec.comments, false)
							checked++
							if !ok {
								declined++
								continue
							}
							if werr != nil {
								t.Fatalf("doc %d <%s> %s %q: fast path accepted what the general path refuses (%v)", di, el.FullTag(), uri, pl, werr)
							}
							if !bytes.Equal(got, want) {
								t.Fatalf("doc %d <%s> %s %q skip=%v keep=%v:\n got %s\nwant %s", di, el.FullTag(), uri, pl, skip != nil, keep, got, want)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d docs, %d checks, %d declined", len(docs), checked, declined)
	if declined*2 > checked {
		t.Fatalf("fast path declined %d of %d", declined, checked)
	}
}

// TestTreeBuilderMatchesReparse: wherever the direct serialiser builds the
// verified tree itself, that tree is deeply equal (names, attribute order
// and values, text runs, whitespace flags, parents, the Document) to
// parseCanonical of the very bytes it wrote; and it does build on common
// shapes.
func TestTreeBuilderMatchesReparse(t *testing.T) {
	docs := excCorpus(t)
	built, total := 0, 0
	for di, d := range docs {
		stack := []*etree.Element{d.Root()}
		for len(stack) > 0 {
			el := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			stack = append(stack, el.ChildElements()...)
			skips := []*etree.Element{nil}
			if s := FindEnveloped(el); s != nil {
				skips = append(skips, s)
			}
			for _, m := range []struct{ uri, pl string }{{C14NExclusive, ""}, {C14NExclusive, "ds soapenv p"}, {C14N10, ""}, {C14N11, ""}} {
				for _, skip := range skips {
					out, tree, ok := directCanonicalTree(el, skip, c14nMethods[m.uri], m.pl, false, true)
					if !ok {
						continue
					}
					total++
					if tree == nil {
						continue
					}
					built++
					want, err := parseCanonical(out)
					if err != nil {
						t.Fatalf("doc %d <%s>: built a tree for bytes that do not re-parse: %v", di, el.FullTag(), err)
					}
					if !reflect.DeepEqual(tree.Parent(), want.Parent()) {
						gb, _ := etree.NewDocumentWithRoot(tree.Copy()).WriteToString()
						t.Fatalf("doc %d <%s>: built tree differs from re-parse\ncanon %s\nbuilt %s", di, el.FullTag(), out, gb)
					}
				}
			}
		}
	}
	t.Logf("%d of %d canonicalisations built their tree", built, total)
	if built*2 < total {
		t.Fatalf("built only %d of %d", built, total)
	}
}

// TestTreeBuilderEdgeText: text runs split by comments, CDATA, characters
// outside XML and whitespace-only runs come out as a re-parse has them.
func TestTreeBuilderEdgeText(t *testing.T) {
	root := etree.NewElement("r")
	root.CreateAttr("a", "x\x01y\r\n\t\"<>&")
	root.AddChild(etree.NewText("  "))
	root.AddChild(etree.NewComment("c"))
	root.AddChild(etree.NewText("\n"))
	root.AddChild(etree.NewCData("<&>"))
	root.AddChild(etree.NewText(""))
	c := root.CreateElement("c")
	c.AddChild(etree.NewText(" \t"))
	root.AddChild(etree.NewText("a\x00b\xffc\uFFFE\r"))
	root.AddChild(etree.NewText(""))
	root.CreateElement("e")
	out, tree, ok := directCanonicalTree(root, nil, c14nMethods[C14N10], "", false, true)
	if !ok || tree == nil {
		t.Fatal("declined")
	}
	want, err := parseCanonical(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tree.Parent(), want.Parent()) {
		t.Fatalf("differs for %s", out)
	}
}
