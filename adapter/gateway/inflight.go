package gateway

import (
	"context"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/isb-region/shepadapter/adapter"
)

// InFlight is a budget of request-body bytes processed at once. A request
// takes its size and gives it back when answered; one that cannot get its share
// within Wait is answered SCE909 (busy, retry), having stored nothing.
type InFlight struct {
	sem  *semaphore.Weighted
	size int64
	Wait time.Duration
}

// NewInFlight makes a budget of size bytes; requests wait at most wait.
func NewInFlight(size int64, wait time.Duration) *InFlight {
	return &InFlight{sem: semaphore.NewWeighted(size), size: size, Wait: wait}
}

// take is Take for the handler: a nil budget bounds nothing.
func (f *InFlight) take(ctx context.Context, n int64) (release func(), err error) {
	if f == nil {
		return func() {}, nil
	}
	return f.Take(ctx, n)
}

// Take takes n bytes of the budget (at most all of it, so one request alone
// always fits), waiting at most Wait.
func (f *InFlight) Take(ctx context.Context, n int64) (release func(), err error) {
	n = min(max(n, 1), f.size)
	ctx, cancel := context.WithTimeout(ctx, f.Wait)
	defer cancel()
	if err := f.sem.Acquire(ctx, n); err != nil {
		e := adapter.Wrap(adapter.CodeUnavailable, "gateway.inflight", err, "the adapter is busy with other large requests; nothing was stored, retry later")
		e.Reason = "busy"
		return nil, e
	}
	return func() { f.sem.Release(n) }, nil
}
