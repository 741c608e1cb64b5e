// Package redis is the Redis-backed adapter.Store (go-redis v9, Redis 7.0+).
//
// # Layout
//
// All keys live under the hash tag {prefix} (default {shep}) and are built
// only by the key functions in keys.go:
//
//	{shep}:req:<number>     JSON of adapter.Request (the record)
//	{shep}:msgid:<id>       messageId → number (the idempotency index)
//	{shep}:seq:<year>       INCR sequence of request numbers per Almaty year
//	{shep}:queue:<name>     stream of accepted numbers (field "number"),
//	                        with the consumer group created by New
//	{shep}:health           written by Ping
//
// Accept is one Lua script (acceptScript): look the messageId up; if new,
// INCR the year's sequence, store the record, the index and XADD the
// number, all in one atomic step. The script is declared with a #!lua
// shebang, so Redis refuses it whole before it runs when writes are not
// allowed (OOM, MISCONF, read-only replica, min-replicas-to-write): a
// request is never half stored. Every Redis or network error is an
// *adapter.Error with CodeUnavailable, which the gateway retries.
//
// # Durability: what an acknowledgement means
//
// Accept returns only after Redis has executed the script. Whether that
// write survives a crash depends on the server's configuration:
//
//   - appendonly yes + appendfsync always: Redis fsyncs the AOF before it
//     replies, so an acknowledged request is on disk. This is the setting a
//     deployment must use when Redis is the only copy.
//   - appendfsync everysec: Redis replies before the fsync; on a power
//     failure or kernel crash up to about 1–2 s of acknowledged requests can
//     be lost (a crash of the redis-server process alone loses nothing).
//   - Redis 7.0 (Debian 12) has no WAITAOF (added in 7.2), so a client cannot
//     ask for the fsync itself; the guarantee comes from appendfsync.
//   - WaitReplicas = N makes Accept (and Ping) run WAIT N on the same
//     connection after the script: the ack waits until N replicas have
//     received the write (in memory; not necessarily fsynced there). If
//     fewer confirm within WaitTimeout, Accept fails with CodeUnavailable,
//     but the request stays stored on the primary; the gateway's retry of
//     the same message then gets the same number with created=false.
//
// Recommended production setting: appendonly yes, appendfsync always,
// WaitReplicas 1 with one replica (also appendfsync always) and a
// WaitTimeout of about 1 s; monitor Ping, which writes, so a full disk
// (MISCONF), a failover to a read-only node or lost replicas show as not
// ready. The AOF stores each script's effects inside MULTI/EXEC, so a
// reload never sees a half-applied Accept.
//
// Retries: go-redis retries network errors itself (max_retries in the URL,
// default 3, with backoff), so with Redis down Accept fails after about
// 1–2 s. A retried script that had in fact run answers created=false with
// the same record, which is harmless.
package redis
