package emulator

import (
	"sync"
	"time"
)

// maxNonces bounds the nonces the v3 gateway remembers.
const maxNonces = 1 << 16

// nonceCache remembers the nonces of recent v3 requests, so that a
// request replayed within V3Window is refused, in bounded memory. A nonce
// needs remembering only while its request would pass the timestamp check;
// when the cache is full the oldest one is forgotten and the floor rises to
// its timestamp, so that its request, or any older one, is refused rather
// than taken for new.
type nonceCache struct {
	mu    sync.Mutex
	max   int // 0 means maxNonces
	seen  map[string]time.Time
	order []nonceEntry // in arrival order
	floor time.Time    // requests signed at or before it are refused
}

type nonceEntry struct {
	nonce string
	at    time.Time // when the request says it was signed
}

// use records nonce for a request signed at at and reports why it must be
// refused ("" when it is new).
func (c *nonceCache) use(nonce string, at, now time.Time) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]time.Time{}
	}
	if !at.After(c.floor) {
		return "nonce can no longer be checked: the request is older than the gateway's memory of nonces"
	}
	if _, dup := c.seen[nonce]; dup {
		return "nonce 已被使用: the request was already received (replayed?)"
	}
	// Requests signed before the window fail the timestamp check, so
	// their nonces can go.
	for len(c.order) > 0 && c.order[0].at.Before(now.Add(-V3Window)) {
		c.forgetOldest()
	}
	limit := c.max
	if limit == 0 {
		limit = maxNonces
	}
	for len(c.order) >= limit {
		if e := c.order[0]; e.at.After(c.floor) {
			c.floor = e.at
		}
		c.forgetOldest()
	}
	c.seen[nonce] = at
	c.order = append(c.order, nonceEntry{nonce, at})
	return ""
}

// forgetOldest drops the oldest entry. Re-slicing keeps the backing array
// bounded: append copies only the live entries when it grows.
func (c *nonceCache) forgetOldest() {
	delete(c.seen, c.order[0].nonce)
	c.order = c.order[1:]
}

// len is the number of nonces remembered (tests).
func (c *nonceCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}
