package store

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Task statuses.
const (
	TaskCreated   = "created"
	TaskRendering = "rendering"
	TaskCompleted = "completed"
	TaskFailed    = "failed"
)

// Task is a stored video document and the state of its latest render.
type Task struct {
	ID           string  `db:"id"`
	AccountID    string  `db:"account_id"`
	VideoTaskID  string  `db:"video_task_id"`
	Title        string  `db:"title"`
	Category     string  `db:"category"`
	Status       string  `db:"status"`
	Config       string  `db:"config"`   // the document, as JSON
	Metadata     string  `db:"metadata"` // a JSON object
	Width        int     `db:"width"`
	Height       int     `db:"height"`
	FPS          float64 `db:"fps"`
	Duration     float64 `db:"duration"`
	Quality      string  `db:"quality"`
	CostCredits  int64   `db:"cost_credits"`
	RenderTaskID string  `db:"render_task_id"` // the latest render, "" before the first
	Progress     float64 `db:"progress"`
	Error        string  `db:"error"`
	VideoKey     string  `db:"video_key"`
	ThumbnailKey string  `db:"thumbnail_key"`
	VideoSize    int64   `db:"video_size"`
	CreatedAt    Time    `db:"created_at"`
	UpdatedAt    Time    `db:"updated_at"`
	CompletedAt  Time    `db:"completed_at"`

	// Reuse of the latest render (see RecordRenderReuse): whole (Reused) or by segments.
	Reused         bool `db:"reused"`
	SegmentsReused int  `db:"segments_reused"`
	SegmentsTotal  int  `db:"segments_total"`

	// TemplateID and TemplateVersion name the saved template (and its version) the document was merged
	// from; "" and 0 for a document posted as it is.
	TemplateID      string `db:"template_id"`
	TemplateVersion int64  `db:"template_version"`
	// BatchID and BatchIndex place the task in a batch ("" for none), by its item's index from 0.
	BatchID    string `db:"batch_id"`
	BatchIndex int64  `db:"batch_index"`
}

const taskColumns = `id, account_id, video_task_id, title, category, status, config, metadata, width, height, fps,
duration, quality, cost_credits, render_task_id, progress, error, video_key, thumbnail_key, video_size, created_at,
updated_at, completed_at, reused, segments_reused, segments_total, template_id, template_version, batch_id, batch_index`

// TaskFilter selects a page of an account's tasks. Empty Status or Category match everything.
type TaskFilter struct {
	Status   string
	Category string
	// Search, when not empty, keeps the tasks whose title or id contains it (ignoring case).
	Search string
	Offset int
	Limit  int
}

// InsertTask stores a new task.
func (q queries) InsertTask(ctx context.Context, t Task) error {
	_, err := q.exec(ctx, `INSERT INTO tasks (id, account_id, video_task_id, title, category, status, config, metadata,
width, height, fps, duration, quality, created_at, updated_at, template_id, template_version, batch_id, batch_index)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.AccountID, t.VideoTaskID, t.Title, t.Category, t.Status, t.Config, t.Metadata,
		t.Width, t.Height, t.FPS, t.Duration, t.Quality, t.CreatedAt, t.UpdatedAt, t.TemplateID, t.TemplateVersion,
		t.BatchID, t.BatchIndex)
	return wrap(err, "insert task")
}

// GetTask returns one of the account's tasks.
func (q queries) GetTask(ctx context.Context, accountID, id string) (Task, error) {
	var t Task
	err := q.get(ctx, &t, `SELECT `+taskColumns+` FROM tasks WHERE account_id = ? AND id = ?`, accountID, id)
	return t, wrap(err, "get task")
}

// ListTasks returns a page of the account's tasks, newest first, and how many match in all.
func (q queries) ListTasks(ctx context.Context, accountID string, f TaskFilter) ([]Task, int, error) {
	where := []string{"account_id = ?"}
	args := []any{accountID}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if f.Category != "" {
		where = append(where, "category = ?")
		args = append(args, f.Category)
	}
	if f.Search != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(f.Search)) + "%"
		where = append(where, `(LOWER(title) LIKE ? ESCAPE '\' OR id LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := q.get(ctx, &total, `SELECT COUNT(*) FROM tasks WHERE `+cond, args...); err != nil {
		return nil, 0, wrap(err, "count tasks")
	}
	out := []Task{}
	err := q.selectAll(ctx, &out, `SELECT `+taskColumns+` FROM tasks WHERE `+cond+`
ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	return out, total, wrap(err, "list tasks")
}

// likeEscaper escapes the wildcards of a LIKE pattern (with ESCAPE '\').
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// DeleteTask removes one of the account's tasks and its renders.
func (q queries) DeleteTask(ctx context.Context, accountID, id string) error {
	if err := q.execOne(ctx, `DELETE FROM tasks WHERE account_id = ? AND id = ?`, accountID, id); err != nil {
		return wrap(err, "delete task")
	}
	_, err := q.exec(ctx, `DELETE FROM renders WHERE account_id = ? AND task_id = ?`, accountID, id)
	return wrap(err, "delete renders")
}

// ErrTaskBusy is returned by BeginRender when the task is not in a state that can start a render.
var ErrTaskBusy = errors.New("store: task is rendering or completed")

// BeginRender moves one of the account's tasks that is created or failed to rendering with render r and
// its number of reuse segments (segmentsTotal, written on the task), and stores r. A task in another state
// is ErrTaskBusy (read it to see which); an unknown task ErrNotFound.
func (q queries) BeginRender(ctx context.Context, r Render, segmentsTotal int) error {
	n, err := q.exec(ctx, `UPDATE tasks SET status = ?, render_task_id = ?, quality = ?, cost_credits = ?, progress = 0,
error = '', reused = 0, segments_reused = 0, segments_total = ?, updated_at = ? WHERE account_id = ? AND id = ? AND status IN (?, ?)`,
		TaskRendering, r.ID, r.Quality, r.Cost, segmentsTotal, r.CreatedAt, r.AccountID, r.TaskID, TaskCreated, TaskFailed)
	if err != nil {
		return wrap(err, "begin render")
	}
	if n == 0 {
		if _, err := q.GetTask(ctx, r.AccountID, r.TaskID); err != nil {
			return err
		}
		return ErrTaskBusy
	}
	_, err = q.exec(ctx, `INSERT INTO renders (id, task_id, account_id, status, cost, quality, num_workers, webhook_url, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.TaskID, r.AccountID, RenderQueued, r.Cost, r.Quality, r.NumWorkers, r.WebhookURL, r.CreatedAt)
	return wrap(err, "insert render")
}

// SetTaskProgress records the progress (0..1) of render renderID of task taskID. It is ErrNotFound when that
// render is no longer the task's running render (the task was deleted or the render ended).
func (q queries) SetTaskProgress(ctx context.Context, taskID, renderID string, progress float64, at time.Time) error {
	err := q.execOne(ctx, `UPDATE tasks SET progress = ?, updated_at = ?
WHERE id = ? AND render_task_id = ? AND status = ?`, progress, micros(at), taskID, renderID, TaskRendering)
	return wrap(err, "set progress")
}

// CompleteTask marks task taskID completed by render renderID with its outputs. It is ErrNotFound when that
// render is no longer the task's running render.
func (q queries) CompleteTask(ctx context.Context, taskID, renderID, videoKey, thumbKey string, size int64, at time.Time) error {
	err := q.execOne(ctx, `UPDATE tasks SET status = ?, progress = 1, video_key = ?, thumbnail_key = ?, video_size = ?,
error = '', updated_at = ?, completed_at = ? WHERE id = ? AND render_task_id = ? AND status = ?`,
		TaskCompleted, videoKey, thumbKey, size, micros(at), micros(at), taskID, renderID, TaskRendering)
	if err != nil {
		return wrap(err, "complete task")
	}
	return q.itemEnded(ctx, taskID, at)
}

// FailTask marks task taskID failed by render renderID with reason, and sets its cost to zero (the charge is
// refunded). It is ErrNotFound when that render is no longer the task's running render.
func (q queries) FailTask(ctx context.Context, taskID, renderID, reason string, at time.Time) error {
	err := q.execOne(ctx, `UPDATE tasks SET status = ?, error = ?, cost_credits = 0, updated_at = ?
WHERE id = ? AND render_task_id = ? AND status = ?`, TaskFailed, reason, micros(at), taskID, renderID, TaskRendering)
	if err != nil {
		return wrap(err, "fail task")
	}
	return q.itemEnded(ctx, taskID, at)
}

// itemEnded completes the batch of task taskID, if it is in one and it was the batch's last item to end
// (CompleteBatchIfDone), in the same statement sequence (the transaction of the caller) that ended the task.
func (q queries) itemEnded(ctx context.Context, taskID string, at time.Time) error {
	batchID, err := q.BatchOfTask(ctx, taskID)
	if errors.Is(err, ErrNoBatch) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = q.CompleteBatchIfDone(ctx, batchID, NewTime(at))
	return err
}

// TaskByID returns a task whatever its account. It is for public pages reached by the task's unguessable
// id (the player at /v/{taskId}) and for the render worker; API operations use GetTask.
func (q queries) TaskByID(ctx context.Context, id string) (Task, error) {
	var t Task
	err := q.get(ctx, &t, `SELECT `+taskColumns+` FROM tasks WHERE id = ?`, id)
	return t, wrap(err, "get task")
}
