package certs

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"golang.org/x/crypto/ocsp"
)

// maxOCSPSize bounds a responder's answer.
const maxOCSPSize = 1 << 20

// ocspSkew tolerates responder clocks slightly ahead of ours.
const ocspSkew = 5 * time.Minute

// ErrNonce is wrapped when a response's nonce differs from the request's (or
// is missing while RequireNonce is set).
var ErrNonce = errors.New("OCSP nonce mismatch")

// OCSPClient asks an OCSP responder (RFC 6960) with a SHA-256 CertID and a
// fresh nonce over HTTP POST, verifies the answer against the issuer or its
// delegated responder, and caches good and revoked answers until NextUpdate.
// Any failure, including tryLater, unauthorized and malformed, is
// StatusUnknown. Safe for concurrent use.
type OCSPClient struct {
	// URL is the responder for end-entity certificates; it overrides the
	// certificate's AIA, which closed networks often cannot reach. CA
	// certificates are asked only at their own AIA URL.
	URL string
	// HTTPClient sends requests; http.DefaultClient's transport if nil.
	HTTPClient *http.Client
	// Timeout bounds one request; 10 s if zero.
	Timeout time.Duration
	// Rand makes nonces; crypto/rand if nil.
	Rand io.Reader
	// RequireNonce refuses answers that do not echo the nonce. Off by
	// default: responders that serve pre-produced answers omit it.
	RequireNonce bool

	mu    sync.Mutex
	cache map[string]ocspEntry
}

type ocspEntry struct {
	status           RevocationStatus
	this, nextUpdate time.Time
}

// Status implements RevocationChecker.
func (c *OCSPClient) Status(ctx context.Context, cert, issuer *x509.Certificate, at time.Time) (RevocationStatus, error) {
	url := c.responder(cert)
	if url == "" {
		return StatusUnknown, ErrNotCovered
	}
	id, err := newCertID(cert, issuer)
	if err != nil {
		return StatusUnknown, err
	}
	key := string(id.IssuerKeyHash) + cert.SerialNumber.String()
	if st, ok := c.cached(key, at); ok {
		return st, nil
	}
	nonce := make([]byte, 16)
	if _, err := io.ReadFull(c.rand(), nonce); err != nil {
		return StatusUnknown, err
	}
	reqDER, nonceExt, err := marshalRequest(id, nonce)
	if err != nil {
		return StatusUnknown, err
	}
	body, err := c.post(ctx, url, reqDER)
	if err != nil {
		return StatusUnknown, fmt.Errorf("OCSP %s: %w", url, err)
	}
	st, e, err := c.parse(body, cert, issuer, nonceExt, at)
	if err != nil {
		return StatusUnknown, fmt.Errorf("OCSP %s: %w", url, err)
	}
	if st != StatusUnknown && !e.nextUpdate.IsZero() {
		c.store(key, e)
	}
	if st == StatusUnknown {
		return st, fmt.Errorf("OCSP %s: responder does not know the certificate", url)
	}
	return st, nil
}

func (c *OCSPClient) responder(cert *x509.Certificate) string {
	if c.URL != "" && !cert.IsCA {
		return c.URL
	}
	if len(cert.OCSPServer) > 0 {
		return cert.OCSPServer[0]
	}
	return ""
}

func (c *OCSPClient) rand() io.Reader {
	if c.Rand != nil {
		return c.Rand
	}
	return rand.Reader
}

func (c *OCSPClient) cached(key string, at time.Time) (RevocationStatus, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cache[key]
	if !ok || !at.Before(e.nextUpdate) || at.Before(e.this.Add(-ocspSkew)) {
		return 0, false
	}
	return e.status, true
}

func (c *OCSPClient) store(key string, e ocspEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil {
		c.cache = map[string]ocspEntry{}
	}
	c.cache[key] = e
}

func (c *OCSPClient) post(ctx context.Context, url string, der []byte) ([]byte, error) {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(der))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/ocsp-request")
	req.Header.Set("Accept", "application/ocsp-response")
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	return fetchHTTP(hc, req, maxOCSPSize)
}

// fetchHTTP sends req and reads at most max bytes of a 200 answer; a larger
// answer is refused rather than cut, since a cut CRL or OCSP answer is garbage.
func fetchHTTP(hc *http.Client, req *http.Request, max int) ([]byte, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > max {
		return nil, fmt.Errorf("answer from %s larger than %d bytes", req.URL.Host, max)
	}
	return b, nil
}

// parse verifies the response (x/crypto checks the signature against the
// issuer or a responder certificate it issued for OCSP signing), then checks
// what x/crypto does not: the CertID's issuer hashes, the nonce and the times.
func (c *OCSPClient) parse(body []byte, cert, issuer *x509.Certificate, nonceExt pkix.Extension, at time.Time) (RevocationStatus, ocspEntry, error) {
	r, err := ocsp.ParseResponseForCert(body, cert, issuer)
	if err != nil {
		return StatusUnknown, ocspEntry{}, err
	}
	if err := checkDelegate(r.Certificate, at); err != nil {
		return StatusUnknown, ocspEntry{}, err
	}
	raw, err := parseRaw(body)
	if err != nil {
		return StatusUnknown, ocspEntry{}, err
	}
	if err := raw.checkCertID(cert, issuer); err != nil {
		return StatusUnknown, ocspEntry{}, err
	}
	if err := raw.checkNonce(nonceExt, c.RequireNonce); err != nil {
		return StatusUnknown, ocspEntry{}, err
	}
	if r.ThisUpdate.After(at.Add(ocspSkew)) {
		return StatusUnknown, ocspEntry{}, fmt.Errorf("thisUpdate %s is in the future", r.ThisUpdate)
	}
	if !r.NextUpdate.IsZero() && at.After(r.NextUpdate) {
		return StatusUnknown, ocspEntry{}, fmt.Errorf("nextUpdate %s passed: %w", r.NextUpdate, ErrStale)
	}
	e := ocspEntry{this: r.ThisUpdate, nextUpdate: r.NextUpdate}
	switch r.Status {
	case ocsp.Good:
		e.status = StatusGood
	case ocsp.Revoked:
		e.status = StatusRevoked
	default:
		e.status = StatusUnknown
	}
	return e.status, e, nil
}

// checkDelegate vets an embedded responder certificate, which x/crypto only
// checks was issued by the CA: without the id-kp-OCSPSigning EKU any holder of
// a certificate from that CA could vouch for their own revoked key.
func checkDelegate(c *x509.Certificate, at time.Time) error {
	if c == nil {
		return nil
	}
	if at.Before(c.NotBefore) || at.After(c.NotAfter) {
		return fmt.Errorf("responder certificate %q not valid at %s", c.Subject.CommonName, at.Format(time.RFC3339))
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageOCSPSigning {
			return nil
		}
	}
	return fmt.Errorf("responder certificate %q lacks the OCSPSigning extended key usage", c.Subject.CommonName)
}

// hashOIDs maps CertID hash algorithms we accept in answers.
var hashOIDs = map[string]crypto.Hash{
	"1.3.14.3.2.26":          crypto.SHA1,
	"2.16.840.1.101.3.4.2.1": crypto.SHA256,
	"2.16.840.1.101.3.4.2.2": crypto.SHA384,
	"2.16.840.1.101.3.4.2.3": crypto.SHA512,
}
