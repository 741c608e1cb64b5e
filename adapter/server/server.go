package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/isb-region/shepadapter/adapter"
	"github.com/isb-region/shepadapter/adapter/bolt"
	"github.com/isb-region/shepadapter/adapter/calendar"
	"github.com/isb-region/shepadapter/adapter/gateway"
	"github.com/isb-region/shepadapter/adapter/redis"
	"github.com/isb-region/shepadapter/signing"
	"github.com/isb-region/shepadapter/signing/dsig"
)

// Server is the running adapter: the HTTP endpoints, the store and the
// background revocation refresh.
type Server struct {
	cfg        *Config
	log        *slog.Logger
	clock      adapter.Clock
	store      adapter.Store
	revocation *signing.Revocation
	keyLoaded  bool
	gateway    *gateway.Handler
	http       *http.Server
}

// New builds the adapter from cfg: the store (Redis when configured, else
// the embedded file), the verifier, the senders and the endpoints.
func New(ctx context.Context, cfg *Config, log *slog.Logger, clock adapter.Clock) (*Server, error) {
	cfg.defaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, clock: clock}
	ver, rev, err := signing.New(ctx, cfg.Signing, clock.Now)
	if err != nil {
		return nil, err
	}
	s.revocation = rev
	if cfg.Signing.Key != (signing.KeyConfig{}) {
		if _, _, err := signing.LoadKey(cfg.Signing.Key); err != nil {
			return nil, fmt.Errorf("signing key: %w", err)
		}
		s.keyLoaded = true
	}
	cal := calendar.Default()
	if cfg.CalendarFile != "" {
		if cal, err = calendar.LoadFile(cfg.CalendarFile); err != nil {
			return nil, err
		}
	}
	senders, err := gateway.NewSenders(cfg.Senders)
	if err != nil {
		return nil, err
	}
	if s.store, err = openStore(ctx, cfg); err != nil {
		return nil, err
	}
	services := map[string]bool{}
	for _, id := range cfg.Services {
		services[id] = true
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h := &gateway.Handler{
		Ingest: &gateway.Ingest{
			Senders: senders, Verifier: ver, Store: s.store, Calendar: cal, Clock: clock,
			Limits: dsig.Limits{MaxBytes: cfg.MaxBodyBytes}, Services: services,
			DatePast: cfg.MessageDatePast, DateFuture: cfg.MessageDateFuture, CheckIINBIN: cfg.Signing.CheckIINBIN,
		},
		Log: log, MaxBytes: cfg.MaxBodyBytes, Metrics: gateway.NewMetrics(reg),
		InFlight: gateway.NewInFlight(cfg.MaxInFlightBytes, cfg.BusyWait),
	}
	s.gateway = h
	mux := http.NewServeMux()
	mux.Handle("/shep/sync", h.Sync())
	mux.Handle("/shep/async", h.Async())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	if err := s.setupTLS(); err != nil {
		_ = s.store.Close()
		return nil, err
	}
	return s, nil
}

func openStore(ctx context.Context, cfg *Config) (adapter.Store, error) {
	if cfg.Redis.URL != "" {
		return redis.New(ctx, cfg.Redis)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return bolt.New(cfg.Bolt())
}

func (s *Server) setupTLS() error {
	if s.cfg.PlainHTTP {
		return nil
	}
	cert, err := tls.LoadX509KeyPair(s.cfg.TLS.CertFile, s.cfg.TLS.KeyFile)
	if err != nil {
		return fmt.Errorf("tls: %w", err)
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	if s.cfg.TLS.ClientCAFile != "" {
		pem, err := os.ReadFile(s.cfg.TLS.ClientCAFile)
		if err != nil {
			return fmt.Errorf("tls client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("tls client CA %s: no PEM certificates", s.cfg.TLS.ClientCAFile)
		}
		tc.ClientCAs, tc.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	s.http.TLSConfig = tc
	return nil
}

// ready answers 200 when the store takes writes, trust anchors (and the
// signing key, if configured) are loaded and revocation data is fresh.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var problems []string
	if err := s.store.Ping(ctx); err != nil {
		problems = append(problems, "store not writable")
	}
	if s.revocation.Stale(s.clock.Now()) {
		problems = append(problems, "revocation data stale")
	}
	if len(problems) > 0 {
		http.Error(w, fmt.Sprint(problems), http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// Serve accepts connections on ln until ctx ends, then stops accepting,
// lets in-flight requests finish (up to ShutdownTimeout) and closes the store.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	bg, stop := context.WithCancel(context.Background())
	defer stop()
	go s.revocation.Run(bg)
	errc := make(chan error, 1)
	go func() {
		if s.http.TLSConfig != nil {
			errc <- s.http.ServeTLS(ln, "", "")
		} else {
			errc <- s.http.Serve(ln)
		}
	}()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		s.log.Info("shutting down: finishing in-flight requests")
		sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
		err = s.http.Shutdown(sctx)
		cancel()
	}
	if cerr := s.store.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Listen opens the configured address.
func (s *Server) Listen() (net.Listener, error) { return net.Listen("tcp", s.cfg.Listen) }
