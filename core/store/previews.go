package store

import (
	"context"
	"time"
)

// Preview is a validated document kept for a while without being a task.
type Preview struct {
	ID        string `db:"id"`
	AccountID string `db:"account_id"`
	Config    string `db:"config"` // the document, as JSON
	CreatedAt Time   `db:"created_at"`
	ExpiresAt Time   `db:"expires_at"`
}

// InsertPreview stores a new preview.
func (q queries) InsertPreview(ctx context.Context, p Preview) error {
	_, err := q.exec(ctx, `INSERT INTO previews (id, account_id, config, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		p.ID, p.AccountID, p.Config, p.CreatedAt, p.ExpiresAt)
	return wrap(err, "insert preview")
}

// GetPreview returns one of the account's previews that has not expired at now.
func (q queries) GetPreview(ctx context.Context, accountID, id string, now time.Time) (Preview, error) {
	var p Preview
	err := q.get(ctx, &p, `SELECT id, account_id, config, created_at, expires_at FROM previews
WHERE account_id = ? AND id = ? AND expires_at > ?`, accountID, id, micros(now))
	return p, wrap(err, "get preview")
}

// DeletePreview removes one of the account's previews.
func (q queries) DeletePreview(ctx context.Context, accountID, id string) error {
	return wrap(q.execOne(ctx, `DELETE FROM previews WHERE account_id = ? AND id = ?`, accountID, id), "delete preview")
}

// PurgePreviews removes every preview, of any account, that has expired at now, and reports how many.
func (q queries) PurgePreviews(ctx context.Context, now time.Time) (int64, error) {
	n, err := q.exec(ctx, `DELETE FROM previews WHERE expires_at <= ?`, micros(now))
	return n, wrap(err, "purge previews")
}

// PreviewByID returns a preview that has not expired at now, whatever its account. It is for public pages
// reached by the preview's unguessable id (/t/{tempId}); API operations use GetPreview.
func (q queries) PreviewByID(ctx context.Context, id string, now time.Time) (Preview, error) {
	var p Preview
	err := q.get(ctx, &p, `SELECT id, account_id, config, created_at, expires_at FROM previews
WHERE id = ? AND expires_at > ?`, id, micros(now))
	return p, wrap(err, "get preview")
}

// DocumentUsage is what an account keeps in documents: the bytes of its tasks' and live previews'
// documents, and how many live previews it has.
type DocumentUsage struct {
	Bytes        int64 `db:"bytes"`
	LivePreviews int64 `db:"live_previews"`
}

// DocumentUsage returns the account's document usage at now. OCTET_LENGTH reads the stored length, not
// the documents (SQLite ≥ 3.43 and PostgreSQL alike).
func (q queries) DocumentUsage(ctx context.Context, accountID string, now time.Time) (DocumentUsage, error) {
	var u DocumentUsage
	err := q.get(ctx, &u, `SELECT
 (SELECT COALESCE(SUM(OCTET_LENGTH(config)), 0) FROM tasks WHERE account_id = ?)
  + (SELECT COALESCE(SUM(OCTET_LENGTH(config)), 0) FROM previews WHERE account_id = ? AND expires_at > ?)
  + (SELECT COALESCE(SUM(OCTET_LENGTH(config) + OCTET_LENGTH(variables)), 0) FROM templates WHERE account_id = ?) AS bytes,
 (SELECT COUNT(*) FROM previews WHERE account_id = ? AND expires_at > ?) AS live_previews`,
		accountID, accountID, micros(now), accountID, accountID, micros(now))
	return u, wrap(err, "document usage")
}

// ListPreviews returns a page of the account's previews that have not expired at now, newest first, and
// how many there are.
func (q queries) ListPreviews(ctx context.Context, accountID string, now time.Time, offset, limit int) ([]Preview, int, error) {
	var total int
	if err := q.get(ctx, &total, `SELECT COUNT(*) FROM previews WHERE account_id = ? AND expires_at > ?`, accountID, micros(now)); err != nil {
		return nil, 0, wrap(err, "count previews")
	}
	out := []Preview{}
	err := q.selectAll(ctx, &out, `SELECT id, account_id, config, created_at, expires_at FROM previews
WHERE account_id = ? AND expires_at > ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, accountID, micros(now), limit, offset)
	return out, total, wrap(err, "list previews")
}
