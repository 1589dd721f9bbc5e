package store

import (
	"context"
	"strings"
)

// File is an uploaded file; its content is in blob storage under BlobKey.
type File struct {
	ID        string  `db:"id"`
	AccountID string  `db:"account_id"`
	Name      string  `db:"name"`
	BlobKey   string  `db:"blob_key"`
	Kind      string  `db:"kind"` // image, video or audio
	MimeType  string  `db:"mime_type"`
	Size      int64   `db:"size"`
	Width     int     `db:"width"`
	Height    int     `db:"height"`
	Duration  float64 `db:"duration"`
	CreatedAt Time    `db:"created_at"`
}

const fileColumns = `id, account_id, name, blob_key, kind, mime_type, size, width, height, duration, created_at`

// InsertFile stores a new file record.
func (q queries) InsertFile(ctx context.Context, f File) error {
	_, err := q.exec(ctx, `INSERT INTO files (`+fileColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.AccountID, f.Name, f.BlobKey, f.Kind, f.MimeType, f.Size, f.Width, f.Height, f.Duration, f.CreatedAt)
	return wrap(err, "insert file")
}

// GetFile returns one of the account's files.
func (q queries) GetFile(ctx context.Context, accountID, id string) (File, error) {
	var f File
	err := q.get(ctx, &f, `SELECT `+fileColumns+` FROM files WHERE account_id = ? AND id = ?`, accountID, id)
	return f, wrap(err, "get file")
}

// GetFileByKey returns the account's file stored under blob key.
func (q queries) GetFileByKey(ctx context.Context, accountID, key string) (File, error) {
	var f File
	err := q.get(ctx, &f, `SELECT `+fileColumns+` FROM files WHERE account_id = ? AND blob_key = ?`, accountID, key)
	return f, wrap(err, "get file by key")
}

// ListFiles returns a page of the account's files of kind (all kinds when ""), newest first, and how many
// match in all.
func (q queries) ListFiles(ctx context.Context, accountID, kind string, offset, limit int) ([]File, int, error) {
	where := []string{"account_id = ?"}
	args := []any{accountID}
	if kind != "" {
		where = append(where, "kind = ?")
		args = append(args, kind)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := q.get(ctx, &total, `SELECT COUNT(*) FROM files WHERE `+cond, args...); err != nil {
		return nil, 0, wrap(err, "count files")
	}
	out := []File{}
	err := q.selectAll(ctx, &out, `SELECT `+fileColumns+` FROM files WHERE `+cond+`
ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	return out, total, wrap(err, "list files")
}

// DeleteFile removes one of the account's file records.
func (q queries) DeleteFile(ctx context.Context, accountID, id string) error {
	return wrap(q.execOne(ctx, `DELETE FROM files WHERE account_id = ? AND id = ?`, accountID, id), "delete file")
}
