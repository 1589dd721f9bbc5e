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
func (w *segmentWorker) Work(riverCtx context.Context, job *river.Job[segmentArgs]) error {
	ctx, cancel := w.q.detach(riverCtx)
	defer cancel(nil)
	var done, total atomic.Int64
	progress := func() segmentProgress { return segmentProgress{Done: int(done.Load()), Total: int(total.Load())} }
	hb := w.q.startHeartbeat(ctx, job.JobRow, job.Args.renderRef, cancel, progress)
	err := w.render(ctx, job.Args, &done, &total)
	hb.stop()
	if err == nil {
		// The final count, so that the finalize job sees this segment whole.
		_, err = w.q.client.JobUpdate(ctx, job.ID, &river.JobUpdateParams{Output: progress()})
	}
	return w.q.settle(riverCtx, ctx, job.JobRow, job.Args.renderRef, fmt.Sprintf("segment %d of %d", job.Args.Index+1, job.Args.Count), err)
}

// render loads the document, renders the segment's frames and stores the file. done and total count its
// frames as they are written.
func (w *segmentWorker) render(ctx context.Context, a segmentArgs, done, total *atomic.Int64) error {
	q := w.q
	spec, err := q.svc.MarkRenderStarted(ctx, a.TaskID, a.RenderTaskID)
	if err != nil {
		return err
	}
	tl, err := q.load(ctx, spec, func(n, _ int) {
		done.Store(int64(n))
		if q.cfg.frameDelay > 0 {
			time.Sleep(q.cfg.frameDelay)
		}
	})
	if err != nil {
		return err
	}
	defer tl.Close()
	ranges := render.SplitFrames(tl.Frames, a.Count)
	if a.Index >= len(ranges) {
		return nil // fewer frames than segments: this one is empty
	}
	from, to := ranges[a.Index][0], ranges[a.Index][1]
	total.Store(int64(to - from))

	dir, err := q.scratch("seg-" + a.RenderTaskID)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "segment.mp4")
	if err := tl.RenderSegment(ctx, from, to, out); err != nil {
		return fmt.Errorf("render frames %d to %d: %w", from, to, err)
	}
	return q.putFile(ctx, SegmentKey(a.RenderTaskID, a.Index), out, "video/mp4")
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
