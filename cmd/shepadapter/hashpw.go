package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/isb-region/shepadapter/adapter/gateway"
)

func init() {
	commands["hash-password"] = command{"print a bcrypt hash for a sender's passwordHash", hashPasswordCmd}
}

const hashUsage = `usage: shepadapter hash-password [--password P]

Prints a bcrypt hash of the password for a sender's passwordHash in the
configuration. Without --password the first line of stdin is read, so the
password need not appear in the shell history.
`

func hashPasswordCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("hash-password", hashUsage, stderr)
	pw := fs.String("password", "", "the password (default: first line of stdin)")
	pos, code, ok := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		return usageError(stderr, "hash-password", "no arguments expected")
	}
	if *pw == "" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			fmt.Fprintf(stderr, "hash-password: read stdin: %v\n", err)
			return 2
		}
		*pw = strings.TrimRight(line, "\r\n")
	}
	if *pw == "" {
		return usageError(stderr, "hash-password", "empty password")
	}
	h, err := gateway.HashPassword(*pw)
	if err != nil {
		fmt.Fprintf(stderr, "hash-password: %v\n", err)
		return 2
	}
	fmt.Fprintln(stdout, h)
	return 0
}
