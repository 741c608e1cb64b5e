package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
)

func init() {
	commands["verify"] = command{"verify every signature in a document, print a JSON report", verifyCmd}
}

const verifyUsage = `usage: shepadapter verify --trust DIR [--crl FILE]... [--ocsp URL] [--no-revocation] [--allow-sha1] [--check-iin] [--at RFC3339] IN.xml

Checks every signature in IN.xml ("-" = stdin): WS-Security over the Body,
the enveloped signature of the business document inside data, and an
enveloped signature over the document root. Prints the report as JSON and
exits 0 when at least one signature was found and all are valid, 1 otherwise,
2 on usage or I/O errors. Without --crl or --ocsp revocation is not checked.
`

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set appends one value.
func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

func verifyCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", verifyUsage, stderr)
	var trust, crls listFlag
	fs.Var(&trust, "trust", "trust anchors: PEM/DER file or directory (repeatable)")
	fs.Var(&crls, "crl", "CRL file or URL, full or delta (repeatable)")
	ocspURL := fs.String("ocsp", "", `OCSP responder URL, or "aia" for the certificate's own`)
	noRev := fs.Bool("no-revocation", false, "do not check revocation")
	sha1 := fs.Bool("allow-sha1", false, "accept legacy rsa-sha1")
	checkIIN := fs.Bool("check-iin", false, "require valid IIN/BIN check digits")
	at := fs.String("at", "", "verify as of this time (RFC 3339) instead of now")
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 || len(trust) == 0 {
		return usageError(stderr, "verify", "need --trust and one input file")
	}
	now := time.Now
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usageError(stderr, "verify", "--at: "+err.Error())
		}
		now = func() time.Time { return t }
	}
	cfg := signing.Config{Trust: trust, CRLs: crls, OCSP: *ocspURL, AllowSHA1: *sha1, CheckIINBIN: *checkIIN}
	switch {
	case *noRev:
		cfg.SkipRevocation = true
		fmt.Fprintln(stderr, "verify: revocation: not checked (--no-revocation)")
	case len(crls) == 0 && *ocspURL == "":
		cfg.SkipRevocation = true
		fmt.Fprintln(stderr, "verify: revocation: not checked (no --crl or --ocsp)")
	}
	data, err := readInput(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return 2
	}
	ctx := context.Background()
	v, _, err := signing.New(ctx, cfg, now)
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return 2
	}
	rep := verifyBytes(ctx, v, data)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(stderr, "verify: write: %v\n", err)
		return 2
	}
	if !rep.Valid {
		fmt.Fprintf(stderr, "verify: invalid: %s\n", strings.Join(rep.Reasons, ", "))
		return 1
	}
	return 0
}

// verifyBytes parses data securely and verifies it; a document the parser
// refuses (DTD, too large, malformed) is an invalid report, not an I/O error.
func verifyBytes(ctx context.Context, v *signing.Verifier, data []byte) signing.Report {
	doc, err := dsig.Parse(data, dsig.Limits{})
	if err != nil {
		reason := string(dsig.ReasonMalformedXML)
		var de *dsig.Error
		if errors.As(err, &de) {
			reason = string(de.Reason)
		}
		return signing.Report{Signatures: []signing.Verdict{}, Reasons: []string{reason}}
	}
	return v.VerifyAll(ctx, doc)
}
