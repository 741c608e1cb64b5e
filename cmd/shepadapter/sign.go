package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/beevik/etree"

	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
)

func init() {
	commands["sign"] = command{"sign a document's data or transport layer", signCmd}
}

// stdin is where "-" reads from; tests replace it.
var stdin io.Reader = os.Stdin

const signUsage = `usage: shepadapter sign --layer data|transport (--key K --cert C | --p12 F --password P) [--c14n URI] IN.xml > OUT.xml

Signs IN.xml ("-" = stdin) and writes it to stdout. --layer data signs the
business document inside a gateway message's data as a standalone document
(detached, signed enveloped with URI="", put back) or, for any other document,
its root; --layer transport signs the SOAP Body with WS-Security. An existing
signature of that layer is replaced.
`

func signCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sign", signUsage, stderr)
	layer := fs.String("layer", "", "data or transport")
	c14n := fs.String("c14n", "", "canonicalisation URI (default exclusive C14N)")
	var kf keyFlags
	kf.register(fs)
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 || (*layer != "data" && *layer != "transport") {
		return usageError(stderr, "sign", "need --layer data|transport and one input file")
	}
	s, err := kf.signer()
	if err != nil {
		return usageError(stderr, "sign", err.Error())
	}
	s.C14N = *c14n
	doc, err := readDoc(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "sign: %v\n", err)
		return 2
	}
	if *layer == "data" {
		err = sample.SignData(s, doc)
	} else {
		err = sample.SignTransport(s, doc)
	}
	if err != nil {
		fmt.Fprintf(stderr, "sign: %s layer: %v\n", *layer, err)
		return 1
	}
	if _, err := doc.WriteTo(stdout); err != nil {
		fmt.Fprintf(stderr, "sign: write: %v\n", err)
		return 2
	}
	return 0
}

// keyFlags are the --key/--cert/--p12/--password flags shared by sign and
// bench.
type keyFlags struct{ key, cert, p12, password string }

func (k *keyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&k.key, "key", "", "PEM private key")
	fs.StringVar(&k.cert, "cert", "", "PEM certificate (chain, leaf first)")
	fs.StringVar(&k.p12, "p12", "", "PKCS#12 file with key and chain")
	fs.StringVar(&k.password, "password", "", "PKCS#12 password")
}

func (k *keyFlags) set() bool { return k.key != "" || k.cert != "" || k.p12 != "" }

// signer loads the key the flags name.
func (k *keyFlags) signer() (*dsig.Signer, error) {
	switch {
	case k.p12 != "" && (k.key != "" || k.cert != ""):
		return nil, errors.New("use either --p12 or --key and --cert")
	case k.p12 == "" && (k.key == "" || k.cert == ""):
		return nil, errors.New("need --key and --cert, or --p12 and --password")
	}
	s, err := signing.NewSigner(signing.KeyConfig{P12: k.p12, Password: k.password, KeyFile: k.key, CertFile: k.cert})
	if err != nil {
		return nil, fmt.Errorf("load key: %w", err)
	}
	return s, nil
}

// newFlags returns a flag set that reports to stderr and prints text as its
// usage.
func newFlags(name, text string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, text)
		fmt.Fprintln(stderr, "\nflags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses args allowing flags after positional arguments (as in
// "bench verify IN.xml --duration 1s"). It returns the positional arguments;
// when ok is false the command should exit with code (0 for -h, 2 otherwise).
func parseArgs(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0, false
			}
			return nil, 2, false
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), 0, true
		}
		if len(rest) == 0 {
			return pos, 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError prints a one-line error and returns exit code 2.
func usageError(stderr io.Writer, cmd, msg string) int {
	fmt.Fprintf(stderr, "%s: %s (see 'shepadapter %s -h')\n", cmd, msg, strings.Fields(cmd)[0])
	return 2
}

// readInput reads path, or stdin for "-".
func readInput(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(path)
}

// readDoc reads and securely parses path (see dsig.Parse).
func readDoc(path string) (*etree.Document, error) {
	b, err := readInput(path)
	if err != nil {
		return nil, err
	}
	doc, err := dsig.Parse(b, dsig.Limits{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}
