package periodical

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/beevik/etree"
)

// SampleApplication returns an unsigned, valid {Namespace}Application for
// demos and load tests, filed by applicantID of kind (KindIndividual or
// KindLegal), with one tiny PDF-like attachment. r, when not nil, makes
// the attachment unique (16 bytes are read into it); nil gives a fixed one.
func SampleApplication(applicantID, kind string, r io.Reader) *etree.Element {
	nonce := make([]byte, 16)
	if r != nil {
		_, _ = io.ReadFull(r, nonce)
	}
	pdf := fmt.Appendf(nil, "%%PDF-1.4\n%% shepadapter sample %x\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n", nonce)
	sum := sha256.Sum256(pdf)

	name := "Иванов Иван Иванович"
	if kind == KindLegal {
		name = "ТОО «Медиа Дистрибуция»"
	}
	app := newRoot("Application", "")
	add := func(parent *etree.Element, tag, text string) *etree.Element {
		el := parent.CreateElement("p:" + tag)
		if text != "" {
			el.SetText(text)
		}
		return el
	}
	a := add(app, "applicant", "")
	add(a, "id", applicantID)
	add(a, "kind", kind)
	add(a, "name", name)
	c := add(a, "contacts", "")
	add(c, "phone", "+77172123456")
	add(c, "email", "applicant@example.kz")
	add(c, "address", "г. Кокшетау, ул. Абая, 1")
	p := add(app, "publication", "")
	add(p, "title", "The Sample Review")
	add(p, "countryOfOrigin", "GB")
	add(p, "owner", "Sample Publishing Ltd")
	add(add(p, "languages", ""), "language", "en")
	add(p, "periodicity", Monthly)
	add(p, "subject", "Culture and science")
	add(add(p, "distributionTerritory", ""), "area", "г. Кокшетау")
	at := add(add(app, "attachments", ""), "attachment", "")
	add(at, "fileName", "right-to-do-business.pdf")
	add(at, "mediaType", "application/pdf")
	add(at, "sha256", hex.EncodeToString(sum[:]))
	add(at, "content", base64.StdEncoding.EncodeToString(pdf))
	return app
}
