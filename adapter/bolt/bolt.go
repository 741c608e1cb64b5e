package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"go.etcd.io/bbolt"

	"github.com/isb-region/shepadapter/adapter"
)

// Bucket names.
var (
	bucketRequests  = []byte("requests")
	bucketByMessage = []byte("byMessageID")
	bucketQueue     = []byte("queue")
	bucketSeq       = []byte("seq")
	bucketMeta      = []byte("meta")
)

// almaty is UTC+5: the year of a request number is the year of receipt there.
var almaty = time.FixedZone("Asia/Almaty", 5*60*60)

// DefaultTimeout is how long Open waits for the file lock by default.
const DefaultTimeout = 5 * time.Second

// Options tune Open; the zero value is usable.
type Options struct {
	// Timeout bounds the wait for another process's file lock
	// (default DefaultTimeout).
	Timeout time.Duration
}

// Config is the store's configuration as read from the service config.
type Config struct {
	Path    string        // database file, created if missing
	Timeout time.Duration // file-lock wait; 0 means DefaultTimeout
}

// New opens the store described by cfg.
func New(cfg Config) (*Store, error) {
	return Open(cfg.Path, Options{Timeout: cfg.Timeout})
}

// Store is the bbolt-backed adapter.Store. It is safe for concurrent use.
type Store struct {
	db *bbolt.DB
}

var _ adapter.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path and its buckets.
func Open(path string, opts Options) (*Store, error) {
	const op = "bolt.Open"
	if path == "" {
		return nil, adapter.Errorf(adapter.CodeInternal, op, "no database path configured")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: opts.Timeout})
	if err != nil {
		return nil, adapter.Wrap(adapter.CodeUnavailable, op, err, "cannot open the request store")
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketRequests, bucketByMessage, bucketQueue, bucketSeq, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, adapter.Wrap(adapter.CodeUnavailable, op, err, "cannot initialise the request store")
	}
	return &Store{db: db}, nil
}

// Accept stores r in one fsynced transaction, assigning r.Number, unless
// its MessageID is known: then the stored request is returned with
// created=false, or CodeReplayConflict if the content hash differs.
func (s *Store) Accept(ctx context.Context, r *adapter.Request) (*adapter.Request, bool, error) {
	const op = "bolt.Accept"
	if err := adapter.CheckStorable(op, r); err != nil {
		return nil, false, err
	}
	if err := ctx.Err(); err != nil {
		return nil, false, adapter.Wrap(adapter.CodeUnavailable, op, err, "request store not reached")
	}
	var stored *adapter.Request
	created := false
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if num := tx.Bucket(bucketByMessage).Get([]byte(r.MessageID)); num != nil {
			var err error
			stored, err = load(tx, num)
			return err
		}
		rec := *r
		year := r.ReceivedAt.In(almaty).Year()
		seq, err := nextSeq(tx.Bucket(bucketSeq), year)
		if err != nil {
			return err
		}
		rec.Number = adapter.FormatNumber(year, seq)
		b, err := json.Marshal(&rec)
		if err != nil {
			return err
		}
		num := []byte(rec.Number)
		if err := tx.Bucket(bucketRequests).Put(num, b); err != nil {
			return err
		}
		if err := tx.Bucket(bucketByMessage).Put([]byte(r.MessageID), num); err != nil {
			return err
		}
		q := tx.Bucket(bucketQueue)
		qseq, err := q.NextSequence()
		if err != nil {
			return err
		}
		stored, created = &rec, true
		return q.Put(u64(qseq), num)
	})
	if err != nil {
		return nil, false, storeErr(op, err)
	}
	if !created && stored.ContentHash != r.ContentHash {
		return nil, false, adapter.Errorf(adapter.CodeReplayConflict, op,
			"messageId %s was already used for other content", r.MessageID)
	}
	r.Number = stored.Number
	return stored, created, nil
}

// Get returns the request with the given number, or CodeNotFound.
func (s *Store) Get(ctx context.Context, number string) (*adapter.Request, error) {
	return s.view(ctx, "bolt.Get", func(tx *bbolt.Tx) (*adapter.Request, error) {
		return load(tx, []byte(number))
	})
}

// GetByMessageID returns the request with the given messageId, or CodeNotFound.
func (s *Store) GetByMessageID(ctx context.Context, messageID string) (*adapter.Request, error) {
	return s.view(ctx, "bolt.GetByMessageID", func(tx *bbolt.Tx) (*adapter.Request, error) {
		num := tx.Bucket(bucketByMessage).Get([]byte(messageID))
		if num == nil {
			return nil, errNotFound
		}
		return load(tx, num)
	})
}

// QueueLen returns the number of entries in the queue bucket.
func (s *Store) QueueLen(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		n = int64(tx.Bucket(bucketQueue).Stats().KeyN)
		return nil
	})
	if err != nil {
		return 0, storeErr("bolt.QueueLen", err)
	}
	return n, nil
}

// Ping commits (and fsyncs) a small write, so a closed database, a
// read-only or full disk shows as not ready.
func (s *Store) Ping(ctx context.Context) error {
	const op = "bolt.Ping"
	if err := ctx.Err(); err != nil {
		return adapter.Wrap(adapter.CodeUnavailable, op, err, "request store not reached")
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMeta).Put([]byte("health"), []byte(time.Now().UTC().Format(time.RFC3339Nano)))
	})
	if err != nil {
		return storeErr(op, err)
	}
	return nil
}

// Close closes the database file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return storeErr("bolt.Close", err)
	}
	return nil
}

func (s *Store) view(ctx context.Context, op string, fn func(*bbolt.Tx) (*adapter.Request, error)) (*adapter.Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, adapter.Wrap(adapter.CodeUnavailable, op, err, "request store not reached")
	}
	var r *adapter.Request
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		r, err = fn(tx)
		return err
	})
	if err != nil {
		return nil, storeErr(op, err)
	}
	return r, nil
}

var errNotFound = errors.New("not found")

// load reads and decodes the record with the given number.
func load(tx *bbolt.Tx, num []byte) (*adapter.Request, error) {
	b := tx.Bucket(bucketRequests).Get(num)
	if b == nil {
		return nil, errNotFound
	}
	var r adapter.Request
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&r); err != nil {
		return nil, adapter.Wrap(adapter.CodeInternal, "bolt.load", err, "stored request is corrupt")
	}
	return &r, nil
}

// nextSeq increments and returns the year's sequence.
func nextSeq(b *bbolt.Bucket, year int) (int64, error) {
	k := []byte(strconv.Itoa(year))
	var n uint64
	if v := b.Get(k); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	n++
	return int64(n), b.Put(k, u64(n))
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// storeErr maps an error from a transaction to the domain: not found,
// an *adapter.Error as is, anything else (I/O, closed database) as
// CodeUnavailable, which tells the gateway to retry: nothing was committed.
func storeErr(op string, err error) error {
	var ae *adapter.Error
	switch {
	case errors.Is(err, errNotFound):
		return adapter.Errorf(adapter.CodeNotFound, op, "no such request")
	case errors.As(err, &ae):
		return ae
	}
	return adapter.Wrap(adapter.CodeUnavailable, op, err, "request store unavailable")
}
