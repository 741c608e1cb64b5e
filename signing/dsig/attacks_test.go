package dsig

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

var update = flag.Bool("update", false, "regenerate testdata fixtures")

// attack is one fixture in testdata/TestAttacks and the reason that must
// refuse it.
type attack struct {
	file   string
	reason Reason
	verify func(data []byte) error
}

func verifyWSS(data []byte) error {
	doc, err := Parse(data, DefaultLimits())
	if err != nil {
		return err
	}
	_, err = VerifyWSSecurity(doc, Options{})
	return err
}

// verifyApp verifies the enveloped signature on svc:Application wherever
// it sits.
func verifyApp(data []byte) error {
	doc, err := Parse(data, DefaultLimits())
	if err != nil {
		return err
	}
	el := doc.Root()
	if el.Tag != "Application" {
		el = el.FindElement(".//Application")
	}
	_, err = VerifyEnveloped(el, Options{})
	return err
}

func parseOnly(data []byte) error {
	_, err := Parse(data, DefaultLimits())
	return err
}

var attacks = []attack{
	{"wss-body-moved-to-header.xml", ReasonWrapping, verifyWSS},
	{"wss-duplicated-body.xml", ReasonWrapping, verifyWSS},
	{"wss-reided-fake-body.xml", ReasonDuplicateID, verifyWSS},
	{"wss-body-not-signed.xml", ReasonBodyNotSigned, verifyWSS},
	{"wss-stripped-signature.xml", ReasonMissing, verifyWSS},
	{"wss-tampered-body.xml", ReasonDigestMismatch, verifyWSS},
	{"wss-tampered-signature-value.xml", ReasonBadSignature, verifyWSS},
	{"enveloped-stripped-signature.xml", ReasonMissing, verifyApp},
	{"enveloped-comment-injection-altered.xml", ReasonDigestMismatch, verifyApp},
	{"enveloped-transplanted-empty-uri.xml", ReasonWrapping, verifyApp},
	{"enveloped-id-points-elsewhere.xml", ReasonWrapping, verifyApp},
	{"enveloped-weak-sha1.xml", ReasonWeakAlgorithm, verifyApp},
	{"dtd-xxe.xml", ReasonDTD, parseOnly},
	{"dtd-billion-laughs.xml", ReasonDTD, parseOnly},
	{"dtd-processing-instruction.xml", ReasonDTD, parseOnly},
}

// TestAttacks runs one fixture per attack; each must be refused with its
// own reason (fixtures are regenerated with -update).
func TestAttacks(t *testing.T) {
	if *update {
		generateAttackFixtures(t)
	}
	for _, a := range attacks {
		t.Run(strings.TrimSuffix(a.file, ".xml"), func(t *testing.T) {
			wantReason(t, a.verify(readTestdata(t, "TestAttacks/"+a.file)), a.reason)
		})
	}
	t.Run("controls-verify", func(t *testing.T) {
		for _, f := range []string{"wss-valid.xml"} {
			if err := verifyWSS(readTestdata(t, "TestAttacks/"+f)); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
		if err := verifyApp(readTestdata(t, "TestAttacks/enveloped-valid.xml")); err != nil {
			t.Fatal(err)
		}
		// rsa-sha1 is refused by default but verifies when allowed.
		doc := mustParse(t, readTestdata(t, "TestAttacks/enveloped-weak-sha1.xml"))
		if _, err := VerifyEnveloped(doc.Root(), Options{AllowSHA1: true}); err != nil {
			t.Fatalf("legacy rsa-sha1 with AllowSHA1: %v", err)
		}
	})
}

// TestAttackCommentInjection: a comment split into signed text leaves the
// digest unchanged (comments are outside the node-set), so verification
// succeeds; the returned element is the canonical re-parse, whose text is
// whole, so a reader cannot be fooled into reading "user@user.com".
func TestAttackCommentInjection(t *testing.T) {
	doc := mustParse(t, readTestdata(t, "TestAttacks/enveloped-comment-injection.xml"))
	if got := firstText(doc.Root().FindElement(".//email")); got != "user@user.com" {
		t.Fatalf("fixture should fool a first-text-node reader, got %q", got)
	}
	v, err := VerifyEnveloped(doc.Root(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := v.Element.FindElement(".//email")
	if len(e.Child) != 1 || firstText(e) != "user@user.com.evil.com" {
		t.Fatalf("verified element must hold one whole text node, has %d tokens, first %q", len(e.Child), firstText(e))
	}
}

// TestAttackAlgorithms: unknown, weak and GOST algorithms and unsupported
// shapes are refused before any cryptography, each with its reason.
func TestAttackAlgorithms(t *testing.T) {
	ref := func(uri, transforms, digest string) string {
		return `<ds:Reference URI="` + uri + `"><ds:Transforms>` + transforms + `</ds:Transforms><ds:DigestMethod Algorithm="` + digest + `"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>`
	}
	tr := func(alg string) string { return `<ds:Transform Algorithm="` + alg + `"/>` }
	env, exc := tr(TransformEnveloped), tr(C14NExclusive)
	okRef := ref("", env+exc, DigestSHA256)
	x509 := `<ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data>`
	cases := []struct {
		name, c14n, sig, refs, keyInfo string
		want                           Reason
	}{
		{"hmac-sha256", C14NExclusive, "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", okRef, x509, ReasonUnsupportedAlgorithm},
		{"dsa-sha1", C14NExclusive, "http://www.w3.org/2000/09/xmldsig#dsa-sha1", okRef, x509, ReasonUnsupportedAlgorithm},
		{"rsa-md5", C14NExclusive, "http://www.w3.org/2001/04/xmldsig-more#rsa-md5", okRef, x509, ReasonUnsupportedAlgorithm},
		{"md5-digest", C14NExclusive, RSASHA256, ref("", env+exc, "http://www.w3.org/2001/04/xmldsig-more#md5"), x509, ReasonUnsupportedAlgorithm},
		{"ripemd160-digest", C14NExclusive, RSASHA256, ref("", env+exc, "http://www.w3.org/2001/04/xmlenc#ripemd160"), x509, ReasonUnsupportedAlgorithm},
		{"sha1-digest-off", C14NExclusive, RSASHA256, ref("", env+exc, DigestSHA1), x509, ReasonWeakAlgorithm},
		{"rsa-sha1-off", C14NExclusive, RSASHA1, okRef, x509, ReasonWeakAlgorithm},
		{"xpath-transform", C14NExclusive, RSASHA256, ref("", env+tr("http://www.w3.org/TR/1999/REC-xpath-19991116"), DigestSHA256), x509, ReasonUnsupportedAlgorithm},
		{"xslt-transform", C14NExclusive, RSASHA256, ref("", env+tr("http://www.w3.org/TR/1999/REC-xslt-19991116"), DigestSHA256), x509, ReasonUnsupportedAlgorithm},
		{"xpointer-uri", C14NExclusive, RSASHA256, ref("#xpointer(/)", env+exc, DigestSHA256), x509, ReasonUnsupportedAlgorithm},
		{"external-uri", C14NExclusive, RSASHA256, ref("http://attacker.example/doc.xml", exc, DigestSHA256), x509, ReasonUnsupportedAlgorithm},
		{"unknown-c14n", "urn:unknown", RSASHA256, okRef, x509, ReasonUnsupportedAlgorithm},
		{"keyname-keyinfo", C14NExclusive, RSASHA256, okRef, `<ds:KeyName>k</ds:KeyName>`, ReasonUnsupportedKeyInfo},
		{"keyvalue-keyinfo", C14NExclusive, RSASHA256, okRef, `<ds:KeyValue/>`, ReasonUnsupportedKeyInfo},
		{"retrievalmethod-keyinfo", C14NExclusive, RSASHA256, okRef, `<ds:RetrievalMethod URI="#k"/>`, ReasonUnsupportedKeyInfo},
		{"no-keyinfo-cert", C14NExclusive, RSASHA256, okRef, ``, ReasonNoCertificate},
		{"too-many-references", C14NExclusive, RSASHA256, strings.Repeat(okRef, 31), x509, ReasonTooManyReferences},
		{"too-many-transforms", C14NExclusive, RSASHA256, ref("", env+strings.Repeat(tr(TransformEnveloped), 5), DigestSHA256), x509, ReasonTooManyTransforms},
	}
	for uri := range gostURIs {
		sig, dig := uri, DigestSHA256
		if strings.Contains(uri, "34112015") || strings.HasSuffix(uri, "#gost34311") {
			sig, dig = RSASHA256, uri
		}
		cases = append(cases, struct {
			name, c14n, sig, refs, keyInfo string
			want                           Reason
		}{"gost " + uri, C14NExclusive, sig, ref("", env+exc, dig), x509, ReasonGOST})
	}
	tmpl := readTestdata(t, "TestAttacks/unsupported.tmpl.xml")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := mustParse(t, fill(tmpl, "{{C14N}}", c.c14n, "{{SIG}}", c.sig, "{{REFS}}", c.refs, "{{KEYINFO}}", c.keyInfo))
			_, err := VerifyEnveloped(doc.Root(), Options{})
			wantReason(t, err, c.want)
			var de *Error
			if errors.As(err, &de) && c.want == ReasonGOST && !gostURIs[de.Detail] {
				t.Fatalf("GOST refusal must name the URI, got %q", de.Detail)
			}
		})
	}
}

// TestAttackDeepNesting: a million nested elements are refused as too
// deep by a flat scan (no recursion, no stack overflow), quickly.
func TestAttackDeepNesting(t *testing.T) {
	for _, n := range []int{100_000, 1_000_000} {
		data := []byte(strings.Repeat("<a>", n) + strings.Repeat("</a>", n))
		_, err := Parse(data, DefaultLimits())
		wantReason(t, err, ReasonTooDeep)
	}
}

// TestAttackOversized: input over MaxBytes is refused before parsing, and
// too many elements are refused by count.
func TestAttackOversized(t *testing.T) {
	_, err := Parse(make([]byte, DefaultLimits().MaxBytes+1), DefaultLimits())
	wantReason(t, err, ReasonTooLarge)
	many := []byte("<r>" + strings.Repeat("<e/>", 1001) + "</r>")
	_, err = Parse(many, Limits{MaxElements: 1000})
	wantReason(t, err, ReasonTooManyElements)
	_, err = Parse([]byte("<r><a></r>"), DefaultLimits())
	wantReason(t, err, ReasonMalformedXML)
}

// TestAttackManyAttributes: tens of thousands of attributes (or namespace
// declarations) on one element would make canonicalisation quadratic
// before any digest is checked; Parse refuses them up front.
func TestAttackManyAttributes(t *testing.T) {
	var b strings.Builder
	b.WriteString("<r")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, ` a%d="v" xmlns:p%d="urn:%d"`, i, i, i)
	}
	b.WriteString("/>")
	_, err := Parse([]byte(b.String()), DefaultLimits())
	wantReason(t, err, ReasonTooManyAttributes)
	_, err = Parse([]byte(`<r a="1" b="2"/>`), Limits{MaxAttributes: 1})
	wantReason(t, err, ReasonTooManyAttributes)
	if _, err := Parse([]byte(`<r a="1" b="2"/>`), DefaultLimits()); err != nil {
		t.Fatal(err)
	}
}

// attackSigner is the committed throwaway key that signed the fixtures.
func attackSigner(t *testing.T) *Signer {
	key, err := loadPEMKey(filepath.Join("testdata", "TestAttacks", "key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(readTestdata(t, "TestAttacks/cert.pem"))
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return &Signer{Key: key, Certs: []*x509.Certificate{cert}}
}

func loadPEMKey(path string) (*rsaKeyT, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	return k.(*rsaKeyT), nil
}

// firstText is what a naive reader (SAML's CVE-2017-11427 class) takes.
func firstText(e *etree.Element) string {
	for _, c := range e.Child {
		if cd, ok := c.(*etree.CharData); ok {
			return cd.Data
		}
	}
	return ""
}
