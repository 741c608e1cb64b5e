package dsig

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// xmlsecSign signs a template with xmlsec1 and returns the signed bytes.
func xmlsecSign(t testing.TB, tmpl []byte, privkey string, extra ...string) []byte {
	t.Helper()
	in := writeTemp(t, "tmpl.xml", tmpl)
	out := filepath.Join(filepath.Dir(in), "signed.xml")
	args := append([]string{"--sign", "--privkey-pem", privkey, "--output", out}, extra...)
	if msg, err := xmlsec1(t, append(args, in)...); err != nil {
		t.Fatalf("xmlsec1 --sign: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// xmlsecPreDigest returns the bytes xmlsec1 digested for the (single)
// reference of a signed document.
func xmlsecPreDigest(t testing.TB, signed []byte, extra ...string) string {
	t.Helper()
	path := writeTemp(t, "verify.xml", signed)
	args := append([]string{"--verify", "--insecure", "--store-references", "--print-debug"}, extra...)
	msg, err := xmlsec1(t, append(args, path)...)
	if err != nil {
		t.Fatalf("xmlsec1 --verify: %v\n%s", err, msg)
	}
	const start, end = "== PreDigest data - start buffer:\n", "\n== PreDigest data - end buffer"
	i, j := strings.Index(msg, start), strings.Index(msg, end)
	if i < 0 || j < i {
		t.Fatalf("no pre-digest data in xmlsec1 output:\n%s", msg)
	}
	return msg[i+len(start) : j]
}

type gapTmpl struct {
	doctype, content, c14n, refC14N, x509 string
}

func (g gapTmpl) render(t testing.TB, sigAlg string) []byte {
	if g.c14n == "" {
		g.c14n = C14NExclusive
	}
	ref := ""
	if g.refC14N != "-" {
		if g.refC14N == "" {
			g.refC14N = g.c14n
		}
		ref = fmt.Sprintf("\n          <ds:Transform Algorithm=%q/>", g.refC14N)
	}
	return fill(readTestdata(t, "TestGoxmldsigGaps/enveloped.tmpl.xml"), "{{DOCTYPE}}", g.doctype,
		"{{CONTENT}}", g.content, "{{C14N}}", g.c14n, "{{REFC14N}}", ref, "{{SIGALG}}", sigAlg, "{{X509}}", g.x509)
}

// referenceBytes recomputes our canonical reference bytes for an
// enveloped signature on the root.
func referenceBytes(t testing.TB, doc *etree.Document) string {
	t.Helper()
	sig := FindEnveloped(doc.Root())
	_, info, err := readSignedInfo(sig.SelectElement("SignedInfo"), Options{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	r := info.refs[0]
	b, err := canonicalize(doc.Root(), r.c14n, r.prefixList, sig, false)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGoxmldsigGaps pins each measured goxmldsig v1.6.1 gap (DESIGN §3)
// as closed, against xmlsec1 where a peer is meaningful.
func TestGoxmldsigGaps(t *testing.T) {
	p := getPKI(t)
	t.Run("WSSecurityShape", func(t *testing.T) { gapWSSecurityShape(t, p) })
	t.Run("ECDSARawRS", func(t *testing.T) { gapECDSARawRS(t, p) })
	t.Run("ElementBudget20000", func(t *testing.T) { gapLarge(t, p, 20_000, 0) })
	t.Run("FiveMiB", func(t *testing.T) { gapLarge(t, p, 0, 5<<20) })
	t.Run("XMLLangBesidePrefixedAttr", func(t *testing.T) { gapXMLLang(t, p) })
	t.Run("WithCommentsOnEmptyURI", func(t *testing.T) { gapWithComments(t, p) })
	t.Run("NoExplicitC14NTransform", func(t *testing.T) { gapNoC14N(t, p) })
	t.Run("DOCTYPERefused", func(t *testing.T) { gapDOCTYPE(t, p) })
	t.Run("SeveralCertsLeafIsVerifier", func(t *testing.T) { gapSeveralCerts(t, p) })
}

func gapWSSecurityShape(t *testing.T, p *testPKI) {
	cert := base64.StdEncoding.EncodeToString(p.rsa.cert.Raw)
	for name, tmpl := range map[string]string{"KeyIdentifier": "TestInteropXmlsec1Signs/wssecurity.tmpl.xml", "BinarySecurityToken": "TestGoxmldsigGaps/bst.tmpl.xml"} {
		src := fill(readTestdata(t, tmpl), "{{C14N}}", C14NExclusive, "{{SIGALG}}", RSASHA256, "{{CERT}}", cert)
		signed := xmlsecSign(t, src, p.rsa.combined, "--id-attr:Id", bodyIDAttr)
		v, err := VerifyWSSecurity(mustParse(t, signed), Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v.Element.Tag != "Body" || !v.Leaf.Equal(p.rsa.cert) {
			t.Fatalf("%s: verified %s, leaf %v", name, v.Element.Tag, v.Leaf.Subject)
		}
	}
}

func gapECDSARawRS(t *testing.T, p *testPKI) {
	signed := xmlsecSign(t, gapTmpl{}.render(t, ECDSASHA256), p.ec.combined)
	doc := mustParse(t, signed)
	sv := doc.Root().FindElement(".//SignatureValue")
	raw, _ := decodeB64(textOf(sv))
	if len(raw) != 64 {
		t.Fatalf("xmlsec1 wrote %d-byte ECDSA value, want raw 64", len(raw))
	}
	if _, err := VerifyEnveloped(doc.Root(), Options{}); err != nil {
		t.Fatalf("raw r||s from xmlsec1 refused: %v", err)
	}
	// The same signature DER-encoded (what goxmldsig expects) is not XMLDSig.
	der, _ := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])})
	sv.SetText(base64.StdEncoding.EncodeToString(der))
	_, err := VerifyEnveloped(doc.Root(), Options{})
	wantReason(t, err, ReasonBadSignature)
}

func gapLarge(t *testing.T, p *testPKI, elements, size int) {
	var b strings.Builder
	for i := 0; (elements > 0 && i < elements) || (size > 0 && b.Len() < size); i++ {
		fmt.Fprintf(&b, "  <svc:item n=\"%d\">value %d of a signed request</svc:item>\n", i, i)
	}
	signed := xmlsecSign(t, gapTmpl{content: b.String()}.render(t, RSASHA256), p.rsa.combined)
	doc := mustParse(t, signed)
	v, err := VerifyEnveloped(doc.Root(), Options{})
	if err != nil {
		t.Fatalf("%d bytes: %v", len(signed), err)
	}
	if n := len(v.Element.ChildElements()); elements > 0 && n < elements {
		t.Fatalf("verified element has %d children", n)
	}
}

func gapXMLLang(t *testing.T, p *testPKI) {
	for _, c := range allC14N {
		signed := xmlsecSign(t, gapTmpl{c14n: c}.render(t, RSASHA256), p.rsa.combined)
		doc := mustParse(t, signed)
		theirs, ours := xmlsecPreDigest(t, signed), referenceBytes(t, doc)
		if theirs != ours {
			t.Fatalf("%s: canonical bytes differ\nxmlsec1: %q\nours:    %q", c, theirs, ours)
		}
		if !strings.Contains(ours, `xml:lang="kk" p:a="1" p:z="2"`) {
			t.Fatalf("%s: xml:lang must sort before p:a (namespace URI order): %s", c, ours)
		}
		if _, err := VerifyEnveloped(doc.Root(), Options{}); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
}

func gapWithComments(t *testing.T, p *testPKI) {
	for _, c := range []string{C14N10WithComments, C14NExclusiveWithComments, C14N11WithComments} {
		signed := xmlsecSign(t, gapTmpl{c14n: c}.render(t, RSASHA256), p.rsa.combined)
		doc := mustParse(t, signed)
		theirs, ours := xmlsecPreDigest(t, signed), referenceBytes(t, doc)
		if theirs != ours || strings.Contains(ours, "<!--") {
			t.Fatalf("%s: URI=\"\" node-set must drop comments\nxmlsec1: %q\nours:    %q", c, theirs, ours)
		}
		if _, err := VerifyEnveloped(doc.Root(), Options{}); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
}

func gapNoC14N(t *testing.T, p *testPKI) {
	signed := xmlsecSign(t, gapTmpl{refC14N: "-", content: `  <x:n xmlns:x="urn:x" b="2" a="1"/>`}.render(t, RSASHA256), p.rsa.combined)
	doc := mustParse(t, signed)
	if theirs, ours := xmlsecPreDigest(t, signed), referenceBytes(t, doc); theirs != ours {
		t.Fatalf("no c14n transform must mean inclusive C14N 1.0\nxmlsec1: %q\nours:    %q", theirs, ours)
	}
	if _, err := VerifyEnveloped(doc.Root(), Options{}); err != nil {
		t.Fatal(err)
	}
}

func gapDOCTYPE(t *testing.T, p *testPKI) {
	dt := `<!DOCTYPE svc:Application [<!ATTLIST svc:Applicant iin ID #IMPLIED>]>` + "\n"
	signed := xmlsecSign(t, gapTmpl{doctype: dt}.render(t, RSASHA256), p.rsa.combined)
	_, err := Parse(signed, DefaultLimits())
	wantReason(t, err, ReasonDTD)
}

func gapSeveralCerts(t *testing.T, p *testPKI) {
	x := ""
	for _, c := range []*x509.Certificate{p.ca, p.ec.cert, p.rsa.cert} {
		x += "<ds:X509Certificate>" + base64.StdEncoding.EncodeToString(c.Raw) + "</ds:X509Certificate>"
	}
	signed := xmlsecSign(t, gapTmpl{x509: x}.render(t, RSASHA256), p.rsa.keyPEM)
	v, err := VerifyEnveloped(mustParse(t, signed).Root(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Certificates) != 3 || !v.Leaf.Equal(p.rsa.cert) {
		t.Fatalf("want 3 certs and the RSA leaf (third), got %d, leaf %s", len(v.Certificates), v.Leaf.Subject)
	}
}
