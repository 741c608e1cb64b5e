package server

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/isb-region/shepadapter/adapter/bolt"
	"github.com/isb-region/shepadapter/adapter/gateway"
	"github.com/isb-region/shepadapter/adapter/periodical"
	"github.com/isb-region/shepadapter/adapter/redis"
	"github.com/isb-region/shepadapter/signing"
)

// Config is the whole adapter configuration: one YAML file, ${VAR} expanded
// from the environment so secrets stay out of it.
type Config struct {
	Listen string    `yaml:"listen"` // default ":8080"
	TLS    TLSConfig `yaml:"tls"`
	// PlainHTTP must be set to serve without TLS (the demo); otherwise a
	// missing TLS certificate is a configuration error.
	PlainHTTP bool `yaml:"plainHTTP"`
	// MaxBodyBytes bounds a request body (default 20 MiB).
	MaxBodyBytes int64 `yaml:"maxBodyBytes"`
	// MaxInFlightBytes bounds the request bodies processed at once (default
	// 64 MiB, at least MaxBodyBytes): verifying costs many times a body's
	// size in memory. Requests that wait longer than BusyWait (default 10s)
	// get SCE909.
	MaxInFlightBytes int64         `yaml:"maxInFlightBytes"`
	BusyWait         time.Duration `yaml:"busyWait"`
	// DataDir holds the embedded store when no Redis is configured.
	DataDir string                 `yaml:"dataDir"`
	Redis   redis.Config           `yaml:"redis"`
	Signing signing.Config         `yaml:"signing"`
	Senders []gateway.SenderConfig `yaml:"senders"`
	// Services lists the serviceIds served (default: the periodical service).
	Services []string `yaml:"services"`
	// MessageDatePast/Future bound how far messageDate may be from now.
	MessageDatePast   time.Duration `yaml:"messageDatePast"`
	MessageDateFuture time.Duration `yaml:"messageDateFuture"`
	// CalendarFile overrides or extends the shipped working-day calendar.
	CalendarFile string `yaml:"calendarFile"`
	// ShutdownTimeout bounds how long in-flight requests may finish.
	ShutdownTimeout time.Duration `yaml:"shutdownTimeout"`
}

// TLSConfig is the server's TLS setup.
type TLSConfig struct {
	CertFile string `yaml:"certFile"`
	KeyFile  string `yaml:"keyFile"`
	// ClientCAFile, when set, requires and verifies the gateway's client
	// certificate against these CAs.
	ClientCAFile string `yaml:"clientCAFile"`
}

// Bolt is the embedded store's configuration derived from DataDir.
func (c *Config) Bolt() bolt.Config {
	return bolt.Config{Path: filepath.Join(c.DataDir, "shepadapter.db")}
}

func (c *Config) defaults() {
	if c.Listen == "" {
		c.Listen = ":8080"
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 20 << 20
	}
	if c.MaxInFlightBytes <= 0 {
		c.MaxInFlightBytes = 64 << 20
	}
	c.MaxInFlightBytes = max(c.MaxInFlightBytes, c.MaxBodyBytes)
	if c.BusyWait <= 0 {
		c.BusyWait = 10 * time.Second
	}
	if c.DataDir == "" {
		c.DataDir = "var/data"
	}
	if len(c.Services) == 0 {
		c.Services = []string{periodical.ServiceID}
	}
	if c.MessageDatePast <= 0 {
		c.MessageDatePast = 24 * time.Hour
	}
	if c.MessageDateFuture <= 0 {
		c.MessageDateFuture = 5 * time.Minute
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
}

func (c *Config) validate() error {
	if !c.PlainHTTP && (c.TLS.CertFile == "" || c.TLS.KeyFile == "") {
		return fmt.Errorf("config: tls.certFile and tls.keyFile are required unless plainHTTP is true")
	}
	if len(c.Senders) == 0 {
		return fmt.Errorf("config: no senders configured: nobody could call the adapter")
	}
	return nil
}

// LoadConfig reads the YAML file at path, expanding ${VAR} from the
// environment; an unset variable is an error, not an empty secret.
func LoadConfig(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	expanded, err := expandEnv(raw)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.resolvePaths(filepath.Dir(path))
	c.defaults()
	return &c, nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

func expandEnv(b []byte) ([]byte, error) {
	var missing []string
	out := envRef.ReplaceAllFunc(b, func(m []byte) []byte {
		name := string(envRef.FindSubmatch(m)[1])
		v, ok := os.LookupEnv(name)
		if !ok {
			missing = append(missing, name)
		}
		return []byte(v)
	})
	if len(missing) > 0 {
		return nil, fmt.Errorf("environment variables not set: %v", missing)
	}
	return out, nil
}

// resolvePaths makes relative file paths relative to the config file.
func (c *Config) resolvePaths(dir string) {
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) && !isURL(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	for i := range c.Signing.Trust {
		abs(&c.Signing.Trust[i])
	}
	for i := range c.Signing.CRLs {
		abs(&c.Signing.CRLs[i])
	}
	for _, p := range []*string{&c.Signing.Key.P12, &c.Signing.Key.KeyFile, &c.Signing.Key.CertFile,
		&c.TLS.CertFile, &c.TLS.KeyFile, &c.TLS.ClientCAFile, &c.CalendarFile, &c.DataDir} {
		abs(p)
	}
}

func isURL(s string) bool {
	return len(s) > 7 && (s[:7] == "http://" || (len(s) > 8 && s[:8] == "https://"))
}
