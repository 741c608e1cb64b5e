// Package testredis starts a real redis-server for tests.
//
// Each Server runs on a free loopback port with its own temporary
// directory, AOF on with appendfsync always and RDB snapshots off, so a
// test can stop and restart it and check that nothing acknowledged was
// lost. A missing redis-server binary fails the test with a clear message
// rather than skipping it: the store's guarantees are only proven against
// the real server.
package testredis
