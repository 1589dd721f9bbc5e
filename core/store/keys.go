package store

import (
	"context"
	"time"
)

// API key statuses. A revoked key is as good as unknown; an inactive one is refused as disabled.
const (
	KeyActive   = "active"
	KeyInactive = "inactive"
	KeyRevoked  = "revoked"
)

// Key is an API key. Only the SHA-256 hash of the key is kept, and a short prefix to recognise it by.
type Key struct {
	ID         string `db:"id"`
	AccountID  string `db:"account_id"`
	Hash       string `db:"hash"`   // hex SHA-256 of the whole plain key
	Prefix     string `db:"prefix"` // the first characters of the plain key, for listings
	Name       string `db:"name"`
	Status     string `db:"status"` // KeyActive, KeyInactive or KeyRevoked
	CreatedAt  Time   `db:"created_at"`
	LastUsedAt Time   `db:"last_used_at"`
	RevokedAt  Time   `db:"revoked_at"`
}

const keyColumns = `id, account_id, hash, prefix, name, status, created_at, last_used_at, revoked_at`

// InsertKey stores a new key.
func (q queries) InsertKey(ctx context.Context, k Key) error {
	_, err := q.exec(ctx, `INSERT INTO api_keys (id, account_id, hash, prefix, name, status, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)`, k.ID, k.AccountID, k.Hash, k.Prefix, k.Name, k.Status, k.CreatedAt)
	return wrap(err, "insert api key")
}

// KeyByHash finds a key by the hash of its plain text: the one lookup not scoped by account, since it is
// how the account is found.
func (q queries) KeyByHash(ctx context.Context, hash string) (Key, error) {
	var k Key
	err := q.get(ctx, &k, `SELECT `+keyColumns+` FROM api_keys WHERE hash = ?`, hash)
	return k, wrap(err, "find api key")
}

// ListKeys returns the account's keys, newest first.
func (q queries) ListKeys(ctx context.Context, accountID string) ([]Key, error) {
	var out []Key
	err := q.selectAll(ctx, &out, `SELECT `+keyColumns+` FROM api_keys WHERE account_id = ?
ORDER BY created_at DESC, id DESC`, accountID)
	return out, wrap(err, "list api keys")
}

// SetKeyStatus changes the status of one of the account's keys; revoking records when. A revoked key
// cannot be brought back.
func (q queries) SetKeyStatus(ctx context.Context, accountID, keyID, status string, at time.Time) error {
	var revokedAt any
	if status == KeyRevoked {
		revokedAt = micros(at)
	}
	err := q.execOne(ctx, `UPDATE api_keys SET status = ?, revoked_at = ?
WHERE account_id = ? AND id = ? AND status <> ?`, status, revokedAt, accountID, keyID, KeyRevoked)
	return wrap(err, "update api key")
}

// TouchKey records that the key was used at at.
func (q queries) TouchKey(ctx context.Context, accountID, keyID string, at time.Time) error {
	_, err := q.exec(ctx, `UPDATE api_keys SET last_used_at = ? WHERE account_id = ? AND id = ?`, micros(at), accountID, keyID)
	return wrap(err, "touch api key")
}
