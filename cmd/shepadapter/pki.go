package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/isb-region/shepadapter/signing/testpki"
)

func init() {
	commands["pki"] = command{"create a test НУЦ (pki init) or serve its OCSP (pki ocsp)", pkiCmd}
}

const pkiUsage = `usage: shepadapter pki init --out DIR [--password P] [--ocsp-url URL]
       shepadapter pki ocsp --dir DIR --listen ADDR

init creates a test certification authority shaped like the НУЦ: trust
anchors in DIR/trust, CRLs in DIR/crl and, for each leaf (individual, legal,
employee, gateway, auth, revoked, expired, ecdsa), DIR/NAME.p12 (password
"test" unless --password), DIR/NAME.key.pem and DIR/NAME.cert.pem. Test only:
keys are not protected.
ocsp serves the authority's OCSP responder until SIGINT or SIGTERM.
`

func pkiCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "init":
			return pkiInit(args[1:], stdout, stderr)
		case "ocsp":
			return pkiOCSP(args[1:], stdout, stderr)
		case "-h", "--help", "help":
			fmt.Fprint(stderr, pkiUsage)
			return 0
		}
	}
	return usageError(stderr, "pki", "need a subcommand: init or ocsp")
}

func pkiInit(args []string, stdout, stderr io.Writer) int {
	fset := newFlags("pki init", pkiUsage, stderr)
	out := fset.String("out", "", "directory to create the authority in")
	pw := fset.String("password", "", "PKCS#12 password (default \"test\")")
	ocspURL := fset.String("ocsp-url", "", "OCSP URL written into the leaves' AIA")
	pos, code, ok := parseArgs(fset, args)
	if !ok {
		return code
	}
	if *out == "" || len(pos) != 0 {
		return usageError(stderr, "pki init", "need --out DIR and no arguments")
	}
	if err := testpki.Init(*out, testpki.Options{Password: *pw, OCSPURL: *ocspURL}); err != nil {
		fmt.Fprintf(stderr, "pki init: %v\n", err)
		return 2
	}
	password := *pw
	if password == "" {
		password = testpki.DefaultPassword
	}
	fmt.Fprintf(stdout, "test PKI created in %s (PKCS#12 password %q; test only, keys unprotected)\n", *out, password)
	err := filepath.WalkDir(*out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(*out, path)
		fmt.Fprintf(stdout, "  %s\n", rel)
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "pki init: %v\n", err)
		return 2
	}
	return 0
}

func pkiOCSP(args []string, _, stderr io.Writer) int {
	fset := newFlags("pki ocsp", pkiUsage, stderr)
	dir := fset.String("dir", "", "authority directory (pki init --out)")
	listen := fset.String("listen", "127.0.0.1:8089", "address to listen on")
	pos, code, ok := parseArgs(fset, args)
	if !ok {
		return code
	}
	if *dir == "" || len(pos) != 0 {
		return usageError(stderr, "pki ocsp", "need --dir DIR and no arguments")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	err := serveOCSP(ctx, *dir, *listen, func(addr string) {
		fmt.Fprintf(stderr, "pki ocsp: serving OCSP for %s on http://%s/ (Ctrl-C stops)\n", *dir, addr)
	})
	if err != nil {
		fmt.Fprintf(stderr, "pki ocsp: %v\n", err)
		return 2
	}
	return 0
}

// serveOCSP serves the OCSP responder of the authority in dir on addr until
// ctx ends; ready is called with the bound address once it listens.
func serveOCSP(ctx context.Context, dir, addr string, ready func(addr string)) error {
	p, err := testpki.Load(dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: p.OCSPHandler(time.Now), ReadHeaderTimeout: 10 * time.Second}
	ready(ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
