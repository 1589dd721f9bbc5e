package httpapi

import (
	"math"
	"sync"
	"time"
)

// rateLimiter is a token bucket per key, in memory: each key's bucket holds up to burst tokens, refills
// at rate tokens per second, and every request takes one. Buckets that have refilled completely carry no
// information and are dropped now and then, so memory follows the number of recently active keys.
//
// The buckets are per process: with R API replicas behind a load balancer a key gets up to R × rate in
// total (docs/deploy.md says so to operators). Everything that must be exact across replicas —
// idempotency, credits, charges — is held in the database instead.
type rateLimiter struct {
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

// bucket is one key's tokens as of last.
type bucket struct {
	tokens float64
	last   time.Time
}

// sweepEvery is how often, at most, full buckets are dropped.
const sweepEvery = time.Minute

func newRateLimiter(rate float64, burst int) *rateLimiter {
	return &rateLimiter{rate: rate, burst: float64(max(burst, 1)), now: time.Now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket. When the bucket is empty it reports false and how many whole
// seconds (at least 1) until a token is available.
func (l *rateLimiter) allow(key string) (ok bool, retryAfter int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) / l.rate
	return false, max(1, int(math.Ceil(wait)))
}

// sweep drops the buckets that are full by now; l.mu is held.
func (l *rateLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < sweepEvery {
		return
	}
	l.lastSweep = now
	for key, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, key)
		}
	}
}
