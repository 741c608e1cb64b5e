package certs_test

import (
	"slices"
	"testing"

	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/testpki"
)

func TestIdentityOf(t *testing.T) {
	const org = `АО "ТЕСТ ДЕПАРТАМЕНТ"`
	tests := []struct {
		leaf     string
		bin, org string
		surname  string
		given    string
		roles    []string
		policies []string
		kind     string
	}{
		{testpki.Individual, "", "", "ТЕСТОВ", "ТЕСТ ТЕСТОВИЧ", []string{"1.2.398.3.3.4.1.1"}, []string{"1.2.398.3.3.2.3"}, "SIGN"},
		{testpki.Legal, testpki.BIN, org, "БАСШЫ", "БАСТЫҚ", []string{"1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.1"}, []string{"1.2.398.3.3.2.1"}, "SIGN"},
		{testpki.Employee, testpki.BIN, org, "ҚЫЗМЕТКЕР", "АЙГҮЛ", []string{"1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.5"}, []string{"1.2.398.3.3.2.1"}, "SIGN"},
		{testpki.Gateway, testpki.BIN, org, "ШЛЮЗ", "ШЭП", []string{"1.2.398.3.3.4.1.2"}, []string{"1.2.398.3.3.2.1"}, ""},
		{testpki.Auth, "", "", "ТЕСТОВ", "ТЕСТ ТЕСТОВИЧ", nil, []string{"1.2.398.3.3.2.4"}, "AUTH"},
		{testpki.ECDSA, "", "", "ЭЛЛИПТИК", "ҚИСЫҚ", []string{"1.2.398.3.3.4.1.1"}, []string{"1.2.398.3.3.2.3"}, "SIGN"},
	}
	for _, tt := range tests {
		t.Run(tt.leaf, func(t *testing.T) {
			c := pki.Leaves[tt.leaf].Cert
			id := certs.IdentityOf(c)
			checks := []struct{ field, got, want string }{
				{"IIN", id.IIN, testpki.IINs[tt.leaf]},
				{"BIN", id.BIN, tt.bin},
				{"Organisation", id.Organisation, tt.org},
				{"Surname", id.Surname, tt.surname},
				{"GivenName", id.GivenName, tt.given},
				{"CommonName", id.CommonName, c.Subject.CommonName},
				{"Email", id.Email, tt.leaf + "@test.pki.kz"},
				{"KeyKind", id.KeyKind, tt.kind},
				{"SerialNumber", id.SerialNumber, c.SerialNumber.Text(16)},
				{"Issuer", id.Issuer, pki.Intermediate.Subject.String()},
			}
			for _, ch := range checks {
				if ch.got != ch.want {
					t.Errorf("%s = %q, want %q", ch.field, ch.got, ch.want)
				}
			}
			if !slices.Equal(id.Roles, tt.roles) || !slices.Equal(id.Policies, tt.policies) {
				t.Errorf("roles %v policies %v, want %v %v", id.Roles, id.Policies, tt.roles, tt.policies)
			}
			if !id.NotAfter.Equal(c.NotAfter) || !id.NotBefore.Equal(c.NotBefore) {
				t.Error("validity not copied")
			}
			for _, r := range tt.roles {
				if !id.HasRole(r) {
					t.Errorf("HasRole(%s) = false", r)
				}
			}
		})
	}
}
