package store

import "context"

// RenderReuse is what a render records about reuse: its keys, for later renders of the same content, and
// how much of it was reused.
type RenderReuse struct {
	DocKey    string // render.DocumentKey of the task's document
	RenderKey string // render.RenderKey: the document with its assets' content
	// Reused is a render answered whole from an earlier render's output.
	Reused bool
	// SegmentsReused of SegmentsTotal segments were found stored and not drawn again.
	SegmentsReused, SegmentsTotal int
}

// RecordRenderReuse stores r on render renderID and on its task, when that render is still the task's
// latest.
func (q queries) RecordRenderReuse(ctx context.Context, taskID, renderID string, r RenderReuse) error {
	if _, err := q.exec(ctx, `UPDATE renders SET doc_key = ?, render_key = ? WHERE task_id = ? AND id = ?`,
		r.DocKey, r.RenderKey, taskID, renderID); err != nil {
		return wrap(err, "record render keys")
	}
	_, err := q.exec(ctx, `UPDATE tasks SET reused = ?, segments_reused = ?, segments_total = ? WHERE id = ? AND render_task_id = ?`,
		boolInt(r.Reused), r.SegmentsReused, r.SegmentsTotal, taskID, renderID)
	return wrap(err, "record render reuse")
}

// ReusableRender is a completed render whose output its task still holds.
type ReusableRender struct {
	RenderID      string `db:"render_id"`
	TaskID        string `db:"task_id"`
	RenderKey     string `db:"render_key"`
	VideoKey      string `db:"video_key"`
	ThumbnailKey  string `db:"thumbnail_key"`
	VideoSize     int64  `db:"video_size"`
	SegmentsTotal int    `db:"segments_total"`
}

// ReusableRenders returns the account's completed renders of document key docKey whose task still shows
// their output, newest first (at most 5).
func (q queries) ReusableRenders(ctx context.Context, accountID, docKey string) ([]ReusableRender, error) {
	var out []ReusableRender
	err := q.selectAll(ctx, &out, `SELECT r.id AS render_id, t.id AS task_id, r.render_key, t.video_key, t.thumbnail_key,
t.video_size, t.segments_total FROM renders r JOIN tasks t ON t.id = r.task_id AND t.render_task_id = r.id
WHERE r.account_id = ? AND r.doc_key = ? AND r.status = ? AND r.render_key <> '' AND t.account_id = ? AND t.status = ?
AND t.video_key <> '' ORDER BY r.finished_at DESC, r.id DESC LIMIT 5`, accountID, docKey, RenderCompleted, accountID, TaskCompleted)
	return out, wrap(err, "reusable renders")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
