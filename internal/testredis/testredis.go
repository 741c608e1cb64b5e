package testredis

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// DefaultBinary is the redis-server looked up when no Binary option is given
// and REDIS_SERVER is unset.
const DefaultBinary = "redis-server"

// startTimeout bounds how long Start and Restart wait for PING to answer.
const startTimeout = 10 * time.Second

// Option configures Start.
type Option func(*config)

type config struct {
	binary string
	args   []string
}

// Binary sets the redis-server executable (default: $REDIS_SERVER, else
// redis-server on PATH).
func Binary(path string) Option { return func(c *config) { c.binary = path } }

// Args appends extra command-line arguments, e.g. Args("--appendfsync", "everysec").
func Args(args ...string) Option { return func(c *config) { c.args = append(c.args, args...) } }

// Server is one running redis-server owned by a test.
type Server struct {
	t      testing.TB
	cfg    config
	bin    string
	dir    string
	port   int
	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{}
	logPth string
}

// Start launches redis-server on a free port and waits until it answers
// PING. The server is stopped when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{binary: os.Getenv("REDIS_SERVER")}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.binary == "" {
		cfg.binary = DefaultBinary
	}
	bin, err := exec.LookPath(cfg.binary)
	if err != nil {
		t.Fatalf("testredis: %q not found (%v): install redis-server (apt-get install redis-server) or set REDIS_SERVER", cfg.binary, err)
	}
	s := &Server{t: t, cfg: cfg, bin: bin, dir: t.TempDir()}
	s.logPth = filepath.Join(s.dir, "redis.log")
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		if s.port, err = freePort(); err != nil {
			t.Fatalf("testredis: find a free port: %v", err)
		}
		if lastErr = s.launch(); lastErr == nil {
			t.Cleanup(s.Stop)
			return s
		}
	}
	t.Fatalf("testredis: start %s: %v", bin, lastErr)
	return nil
}

// URL is the go-redis URL of the server's database 0.
func (s *Server) URL() string { return fmt.Sprintf("redis://%s/0", s.Addr()) }

// Addr is host:port of the server.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Dir is the server's working directory (holding the AOF).
func (s *Server) Dir() string { return s.dir }

// Stop shuts the server down gracefully (SIGTERM: Redis flushes the AOF and
// exits), killing it if it does not exit in time. Stopping a stopped server
// does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(startTimeout):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

// Restart stops the server and starts it again on the same port and
// directory, so the data is reloaded from the AOF.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	if err := s.launch(); err != nil {
		s.t.Fatalf("testredis: restart: %v", err)
	}
}

func (s *Server) launch() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	args := []string{
		"--port", strconv.Itoa(s.port),
		"--bind", "127.0.0.1",
		"--dir", s.dir,
		"--appendonly", "yes",
		"--appendfsync", "always",
		"--save", "",
		"--logfile", s.logPth,
		"--daemonize", "no",
		// A replica started by a test syncs at once rather than after 5 s.
		"--repl-diskless-sync-delay", "0",
	}
	args = append(args, s.cfg.args...)
	cmd := exec.Command(s.bin, args...)
	cmd.Dir = s.dir
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	if err := waitPing(s.Addr(), done); err != nil {
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("%v; log tail: %s", err, s.logTail())
	}
	s.cmd, s.done = cmd, done
	return nil
}

// waitPing polls addr with PING until +PONG, the process exits or the
// timeout passes.
func waitPing(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-exited:
			return fmt.Errorf("redis-server exited during start")
		default:
		}
		if err := ping(addr); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("no PONG from %s within %v: %v", addr, startTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("unexpected reply %q", strings.TrimSpace(line))
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) logTail() string {
	b, err := os.ReadFile(s.logPth)
	if err != nil {
		return "(no log)"
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}
