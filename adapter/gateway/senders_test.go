package gateway

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"testing"

	"github.com/isb-region/shepadapter/adapter"
)

func TestSenders(t *testing.T) {
	hash, err := HashPassword("right")
	if err != nil {
		t.Fatal(err)
	}
	pinned := &x509.Certificate{Raw: []byte("the gateway's certificate")}
	sum := sha256.Sum256(pinned.Raw)
	no := false
	s, err := NewSenders([]SenderConfig{
		{ID: "portal", Channel: adapter.ChannelPortal, PasswordHash: hash},
		{ID: "pinned", Channel: adapter.ChannelDesk, PasswordHash: hash, ClientCertSHA256: hex.EncodeToString(sum[:]), RequireTransportSignature: &no},
		{ID: "open", Channel: adapter.ChannelServiceCentre},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, id, password string
		peer               *x509.Certificate
		want               adapter.Code
	}{
		{"right password", "portal", "right", nil, ""},
		{"right password again (cached)", "portal", "right", nil, ""},
		{"wrong password after a right one", "portal", "wrong", nil, adapter.CodeBadPassword},
		{"empty password", "portal", "", nil, adapter.CodeBadPassword},
		{"unknown sender", "nobody", "right", nil, adapter.CodeUnknownSender},
		{"pinned, right certificate", "pinned", "right", pinned, ""},
		{"pinned, no certificate", "pinned", "right", nil, adapter.CodeClientCert},
		{"pinned, other certificate", "pinned", "right", &x509.Certificate{Raw: []byte("other")}, adapter.CodeClientCert},
		{"no password configured", "open", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snd, err := s.Authenticate(tt.id, tt.password, tt.peer)
			if tt.want == "" {
				if err != nil || snd.ID != tt.id {
					t.Fatalf("Authenticate = %v, %v", snd, err)
				}
				return
			}
			if adapter.ErrorCode(err) != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
		})
	}
	if snd, _ := s.Authenticate("pinned", "right", pinned); snd.RequireTransportSignature || snd.Channel != adapter.ChannelDesk {
		t.Errorf("sender settings lost: %+v", snd)
	}
}

func TestNewSendersRefuses(t *testing.T) {
	tests := []struct {
		name string
		cfg  []SenderConfig
	}{
		{"empty id", []SenderConfig{{Channel: adapter.ChannelPortal}}},
		{"twice", []SenderConfig{{ID: "a", Channel: adapter.ChannelPortal}, {ID: "a", Channel: adapter.ChannelDesk}}},
		{"bad channel", []SenderConfig{{ID: "a", Channel: "fax"}}},
		{"plain-text password", []SenderConfig{{ID: "a", Channel: adapter.ChannelPortal, PasswordHash: "secret"}}},
		{"bad pin", []SenderConfig{{ID: "a", Channel: adapter.ChannelPortal, ClientCertSHA256: "zz"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewSenders(tt.cfg); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestAckIDStable(t *testing.T) {
	a, b := AckID("m-1", "ISB-2026-0000001"), AckID("m-1", "ISB-2026-0000001")
	if a != b || a == AckID("m-2", "ISB-2026-0000001") || len(a) != 36 || a[14] != '5' {
		t.Fatalf("AckID: %s %s", a, b)
	}
}
