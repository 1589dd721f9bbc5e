package jobs

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/schemas"
)

// segmentWorker renders one run of a render's segments and stores them in the blob store.
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
// The job's segments are keyed by what they draw (render.Timeline.Segments) and stored under the account
// (SegmentStoreKey): a segment already stored, by an earlier render of the account or by an earlier try of
// this job, is not drawn again. Progress is written by the heartbeat, which ignores a failed write, and at
// completion with River's own update of the job (river.RecordOutput), so a failed progress write never
// fails the job or burns an attempt.
func (w *segmentWorker) Work(riverCtx context.Context, job *river.Job[segmentArgs]) error {
	run := w.q.begin(metrics.KindSegment, job.JobRow, job.Args.renderRef, job.Args.Index)
	ctx, cancel := w.q.detach(riverCtx)
	defer cancel(nil)
	var done, total, reused atomic.Int64
	progress := func() segmentProgress {
		return segmentProgress{Done: int(done.Load()), Total: int(total.Load()), Reused: int(reused.Load())}
	}
	hb := w.q.startHeartbeat(ctx, job.JobRow, job.Args.renderRef, cancel, progress)
	drawn, err := w.render(ctx, job.Args, &done, &total, &reused)
	hb.stop()
	if err == nil {
		// The final count, so that the finalize job sees this run whole. It is written with the job's
		// completion; failing to record it loses a progress figure, not the segments.
		if err := river.RecordOutput(riverCtx, progress()); err != nil {
			w.q.cfg.Logger.Warn("jobs: record segment progress", "job_id", job.ID, "error", err)
		}
		metrics.FramesRendered.Add(float64(drawn))
	}
	outcome, res := w.q.settle(riverCtx, ctx, job.JobRow, job.Args.renderRef, fmt.Sprintf("segments of worker %d of %d", job.Args.Index+1, job.Args.Count), err)
	if err == nil && drawn == 0 && outcome == metrics.OutcomeOK {
		outcome = metrics.OutcomeSkipped
	}
	run.end(outcome, err)
	return res
}

// render loads the document, and draws and stores those of the job's segments that are not stored yet.
// done and total count the run's frames as they are written (a stored segment counts at once), reused the
// segments found stored. drawn is the number of frames drawn.
func (w *segmentWorker) render(ctx context.Context, a segmentArgs, done, total, reused *atomic.Int64) (drawn int, err error) {
	q := w.q
	spec, err := q.svc.MarkRenderStarted(ctx, a.TaskID, a.RenderTaskID)
	if err != nil {
		return 0, err
	}
	tl, err := q.load(ctx, spec, func(int, int) {
		done.Add(1) // one more frame written, in whichever of the segments being encoded
		if q.cfg.frameDelay > 0 {
			time.Sleep(q.cfg.frameDelay)
		}
	})
	if err != nil {
		return 0, err
	}
	defer tl.Close()
	mine, err := jobSegments(ctx, tl, a)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range mine {
		n += s.To - s.From
	}
	total.Store(int64(n))
	if len(mine) == 0 {
		// Fewer segments than jobs: this one has none. EnqueueRender queues no more jobs than segments
		// when the count is known, so this is a render whose count was not.
		return 0, nil
	}
	var missing []render.Segment
	for _, s := range mine {
		if q.reuseStored(ctx, SegmentStoreKey(a.AccountID, s.Key)) {
			reused.Add(1)
			done.Add(int64(s.To - s.From))
			q.cfg.Logger.Info("jobs: segment already stored, not drawn again", "task_id", a.TaskID,
				"render_id", a.RenderTaskID, "segment", s.Index)
		} else {
			missing = append(missing, s)
		}
	}
	dir, err := q.scratch("seg-" + a.RenderTaskID)
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	var frames atomic.Int64
	err = tl.EncodeSegments(ctx, missing, dir, func(s render.Segment, path string) error {
		if err := q.putFile(ctx, SegmentStoreKey(a.AccountID, s.Key), path, "video/mp4"); err != nil {
			return err
		}
		os.Remove(path)
		frames.Add(int64(s.To - s.From))
		return nil
	})
	return int(frames.Load()), err
}

// jobSegments returns the segments segment job a draws: run a.Index of the render's segments split into
// a.Count contiguous runs (none when there are fewer segments than jobs).
func jobSegments(ctx context.Context, tl *render.Timeline, a segmentArgs) ([]render.Segment, error) {
	segs, err := tl.Segments(ctx)
	if err != nil {
		return nil, fmt.Errorf("key the segments: %w", err)
	}
	runs := render.SplitFrames(len(segs), a.Count)
	if a.Index >= len(runs) {
		return nil, nil
	}
	return segs[runs[a.Index][0]:runs[a.Index][1]], nil
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
