package server

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/contract"
	"github.com/isb-region/shepadapter/adapter/periodical"
	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/signing/testpki"
)

// TestSOAPToolkit loads the served WSDL with two standard SOAP toolkits,
// each fetching the WSDL and the XSDs it imports from the server over HTTP:
// gowsdl generates a client from it, and node-soap calls SendMessage.
func TestSOAPToolkit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gowsdl")
	}
	p := testPKI(t)
	r := start(t, testConfig(t, p))
	out := t.TempDir()
	cmd := exec.Command("go", "tool", "gowsdl", "-d", out, "-p", "served", "-o", "served.go", r.URL+"/shep/sync?wsdl")
	cmd.Env = contract.GOWSDLEnv(os.Environ())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gowsdl on the served WSDL: %v\n%s", err, b)
	}
	served, err := os.ReadFile(filepath.Join(out, "served", "served.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"type SendMessage struct", "SendMessage(request *SendMessage) (*SendMessageResponse, error)", "type SyncMessageInfo struct"} {
		if !bytes.Contains(served, []byte(want)) {
			t.Fatalf("the client generated from the served WSDL lacks %q", want)
		}
	}

	// gowsdl's generated client qualifies local elements although the
	// schema says unqualified (hooklift/gowsdl#280), so the call itself is
	// made with node-soap, which honours elementFormDefault. The toolkit
	// sends no WS-Security header, so the "toolkit" sender does not require
	// one; the application itself is signed.
	appFile := filepath.Join(t.TempDir(), "application.xml")
	if err := os.WriteFile(appFile, signedApplication(t, p), 0o600); err != nil {
		t.Fatal(err)
	}
	msgID := "toolkit-" + time.Now().Format("150405.000000")
	node := exec.Command("node", "call.js", r.URL+"/shep/sync?wsdl", "toolkit", testPassword, msgID, appFile)
	node.Dir = filepath.Join("testdata", "soapclient")
	var stdout, stderr bytes.Buffer
	node.Stdout, node.Stderr = &stdout, &stderr
	if err := node.Run(); err != nil {
		t.Fatalf("node-soap SendMessage: %v\n%s\n(make deps installs node-soap with npm ci)", err, stderr.String())
	}
	if !bytes.Contains(stdout.Bytes(), []byte(`"code":"`+adapter.StatusSuccess+`"`)) {
		t.Fatalf("node-soap answer: %s", stdout.String())
	}
	if _, err := r.srv.store.GetByMessageID(context.Background(), msgID); err != nil {
		t.Fatalf("not stored: %v", err)
	}
}

// signedApplication is the sample application signed by the individual, as
// the applicant's software hands it over: a standalone signed document.
func signedApplication(t *testing.T, p *testpki.PKI) []byte {
	t.Helper()
	s, err := sample.LeafSigner(p, testpki.Individual, nil)
	if err != nil {
		t.Fatal(err)
	}
	el := periodical.SampleApplication(testpki.IINs[testpki.Individual], periodical.KindIndividual, nil)
	signed, err := sample.SignStandalone(s, el)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	signed.WriteTo(&buf, &etree.WriteSettings{})
	return buf.Bytes()
}
