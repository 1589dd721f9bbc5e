package store

import (
	"context"
	"time"
)

// IdempotencyTTL is how long an idempotency record is kept and honoured.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyPending is the Status of a reservation: a call holds the key and its answer is not stored yet.
const IdempotencyPending = 0

// IdempotencyRecord is the reservation, then the stored answer, of a call made with an idempotency key,
// replayed when the same key is sent again for the same scope.
type IdempotencyRecord struct {
	AccountID   string `db:"account_id"`
	Key         string `db:"idem_key"`
	MethodPath  string `db:"method_path"`  // the scope of the key, such as "core:render_task/abc"
	RequestHash string `db:"request_hash"` // hash of the request, to refuse a reused key with a new request
	Status      int    `db:"status"`       // IdempotencyPending, or the kind of answer stored (the caller's)
	Body        string `db:"body"`
	CreatedAt   Time   `db:"created_at"`
}

// GetIdempotency returns the account's record for key and methodPath made after since (pass now minus
// IdempotencyTTL).
func (q queries) GetIdempotency(ctx context.Context, accountID, key, methodPath string, since time.Time) (IdempotencyRecord, error) {
	var r IdempotencyRecord
	err := q.get(ctx, &r, `SELECT account_id, idem_key, method_path, request_hash, status, body, created_at
FROM idempotency_records WHERE account_id = ? AND idem_key = ? AND method_path = ? AND created_at > ?`,
		accountID, key, methodPath, micros(since))
	return r, wrap(err, "get idempotency record")
}

// SaveIdempotency stores r, replacing an expired record with the same key (older than since), and reports
// whether it was stored: false means a live record for the key already exists (a concurrent request won).
// Stored with Status IdempotencyPending, r is a reservation: the primary key lets exactly one of any
// number of concurrent callers, in any number of processes, insert it.
func (q queries) SaveIdempotency(ctx context.Context, r IdempotencyRecord, since time.Time) (bool, error) {
	if _, err := q.exec(ctx, `DELETE FROM idempotency_records WHERE account_id = ? AND idem_key = ? AND method_path = ?
AND created_at <= ?`, r.AccountID, r.Key, r.MethodPath, micros(since)); err != nil {
		return false, wrap(err, "replace idempotency record")
	}
	n, err := q.exec(ctx, `INSERT INTO idempotency_records (account_id, idem_key, method_path, request_hash, status, body, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, r.AccountID, r.Key, r.MethodPath, r.RequestHash, r.Status, r.Body, r.CreatedAt)
	return n == 1, wrap(err, "save idempotency record")
}

// CompleteIdempotency stores the answer (status, body) of the reservation r. It is ErrNotFound when the
// reservation is gone (released, or taken over as stale).
func (q queries) CompleteIdempotency(ctx context.Context, r IdempotencyRecord, status int, body string) error {
	err := q.execOne(ctx, `UPDATE idempotency_records SET status = ?, body = ?
WHERE account_id = ? AND idem_key = ? AND method_path = ? AND created_at = ? AND status = ?`,
		status, body, r.AccountID, r.Key, r.MethodPath, r.CreatedAt, IdempotencyPending)
	return wrap(err, "complete idempotency record")
}

// ReleaseIdempotency deletes the reservation r when it is still pending, so that the next call with its
// key runs again.
func (q queries) ReleaseIdempotency(ctx context.Context, r IdempotencyRecord) error {
	_, err := q.exec(ctx, `DELETE FROM idempotency_records
WHERE account_id = ? AND idem_key = ? AND method_path = ? AND created_at = ? AND status = ?`,
		r.AccountID, r.Key, r.MethodPath, r.CreatedAt, IdempotencyPending)
	return wrap(err, "release idempotency record")
}

// PurgeIdempotency removes every record made at or before before, and reports how many.
func (q queries) PurgeIdempotency(ctx context.Context, before time.Time) (int64, error) {
	n, err := q.exec(ctx, `DELETE FROM idempotency_records WHERE created_at <= ?`, micros(before))
	return n, wrap(err, "purge idempotency records")
}
