package storetest

import (
	"context"
	"testing"

	"github.com/isb-region/shepadapter/adapter"
)

// BenchmarkAccept measures Accept of distinct new requests on s; each
// backend's BenchmarkAccept calls it with a fresh store.
func BenchmarkAccept(b *testing.B, s adapter.Store) {
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, _, err := s.Accept(ctx, Request(i)); err != nil {
			b.Fatal(err)
		}
	}
}
