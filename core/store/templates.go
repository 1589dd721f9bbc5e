package store

import "context"

// Template is a saved template: a video document with {{name}} placeholders and the declarations of its
// variables, both JSON.
type Template struct {
	ID          string `db:"id"`
	AccountID   string `db:"account_id"`
	Name        string `db:"name"`
	Description string `db:"description"`
	Config      string `db:"config"`    // the document with placeholders
	Variables   string `db:"variables"` // a JSON object of variable declarations
	Version     int64  `db:"version"`   // 1 when created, one more at every update
	CreatedAt   Time   `db:"created_at"`
	UpdatedAt   Time   `db:"updated_at"`
}

const templateColumns = `id, account_id, name, description, config, variables, version, created_at, updated_at`

// InsertTemplate stores a new template.
func (q queries) InsertTemplate(ctx context.Context, t Template) error {
	_, err := q.exec(ctx, `INSERT INTO templates (`+templateColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.AccountID, t.Name, t.Description, t.Config, t.Variables, t.Version, t.CreatedAt, t.UpdatedAt)
	return wrap(err, "insert template")
}

// GetTemplate returns one of the account's templates.
func (q queries) GetTemplate(ctx context.Context, accountID, id string) (Template, error) {
	var t Template
	err := q.get(ctx, &t, `SELECT `+templateColumns+` FROM templates WHERE account_id = ? AND id = ?`, accountID, id)
	return t, wrap(err, "get template")
}

// ListTemplates returns a page of the account's templates, newest first, and how many there are.
func (q queries) ListTemplates(ctx context.Context, accountID string, offset, limit int) ([]Template, int, error) {
	var total int
	if err := q.get(ctx, &total, `SELECT COUNT(*) FROM templates WHERE account_id = ?`, accountID); err != nil {
		return nil, 0, wrap(err, "count templates")
	}
	out := []Template{}
	err := q.selectAll(ctx, &out, `SELECT `+templateColumns+` FROM templates WHERE account_id = ?
ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, accountID, limit, offset)
	return out, total, wrap(err, "list templates")
}

// UpdateTemplate replaces the name, description, document and variables of one of the account's
// templates and adds one to its version; it returns the template as stored.
func (q queries) UpdateTemplate(ctx context.Context, t Template) (Template, error) {
	err := q.execOne(ctx, `UPDATE templates SET name = ?, description = ?, config = ?, variables = ?, version = version + 1,
updated_at = ? WHERE account_id = ? AND id = ?`, t.Name, t.Description, t.Config, t.Variables, t.UpdatedAt, t.AccountID, t.ID)
	if err != nil {
		return Template{}, wrap(err, "update template")
	}
	return q.GetTemplate(ctx, t.AccountID, t.ID)
}

// DeleteTemplate removes one of the account's templates. Tasks made from it keep their documents.
func (q queries) DeleteTemplate(ctx context.Context, accountID, id string) error {
	return wrap(q.execOne(ctx, `DELETE FROM templates WHERE account_id = ? AND id = ?`, accountID, id), "delete template")
}
