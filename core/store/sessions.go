package store

import (
	"context"
	"time"
)

// Session is a signed-in browser session of the console. Its token is given to the browser once, in a
// cookie; only the token's SHA-256 is kept here.
type Session struct {
	ID         string `db:"id"`
	TokenHash  string `db:"token_hash"`
	AccountID  string `db:"account_id"`
	KeyID      string `db:"key_id"` // the API key exchanged for the session: revoking it ends the session
	CreatedAt  Time   `db:"created_at"`
	LastSeenAt Time   `db:"last_seen_at"`
}

const sessionColumns = `id, token_hash, account_id, key_id, created_at, last_seen_at`

// InsertSession stores a new session.
func (q queries) InsertSession(ctx context.Context, s Session) error {
	_, err := q.exec(ctx, `INSERT INTO console_sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		s.ID, s.TokenHash, s.AccountID, s.KeyID, s.CreatedAt, s.LastSeenAt)
	return wrap(err, "insert session")
}

// SessionByTokenHash finds a session by the hash of its token: like KeyByHash, the one lookup not scoped
// by account, since it is how the account is found.
func (q queries) SessionByTokenHash(ctx context.Context, hash string) (Session, error) {
	var s Session
	err := q.get(ctx, &s, `SELECT `+sessionColumns+` FROM console_sessions WHERE token_hash = ?`, hash)
	return s, wrap(err, "find session")
}

// TouchSession records that the session was used at at.
func (q queries) TouchSession(ctx context.Context, id string, at time.Time) error {
	_, err := q.exec(ctx, `UPDATE console_sessions SET last_seen_at = ? WHERE id = ?`, micros(at), id)
	return wrap(err, "touch session")
}

// DeleteSession ends a session; ending one that is gone is no error.
func (q queries) DeleteSession(ctx context.Context, id string) error {
	_, err := q.exec(ctx, `DELETE FROM console_sessions WHERE id = ?`, id)
	return wrap(err, "delete session")
}

// DeleteKeySessions ends every session opened with one of the account's keys.
func (q queries) DeleteKeySessions(ctx context.Context, accountID, keyID string) error {
	_, err := q.exec(ctx, `DELETE FROM console_sessions WHERE account_id = ? AND key_id = ?`, accountID, keyID)
	return wrap(err, "delete sessions of key")
}

// DeleteAccountSessions ends every session of an account.
func (q queries) DeleteAccountSessions(ctx context.Context, accountID string) error {
	_, err := q.exec(ctx, `DELETE FROM console_sessions WHERE account_id = ?`, accountID)
	return wrap(err, "delete sessions of account")
}

// DeleteIdleSessions removes the sessions last used before before, and returns how many.
func (q queries) DeleteIdleSessions(ctx context.Context, before time.Time) (int64, error) {
	n, err := q.exec(ctx, `DELETE FROM console_sessions WHERE last_seen_at < ?`, micros(before))
	return n, wrap(err, "delete idle sessions")
}
