package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/schemas"
)

// segmentWorker renders one segment of a render and stores it in the blob store.
type segmentWorker struct {
	river.WorkerDefaults[segmentArgs]
	q *Queue
}

// NextRetry implements river.Worker: SegmentRetryDelay, then four times longer at each try.
func (w *segmentWorker) NextRetry(job *river.Job[segmentArgs]) time.Time {
	return w.q.renderRetryAt(job.Attempt)
}

// Work implements river.Worker.
//
// A retried segment whose file is already stored (its earlier try stored it, then lost its lease or
// its process before River recorded the completion) is not drawn again. Progress is written by the
// heartbeat, which ignores a failed write, and at completion with River's own update of the job
// (river.RecordOutput), so a failed progress write never fails the job or burns an attempt.
func (w *segmentWorker) Work(riverCtx context.Context, job *river.Job[segmentArgs]) error {
	run := w.q.begin(metrics.KindSegment, job.JobRow, job.Args.renderRef, job.Args.Index)
	ctx, cancel := w.q.detach(riverCtx)
	defer cancel(nil)
	var done, total atomic.Int64
	progress := func() segmentProgress { return segmentProgress{Done: int(done.Load()), Total: int(total.Load())} }
	hb := w.q.startHeartbeat(ctx, job.JobRow, job.Args.renderRef, cancel, progress)
	skipped, err := w.render(ctx, job.Args, &done, &total)
	hb.stop()
	if err == nil {
		// The final count, so that the finalize job sees this segment whole. It is written with the
		// job's completion; failing to record it loses a progress figure, not the segment.
		if err := river.RecordOutput(riverCtx, progress()); err != nil {
			w.q.cfg.Logger.Warn("jobs: record segment progress", "job_id", job.ID, "error", err)
		}
		if !skipped {
			metrics.FramesRendered.Add(float64(total.Load()))
		}
	}
	outcome, res := w.q.settle(riverCtx, ctx, job.JobRow, job.Args.renderRef, fmt.Sprintf("segment %d of %d", job.Args.Index+1, job.Args.Count), err)
	if skipped && outcome == metrics.OutcomeOK {
		outcome = metrics.OutcomeSkipped
	}
	run.end(outcome, err)
	return res
}

// render loads the document, renders the segment's frames and stores the file. done and total count its
// frames as they are written. skipped reports a segment already stored by an earlier try.
func (w *segmentWorker) render(ctx context.Context, a segmentArgs, done, total *atomic.Int64) (skipped bool, err error) {
	q := w.q
	spec, err := q.svc.MarkRenderStarted(ctx, a.TaskID, a.RenderTaskID)
	if err != nil {
		return false, err
	}
	if n, ok := q.storedSegment(ctx, a); ok {
		done.Store(int64(n))
		total.Store(int64(n))
		q.cfg.Logger.Info("jobs: segment already stored, not drawn again", "task_id", a.TaskID,
			"render_id", a.RenderTaskID, "segment", a.Index)
		return true, nil
	}
	tl, err := q.load(ctx, spec, func(n, _ int) {
		done.Store(int64(n))
		if q.cfg.frameDelay > 0 {
			time.Sleep(q.cfg.frameDelay)
		}
	})
	if err != nil {
		return false, err
	}
	defer tl.Close()
	ranges := render.SplitFrames(tl.Frames, a.Count)
	if a.Index >= len(ranges) {
		return false, nil // fewer frames than segments: this one is empty
	}
	from, to := ranges[a.Index][0], ranges[a.Index][1]
	total.Store(int64(to - from))

	dir, err := q.scratch("seg-" + a.RenderTaskID)
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "segment.mp4")
	if err := tl.RenderSegment(ctx, from, to, out); err != nil {
		return false, fmt.Errorf("render frames %d to %d: %w", from, to, err)
	}
	return false, q.putFile(ctx, SegmentKey(a.RenderTaskID, a.Index), out, "video/mp4")
}

// storedSegment reports whether the segment's file is already in the blob store, and its frame count
// (from the task's duration and frame rate). A stored object is always whole: the blob store never
// shows part of an object, and the segment is stored only after its last frame is encoded.
func (q *Queue) storedSegment(ctx context.Context, a segmentArgs) (frames int, ok bool) {
	obj, err := q.svc.Blob().Open(ctx, SegmentKey(a.RenderTaskID, a.Index))
	if err != nil {
		return 0, false
	}
	obj.Close()
	t, err := q.store.GetTask(ctx, a.AccountID, a.TaskID)
	if err != nil {
		return 0, true
	}
	ranges := render.SplitFrames(render.FrameCount(t.Duration, t.FPS), a.Count)
	if a.Index < len(ranges) {
		frames = ranges[a.Index][1] - ranges[a.Index][0]
	}
	return frames, true
}

// load parses a render's stored document and prepares it for drawing. progress, when set, is called
// after each frame written.
func (q *Queue) load(ctx context.Context, spec core.RenderSpec, progress func(done, total int)) (*render.Timeline, error) {
	doc, err := schemas.Parse(spec.Config)
	if err != nil {
		return nil, permanent(err)
	}
	tl, err := render.Load(ctx, doc, render.Options{Assets: q.assetOptions(spec.AccountID), Workers: q.cfg.FrameWorkers, Progress: progress})
	if err != nil {
		return nil, fmt.Errorf("prepare the document: %w", err)
	}
	return tl, nil
}

// scratch makes a new temporary folder for one job under ScratchDir.
func (q *Queue) scratch(prefix string) (string, error) {
	if err := os.MkdirAll(q.cfg.ScratchDir, 0o755); err != nil {
		return "", fmt.Errorf("scratch folder: %w", err)
	}
	dir, err := os.MkdirTemp(q.cfg.ScratchDir, prefix+"-")
	if err != nil {
		return "", fmt.Errorf("scratch folder: %w", err)
	}
	return dir, nil
}

// renderRetryAt is when try attempt+1 of a render job may start.
func (q *Queue) renderRetryAt(attempt int) time.Time {
	delay := q.cfg.SegmentRetryDelay
	for i := 1; i < attempt && delay < time.Hour; i++ {
		delay *= 4
	}
	return time.Now().Add(delay)
}
