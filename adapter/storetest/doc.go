// Package storetest is the contract suite every adapter.Store backend must
// pass (the embedded bbolt store and the Redis store run the same tests).
//
// A backend's test calls Run with a function that opens a fresh, empty
// store and arranges its closing (t.Cleanup). The suite also needs the
// queue length, so the store must implement QueueCounter.
package storetest
