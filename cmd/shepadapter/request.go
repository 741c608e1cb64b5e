package main

import (
	"fmt"
	"io"

	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/signing/testpki"
)

func init() {
	commands["request"] = command{"print a signed sample request (request new)", requestCmd}
}

const requestUsage = `usage: shepadapter request new --pki DIR [--signer NAME] [--transport NAME | --no-transport] [--sender ID] [--password P] [--async] [--applicant ID]

Prints a sample request for the periodical registration service, signed on
both layers with the test PKI in DIR (see 'pki init'). --signer revoked,
expired, auth or an --applicant other than the signer's IIN/BIN provoke the
adapter's refusals.
`

func requestCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "new" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stderr, requestUsage)
			return 0
		}
		return usageError(stderr, "request", `the only subcommand is "new"`)
	}
	fs := newFlags("request new", requestUsage, stderr)
	dir := fs.String("pki", "", "test PKI directory (pki init)")
	o := sample.Options{}
	fs.StringVar(&o.Signer, "signer", sample.DefaultSigner, "leaf signing the application")
	fs.StringVar(&o.Transport, "transport", sample.DefaultTransport, "leaf signing the Body")
	fs.BoolVar(&o.NoTransport, "no-transport", false, "leave the transport signature out")
	fs.StringVar(&o.SenderID, "sender", sample.DefaultSenderID, "senderId")
	fs.StringVar(&o.Password, "password", "", "sender password")
	fs.BoolVar(&o.Async, "async", false, "asynchronous sendMessage (REQUEST) instead of SendMessage")
	fs.StringVar(&o.ApplicantID, "applicant", "", "applicant IIN/BIN (default: the signer's)")
	fs.StringVar(&o.ServiceID, "service", "", "serviceId (default the periodical service)")
	fs.StringVar(&o.MessageID, "message-id", "", "messageId (default a random UUID)")
	pos, code, ok := parseArgs(fs, args[1:])
	if !ok {
		return code
	}
	if len(pos) != 0 || *dir == "" {
		return usageError(stderr, "request new", "need --pki DIR and no arguments")
	}
	p, err := testpki.Load(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "request new: %v\n", err)
		return 2
	}
	o.PKI = p
	b, err := sample.Request(o)
	if err != nil {
		return usageError(stderr, "request new", err.Error())
	}
	if _, err := stdout.Write(b); err != nil {
		fmt.Fprintf(stderr, "request new: write: %v\n", err)
		return 2
	}
	fmt.Fprintln(stdout)
	return 0
}
