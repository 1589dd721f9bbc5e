package store

import (
	"context"
	"errors"
)

// Batch statuses: a batch runs until every item has ended (completed, failed or deleted).
const (
	BatchRunning   = "running"
	BatchCompleted = "completed"
)

// Batch is one template rendered with many variable sets; its items are tasks with its id.
type Batch struct {
	ID              string `db:"id"`
	AccountID       string `db:"account_id"`
	TemplateID      string `db:"template_id"`
	TemplateVersion int64  `db:"template_version"`
	Status          string `db:"status"`
	ItemCount       int64  `db:"item_count"`
	TotalCost       int64  `db:"total_cost"` // what the items cost together when the batch was created
	WebhookURL      string `db:"webhook_url"`
	Metadata        string `db:"metadata"` // a JSON object
	CreatedAt       Time   `db:"created_at"`
	CompletedAt     Time   `db:"completed_at"`
}

const batchColumns = `id, account_id, template_id, template_version, status, item_count, total_cost, webhook_url, metadata,
created_at, completed_at`

// InsertBatch stores a new batch.
func (q queries) InsertBatch(ctx context.Context, b Batch) error {
	_, err := q.exec(ctx, `INSERT INTO batches (`+batchColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.AccountID, b.TemplateID, b.TemplateVersion, b.Status, b.ItemCount, b.TotalCost, b.WebhookURL, b.Metadata,
		b.CreatedAt, b.CompletedAt)
	return wrap(err, "insert batch")
}

// GetBatch returns one of the account's batches.
func (q queries) GetBatch(ctx context.Context, accountID, id string) (Batch, error) {
	var b Batch
	err := q.get(ctx, &b, `SELECT `+batchColumns+` FROM batches WHERE account_id = ? AND id = ?`, accountID, id)
	return b, wrap(err, "get batch")
}

// BatchByID returns a batch whatever its account, for the webhook worker.
func (q queries) BatchByID(ctx context.Context, id string) (Batch, error) {
	var b Batch
	err := q.get(ctx, &b, `SELECT `+batchColumns+` FROM batches WHERE id = ?`, id)
	return b, wrap(err, "get batch")
}

// BatchItemCounts are how many of a batch's items are in each task status (deleted items are not
// counted), and the sum of the progress of those rendering.
type BatchItemCounts struct {
	N                 map[string]int64
	RenderingProgress float64
}

// BatchCounts counts a batch's items by task status.
func (q queries) BatchCounts(ctx context.Context, batchID string) (BatchItemCounts, error) {
	var rows []struct {
		Status   string  `db:"status"`
		N        int64   `db:"n"`
		Progress float64 `db:"progress"`
	}
	err := q.selectAll(ctx, &rows, `SELECT status, COUNT(*) AS n, COALESCE(SUM(progress), 0) AS progress FROM tasks
WHERE batch_id = ? GROUP BY status`, batchID)
	if err != nil {
		return BatchItemCounts{}, wrap(err, "count batch items")
	}
	out := BatchItemCounts{N: map[string]int64{}}
	for _, r := range rows {
		out.N[r.Status] = r.N
		if r.Status == TaskRendering {
			out.RenderingProgress = r.Progress
		}
	}
	return out, nil
}

// ListBatchTasks returns a page of the items (tasks) of one of the account's batches, in item order.
func (q queries) ListBatchTasks(ctx context.Context, accountID, batchID string, offset, limit int) ([]Task, error) {
	out := []Task{}
	err := q.selectAll(ctx, &out, `SELECT `+taskColumns+` FROM tasks WHERE account_id = ? AND batch_id = ?
ORDER BY batch_index LIMIT ? OFFSET ?`, accountID, batchID, limit, offset)
	return out, wrap(err, "list batch items")
}

// CompleteBatchIfDone marks a running batch completed when none of its items is created or rendering
// any more, and reports whether this call did (exactly one caller sees true).
func (q queries) CompleteBatchIfDone(ctx context.Context, batchID string, at Time) (bool, error) {
	n, err := q.exec(ctx, `UPDATE batches SET status = ?, completed_at = ? WHERE id = ? AND status = ?
AND NOT EXISTS (SELECT 1 FROM tasks WHERE batch_id = ? AND status IN (?, ?))`,
		BatchCompleted, at, batchID, BatchRunning, batchID, TaskCreated, TaskRendering)
	if err != nil {
		return false, wrap(err, "complete batch")
	}
	return n == 1, nil
}

// ErrNoBatch is returned by BatchOfTask for a task that belongs to no batch.
var ErrNoBatch = errors.New("store: task is in no batch")

// BatchOfTask returns the id of the batch task taskID belongs to: ErrNoBatch for none, ErrNotFound for no
// such task. It is for the render worker, which knows tasks by id.
func (q queries) BatchOfTask(ctx context.Context, taskID string) (string, error) {
	var id string
	if err := q.get(ctx, &id, `SELECT batch_id FROM tasks WHERE id = ?`, taskID); err != nil {
		return "", wrap(err, "batch of task")
	}
	if id == "" {
		return "", ErrNoBatch
	}
	return id, nil
}
