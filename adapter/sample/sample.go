package sample

import (
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"io"
	"time"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter/periodical"
	"github.com/isb-region/shepadapter/adapter/soap"
	"github.com/isb-region/shepadapter/signing/certs"
	"github.com/isb-region/shepadapter/signing/dsig"
	"github.com/isb-region/shepadapter/signing/testpki"
)

// Defaults of Options.
const (
	DefaultSigner    = testpki.Individual
	DefaultTransport = testpki.Gateway
	DefaultSenderID  = "demo-portal"
)

// Options describes one sample request. The zero value plus a PKI gives a
// valid synchronous request from an individual, relayed by the gateway.
type Options struct {
	// PKI supplies the signers named by Signer and Transport.
	PKI *testpki.PKI
	// DataSigner and TransportSigner, when set, override Signer and
	// Transport (and make PKI optional).
	DataSigner, TransportSigner *dsig.Signer

	// Signer is the leaf that signs the application (data layer); default
	// "individual". "legal" files a legal entity's application with its BIN;
	// "revoked", "expired", "auth" and "ecdsa" provoke the refusals.
	Signer string
	// Transport is the leaf that signs the Body (WS-Security); default
	// "gateway". NoTransport leaves the transport signature out.
	Transport   string
	NoTransport bool

	SenderID string // default "demo-portal"
	Password string // the sender's password; empty leaves it out
	// ServiceID defaults to periodical.ServiceID.
	ServiceID string
	// MessageID defaults to a random UUID read from Rand.
	MessageID string
	// Now is the messageDate; time.Now() if zero.
	Now time.Time
	// Rand feeds the message ID, the attachment and ECDSA signatures;
	// crypto/rand if nil.
	Rand io.Reader
	// Async builds an asynchronous sendMessage (REQUEST) instead of SendMessage.
	Async bool
	// ApplicantID is the IIN/BIN in the application; default the signer
	// certificate's IIN (BIN for "legal"), so the request is valid. Another
	// value provokes IIN_BIN_MISMATCH.
	ApplicantID string
}

// Request returns a signed sample request envelope: the application built by
// periodical.SampleApplication, signed enveloped as a standalone document,
// carried in data, and the Body signed with WS-Security.
func Request(o Options) ([]byte, error) {
	o.defaults()
	dataSigner, err := o.signer(o.DataSigner, o.Signer)
	if err != nil {
		return nil, err
	}
	kind, applicant := periodical.KindIndividual, o.ApplicantID
	if o.Signer == testpki.Legal {
		kind = periodical.KindLegal
	}
	if applicant == "" {
		id := certs.IdentityOf(dataSigner.Certs[0])
		applicant = id.IIN
		if kind == periodical.KindLegal {
			applicant = id.BIN
		}
	}
	if o.MessageID == "" {
		if o.MessageID, err = UUID(o.Rand); err != nil {
			return nil, err
		}
	}
	app := periodical.SampleApplication(applicant, kind, o.Rand)
	signed, err := SignStandalone(dataSigner, app)
	if err != nil {
		return nil, fmt.Errorf("sample: data signature: %w", err)
	}
	env, err := o.envelope(signed)
	if err != nil {
		return nil, err
	}
	if o.NoTransport {
		return env, nil
	}
	ts, err := o.signer(o.TransportSigner, o.Transport)
	if err != nil {
		return nil, err
	}
	doc, err := dsig.Parse(env, dsig.Limits{})
	if err != nil {
		return nil, fmt.Errorf("sample: reparse envelope: %w", err)
	}
	if err := SignTransport(ts, doc); err != nil {
		return nil, fmt.Errorf("sample: transport signature: %w", err)
	}
	return doc.WriteToBytes()
}

func (o *Options) defaults() {
	if o.Signer == "" {
		o.Signer = DefaultSigner
	}
	if o.Transport == "" {
		o.Transport = DefaultTransport
	}
	if o.SenderID == "" {
		o.SenderID = DefaultSenderID
	}
	if o.ServiceID == "" {
		o.ServiceID = periodical.ServiceID
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
}

// signer returns explicit, or a signer for the PKI leaf called name.
func (o *Options) signer(explicit *dsig.Signer, name string) (*dsig.Signer, error) {
	if explicit != nil {
		return explicit, nil
	}
	if o.PKI == nil {
		return nil, fmt.Errorf("sample: no PKI and no explicit signer for %q", name)
	}
	return LeafSigner(o.PKI, name, o.Rand)
}

// LeafSigner returns a dsig.Signer for the test PKI's leaf called name, with
// its chain (leaf, intermediate) in KeyInfo.
func LeafSigner(p *testpki.PKI, name string, r io.Reader) (*dsig.Signer, error) {
	cred, ok := p.Leaves[name]
	if !ok {
		return nil, fmt.Errorf("sample: unknown signer %q (have %v)", name, testpki.LeafNames)
	}
	chain := cred.Chain
	if len(chain) == 0 {
		chain = []*x509.Certificate{cred.Cert}
	}
	return &dsig.Signer{Key: cred.Key, Certs: chain, Rand: r}, nil
}

// envelope wraps the signed application in a gateway message.
func (o *Options) envelope(app *etree.Element) ([]byte, error) {
	if o.Async {
		return soap.AsyncMessage(&soap.AsyncRequest{
			MessageID: o.MessageID, ServiceID: o.ServiceID, MessageType: soap.TypeRequest,
			MessageDate: o.Now, SenderID: o.SenderID, Password: o.Password, Data: app,
		})
	}
	return soap.SyncMessage(&soap.SyncRequest{
		MessageID: o.MessageID, ServiceID: o.ServiceID, MessageDate: o.Now,
		SenderID: o.SenderID, Password: o.Password, Data: app,
	})
}

// UUID returns a random (version 4) UUID read from r.
func UUID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("sample: message id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}
