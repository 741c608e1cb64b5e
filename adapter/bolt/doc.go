// Package bolt is the embedded adapter.Store: one bbolt file, no server.
//
// Layout (buckets): requests (number → JSON of adapter.Request),
// byMessageID (messageId → number), queue (bucket sequence, 8-byte
// big-endian → number, in acceptance order), seq (year "2026" → 8-byte
// big-endian last number of that year), meta (health key written by Ping).
//
// Durability: Accept is one bbolt Update transaction, so the record, its
// messageId index, its queue entry and the year's sequence are written
// together or not at all, and the commit fsyncs the file before Accept
// returns (bbolt NoSync stays false; Options does not expose it). An
// acknowledged request therefore survives a crash or power loss, given a
// disk that honours fsync.
//
// One process at a time holds the file (bbolt's flock); Open waits up to
// Options.Timeout for it, then fails with CodeUnavailable.
package bolt
