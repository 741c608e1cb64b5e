package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/isb-region/shepadapter/adapter/sample"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
)

func init() {
	commands["bench"] = command{"measure verify or sign operations per second, like openssl speed", benchCmd}
}

const benchUsage = `usage: shepadapter bench verify --trust DIR IN.xml [--duration 5s]
       shepadapter bench sign (--key K --cert C | --p12 F --password P) IN.xml [--duration 5s]

Runs the operation for --duration on one goroutine, then on GOMAXPROCS
goroutines, and prints operations per second and microseconds per operation
for each, so an operator can size a machine. Each operation includes the
secure parse of IN.xml. verify is the full check of every signature (as
'verify' does) with revocation not checked; sign re-signs the data layer of
IN.xml (the business document in data, or the root).
`

func benchCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "sign") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stderr, benchUsage)
			return 0
		}
		return usageError(stderr, "bench", "need verify or sign")
	}
	mode := args[0]
	fs := newFlags("bench "+mode, benchUsage, stderr)
	var trust listFlag
	fs.Var(&trust, "trust", "trust anchors (bench verify; repeatable)")
	var kf keyFlags
	kf.register(fs)
	dur := fs.Duration("duration", 5*time.Second, "how long each run lasts")
	pos, code, ok := parseArgs(fs, args[1:])
	if !ok {
		return code
	}
	if len(pos) != 1 || *dur <= 0 {
		return usageError(stderr, "bench", "need one input file and a positive --duration")
	}
	data, err := readInput(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 2
	}
	var op func() error
	if mode == "verify" {
		if len(trust) == 0 || kf.set() {
			return usageError(stderr, "bench verify", "need --trust DIR (and no key)")
		}
		op, err = verifyOp(trust, data)
	} else {
		if len(trust) != 0 {
			return usageError(stderr, "bench sign", "--trust is for bench verify")
		}
		s, serr := kf.signer()
		if serr != nil {
			return usageError(stderr, "bench sign", serr.Error())
		}
		op, err = signOp(s, data)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bench %s: %v\n", mode, err)
		return 1
	}
	note := "parse + data-layer signature"
	if mode == "verify" {
		note = "parse + every signature, revocation not checked"
	}
	fmt.Fprintf(stdout, "bench %s: %s (%d bytes), %s, %s per run\n", mode, pos[0], len(data), note, *dur)
	fmt.Fprintf(stdout, "%-16s %10s %12s %12s\n", "goroutines", "ops", "ops/s", "µs/op")
	for _, n := range benchWorkers() {
		ops, elapsed, err := benchRun(op, n, *dur)
		if err != nil {
			fmt.Fprintf(stderr, "bench %s: %v\n", mode, err)
			return 1
		}
		rate := float64(ops) / elapsed.Seconds()
		// µs/op is wall time per operation per goroutine, as openssl reports.
		fmt.Fprintf(stdout, "%-16d %10d %12.1f %12.1f\n", n, ops, rate, float64(n)*1e6/rate)
	}
	return 0
}

// benchWorkers is 1 then GOMAXPROCS (just 1 on a single core).
func benchWorkers() []int {
	if n := runtime.GOMAXPROCS(0); n > 1 {
		return []int{1, n}
	}
	return []int{1}
}

// verifyOp checks that data verifies and returns the operation to time.
func verifyOp(trust []string, data []byte) (func() error, error) {
	ctx := context.Background()
	v, _, err := signing.New(ctx, signing.Config{Trust: trust, SkipRevocation: true}, time.Now)
	if err != nil {
		return nil, err
	}
	op := func() error {
		if rep := verifyBytes(ctx, v, data); !rep.Valid {
			return fmt.Errorf("document does not verify: %v", rep.Reasons)
		}
		return nil
	}
	return op, op()
}

// signOp checks that data can be signed with s and returns the operation
// to time.
func signOp(s *dsig.Signer, data []byte) (func() error, error) {
	op := func() error {
		doc, err := dsig.Parse(data, dsig.Limits{})
		if err != nil {
			return err
		}
		return sample.SignData(s, doc)
	}
	return op, op()
}

// benchRun calls op from n goroutines until d has passed and returns how many
// calls completed and how long they took.
func benchRun(op func() error, n int, d time.Duration) (int64, time.Duration, error) {
	var ops atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := op(); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				ops.Add(1)
			}
		}()
	}
	wg.Wait()
	return ops.Load(), time.Since(start), firstErr
}
