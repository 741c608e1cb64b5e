package testpki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"

	"github.com/isb-region/shepadapter/signing/kzid"
)

// Leaf names written by Init, one credential each.
const (
	Individual = "individual" // individual, SIGN key
	Legal      = "legal"      // legal entity's CEO, SIGN key
	Employee   = "employee"   // the department's signer: legal entity employee, SIGN key
	Gateway    = "gateway"    // transport (WS-Security) signer, RSA, digitalSignature only
	Auth       = "auth"       // individual AUTH key: keyEncipherment, EKU clientAuth
	Revoked    = "revoked"    // individual SIGN key listed in the CRL
	Expired    = "expired"    // individual SIGN key whose NotAfter is before Now
	ECDSA      = "ecdsa"      // individual SIGN key on P-256
)

// LeafNames lists every leaf Init creates, in creation order.
var LeafNames = []string{Individual, Legal, Employee, Gateway, Auth, Revoked, Expired, ECDSA}

// Object identifiers of the НУЦ profiles.
var (
	OIDRoleIndividual = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 1}
	OIDRoleOrg        = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 2}
	OIDRoleCEO        = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 2, 1}
	OIDRoleEmployee   = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 4, 1, 2, 5}
	OIDPolicyLegal    = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 2, 1}
	OIDPolicyIndSign  = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 2, 3}
	OIDPolicyIndAuth  = asn1.ObjectIdentifier{1, 2, 398, 3, 3, 2, 4}

	oidSurname   = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidGivenName = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidEmail     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
)

// BIN is the legal entity's BIN used by the legal, employee and gateway leaves.
var BIN = mustComplete("94014000038")

// IINs of the leaves, valid per kzid.ValidateIIN.
var IINs = map[string]string{
	Individual: mustComplete("92102935085"),
	Legal:      mustComplete("80050130012"),
	Employee:   mustComplete("85071540023"),
	Gateway:    mustComplete("80050130012"),
	Auth:       mustComplete("92102935085"),
	Revoked:    mustComplete("90111250034"),
	Expired:    mustComplete("75030360045"),
	ECDSA:      mustComplete("01020250056"),
}

func mustComplete(prefix string) string {
	s, err := kzid.Complete(prefix)
	if err != nil {
		panic(fmt.Sprintf("testpki: no check digit for %s", prefix))
	}
	return s
}

// profile describes one leaf.
type profile struct {
	surname, given, cn string
	legal              bool // adds O= and OU=BIN
	ecdsa              bool
	ku                 x509.KeyUsage
	eku                []x509.ExtKeyUsage
	roles              []asn1.ObjectIdentifier
	policy             asn1.ObjectIdentifier
	expired            bool
}

const (
	kuSign = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	kuAuth = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
)

var emailProt = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}

var profiles = map[string]profile{
	Individual: {surname: "ТЕСТОВ", given: "ТЕСТ ТЕСТОВИЧ", ku: kuSign, eku: emailProt,
		roles: []asn1.ObjectIdentifier{OIDRoleIndividual}, policy: OIDPolicyIndSign},
	Legal: {surname: "БАСШЫ", given: "БАСТЫҚ", legal: true, ku: kuSign, eku: emailProt,
		roles: []asn1.ObjectIdentifier{OIDRoleOrg, OIDRoleCEO}, policy: OIDPolicyLegal},
	Employee: {surname: "ҚЫЗМЕТКЕР", given: "АЙГҮЛ", legal: true, ku: kuSign, eku: emailProt,
		roles: []asn1.ObjectIdentifier{OIDRoleOrg, OIDRoleEmployee}, policy: OIDPolicyLegal},
	Gateway: {surname: "ШЛЮЗ", given: "ШЭП", legal: true, ku: x509.KeyUsageDigitalSignature,
		roles: []asn1.ObjectIdentifier{OIDRoleOrg}, policy: OIDPolicyLegal},
	Auth: {surname: "ТЕСТОВ", given: "ТЕСТ ТЕСТОВИЧ", ku: kuAuth,
		eku: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, policy: OIDPolicyIndAuth},
	Revoked: {surname: "КЕРІ", given: "ҚАЙТАРЫЛҒАН", ku: kuSign, eku: emailProt,
		roles: []asn1.ObjectIdentifier{OIDRoleIndividual}, policy: OIDPolicyIndSign},
	Expired: {surname: "ЕСКІ", given: "МЕРЗІМІ ӨТКЕН", ku: kuSign, eku: emailProt,
		roles: []asn1.ObjectIdentifier{OIDRoleIndividual}, policy: OIDPolicyIndSign, expired: true},
	ECDSA: {surname: "ЭЛЛИПТИК", given: "ҚИСЫҚ", ecdsa: true, ku: kuSign, eku: emailProt,
		roles: []asn1.ObjectIdentifier{OIDRoleIndividual}, policy: OIDPolicyIndSign},
}

// template builds the unsigned leaf certificate for name at now.
func (p profile) template(name string, serial *big.Int, now time.Time, ocspURL string) *x509.Certificate {
	subj := pkix.Name{
		CommonName:   p.surname + " " + firstWord(p.given),
		SerialNumber: "IIN" + IINs[name],
		Country:      []string{"KZ"},
		ExtraNames: []pkix.AttributeTypeAndValue{
			{Type: oidSurname, Value: p.surname},
			{Type: oidGivenName, Value: p.given},
			{Type: oidEmail, Value: name + "@test.pki.kz"},
		},
	}
	if p.legal {
		subj.Organization = []string{`АО "ТЕСТ ДЕПАРТАМЕНТ"`}
		subj.OrganizationalUnit = []string{"BIN" + BIN}
	}
	nb, na := now.Add(-24*time.Hour), now.AddDate(1, 0, 0)
	if p.expired {
		nb, na = now.AddDate(-1, 0, 0), now.Add(-24*time.Hour)
	}
	t := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subj,
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              p.ku,
		ExtKeyUsage:           p.eku,
		UnknownExtKeyUsage:    p.roles,
		Policies:              []x509.OID{policyOID(p.policy)},
		BasicConstraintsValid: true,
		EmailAddresses:        []string{name + "@test.pki.kz"},
	}
	if ocspURL != "" {
		t.OCSPServer = []string{ocspURL}
	}
	return t
}

// policyOID converts for x509.Certificate.Policies, which Go writes since 1.24.
func policyOID(o asn1.ObjectIdentifier) x509.OID {
	ints := make([]uint64, len(o))
	for i, v := range o {
		ints[i] = uint64(v)
	}
	oid, err := x509.OIDFromInts(ints)
	if err != nil {
		panic(err)
	}
	return oid
}

func firstWord(s string) string {
	for i, r := range s {
		if r == ' ' {
			return s[:i]
		}
	}
	return s
}
