package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/server"
)

func init() {
	commands["serve"] = command{"run the adapter (--demo: embedded store, test PKI, demo sender)", serveCmd}
}

func serveCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "configuration `FILE` (YAML)")
	listen := fs.String("listen", "", "listen `ADDR`ess, overrides the config")
	redisURL := fs.String("redis", "", "Redis `URL`, overrides the config (empty: the embedded store)")
	dataDir := fs.String("data", "", "`DIR` for the embedded store, overrides the config")
	demo := fs.Bool("demo", false, "create (once) and use ./var/demo: a test PKI, a config and a demo sender")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if *demo {
		path, err := setupDemo("var/demo", stdout)
		if err != nil {
			fmt.Fprintln(stderr, "serve --demo:", err)
			return 1
		}
		*cfgPath = path
	}
	if *cfgPath == "" {
		fmt.Fprintln(stderr, "serve: --config FILE is required (or --demo to try the adapter)")
		return 2
	}
	cfg, err := server.LoadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	}
	if *listen != "" {
		cfg.Listen = *listen
	}
	if *redisURL != "" {
		cfg.Redis.URL = *redisURL
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *demo {
		go refreshDemoCRLs(ctx, "var/demo/pki", log)
	}
	srv, err := server.New(ctx, cfg, log, adapter.SystemClock{})
	if err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	}
	ln, err := srv.Listen()
	if err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	}
	log.Info("listening", "addr", ln.Addr().String(), "store", storeName(cfg))
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	}
	log.Info("stopped cleanly")
	return 0
}

func storeName(cfg *server.Config) string {
	if cfg.Redis.URL != "" {
		return "redis"
	}
	return "embedded:" + cfg.Bolt().Path
}
