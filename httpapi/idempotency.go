package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store"
)

// IdempotencyKeyHeader names the header that makes a POST safe to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

// ReplayedHeader is set to "true" on a response replayed from an idempotency record.
const ReplayedHeader = "Idempotent-Replayed"

// CodeIdempotencyKeyReused is the error code of a request that reuses an Idempotency-Key with a
// different body. It is Framecast's addition to the API's codes.
const CodeIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"

// maxIdempotencyKeyLength bounds an Idempotency-Key.
const maxIdempotencyKeyLength = 255

// idempotency replays the first answer to a POST sent with an Idempotency-Key.
//
// The first response (status and body) to a POST carrying the header is stored for the account, key,
// method and path (store.IdempotencyRecord) and answered again, with Idempotent-Replayed: true, to any
// repeat within store.IdempotencyTTL (24 h) instead of doing the work twice. Responses with a 5xx or 429
// status are not stored: the work did not happen, so a retry should try again.
//
// A repeat whose body differs from the first (compared by SHA-256) is refused with 422
// IDEMPOTENCY_KEY_REUSED and does nothing. 422 follows the IETF draft "The Idempotency-Key HTTP Header
// Field" (draft-ietf-httpapi-idempotency-key-header): the request is well formed but cannot be processed
// with that key; 409 there means a request still in flight, which this server never answers because a
// duplicate waits for the first instead (below).
//
// Requests with the same account, key, method and path are serialised by an in-memory lock, so a
// duplicate sent while the first is still running waits for it and then gets its stored answer. The lock
// covers one process; across processes the database's primary key keeps a single record.
type idempotency struct {
	store *store.Store
	now   func() time.Time

	mu    sync.Mutex
	locks map[string]*keyLock
}

// keyLock is a mutex that can be waited on with a context, shared by refs waiters.
type keyLock struct {
	sem  chan struct{}
	refs int
}

func newIdempotency(st *store.Store) *idempotency {
	return &idempotency{store: st, now: time.Now, locks: map[string]*keyLock{}}
}

// lock takes the lock of name, waiting until it is free or ctx ends, and returns its release.
func (i *idempotency) lock(ctx context.Context, name string) (unlock func(), err error) {
	i.mu.Lock()
	l := i.locks[name]
	if l == nil {
		l = &keyLock{sem: make(chan struct{}, 1)}
		i.locks[name] = l
	}
	l.refs++
	i.mu.Unlock()
	release := func() {
		i.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(i.locks, name)
		}
		i.mu.Unlock()
	}
	select {
	case l.sem <- struct{}{}:
		return func() { <-l.sem; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}

// idempotent is the middleware applying the idempotency rules to POST requests that carry the header.
func (s *server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(IdempotencyKeyHeader)
		if r.Method != http.MethodPost || key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if !saneIdempotencyKey(key) {
			writeError(w, r, core.InvalidRequest("%s must be 1 to %d visible ASCII characters", IdempotencyKeyHeader, maxIdempotencyKeyLength))
			return
		}
		account, methodPath := accountID(r), r.Method+" "+r.URL.Path
		unlock, err := s.idem.lock(r.Context(), account+"\x00"+key+"\x00"+methodPath)
		if err != nil {
			writeError(w, r, core.InvalidRequest("request cancelled while waiting for an earlier request with the same %s", IdempotencyKeyHeader))
			return
		}
		defer unlock()

		since := s.idem.now().Add(-store.IdempotencyTTL)
		rec, err := s.idem.store.GetIdempotency(r.Context(), account, key, methodPath, since)
		switch {
		case err == nil:
			s.replay(w, r, rec)
			return
		case !errors.Is(err, store.ErrNotFound):
			writeError(w, r, core.RemoteError(err))
			return
		}

		digest := sha256.New()
		r.Body = teeBody{Reader: io.TeeReader(r.Body, digest), Closer: r.Body}
		rw := &capturingWriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		if rw.status >= 500 || rw.status == http.StatusTooManyRequests || rw.status == 0 {
			return
		}
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return // the body was not read whole: its hash would not identify it
		}
		rec = store.IdempotencyRecord{AccountID: account, Key: key, MethodPath: methodPath, RequestHash: hexSum(digest),
			Status: rw.status, Body: rw.body.String(), CreatedAt: store.NewTime(s.idem.now())}
		if _, err := s.idem.store.SaveIdempotency(context.WithoutCancel(r.Context()), rec, since); err != nil {
			noteError(r, err) // the client has its answer; only a repeat will do the work again
		}
	})
}

// replay answers a repeat with the stored response, after checking that its body is the first one's.
func (s *server) replay(w http.ResponseWriter, r *http.Request, rec store.IdempotencyRecord) {
	digest := sha256.New()
	if _, err := io.Copy(digest, r.Body); err != nil {
		writeError(w, r, bodyError(err))
		return
	}
	if hexSum(digest) != rec.RequestHash {
		writeError(w, r, &core.Error{Code: CodeIdempotencyKeyReused, Status: http.StatusUnprocessableEntity,
			Message: "This " + IdempotencyKeyHeader + " was already used with a different request body; use a new key for a new request"})
		return
	}
	w.Header().Set(ReplayedHeader, "true")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(rec.Status)
	io.WriteString(w, rec.Body)
}

func saneIdempotencyKey(key string) bool {
	if len(key) > maxIdempotencyKeyLength {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < ' ' || key[i] > '~' {
			return false
		}
	}
	return true
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// teeBody is a request body read through a TeeReader, closed as the original.
type teeBody struct {
	io.Reader
	io.Closer
}

// capturingWriter passes a response through and keeps a copy of its status and body.
type capturingWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *capturingWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *capturingWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body.Write(p)
	return c.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *capturingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
