package periodical

import (
	"time"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
)

const nsXSI = "http://www.w3.org/2001/XMLSchema-instance"

// builder writes p:-prefixed children and checks values as it goes, so a
// result document is valid against periodical.xsd or not built at all.
type builder struct {
	op, path string
	err      *adapter.Error
}

func (b *builder) leaf(parent *etree.Element, name, value string, check func(string) string) {
	if b.err == nil && check != nil {
		if msg := check(value); msg != "" {
			b.err = adapter.Errorf(adapter.CodeInternal, b.op, "%s/%s %s", b.path, name, msg)
		}
	}
	parent.CreateElement("p:" + name).SetText(value)
}

func newRoot(name, id string) *etree.Element {
	el := etree.NewElement("p:" + name)
	el.CreateAttr("xmlns:p", Namespace)
	if id != "" {
		el.CreateAttr("ID", id)
	}
	return el
}

func (b *builder) checkID(id string) {
	if id != "" && !validNCName(id) && b.err == nil {
		b.err = adapter.Errorf(adapter.CodeInternal, b.op, "%s/@ID is not an NCName", b.path)
	}
}

func date(t time.Time) string { return t.Format("2006-01-02") }

func (b *builder) publication(parent *etree.Element, p Publication) {
	el := parent.CreateElement("p:publication")
	b.leaf(el, "title", p.Title, text(500))
	b.leaf(el, "countryOfOrigin", p.CountryOfOrigin, pattern(reCountry, "an ISO 3166-1 alpha-2 code"))
	b.leaf(el, "owner", p.Owner, text(500))
	langs := el.CreateElement("p:languages")
	b.nonEmpty(len(p.Languages), "publication/languages")
	for _, l := range p.Languages {
		b.leaf(langs, "language", l, pattern(reLanguage, "an ISO 639 code"))
	}
	b.leaf(el, "periodicity", p.Periodicity, enum(periodicities...))
	b.leaf(el, "subject", p.Subject, longText)
	terr := el.CreateElement("p:distributionTerritory")
	b.nonEmpty(len(p.Territory), "publication/distributionTerritory")
	for _, a := range p.Territory {
		b.leaf(terr, "area", a, text(200))
	}
}

func (b *builder) nonEmpty(n int, what string) {
	if n == 0 && b.err == nil {
		b.err = adapter.Errorf(adapter.CodeInternal, b.op, "%s/%s needs at least one entry", b.path, what)
	}
}

func (b *builder) applicant(parent *etree.Element, a ApplicantRef) {
	el := parent.CreateElement("p:applicant")
	b.leaf(el, "id", a.ID, pattern(reIinBin, "12 digits"))
	b.leaf(el, "kind", a.Kind, enum(KindIndividual, KindLegal))
	b.leaf(el, "name", a.Name, text(500))
}

func (b *builder) issuedBy(parent *etree.Element, i IssuedBy) {
	el := parent.CreateElement("p:issuedBy")
	b.leaf(el, "department", i.Department, text(500))
	b.leaf(el, "official", i.Official, text(500))
	if i.Position != "" {
		b.leaf(el, "position", i.Position, text(500))
	}
}

// CertificateElement builds an unsigned {Namespace}RegistrationCertificate
// from c; an invalid field is an *adapter.Error with CodeInternal (a bug
// upstream: the back-office API validates decisions).
func CertificateElement(c *Certificate) (*etree.Element, error) {
	b := &builder{op: "periodical.CertificateElement", path: "RegistrationCertificate"}
	b.checkID(c.ID)
	el := newRoot("RegistrationCertificate", c.ID)
	b.leaf(el, "number", c.Number, text(200))
	b.leaf(el, "requestNumber", c.RequestNumber, pattern(reRequest, "a request number"))
	b.leaf(el, "issueDate", date(c.IssueDate), nil)
	b.publication(el, c.Publication)
	b.applicant(el, c.Applicant)
	b.issuedBy(el, c.IssuedBy)
	if b.err != nil {
		return nil, b.err
	}
	return el, nil
}

// RefusalElement builds an unsigned {Namespace}Refusal from r.
func RefusalElement(r *Refusal) (*etree.Element, error) {
	b := &builder{op: "periodical.RefusalElement", path: "Refusal"}
	b.checkID(r.ID)
	el := newRoot("Refusal", r.ID)
	b.leaf(el, "requestNumber", r.RequestNumber, pattern(reRequest, "a request number"))
	b.leaf(el, "date", date(r.Date), nil)
	b.applicant(el, r.Applicant)
	reasons := el.CreateElement("p:reasons")
	b.nonEmpty(len(r.Reasons), "reasons")
	for _, x := range r.Reasons {
		re := reasons.CreateElement("p:reason")
		b.leaf(re, "code", x.Code, pattern(reCode, "a code [A-Z0-9_]{1,50}"))
		b.leaf(re, "text", x.Text, longText)
	}
	b.leaf(el, "legalBasis", r.LegalBasis, longText)
	b.issuedBy(el, r.IssuedBy)
	if b.err != nil {
		return nil, b.err
	}
	return el, nil
}

var statuses = []string{string(adapter.StatusReceived), string(adapter.StatusInWork), string(adapter.StatusIssued), string(adapter.StatusRefused)}

// StatusAnswerElement builds a {Namespace}StatusAnswer from a. Times are
// written with their own offset.
func StatusAnswerElement(a *StatusAnswer) (*etree.Element, error) {
	b := &builder{op: "periodical.StatusAnswerElement", path: "StatusAnswer"}
	el := newRoot("StatusAnswer", "")
	b.leaf(el, "applicantId", a.ApplicantID, pattern(reIinBin, "12 digits"))
	b.leaf(el, "requestNumber", a.RequestNumber, pattern(reRequest, "a request number"))
	b.leaf(el, "serviceId", a.ServiceID, text(200))
	b.leaf(el, "status", string(a.Status), enum(statuses...))
	b.leaf(el, "deadline", date(a.Deadline), nil)
	h := el.CreateElement("p:history")
	for _, s := range a.History {
		st := h.CreateElement("p:step")
		b.leaf(st, "code", s.Code, pattern(reCode, "a code [A-Z0-9_]{1,50}"))
		if s.Title != "" {
			b.leaf(st, "title", s.Title, text(500))
		}
		b.leaf(st, "startedAt", dateTime(s.StartedAt), nil)
		if !s.FinishedAt.IsZero() {
			b.leaf(st, "finishedAt", dateTime(s.FinishedAt), nil)
		}
	}
	if b.err != nil {
		return nil, b.err
	}
	return el, nil
}

func dateTime(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z07:00") }

// dataTypes maps each document to the wrapper type its data element names.
var dataTypes = map[string]string{
	"Application":             "ApplicationData",
	"RegistrationCertificate": "ResultData",
	"Refusal":                 "ResultData",
	"StatusQuery":             "StatusQueryData",
	"StatusAnswer":            "StatusAnswerData",
}

// DataElement wraps doc (one of this package's documents, not copied) in
// the channel's unqualified data element with xsi:type naming its wrapper
// type, ready for soap.SyncResponse or soap.AsyncMessage.
func DataElement(doc *etree.Element) *etree.Element {
	d := etree.NewElement("data")
	d.CreateAttr("xmlns:p", Namespace)
	d.CreateAttr("xmlns:xsi", nsXSI)
	if t, ok := dataTypes[doc.Tag]; ok {
		d.CreateAttr("xsi:type", "p:"+t)
	}
	d.AddChild(doc)
	return d
}

// Document returns the single element of this package's namespace inside a
// channel data element: the document that signature verification and the
// decoders work on. xsi:type on data is informative and not trusted.
func Document(data *etree.Element) (*etree.Element, error) {
	const op = "periodical.Document"
	if data == nil {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "data is missing")
	}
	kids := data.ChildElements()
	if len(kids) != 1 {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "data must hold exactly one document, found %d elements", len(kids))
	}
	if ns := kids[0].NamespaceURI(); ns != Namespace {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "data holds {%s}%s, expected a document in %s", clip(ns), clip(kids[0].Tag), Namespace)
	}
	if _, ok := dataTypes[kids[0].Tag]; !ok {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "data holds unknown document %s", clip(kids[0].Tag))
	}
	return kids[0], nil
}
