package store

import "context"

// WebhookAttempt is one try at delivering a render's webhook.
type WebhookAttempt struct {
	ID           string `db:"id"`
	AccountID    string `db:"account_id"`
	TaskID       string `db:"task_id"`
	RenderTaskID string `db:"render_task_id"`
	WebhookID    string `db:"webhook_id"` // the webhook-id header, the same for every attempt of one delivery
	URL          string `db:"url"`
	Attempt      int    `db:"attempt"`     // 1 for the first try
	StatusCode   int    `db:"status_code"` // the HTTP status answered, 0 when none
	Error        string `db:"error"`       // why the attempt failed, "" on success
	DurationMS   int64  `db:"duration_ms"`
	CreatedAt    Time   `db:"created_at"`
}

// InsertWebhookAttempt records an attempt; an empty ID is filled in.
func (q queries) InsertWebhookAttempt(ctx context.Context, a WebhookAttempt) error {
	if a.ID == "" {
		a.ID = randomID("wha_")
	}
	_, err := q.exec(ctx, `INSERT INTO webhook_attempts (id, account_id, task_id, render_task_id, webhook_id, url, attempt,
status_code, error, duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.AccountID, a.TaskID, a.RenderTaskID, a.WebhookID, a.URL, a.Attempt, a.StatusCode, a.Error, a.DurationMS, a.CreatedAt)
	return wrap(err, "insert webhook attempt")
}

// ListWebhookAttempts returns the attempts for one of the account's tasks, oldest first.
func (q queries) ListWebhookAttempts(ctx context.Context, accountID, taskID string) ([]WebhookAttempt, error) {
	out := []WebhookAttempt{}
	err := q.selectAll(ctx, &out, `SELECT id, account_id, task_id, render_task_id, webhook_id, url, attempt, status_code,
error, duration_ms, created_at FROM webhook_attempts WHERE account_id = ? AND task_id = ? ORDER BY created_at, attempt, id`,
		accountID, taskID)
	return out, wrap(err, "list webhook attempts")
}
