package dsig

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

type rsaKeyT = rsa.PrivateKey

const attackDir = "testdata/TestAttacks"

// generateAttackFixtures (go test -run TestAttacks -update) re-signs the
// controls with the committed throwaway key and derives one fixture per
// attack from them.
func generateAttackFixtures(t *testing.T) {
	ensureAttackKey(t)
	s := attackSigner(t)
	wss := mustParse(t, readTestdata(t, "TestSignVerifyRoundTrip/request.xml"))
	if err := s.SignWSSecurity(wss); err != nil {
		t.Fatal(err)
	}
	save(t, "wss-valid.xml", wss)
	for name, mutate := range wssMutations(t, s) {
		d := mustParse(t, mustWrite(t, wss))
		mutate(d)
		save(t, name, d)
	}
	app := mustParse(t, []byte(`<svc:Application xmlns:svc="urn:kz:isb:registration:v1"><svc:email>user@user.com.evil.com</svc:email><svc:iin>921029350851</svc:iin></svc:Application>`))
	if err := s.SignEnveloped(app.Root()); err != nil {
		t.Fatal(err)
	}
	save(t, "enveloped-valid.xml", app)
	for name, mutate := range envelopedMutations(t, s) {
		d := mustParse(t, mustWrite(t, app))
		save(t, name, mutate(d))
	}
	weak := xmlsecSign(t, gapTmpl{}.render(t, RSASHA1), filepath.Join(attackDir, "key.pem")+","+filepath.Join(attackDir, "cert.pem"))
	if err := os.WriteFile(filepath.Join(attackDir, "enveloped-weak-sha1.xml"), weak, 0o644); err != nil {
		t.Fatal(err)
	}
}

func wssMutations(t *testing.T, s *Signer) map[string]func(*etree.Document) {
	body := func(d *etree.Document) *etree.Element { return childrenNS(d.Root(), nsSOAP, "Body")[0] }
	fake := func(d *etree.Document, id string) *etree.Element {
		f := etree.NewElement("soapenv:Body")
		if id != "" {
			f.CreateAttr("xmlns:wsu", nsWSU)
			f.CreateAttr("wsu:Id", id)
		}
		f.CreateElement("typ:SendMessage").SetText("evil payload")
		return f
	}
	moveToHeader := func(d *etree.Document) *etree.Element {
		b := body(d)
		d.Root().RemoveChild(b)
		w := childrenNS(d.Root(), nsSOAP, "Header")[0].CreateElement("x:Wrapper")
		w.CreateAttr("xmlns:x", "urn:attacker")
		w.AddChild(b)
		return d.Root()
	}
	return map[string]func(*etree.Document){
		"wss-body-moved-to-header.xml": func(d *etree.Document) {
			env := moveToHeader(d)
			env.AddChild(fake(d, ""))
		},
		"wss-duplicated-body.xml": func(d *etree.Document) { d.Root().AddChild(fake(d, "")) },
		"wss-reided-fake-body.xml": func(d *etree.Document) {
			id := elementID(body(d))
			env := moveToHeader(d)
			env.AddChild(fake(d, id))
		},
		"wss-stripped-signature.xml": func(d *etree.Document) {
			sig := d.Root().FindElement("./Header/Security/Signature")
			sig.Parent().RemoveChild(sig)
		},
		"wss-tampered-body.xml": func(d *etree.Document) {
			d.Root().FindElement(".//messageId").SetText("00000000-0000-4000-8000-000000000666")
		},
		"wss-tampered-signature-value.xml": func(d *etree.Document) {
			sv := d.Root().FindElement(".//SignatureValue")
			v := []byte(textOf(sv))
			v[10] ^= 'A' ^ 'B'
			if v[10] == '+' || v[10] == '/' {
				v[10] = 'Q'
			}
			sv.SetText(string(v))
		},
		"wss-body-not-signed.xml": func(d *etree.Document) { signTimestampOnly(t, s, d) },
	}
}

// signTimestampOnly replaces the signature with one over a wsu:Timestamp
// only, so every digest is right but the Body is unsigned.
func signTimestampOnly(t *testing.T, s *Signer, d *etree.Document) {
	sec := d.Root().FindElement("./Header/Security")
	sec.RemoveChild(sec.SelectElement("Signature"))
	ts := sec.CreateElement("wsu:Timestamp")
	ts.CreateAttr("xmlns:wsu", nsWSU)
	ts.CreateAttr("wsu:Id", "ts-1")
	ts.CreateElement("wsu:Created").SetText("2026-01-15T10:00:00Z")
	ki := etree.NewElement("ds:X509Data")
	ki.CreateElement("ds:X509Certificate").SetText(encodeCert(s.Certs[0]))
	if err := s.sign(ts, "#ts-1", false, ki, func(sig *etree.Element) { sec.AddChild(sig) }); err != nil {
		t.Fatal(err)
	}
}

func envelopedMutations(t *testing.T, s *Signer) map[string]func(*etree.Document) *etree.Document {
	email := func(d *etree.Document, tail string) *etree.Document {
		e := d.Root().FindElement(".//email")
		e.Child = nil
		e.AddChild(etree.NewText("user@user.com"))
		e.AddChild(etree.NewComment(""))
		e.AddChild(etree.NewText(tail))
		return d
	}
	return map[string]func(*etree.Document) *etree.Document{
		"enveloped-comment-injection.xml":         func(d *etree.Document) *etree.Document { return email(d, ".evil.com") },
		"enveloped-comment-injection-altered.xml": func(d *etree.Document) *etree.Document { return email(d, ".gov.kz") },
		"enveloped-stripped-signature.xml": func(d *etree.Document) *etree.Document {
			d.Root().RemoveChild(FindEnveloped(d.Root()))
			return d
		},
		"enveloped-transplanted-empty-uri.xml": func(d *etree.Document) *etree.Document {
			batch := etree.NewDocument()
			batch.CreateElement("batch").AddChild(d.Root())
			return batch
		},
		"enveloped-id-points-elsewhere.xml": func(d *etree.Document) *etree.Document {
			batch := mustParse(t, []byte(`<batch xmlns:svc="urn:kz:isb:registration:v1"><svc:Application Id="app"><svc:iin>921029350851</svc:iin></svc:Application><other Id="o1">harmless</other></batch>`))
			other := batch.Root().SelectElement("other")
			if err := s.SignEnveloped(other); err != nil {
				t.Fatal(err)
			}
			sig := FindEnveloped(other)
			other.RemoveChild(sig)
			batch.Root().SelectElement("Application").AddChild(sig)
			return batch
		},
	}
}

func save(t *testing.T, name string, d *etree.Document) {
	if err := os.WriteFile(filepath.Join(attackDir, name), mustWrite(t, d), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ensureAttackKey(t *testing.T) {
	if _, err := os.Stat(filepath.Join(attackDir, "key.pem")); err == nil {
		return
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := certTemplate("Throwaway attack-fixture signer", 99)
	tmpl.NotAfter = tmpl.NotBefore.AddDate(30, 0, 0)
	cert, err := issue(tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	if err := writePEM(filepath.Join(attackDir, "key.pem"), "PRIVATE KEY", der); err != nil {
		t.Fatal(err)
	}
	if err := writePEM(filepath.Join(attackDir, "cert.pem"), "CERTIFICATE", cert.Raw); err != nil {
		t.Fatal(err)
	}
}

func encodeCert(c *x509.Certificate) string {
	return strings.TrimSpace(b64(c.Raw))
}
