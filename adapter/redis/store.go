package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/isb-region/shepadapter/adapter"
)

// Defaults for Config.
const (
	DefaultPrefix      = "shep"
	DefaultQueue       = "requests"
	DefaultGroup       = "backoffice"
	DefaultWaitTimeout = time.Second
)

// almaty is UTC+5: the year of a request number is the year of receipt there.
var almaty = time.FixedZone("Asia/Almaty", 5*60*60)

// Config is the Redis store's configuration.
type Config struct {
	// URL is a go-redis URL, e.g. redis://:password@10.0.0.5:6379/0 or rediss://.
	URL string `yaml:"url"`
	// Prefix is the hash tag all keys live under (default "shep").
	Prefix string `yaml:"prefix"`
	// WaitReplicas, when > 0, makes Accept and Ping wait (WAIT) until that
	// many replicas have received the write, or fail with CodeUnavailable.
	WaitReplicas int `yaml:"waitReplicas"`
	// WaitTimeout bounds WAIT (default DefaultWaitTimeout).
	WaitTimeout time.Duration `yaml:"waitTimeout"`
	// Queue is the stream name for accepted requests (default "requests").
	Queue string `yaml:"queue"`
	// Group is the consumer group created on the queue (default "backoffice").
	Group string `yaml:"group"`
}

func (c *Config) defaults() {
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if c.Queue == "" {
		c.Queue = DefaultQueue
	}
	if c.Group == "" {
		c.Group = DefaultGroup
	}
	if c.WaitTimeout <= 0 {
		c.WaitTimeout = DefaultWaitTimeout
	}
}

// Store is the Redis-backed adapter.Store. It is safe for concurrent use.
type Store struct {
	cfg    Config
	client *goredis.Client
}

var _ adapter.Store = (*Store)(nil)

// New connects to Redis as configured and creates the queue stream and its
// consumer group (MKSTREAM; an existing group is kept). It fails with
// CodeUnavailable when Redis cannot be reached or does not take writes.
func New(ctx context.Context, cfg Config) (*Store, error) {
	const op = "redis.New"
	cfg.defaults()
	if cfg.WaitReplicas < 0 {
		return nil, adapter.Errorf(adapter.CodeInternal, op, "WaitReplicas must not be negative")
	}
	opts, err := goredis.ParseURL(cfg.URL)
	if err != nil {
		return nil, adapter.Wrap(adapter.CodeInternal, op, err, "invalid Redis URL")
	}
	s := &Store{cfg: cfg, client: goredis.NewClient(opts)}
	// Group from ID 0 so entries queued before the group existed are delivered.
	err = s.client.XGroupCreateMkStream(ctx, s.keyQueue(cfg.Queue), cfg.Group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		s.client.Close()
		return nil, adapter.Wrap(adapter.CodeUnavailable, op, err, "cannot create the queue consumer group")
	}
	return s, nil
}

// Accept stores r atomically (record, messageId index, queue entry, year
// sequence) with one script, assigning r.Number, unless its MessageID is
// known: then the stored request is returned with created=false, or
// CodeReplayConflict if the content hash differs.
//
// With WaitReplicas > 0, Accept then waits for that many replicas and fails
// with CodeUnavailable if fewer confirm in time. The request is then stored
// on the primary all the same; the gateway's retry of the same message
// finds it and gets the same acknowledgement (created=false), which is the
// idempotency story. The same holds when a reply is lost after the script
// ran (network error, client retry): a repeat answers created=false.
func (s *Store) Accept(ctx context.Context, r *adapter.Request) (*adapter.Request, bool, error) {
	const op = "redis.Accept"
	if err := adapter.CheckStorable(op, r); err != nil {
		return nil, false, err
	}
	rec := *r
	rec.Number = ""
	b, err := json.Marshal(&rec)
	if err != nil || !strings.HasPrefix(string(b), recordPrefix) {
		return nil, false, adapter.Wrap(adapter.CodeInternal, op, err, "cannot encode the request")
	}
	year := r.ReceivedAt.In(almaty).Year()
	// One connection for the script and WAIT: WAIT counts the replication
	// of this connection's own last write.
	conn := s.client.Conn()
	defer conn.Close()
	res, err := acceptScript.Run(ctx, conn,
		[]string{s.keyByMessageID(r.MessageID), s.keySeq(year), s.keyQueue(s.cfg.Queue)},
		s.keyRequestPrefix(), b, year).Slice()
	if err != nil {
		return nil, false, unavailable(op, err)
	}
	created, stored, err := decodeAccept(res)
	if err != nil {
		return nil, false, adapter.Wrap(adapter.CodeInternal, op, err, "unexpected reply from the request store")
	}
	if !created && stored.ContentHash != r.ContentHash {
		return nil, false, adapter.Errorf(adapter.CodeReplayConflict, op,
			"messageId %s was already used for other content", r.MessageID)
	}
	if err := s.wait(ctx, conn, op); err != nil {
		return nil, false, err
	}
	r.Number = stored.Number
	return stored, created, nil
}

func decodeAccept(res []any) (bool, *adapter.Request, error) {
	if len(res) != 3 {
		return false, nil, fmt.Errorf("accept script returned %d values", len(res))
	}
	flag, ok1 := res[0].(int64)
	rec, ok2 := res[2].(string)
	if !ok1 || !ok2 {
		return false, nil, fmt.Errorf("accept script returned %T, %T", res[0], res[2])
	}
	var r adapter.Request
	if err := json.Unmarshal([]byte(rec), &r); err != nil {
		return false, nil, err
	}
	return flag == 1, &r, nil
}

// wait runs WAIT on conn when WaitReplicas > 0.
func (s *Store) wait(ctx context.Context, conn *goredis.Conn, op string) error {
	if s.cfg.WaitReplicas == 0 {
		return nil
	}
	n, err := conn.Wait(ctx, s.cfg.WaitReplicas, s.cfg.WaitTimeout).Result()
	if err != nil {
		return unavailable(op, err)
	}
	if n < int64(s.cfg.WaitReplicas) {
		return adapter.Errorf(adapter.CodeUnavailable, op,
			"only %d of %d replicas confirmed the write", n, s.cfg.WaitReplicas)
	}
	return nil
}

// Get returns the request with the given number, or CodeNotFound.
func (s *Store) Get(ctx context.Context, number string) (*adapter.Request, error) {
	b, err := s.client.Get(ctx, s.keyRequest(number)).Bytes()
	return decode("redis.Get", b, err)
}

// GetByMessageID returns the request with the given messageId, or CodeNotFound.
func (s *Store) GetByMessageID(ctx context.Context, messageID string) (*adapter.Request, error) {
	b, err := byMessageIDScript.Run(ctx, s.client,
		[]string{s.keyByMessageID(messageID)}, s.keyRequestPrefix()).Text()
	return decode("redis.GetByMessageID", []byte(b), err)
}

func decode(op string, b []byte, err error) (*adapter.Request, error) {
	if errors.Is(err, goredis.Nil) {
		return nil, adapter.Errorf(adapter.CodeNotFound, op, "no such request")
	}
	if err != nil {
		return nil, unavailable(op, err)
	}
	var r adapter.Request
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, adapter.Wrap(adapter.CodeInternal, op, err, "stored request is corrupt")
	}
	return &r, nil
}

// QueueLen returns the number of entries in the queue stream.
func (s *Store) QueueLen(ctx context.Context) (int64, error) {
	n, err := s.client.XLen(ctx, s.keyQueue(s.cfg.Queue)).Result()
	if err != nil {
		return 0, unavailable("redis.QueueLen", err)
	}
	return n, nil
}

// Ping writes a health key (and WAITs for replicas when configured), so a
// read-only replica, a MISCONF (failed persistence, e.g. full disk), OOM,
// min-replicas-to-write or missing replicas all show as not ready.
func (s *Store) Ping(ctx context.Context) error {
	const op = "redis.Ping"
	conn := s.client.Conn()
	defer conn.Close()
	if err := conn.Set(ctx, s.keyHealth(), time.Now().UTC().Format(time.RFC3339Nano), time.Minute).Err(); err != nil {
		return unavailable(op, err)
	}
	return s.wait(ctx, conn, op)
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.client.Close() }

// unavailable wraps a Redis or network error: retryable, nothing half-stored.
func unavailable(op string, err error) error {
	return adapter.Wrap(adapter.CodeUnavailable, op, err, "request store unavailable")
}
