package store

import (
	"context"
	"time"
)

// IdempotencyTTL is how long an idempotency record is kept and honoured.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyRecord is the stored answer to a request sent with an Idempotency-Key header, replayed when
// the same key is sent again for the same method and path.
type IdempotencyRecord struct {
	AccountID   string `db:"account_id"`
	Key         string `db:"idem_key"`
	MethodPath  string `db:"method_path"`  // e.g. "POST /api/v1/video/abc/render"
	RequestHash string `db:"request_hash"` // hash of the request body, to refuse a reused key with a new body
	Status      int    `db:"status"`
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
func (q queries) SaveIdempotency(ctx context.Context, r IdempotencyRecord, since time.Time) (bool, error) {
	if _, err := q.exec(ctx, `DELETE FROM idempotency_records WHERE account_id = ? AND idem_key = ? AND method_path = ?
AND created_at <= ?`, r.AccountID, r.Key, r.MethodPath, micros(since)); err != nil {
		return false, wrap(err, "replace idempotency record")
	}
	n, err := q.exec(ctx, `INSERT INTO idempotency_records (account_id, idem_key, method_path, request_hash, status, body, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, r.AccountID, r.Key, r.MethodPath, r.RequestHash, r.Status, r.Body, r.CreatedAt)
	return n == 1, wrap(err, "save idempotency record")
}

// PurgeIdempotency removes every record made at or before before, and reports how many.
func (q queries) PurgeIdempotency(ctx context.Context, before time.Time) (int64, error) {
	n, err := q.exec(ctx, `DELETE FROM idempotency_records WHERE created_at <= ?`, micros(before))
	return n, wrap(err, "purge idempotency records")
}
