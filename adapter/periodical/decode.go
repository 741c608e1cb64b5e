package periodical

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/signing/kzid"
)

func email(s string) string {
	if utf8.RuneCountInString(s) > 254 {
		return "is longer than 254 characters"
	}
	return checkPattern(s, reEmail, "an e-mail address")
}

// DecodeApplication reads and validates the {Namespace}Application element
// el, which must be the element that signature verification returned. It
// checks what periodical.xsd checks (order, cardinality, lengths, patterns,
// enumerations, undeclared attributes), that each attachment's content is
// base64 whose SHA-256 equals the declared one (CodeSchema otherwise), and,
// with opt.CheckIIN, the applicant's IIN (individual) or BIN (legal) check
// digit and structure (CodeInvalidIIN).
func DecodeApplication(el *etree.Element, opt Options) (*Application, error) {
	const op = "periodical.DecodeApplication"
	if el == nil || el.Tag != "Application" || el.NamespaceURI() != Namespace {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "expected {%s}Application", Namespace)
	}
	c := newCursor(op, "Application", el, "ID")
	a := &Application{ID: el.SelectAttrValue("ID", "")}
	if attr := el.SelectAttr("ID"); attr != nil && !validNCName(attr.Value) {
		c.fail("@ID", "is not an NCName")
	}
	a.Applicant = applicant(c)
	a.Publication = publication(c, "publication")
	a.Attachments = attachments(c)
	a.Signed = c.signature()
	if err := c.end(); err != nil {
		return nil, err
	}
	if opt.CheckIIN {
		if err := checkID(op, "Application/applicant/id", a.Applicant.ID, a.Applicant.Kind); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// checkID verifies an IIN (individual) or BIN (legal) with kzid.
func checkID(op, path, id, kind string) error {
	var err error
	if kind == KindLegal {
		err = kzid.ValidateBIN(id)
	} else {
		err = kzid.ValidateIIN(id)
	}
	if err != nil {
		what := "IIN"
		if kind == KindLegal {
			what = "BIN"
		}
		return adapter.Wrap(adapter.CodeInvalidIIN, op, err, path+" is not a valid "+what+": "+err.Error())
	}
	return nil
}

func applicant(parent *cursor) Applicant {
	c := parent.sub("applicant")
	var a Applicant
	a.ID = c.leaf("id", pattern(reIinBin, "12 digits"))
	a.Kind = c.leaf("kind", enum(KindIndividual, KindLegal))
	a.Name = c.leaf("name", text(500))
	k := c.sub("contacts")
	a.Contacts.Phone = k.leaf("phone", pattern(rePhone, "a phone number (+ and 10 to 15 digits)"))
	a.Contacts.Email = k.optLeaf("email", email)
	a.Contacts.Address = k.leaf("address", text(500))
	c.close(k)
	parent.close(c)
	return a
}

func publication(parent *cursor, name string) Publication {
	c := parent.sub(name)
	var p Publication
	p.Title = c.leaf("title", text(500))
	p.CountryOfOrigin = c.leaf("countryOfOrigin", pattern(reCountry, "an ISO 3166-1 alpha-2 code"))
	p.Owner = c.leaf("owner", text(500))
	l := c.sub("languages")
	for _, el := range l.all("language") {
		p.Languages = append(p.Languages, l.text(el, "language", pattern(reLanguage, "an ISO 639 code")))
	}
	c.close(l)
	p.Periodicity = c.leaf("periodicity", enum(periodicities...))
	p.Subject = c.leaf("subject", longText)
	t := c.sub("distributionTerritory")
	for _, el := range t.all("area") {
		p.Territory = append(p.Territory, t.text(el, "area", text(200)))
	}
	c.close(t)
	parent.close(c)
	return p
}

func attachments(parent *cursor) []Attachment {
	c := parent.sub("attachments")
	var out []Attachment
	for i, el := range c.all("attachment") {
		a := newCursor(c.op, c.path+"/attachment["+strconv.Itoa(i+1)+"]", el)
		var at Attachment
		at.FileName = a.leaf("fileName", func(s string) string {
			if msg := checkText(s, 255, false); msg != "" {
				return msg
			}
			return checkPattern(s, reFileName, "a plain file name")
		})
		at.MediaType = a.leaf("mediaType", func(s string) string {
			if len(s) > 100 {
				return "is longer than 100 characters"
			}
			return checkPattern(s, reMedia, "a media type")
		})
		at.SHA256 = a.leaf("sha256", pattern(reSHA256, "64 lowercase hex digits"))
		b64 := a.leaf("content", func(string) string { return "" })
		if a.err == nil {
			at.Content = content(a, b64, at.SHA256)
		}
		c.close(a)
		out = append(out, at)
	}
	parent.close(c)
	return out
}

// content decodes base64 (XSD allows whitespace in it) and checks the
// declared digest: a mismatch means the file is not the one the applicant
// signed the digest of.
func content(c *cursor, b64, digest string) []byte {
	clean := strings.Map(func(r rune) rune {
		if isXSDSpace(r) {
			return -1
		}
		return r
	}, b64)
	if base64.StdEncoding.DecodedLen(len(clean)) > MaxAttachmentSize+3 {
		c.fail("content", "is larger than "+strconv.Itoa(MaxAttachmentSize)+" bytes")
		return nil
	}
	b, err := base64.StdEncoding.Strict().DecodeString(clean)
	switch {
	case err != nil:
		c.fail("content", "is not base64")
		return nil
	case len(b) == 0:
		c.fail("content", "is empty")
		return nil
	case len(b) > MaxAttachmentSize:
		c.fail("content", "is larger than "+strconv.Itoa(MaxAttachmentSize)+" bytes")
		return nil
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != digest {
		c.fail("sha256", "does not match the content's SHA-256")
		return nil
	}
	return b
}

// DecodeStatusQuery reads and validates a {Namespace}StatusQuery element;
// with opt.CheckIIN the applicant id must be a valid IIN or BIN.
func DecodeStatusQuery(el *etree.Element, opt Options) (*StatusQuery, error) {
	const op = "periodical.DecodeStatusQuery"
	if el == nil || el.Tag != "StatusQuery" || el.NamespaceURI() != Namespace {
		return nil, adapter.Errorf(adapter.CodeSchema, op, "expected {%s}StatusQuery", Namespace)
	}
	c := newCursor(op, "StatusQuery", el)
	q := &StatusQuery{}
	q.ApplicantID = c.leaf("applicantId", pattern(reIinBin, "12 digits"))
	q.RequestNumber = c.leaf("requestNumber", pattern(reRequest, "a request number ISB-YYYY-NNNNNNN"))
	if err := c.end(); err != nil {
		return nil, err
	}
	if opt.CheckIIN {
		if err := kzid.Validate(q.ApplicantID); err != nil {
			return nil, adapter.Wrap(adapter.CodeInvalidIIN, op, err, "StatusQuery/applicantId is not a valid IIN or BIN: "+err.Error())
		}
	}
	return q, nil
}
