package soap

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const bundle = "../../testdata/contract-bundle.xsd"

// xmllint validates file against schema with the real xmllint; a missing
// xmllint is a failure, not a skip.
func xmllint(t *testing.T, schema, file string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint not found (apt-get install libxml2-utils, or make deps): %v", err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", schema, file).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %s does not validate against %s:\n%s", file, schema, out)
	}
}

// xmllintBytes writes b to a temp file and validates it.
func xmllintBytes(t *testing.T, schema string, b []byte) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "msg.xml")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	xmllint(t, schema, f)
}

func TestFixturesValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ file, schema string }{
		{"sync-request.xml", bundle},
		{"async-request.xml", bundle},
		{"notification.xml", bundle},
		{"sync-response.xml", bundle},
		{"sync-fault.xml", bundle},
		{"application.xml", "../../schemas/periodical.xsd"},
		{"certificate.xml", "../../schemas/periodical.xsd"},
		{"refusal.xml", "../../schemas/periodical.xsd"},
		{"status-query.xml", "../../schemas/periodical.xsd"},
		{"status-answer.xml", "../../schemas/periodical.xsd"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			xmllint(t, tc.schema, filepath.Join("../../testdata", tc.file))
		})
	}
}
