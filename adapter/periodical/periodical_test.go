package periodical

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
)

var update = flag.Bool("update", false, "rewrite golden files")

const schema = "../../schemas/periodical.xsd"

func xmllint(t *testing.T, file string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint not found (apt-get install libxml2-utils, or make deps): %v", err)
	}
	if out, err := exec.Command(bin, "--noout", "--nonet", "--schema", schema, file).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %s does not validate:\n%s", file, out)
	}
}

func xmllintRejects(t *testing.T, doc string) bool {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint not found (apt-get install libxml2-utils, or make deps): %v", err)
	}
	return exec.Command(bin, "--noout", "--nonet", "--schema", schema, f).Run() != nil
}

func load(t *testing.T, name string) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromFile("../../testdata/" + name); err != nil {
		t.Fatal(err)
	}
	return doc.Root()
}

func TestDecodeApplication(t *testing.T) {
	t.Parallel()
	a, err := DecodeApplication(load(t, "application.xml"), Options{CheckIIN: true})
	if err != nil {
		t.Fatal(err)
	}
	if a.ApplicantID() != "940140000385" || a.Applicant.Kind != KindLegal || a.ID != "app-1" ||
		len(a.Publication.Languages) != 2 || len(a.Publication.Territory) != 2 || len(a.Attachments) != 1 ||
		!bytes.HasPrefix(a.Attachments[0].Content, []byte("%PDF-")) || a.Signed {
		t.Fatalf("got %+v", a)
	}
}

// TestDecodeApplicationErrors mutates testdata/application.xml one way per case.
func TestDecodeApplicationErrors(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../testdata/application.xml")
	if err != nil {
		t.Fatal(err)
	}
	base := string(raw)
	for _, tc := range []struct {
		name, old, new string
		checkIIN       bool
		code           adapter.Code
		msg            string
	}{
		{"bad BIN check digit", "940140000385", "940140000386", true, adapter.CodeInvalidIIN, "Application/applicant/id is not a valid BIN"},
		{"bad BIN, check off", "940140000385", "940140000386", false, "", ""},
		{"IIN given as legal", "940140000385", "921029350851", true, adapter.CodeInvalidIIN, "not a valid BIN"},
		{"id not 12 digits", "940140000385", "94014000038", false, adapter.CodeSchema, "Application/applicant/id is not 12 digits"},
		{"kind", "<p:kind>legal", "<p:kind>company", false, adapter.CodeSchema, "Application/applicant/kind is not one of individual, legal"},
		{"missing name", "<p:name>ТОО «Медиа Дистрибуция»</p:name>", "", false, adapter.CodeSchema, "Application/applicant/name is missing (found contacts)"},
		{"name with spaces", "<p:name>ТОО", "<p:name> ТОО", false, adapter.CodeSchema, "Application/applicant/name has leading or trailing whitespace"},
		{"phone", "+77172123456", "12-34", false, adapter.CodeSchema, "Application/applicant/contacts/phone is not a phone number"},
		{"email", "info@media-distr.kz", "info-at-media", false, adapter.CodeSchema, "contacts/email is not an e-mail address"},
		{"country", "<p:countryOfOrigin>DE", "<p:countryOfOrigin>DEU", false, adapter.CodeSchema, "publication/countryOfOrigin is not an ISO 3166-1 alpha-2 code"},
		{"language", "<p:language>de", "<p:language>German", false, adapter.CodeSchema, "publication/languages/language is not an ISO 639 code"},
		{"no language", "<p:language>de</p:language>\n      <p:language>en</p:language>", "", false, adapter.CodeSchema, "publication/languages/language is missing"},
		{"periodicity", ">monthly<", ">hourly<", false, adapter.CodeSchema, "publication/periodicity is not one of daily"},
		{"no territory", "<p:area>г. Кокшетау</p:area>\n      <p:area>Бурабайский район</p:area>", "", false, adapter.CodeSchema, "distributionTerritory/area is missing"},
		{"title too long", "<p:title>Deutsche", "<p:title>" + strings.Repeat("x", 500), false, adapter.CodeSchema, "publication/title is longer than 500 characters"},
		{"no attachment", "p:attachment>", "p:x>", false, adapter.CodeSchema, "Application/attachments/attachment is missing (found x)"},
		{"file name with path", "registration-certificate.pdf", "../etc/passwd", false, adapter.CodeSchema, "attachment[1]/fileName is not a plain file name"},
		{"media type", "application/pdf", "PDF", false, adapter.CodeSchema, "attachment[1]/mediaType is not a media type"},
		{"sha256 uppercase", "2bad4a44", "2BAD4A44", false, adapter.CodeSchema, "attachment[1]/sha256 is not 64 lowercase hex digits"},
		{"sha256 mismatch", "2bad4a44", "2bad4a45", false, adapter.CodeSchema, "attachment[1]/sha256 does not match the content's SHA-256"},
		{"content not base64", "<p:content>JVBER", "<p:content>!!!!", false, adapter.CodeSchema, "attachment[1]/content is not base64"},
		{"undeclared attribute", `ID="app-1"`, `ID="app-1" role="x"`, false, adapter.CodeSchema, "Application has undeclared attribute role"},
		{"bad ID", `ID="app-1"`, `ID="1app"`, false, adapter.CodeSchema, "Application/@ID is not an NCName"},
		{"unexpected element", "</p:attachments>", "</p:attachments><p:note/>", false, adapter.CodeSchema, "Application has unexpected element note"},
		{"wrong namespace child", "<p:owner>Wirtschaftsverlag GmbH</p:owner>", `<owner>Wirtschaftsverlag GmbH</owner>`, false, adapter.CodeSchema, `publication/owner is in namespace ""`},
		{"signature last", "</p:attachments>", `</p:attachments><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>`, false, "", ""},
		{"signature not last", "<p:attachments>", `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/><p:attachments>`, false, adapter.CodeSchema, "Application/attachments is missing (found Signature)"},
		{"text in element-only", "<p:applicant>", "<p:applicant>hello", false, adapter.CodeSchema, "Application/applicant has unexpected text content"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(base, tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromString(strings.ReplaceAll(base, tc.old, tc.new)); err != nil {
				t.Fatal(err)
			}
			_, err := DecodeApplication(doc.Root(), Options{CheckIIN: tc.checkIIN})
			// Parity with the XSD: xmllint refuses exactly the schema errors
			// (the digest and the check digit are beyond what XSD can say).
			xsdRejects := tc.code == adapter.CodeSchema && !strings.Contains(tc.msg, "does not match")
			if got := xmllintRejects(t, strings.ReplaceAll(base, tc.old, tc.new)); got != xsdRejects {
				t.Errorf("xmllint rejects = %v, want %v", got, xsdRejects)
			}
			if tc.code == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var e *adapter.Error
			if !errors.As(err, &e) || e.Code != tc.code || !strings.Contains(e.Message, tc.msg) {
				t.Fatalf("err = %v, want %s containing %q", err, tc.code, tc.msg)
			}
		})
	}
}

func TestDecodeStatusQuery(t *testing.T) {
	t.Parallel()
	q, err := DecodeStatusQuery(load(t, "status-query.xml"), Options{CheckIIN: true})
	if err != nil || q.ApplicantID != "921029350851" || q.RequestNumber != "ISB-2026-0000043" {
		t.Fatalf("%+v %v", q, err)
	}
}

func TestServices(t *testing.T) {
	t.Parallel()
	s := append(DefaultServices(), "ISB_TEST")
	if s.Check(ServiceID) != nil || s.Check("ISB_TEST") != nil {
		t.Fatal("known service refused")
	}
	if adapter.ErrorCode(s.Check("OTHER")) != adapter.CodeUnknownService {
		t.Fatal("unknown service accepted")
	}
}

var (
	kz      = time.FixedZone("", 5*3600)
	pub     = Publication{Title: "Deutsche Wirtschaftsrundschau", CountryOfOrigin: "DE", Owner: "Wirtschaftsverlag GmbH", Languages: []string{"de"}, Periodicity: Monthly, Subject: "Economics and business news", Territory: []string{"г. Кокшетау"}}
	who     = ApplicantRef{ID: "940140000385", Kind: KindLegal, Name: "ТОО «Медиа Дистрибуция»"}
	officer = IssuedBy{Department: "ГУ «Управление внутренней политики Акмолинской области»", Official: "Сейткали А. Б."}
)

// TestBuilders writes each built document to testdata/TestBuilders/NAME.xml
// (golden, -update rewrites) and validates it with xmllint.
func TestBuilders(t *testing.T) {
	t.Parallel()
	build := map[string]func() (*etree.Element, error){
		"certificate": func() (*etree.Element, error) {
			return CertificateElement(&Certificate{ID: "cert-1", Number: "ISB-REG-2026-0042", RequestNumber: "ISB-2026-0000042",
				IssueDate: time.Date(2026, 3, 12, 15, 0, 0, 0, kz), Publication: pub, Applicant: who, IssuedBy: officer})
		},
		"refusal": func() (*etree.Element, error) {
			return RefusalElement(&Refusal{RequestNumber: "ISB-2026-0000043", Date: time.Date(2026, 3, 13, 0, 0, 0, 0, kz), Applicant: who,
				Reasons: []Reason{{"INCOMPLETE_DOCUMENTS", "The document is not legible."}}, LegalBasis: "Standard, item 9", IssuedBy: officer})
		},
		"status-answer": func() (*etree.Element, error) {
			return StatusAnswerElement(&StatusAnswer{ApplicantID: "940140000385", RequestNumber: "ISB-2026-0000042", ServiceID: ServiceID,
				Status: adapter.StatusInWork, Deadline: time.Date(2026, 3, 16, 0, 0, 0, 0, kz), History: []Step{
					{Code: "RECEIVED", Title: "Accepted", StartedAt: time.Date(2026, 3, 2, 10, 15, 31, 0, kz), FinishedAt: time.Date(2026, 3, 2, 10, 15, 31, 0, kz)},
					{Code: "IN_WORK", StartedAt: time.Date(2026, 3, 2, 11, 0, 0, 0, kz)}}})
		},
		"sample-application": func() (*etree.Element, error) {
			return SampleApplication("921029350851", KindIndividual, nil), nil
		},
	}
	for name, f := range build {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			el, err := f()
			if err != nil {
				t.Fatal(err)
			}
			doc := etree.NewDocument()
			doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
			doc.SetRoot(el)
			doc.Indent(2)
			got, _ := doc.WriteToBytes()
			golden := filepath.Join("../../testdata/TestBuilders", name+".xml")
			if *update {
				_ = os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from golden:\n%s", name, got)
			}
			xmllint(t, golden)
		})
	}
}

func TestBuilderRefusesInvalid(t *testing.T) {
	t.Parallel()
	_, err := RefusalElement(&Refusal{RequestNumber: "ISB-2026-0000043", Applicant: who, LegalBasis: "x", IssuedBy: officer})
	if err == nil || !strings.Contains(err.Error(), "reasons needs at least one entry") {
		t.Errorf("no reasons: %v", err)
	}
	_, err = CertificateElement(&Certificate{Number: "1", RequestNumber: "42", Publication: pub, Applicant: who, IssuedBy: officer})
	if err == nil || !strings.Contains(err.Error(), "requestNumber is not a request number") {
		t.Errorf("bad request number: %v", err)
	}
}

func TestSampleApplication(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ id, kind string }{{"921029350851", KindIndividual}, {"940140000385", KindLegal}} {
		el := SampleApplication(tc.id, tc.kind, strings.NewReader(strings.Repeat("r", 16)))
		a, err := DecodeApplication(el, Options{CheckIIN: true})
		if err != nil || a.ApplicantID() != tc.id {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		data := DataElement(el)
		if doc, err := Document(data); err != nil || doc != el {
			t.Fatalf("Document: %v", err)
		}
		if data.SelectAttrValue("xsi:type", "") != "p:ApplicationData" {
			t.Errorf("xsi:type = %q", data.SelectAttrValue("xsi:type", ""))
		}
	}
	if _, err := Document(etree.NewElement("data")); adapter.ErrorCode(err) != adapter.CodeSchema {
		t.Errorf("empty data: %v", err)
	}
}
