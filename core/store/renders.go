package store

import (
	"context"
	"time"
)

// Render statuses. A render is queued when charged and enqueued, running once a worker took it, and ends
// completed, failed (refunded) or cancelled (task deleted; refunded).
const (
	RenderQueued    = "queued"
	RenderRunning   = "running"
	RenderCompleted = "completed"
	RenderFailed    = "failed"
	RenderCancelled = "cancelled"
)

// Render is one paid attempt to render a task.
type Render struct {
	ID         string `db:"id"`
	TaskID     string `db:"task_id"`
	AccountID  string `db:"account_id"`
	Status     string `db:"status"`
	Cost       int64  `db:"cost"`
	Quality    string `db:"quality"`
	NumWorkers int    `db:"num_workers"`
	WebhookURL string `db:"webhook_url"`
	Error      string `db:"error"`
	CreatedAt  Time   `db:"created_at"`
	StartedAt  Time   `db:"started_at"`
	FinishedAt Time   `db:"finished_at"`
}

const renderColumns = `id, task_id, account_id, status, cost, quality, num_workers, webhook_url, error, created_at,
started_at, finished_at`

// GetRender returns render id of task taskID, for the render worker, which knows the render but acts for
// no account.
func (q queries) GetRender(ctx context.Context, taskID, id string) (Render, error) {
	var r Render
	err := q.get(ctx, &r, `SELECT `+renderColumns+` FROM renders WHERE task_id = ? AND id = ?`, taskID, id)
	return r, wrap(err, "get render")
}

// ListRenders returns the renders of one of the account's tasks, newest first.
func (q queries) ListRenders(ctx context.Context, accountID, taskID string) ([]Render, error) {
	var out []Render
	err := q.selectAll(ctx, &out, `SELECT `+renderColumns+` FROM renders WHERE account_id = ? AND task_id = ?
ORDER BY created_at DESC, id DESC`, accountID, taskID)
	return out, wrap(err, "list renders")
}

// MarkRenderRunning moves a queued render to running. ErrNotFound means it is not queued (or running)
// any more: it was cancelled or has ended. Running again is allowed, for a job that is retried.
func (q queries) MarkRenderRunning(ctx context.Context, taskID, id string, at time.Time) error {
	err := q.execOne(ctx, `UPDATE renders SET status = ?, started_at = ? WHERE task_id = ? AND id = ? AND status IN (?, ?)`,
		RenderRunning, micros(at), taskID, id, RenderQueued, RenderRunning)
	return wrap(err, "start render")
}

// FinishRender ends a queued or running render with status (RenderCompleted, RenderFailed or
// RenderCancelled) and reason. ErrNotFound means it had already ended.
func (q queries) FinishRender(ctx context.Context, taskID, id, status, reason string, at time.Time) error {
	err := q.execOne(ctx, `UPDATE renders SET status = ?, error = ?, finished_at = ?
WHERE task_id = ? AND id = ? AND status IN (?, ?)`, status, reason, micros(at), taskID, id, RenderQueued, RenderRunning)
	return wrap(err, "finish render")
}

// RenderCount is how many of an account's renders are in one status.
type RenderCount struct {
	Status string `db:"status"`
	Count  int64  `db:"n"`
}

// CountRenders counts the account's renders made since since, by status ("" accountID: every account's).
func (q queries) CountRenders(ctx context.Context, accountID string, since time.Time) ([]RenderCount, error) {
	var out []RenderCount
	err := q.selectAll(ctx, &out, `SELECT status, count(*) AS n FROM renders WHERE (account_id = ? OR ? = '') AND created_at >= ?
GROUP BY status`, accountID, accountID, micros(since))
	return out, wrap(err, "count renders")
}
