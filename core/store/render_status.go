package store

import "context"

// RenderStatus returns the status of render id, whichever task it belongs to: how the purge of orphaned
// segment files, which knows a render only by the id in a blob key, decides that a render has ended.
// ErrNotFound means there is no such render (its task was deleted).
func (q queries) RenderStatus(ctx context.Context, id string) (string, error) {
	var status string
	err := q.get(ctx, &status, `SELECT status FROM renders WHERE id = ?`, id)
	return status, wrap(err, "get render status")
}
