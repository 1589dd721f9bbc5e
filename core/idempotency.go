package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/framecast/framecast/core/store"
)

// CodeIdempotencyKeyReused is the error code of a call that reuses an idempotency key with a different
// request. It is Framecast's addition to the API's codes.
const CodeIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"

// MaxIdempotencyKeyLength bounds an idempotency key.
const MaxIdempotencyKeyLength = 255

// Timing of idempotency reservations.
const (
	// IdempotencyTTL is how long the answer to a call with a key is replayed.
	IdempotencyTTL = store.IdempotencyTTL
	// idempotencyStale is how old a reservation without an answer may get before a repeat takes it over:
	// the process that held it died mid-call (an answer is otherwise stored within the call).
	idempotencyStale = 10 * time.Minute
	// idempotencyPoll is the first and the longest wait between looks at a reservation held by another call.
	idempotencyPollMin = 20 * time.Millisecond
	idempotencyPollMax = 500 * time.Millisecond
)

// Idempotency makes a call safe to retry: the first call with Key for an operation (and the same
// objects) runs, and every repeat within IdempotencyTTL gets its answer, result or error, without
// running again. A repeat with a different request is IDEMPOTENCY_KEY_REUSED.
//
// The key is reserved in the database before the call runs (one row, inserted by exactly one of any
// number of concurrent calls in any number of processes); a repeat that arrives while the first still
// runs waits for its answer. Errors that say the work did not happen (a failed dependency, an internal
// error, a cancelled call) are not kept: the reservation is released and a retry runs again.
//
// Adapters put an Idempotency in the context of a call (WithIdempotency); operations that change
// something read it. REST takes the key from the Idempotency-Key header, MCP from the tool call.
type Idempotency struct {
	Key string
	// Replayed is set when the answer is an earlier call's.
	Replayed bool
}

type idempotencyCtxKey struct{}

// WithIdempotency returns ctx carrying idem, for the operation called with it.
func WithIdempotency(ctx context.Context, idem *Idempotency) context.Context {
	return context.WithValue(ctx, idempotencyCtxKey{}, idem)
}

func idempotencyOf(ctx context.Context) *Idempotency {
	idem, _ := ctx.Value(idempotencyCtxKey{}).(*Idempotency)
	if idem == nil || idem.Key == "" {
		return nil
	}
	return idem
}

// CheckIdempotencyKey accepts a key of 1 to MaxIdempotencyKeyLength visible ASCII characters; anything
// else is INVALID_REQUEST.
func CheckIdempotencyKey(key string) error {
	ok := key != "" && len(key) <= MaxIdempotencyKeyLength
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] >= ' ' && key[i] <= '~'
	}
	if !ok {
		return InvalidRequest("an idempotency key must be 1 to %d visible ASCII characters", MaxIdempotencyKeyLength)
	}
	return nil
}

// The kinds of stored answers (store.IdempotencyRecord.Status).
const (
	answerResult = 1 // Body is the result's JSON
	answerError  = 2 // Body is an errorRecord's JSON
)

// errorRecord is a stored *Error.
type errorRecord struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

// transient reports whether err says that the work did not happen and a retry should run it again.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	switch CodeOf(err) {
	case CodeRemoteError, CodeInternal, CodeUploadFailed, CodeRenderTriggerFailed, CodeRateLimited:
		return true
	}
	return false
}

// idempotent runs op once per idempotency key of ctx, scope (the operation and its objects, such as
// "render_task/abc") and account, and replays its answer to repeats (see Idempotency). request is what
// identifies the call besides the scope; its JSON is hashed. Without a key in ctx, it runs op.
func idempotent[T any](ctx context.Context, s *Service, accountID, scope string, request any, op func() (T, error)) (T, error) {
	var zero T
	idem := idempotencyOf(ctx)
	if idem == nil {
		return op()
	}
	if err := CheckIdempotencyKey(idem.Key); err != nil {
		return zero, err
	}
	hash, err := requestHash(request)
	if err != nil {
		return op() // a request that cannot be encoded (a document that is not JSON) is refused by op
	}
	rec, owned, err := s.reserve(ctx, accountID, idem.Key, "core:"+scope, hash)
	if err != nil {
		return zero, err
	}
	if !owned {
		return replay[T](rec, hash, idem)
	}
	out, err := op()
	if err != nil && transient(err) {
		_ = s.store.ReleaseIdempotency(context.WithoutCancel(ctx), rec)
		return out, err
	}
	status, body := answerResult, []byte(nil)
	if err != nil {
		e := AsError(err)
		status = answerError
		body, _ = json.Marshal(errorRecord{Code: e.Code, Message: e.Message, Details: e.Details})
	} else if body, err = json.Marshal(out); err != nil {
		_ = s.store.ReleaseIdempotency(context.WithoutCancel(ctx), rec)
		return out, Internal(fmt.Errorf("idempotency: encode the answer: %w", err))
	}
	// The caller has its answer; if storing it fails, a repeat finds no answer and, once the reservation is
	// stale, runs the call again.
	_ = s.store.CompleteIdempotency(context.WithoutCancel(ctx), rec, status, string(body))
	return out, err
}

// reserve inserts the reservation of a call, or returns the record of the call that holds the key once
// it has its answer (owned false). A reservation whose holder died (older than idempotencyStale without
// an answer) is taken over.
func (s *Service) reserve(ctx context.Context, accountID, key, scope, hash string) (rec store.IdempotencyRecord, owned bool, err error) {
	wait := idempotencyPollMin
	for {
		now := s.now()
		rec = store.IdempotencyRecord{AccountID: accountID, Key: key, MethodPath: scope, RequestHash: hash,
			Status: store.IdempotencyPending, CreatedAt: store.NewTime(now)}
		inserted, err := s.store.SaveIdempotency(ctx, rec, now.Add(-IdempotencyTTL))
		if err != nil {
			return rec, false, fail(err)
		}
		if inserted {
			return rec, true, nil
		}
		held, err := s.store.GetIdempotency(ctx, accountID, key, scope, now.Add(-IdempotencyTTL))
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue // released or expired in between: try again
		case err != nil:
			return rec, false, fail(err)
		case held.RequestHash != hash:
			return held, false, idempotencyKeyReused()
		case held.Status != store.IdempotencyPending:
			return held, false, nil
		case now.Sub(held.CreatedAt.Time) > idempotencyStale:
			_ = s.store.ReleaseIdempotency(ctx, held)
			continue
		}
		select {
		case <-ctx.Done():
			return rec, false, InvalidRequest("cancelled while waiting for an earlier call with the same idempotency key").WithCause(ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, idempotencyPollMax)
	}
}

// replay returns the stored answer of rec.
func replay[T any](rec store.IdempotencyRecord, hash string, idem *Idempotency) (T, error) {
	var out T
	if rec.RequestHash != hash {
		return out, idempotencyKeyReused()
	}
	idem.Replayed = true
	if rec.Status == answerError {
		var e errorRecord
		if err := json.Unmarshal([]byte(rec.Body), &e); err != nil {
			return out, Internal(fmt.Errorf("idempotency: stored error: %w", err))
		}
		return out, &Error{Code: e.Code, Message: e.Message, Details: e.Details}
	}
	if err := json.Unmarshal([]byte(rec.Body), &out); err != nil {
		return out, Internal(fmt.Errorf("idempotency: stored answer: %w", err))
	}
	return out, nil
}

func idempotencyKeyReused() *Error {
	return NewError(CodeIdempotencyKeyReused,
		"This idempotency key was already used with a different request; use a new key for a new request")
}

// requestHash is the hex SHA-256 of request's JSON (compact: JSON documents that differ only in spacing
// are the same request).
func requestHash(request any) (string, error) {
	b, err := json.Marshal(request)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// IdempotencyFrom returns the Idempotency put in ctx by WithIdempotency, nil if none: a client of a remote
// server (MCP's Remote backend) sends its key along.
func IdempotencyFrom(ctx context.Context) *Idempotency { return idempotencyOf(ctx) }
