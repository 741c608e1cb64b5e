package gateway

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/isb-region/shepadapter/adapter"
)

// SenderConfig describes one gateway sender allowed to call us.
type SenderConfig struct {
	ID string `yaml:"id"`
	// PasswordHash is a bcrypt hash (htpasswd -B, or `shepadapter hash-password`).
	// Empty means the sender sends no password.
	PasswordHash string          `yaml:"passwordHash"`
	Channel      adapter.Channel `yaml:"channel"`
	// RequireTransportSignature refuses messages without a WS-Security
	// signature (SCE007). Defaults to true.
	RequireTransportSignature *bool `yaml:"requireTransportSignature"`
	// ClientCertSHA256 pins the gateway's TLS client certificate (hex SHA-256
	// of its DER) for this sender; empty means not pinned.
	ClientCertSHA256 string `yaml:"clientCertSHA256"`
}

// Sender is an authenticated sender.
type Sender struct {
	ID                        string
	Channel                   adapter.Channel
	RequireTransportSignature bool
	hash                      []byte
	pin                       []byte
}

// Senders authenticates gateway senders. bcrypt is slow on purpose, so the
// SHA-256 of a password that once matched is kept and later compared in
// constant time; a wrong password always pays the full bcrypt cost.
type Senders struct {
	byID  map[string]*Sender
	mu    sync.RWMutex
	known map[string][32]byte // sender ID → SHA-256 of its verified password
}

// NewSenders checks the configuration and builds the table.
func NewSenders(cfgs []SenderConfig) (*Senders, error) {
	s := &Senders{byID: map[string]*Sender{}, known: map[string][32]byte{}}
	for _, c := range cfgs {
		if c.ID == "" {
			return nil, fmt.Errorf("sender: empty id")
		}
		if _, dup := s.byID[c.ID]; dup {
			return nil, fmt.Errorf("sender %q: configured twice", c.ID)
		}
		if !c.Channel.Valid() {
			return nil, fmt.Errorf("sender %q: channel %q is not portal, service-centre or desk", c.ID, c.Channel)
		}
		if c.PasswordHash != "" {
			if _, err := bcrypt.Cost([]byte(c.PasswordHash)); err != nil {
				return nil, fmt.Errorf("sender %q: passwordHash is not a bcrypt hash", c.ID)
			}
		}
		snd := &Sender{ID: c.ID, Channel: c.Channel, RequireTransportSignature: c.RequireTransportSignature == nil || *c.RequireTransportSignature, hash: []byte(c.PasswordHash)}
		if c.ClientCertSHA256 != "" {
			pin, err := hex.DecodeString(strings.ReplaceAll(c.ClientCertSHA256, ":", ""))
			if err != nil || len(pin) != sha256.Size {
				return nil, fmt.Errorf("sender %q: clientCertSHA256 is not a hex SHA-256", c.ID)
			}
			snd.pin = pin
		}
		s.byID[c.ID] = snd
	}
	return s, nil
}

// Authenticate returns the sender if id is known, the password matches and,
// when pinned, peer is the pinned TLS client certificate.
func (s *Senders) Authenticate(id, password string, peer *x509.Certificate) (*Sender, error) {
	const op = "gateway.authenticate"
	snd, ok := s.byID[id]
	if !ok {
		return nil, adapter.Errorf(adapter.CodeUnknownSender, op, "sender %q is not allowed to call this service", id)
	}
	if snd.pin != nil {
		if peer == nil {
			return nil, adapter.Errorf(adapter.CodeClientCert, op, "a TLS client certificate is required for sender %q", id)
		}
		sum := sha256.Sum256(peer.Raw)
		if subtle.ConstantTimeCompare(sum[:], snd.pin) != 1 {
			return nil, adapter.Errorf(adapter.CodeClientCert, op, "TLS client certificate is not the one pinned for sender %q", id)
		}
	}
	if len(snd.hash) == 0 {
		return snd, nil
	}
	if !s.passwordOK(snd, password) {
		return nil, adapter.Errorf(adapter.CodeBadPassword, op, "wrong password for sender %q", id)
	}
	return snd, nil
}

func (s *Senders) passwordOK(snd *Sender, password string) bool {
	sum := sha256.Sum256([]byte(password))
	s.mu.RLock()
	known, ok := s.known[snd.ID]
	s.mu.RUnlock()
	if ok && subtle.ConstantTimeCompare(sum[:], known[:]) == 1 {
		return true
	}
	if bcrypt.CompareHashAndPassword(snd.hash, []byte(password)) != nil {
		return false
	}
	s.mu.Lock()
	s.known[snd.ID] = sum
	s.mu.Unlock()
	return true
}

// HashPassword makes a bcrypt hash for a sender's configuration.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(h), err
}
