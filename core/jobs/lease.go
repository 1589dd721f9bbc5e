package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core/store"
)

// Reasons a render job's work context is cancelled by the queue itself.
var (
	// errRenderEnded: the render was cancelled (task deleted) or ended elsewhere.
	errRenderEnded = errors.New("jobs: render no longer wanted")
	// errLeaseLost: the job was rescued and handed to another process while this one still ran it.
	errLeaseLost = errors.New("jobs: job was taken over by another worker")
	// errStopping: the process is shutting down.
	errStopping = errors.New("jobs: worker stopping")
)

// detach returns the context a render job works under. River cancels riverCtx when the lease (River's
// job timeout) runs out, which must not stop a healthy render; the returned context instead ends after
// Config.JobTimeout, when the job is cancelled remotely or the client stops (River's cause is kept),
// when the queue stops, or when cancel is called.
func (q *Queue) detach(riverCtx context.Context) (context.Context, context.CancelCauseFunc) {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(riverCtx))
	ctx, cancelTimeout := context.WithTimeoutCause(ctx, q.cfg.JobTimeout,
		fmt.Errorf("render job ran longer than %s", q.cfg.JobTimeout))
	stopRiver := context.AfterFunc(riverCtx, func() {
		if cause := context.Cause(riverCtx); !errors.Is(cause, context.DeadlineExceeded) {
			cancel(cause)
		}
	})
	stopQueue := context.AfterFunc(q.stopping, func() { cancel(errStopping) })
	return ctx, func(cause error) {
		stopRiver()
		stopQueue()
		cancel(cause)
		cancelTimeout()
	}
}

// heartbeat keeps a running render job's lease, publishes its progress and watches that its render is
// still wanted. It runs until stop is called.
type heartbeat struct {
	q        *Queue
	job      *rivertype.JobRow
	ref      renderRef
	cancel   context.CancelCauseFunc
	progress func() segmentProgress // nil when the job has no progress of its own

	done chan struct{}
	quit chan struct{}
}

// startHeartbeat starts the heartbeat of job; cancel is called with errRenderEnded or errLeaseLost when
// the job should stop. progress may be nil.
func (q *Queue) startHeartbeat(ctx context.Context, job *rivertype.JobRow, ref renderRef, cancel context.CancelCauseFunc,
	progress func() segmentProgress) *heartbeat {
	h := &heartbeat{q: q, job: job, ref: ref, cancel: cancel, progress: progress, done: make(chan struct{}), quit: make(chan struct{})}
	go h.run(ctx)
	return h
}

// stop ends the heartbeat and waits for it.
func (h *heartbeat) stop() {
	close(h.quit)
	<-h.done
}

func (h *heartbeat) run(ctx context.Context) {
	defer close(h.done)
	tick := min(h.q.cfg.ProgressInterval, h.q.cfg.heartbeatEvery())
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	lastTouch := time.Now()
	var last segmentProgress
	for {
		select {
		case <-h.quit:
			return
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if time.Since(lastTouch) >= h.q.cfg.heartbeatEvery() {
			held, err := h.q.touch(ctx, h.job)
			switch {
			case err != nil:
				h.q.cfg.Logger.Warn("jobs: heartbeat failed", "job_id", h.job.ID, "error", err)
			case !held:
				h.cancel(errLeaseLost)
				return
			default:
				lastTouch = time.Now()
			}
		}
		if h.progress != nil {
			// A failed write is tried again at the next tick; it never fails the job.
			if p := h.progress(); p != last {
				if err := h.q.writeProgress(ctx, h.job.ID, p); err == nil {
					last = p
				}
			}
		}
		if !h.q.renderLive(ctx, h.ref) {
			h.cancel(errRenderEnded)
			return
		}
	}
}

// touch renews job's lease by moving its attempted_at to now, which is what River's rescuer measures. It
// reports false when the job is no longer this attempt's (it was rescued, retried elsewhere, or ended).
//
// River has no heartbeat API, so this writes River's own river_job table, as rescueStuck does: a private
// schema that a River release may change. TestRiverSchemaPinned holds the columns written here (names and
// types, read from each database) and the River version they were checked against, and fails by name on
// an upgrade until they are checked again.
func (q *Queue) touch(ctx context.Context, job *rivertype.JobRow) (held bool, err error) {
	now := sqliteNow // River's SQLite time format
	if q.store.Dialect() == store.Postgres {
		now = "now()"
	}
	db := q.store.DB()
	res, err := db.ExecContext(ctx, db.Rebind(`UPDATE river_job SET attempted_at = `+now+`
WHERE id = ? AND state = '`+string(rivertype.JobStateRunning)+`' AND attempt = ?`), job.ID, job.Attempt)
	if err != nil {
		return false, fmt.Errorf("renew lease of job %d: %w", job.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// renderLive reports whether a render is still queued or running. A failed read counts as live: the
// next check decides.
func (q *Queue) renderLive(ctx context.Context, ref renderRef) bool {
	r, err := q.store.GetRender(ctx, ref.TaskID, ref.RenderTaskID)
	if errors.Is(err, store.ErrNotFound) {
		return false
	}
	if err != nil {
		return true
	}
	return r.Status == store.RenderQueued || r.Status == store.RenderRunning
}

// outputOf decodes the progress a segment job recorded.
func outputOf(job *rivertype.JobRow) segmentProgress {
	var p segmentProgress
	if out := job.Output(); len(out) > 0 {
		_ = json.Unmarshal(out, &p)
	}
	return p
}

// writeProgress records a running segment job's progress as its River output.
func (q *Queue) writeProgress(ctx context.Context, jobID int64, p segmentProgress) error {
	if q.cfg.progressWriteErr != nil {
		return q.cfg.progressWriteErr
	}
	_, err := q.client.JobUpdate(ctx, jobID, &river.JobUpdateParams{Output: p})
	return err
}

// setTaskProgress records a render's progress on its task (the finalize job's writes).
func (q *Queue) setTaskProgress(ctx context.Context, ref renderRef, progress float64) error {
	if q.cfg.progressObserved != nil {
		q.cfg.progressObserved(progress)
	}
	if q.cfg.progressWriteErr != nil {
		return q.cfg.progressWriteErr
	}
	return q.svc.SetProgress(ctx, ref.TaskID, ref.RenderTaskID, progress)
}
