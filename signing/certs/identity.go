package certs

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"
)

// Identity is who a certificate names, in the НУЦ profile's terms.
type Identity struct {
	Subject, Issuer string    // RFC 2253 distinguished names
	SerialNumber    string    // certificate serial, lowercase hex
	IIN             string    // SERIALNUMBER=IIN<12 digits>
	BIN             string    // OU=BIN<12 digits> (legal entities)
	CommonName      string    // CN=
	Surname         string    // SURNAME (2.5.4.4)
	GivenName       string    // GIVENNAME (2.5.4.42): given name and patronymic
	Organisation    string    // O=
	Email           string    // emailAddress in the subject, else the first rfc822Name
	Roles           []string  // role OIDs found in EKU under 1.2.398.3.3.4.
	Policies        []string  // certificate policy OIDs
	KeyKind         string    // "SIGN", "AUTH" or ""
	NotBefore       time.Time // validity start
	NotAfter        time.Time // validity end
}

// Key kinds reported in Identity.KeyKind.
const (
	KeyKindSign = "SIGN" // nonRepudiation: may sign documents
	KeyKindAuth = "AUTH" // keyEncipherment or clientAuth without nonRepudiation
)

var (
	oidSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}
	oidCommonName   = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidSurname      = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidGivenName    = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidOrganisation = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOrgUnit      = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidEmail        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
)

// rolePrefix is the arc of НУЦ role OIDs carried in the EKU extension.
const rolePrefix = "1.2.398.3.3.4."

// IdentityOf extracts the Identity from c's subject and extensions. It does
// not check anything: call Checker.Check before relying on it.
func IdentityOf(c *x509.Certificate) Identity {
	id := Identity{
		Subject:      c.Subject.String(),
		Issuer:       c.Issuer.String(),
		SerialNumber: fmt.Sprintf("%x", c.SerialNumber),
		NotBefore:    c.NotBefore,
		NotAfter:     c.NotAfter,
		KeyKind:      keyKind(c),
	}
	for _, a := range c.Subject.Names {
		v, ok := a.Value.(string)
		if !ok {
			continue
		}
		switch {
		case a.Type.Equal(oidSerialNumber) && strings.HasPrefix(v, "IIN"):
			id.IIN = v[3:]
		case a.Type.Equal(oidOrgUnit) && strings.HasPrefix(v, "BIN"):
			id.BIN = v[3:]
		case a.Type.Equal(oidCommonName):
			id.CommonName = v
		case a.Type.Equal(oidSurname):
			id.Surname = v
		case a.Type.Equal(oidGivenName):
			id.GivenName = v
		case a.Type.Equal(oidOrganisation):
			id.Organisation = v
		case a.Type.Equal(oidEmail):
			id.Email = v
		}
	}
	if id.Email == "" && len(c.EmailAddresses) > 0 {
		id.Email = c.EmailAddresses[0]
	}
	for _, o := range c.UnknownExtKeyUsage {
		if s := o.String(); strings.HasPrefix(s, rolePrefix) {
			id.Roles = append(id.Roles, s)
		}
	}
	for _, o := range c.Policies {
		id.Policies = append(id.Policies, o.String())
	}
	if len(c.Policies) == 0 {
		for _, o := range c.PolicyIdentifiers {
			id.Policies = append(id.Policies, o.String())
		}
	}
	return id
}

// HasRole reports whether the identity carries the role OID.
func (id Identity) HasRole(oid string) bool {
	for _, r := range id.Roles {
		if r == oid {
			return true
		}
	}
	return false
}

// keyKind classifies the key: SIGN if nonRepudiation is set, AUTH if it may
// encipher keys or authenticate TLS clients without nonRepudiation.
func keyKind(c *x509.Certificate) string {
	if c.KeyUsage&x509.KeyUsageContentCommitment != 0 {
		return KeyKindSign
	}
	if c.KeyUsage&x509.KeyUsageKeyEncipherment != 0 {
		return KeyKindAuth
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageClientAuth {
			return KeyKindAuth
		}
	}
	return ""
}
