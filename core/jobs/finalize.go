package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

// Thumbnail settings: the frame shown at thumbnailAt seconds (or the middle of a shorter video), at most
// thumbnailWidth pixels wide.
const (
	thumbnailAt    = 1.0
	thumbnailWidth = 640
)

// Progress of a render as the task reports it: the segments fill [0, segmentsShare] as their frames are
// written; the finalize step, the only serial one, then moves it through finalizeStages (segments fetched,
// soundtrack mixed, joined, thumbnail made, stored) towards 1, which only the completed render reaches.
// The share is a guess measured on this machine: for a 20 s 720p document in 4 segments, the finalize
// step took about a tenth of the wall time of the whole render.
const segmentsShare = 0.9

// finalizeStage is a step of the finalize job and the progress reported once it is done.
type finalizeStage struct {
	name     string
	progress float64
}

var (
	stageFetched   = finalizeStage{"segments fetched", 0.92}
	stageMixed     = finalizeStage{"soundtrack mixed", 0.94}
	stageJoined    = finalizeStage{"segments joined", 0.97}
	stageThumbnail = finalizeStage{"thumbnail made", 0.98}
	stageStored    = finalizeStage{"video stored", 0.99}
)

// finalizeWorker waits for a render's segments, reporting progress, then assembles and stores the video.
type finalizeWorker struct {
	river.WorkerDefaults[finalizeArgs]
	q *Queue
}

// NextRetry implements river.Worker.
func (w *finalizeWorker) NextRetry(job *river.Job[finalizeArgs]) time.Time {
	return w.q.renderRetryAt(job.Attempt)
}

// Work implements river.Worker.
func (w *finalizeWorker) Work(riverCtx context.Context, job *river.Job[finalizeArgs]) error {
	q, a := w.q, job.Args
	r, err := q.store.GetRender(riverCtx, a.TaskID, a.RenderTaskID)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(errRenderEnded) // the task was deleted
	}
	if err != nil {
		return fmt.Errorf("read render: %w", err)
	}
	if r.Status != store.RenderQueued && r.Status != store.RenderRunning {
		// Ended already: by a failed segment, or by an earlier try of this job that stopped right after
		// completing it. Make sure the webhook is on its way.
		q.queueWebhook(riverCtx, a.TaskID, a.RenderTaskID)
		return nil
	}
	ready, reused, err := w.segmentsReady(riverCtx, job)
	if err != nil || !ready {
		return err
	}
	run := q.begin(metrics.KindFinalize, job.JobRow, a.renderRef, -1)
	ctx, cancel := q.detach(riverCtx)
	defer cancel(nil)
	hb := q.startHeartbeat(ctx, job.JobRow, a.renderRef, cancel, nil)
	err = w.assemble(ctx, a, hb, reused)
	outcome, res := q.settle(riverCtx, ctx, job.JobRow, a.renderRef, "assembling the video", err)
	run.end(outcome, err)
	return res
}

// reached reports that the finalize job finished a stage: the task's progress moves on. A failed write
// is logged and the job goes on: progress is a figure for the user, not a step of the render.
func (w *finalizeWorker) reached(ctx context.Context, a finalizeArgs, s finalizeStage) {
	err := w.q.setTaskProgress(ctx, a.renderRef, s.progress)
	if err != nil && !errors.Is(err, core.ErrRenderCancelled) {
		w.q.cfg.Logger.Warn("jobs: record progress", "task_id", a.TaskID, "render_id", a.RenderTaskID, "stage", s.name, "error", err)
	}
}

// segmentsReady reports whether every segment is stored, and how many the segment jobs found stored
// rather than drew. While some still run it records the render's progress and snoozes the job (a
// river.JobSnooze error); when a segment has failed for good it fails the render.
func (w *finalizeWorker) segmentsReady(ctx context.Context, job *river.Job[finalizeArgs]) (ready bool, reused int, err error) {
	q, a := w.q, job.Args
	res, err := q.client.JobList(ctx, river.NewJobListParams().IDs(a.SegmentJobIDs...).First(len(a.SegmentJobIDs)))
	if err != nil {
		return false, 0, fmt.Errorf("list segment jobs: %w", err)
	}
	completed, done := 0, 0
	for _, j := range res.Jobs {
		switch j.State {
		case rivertype.JobStateCompleted:
			completed++
		case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
			// A segment that failed for good fails the render itself; one that was discarded by River
			// (its process died on the last try) or cancelled by hand did not, so this job does.
			q.failRender(ctx, a.renderRef, metrics.ReasonLost, "segment could not be rendered: "+lastError(j))
			return false, 0, nil
		}
		out := outputOf(j)
		done += out.Done
		reused += out.Reused
	}
	if completed == len(a.SegmentJobIDs) {
		return true, reused, nil
	}
	if total := w.totalFrames(ctx, a); total > 0 {
		// The segments fill [0, segmentsShare]; the finalize step reports the rest.
		// A failed write is only logged: the next check writes again.
		err := q.setTaskProgress(ctx, a.renderRef, segmentsShare*min(float64(done)/float64(total), 1))
		if errors.Is(err, core.ErrRenderCancelled) {
			return false, 0, river.JobCancel(errRenderEnded)
		}
		if err != nil {
			q.cfg.Logger.Warn("jobs: record progress", "task_id", a.TaskID, "render_id", a.RenderTaskID, "error", err)
		}
	}
	return false, 0, river.JobSnooze(q.cfg.ProgressInterval)
}

// totalFrames is the render's frame count as stored with its task (0 if it cannot be read).
func (w *finalizeWorker) totalFrames(ctx context.Context, a finalizeArgs) int {
	t, err := w.q.store.GetTask(ctx, a.AccountID, a.TaskID)
	if err != nil {
		return 0
	}
	return render.FrameCount(t.Duration, t.FPS)
}

// lastError is the error of a job's latest failed try.
func lastError(j *rivertype.JobRow) string {
	if len(j.Errors) == 0 {
		return "job " + string(j.State)
	}
	return j.Errors[len(j.Errors)-1].Error
}

// assemble downloads the segments, mixes the soundtrack, joins them, stores the video and its thumbnail
// and completes the render, recording its keys and the reused segments (reused of them). hb is stopped
// before the render is completed. The segments stay stored, for later renders to reuse.
func (w *finalizeWorker) assemble(ctx context.Context, a finalizeArgs, hb *heartbeat, reused int) error {
	q := w.q
	stopped := false
	defer func() {
		if !stopped {
			hb.stop()
		}
	}()
	spec, err := q.svc.MarkRenderStarted(ctx, a.TaskID, a.RenderTaskID)
	if err != nil {
		return err
	}
	tl, err := q.load(ctx, spec, nil)
	if err != nil {
		return err
	}
	defer tl.Close()
	dir, err := q.scratch("final-" + a.RenderTaskID)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	segs, err := tl.Segments(ctx)
	if err != nil {
		return fmt.Errorf("key the segments: %w", err)
	}
	segments, err := w.fetchSegments(ctx, a, tl, segs, dir)
	if err != nil {
		return err
	}
	w.reached(ctx, a, stageFetched)
	audio := filepath.Join(dir, "audio.m4a")
	hasAudio, err := tl.MixAudio(ctx, audio)
	if err != nil {
		return err
	}
	if !hasAudio {
		audio = ""
	}
	w.reached(ctx, a, stageMixed)
	video := filepath.Join(dir, "video.mp4")
	if err := tl.Join(ctx, segments, audio, video); err != nil {
		return fmt.Errorf("join segments: %w", err)
	}
	w.reached(ctx, a, stageJoined)
	thumb := filepath.Join(dir, "thumbnail.jpg")
	at := min(thumbnailAt, tl.Duration/2)
	if err := ffmpeg.Thumbnail(ctx, video, at, thumb, min(thumbnailWidth, tl.Width)); err != nil {
		return err
	}
	w.reached(ctx, a, stageThumbnail)
	size, err := q.putFileSize(ctx, spec.VideoKey, video, "video/mp4")
	if err != nil {
		return err
	}
	if err := q.putFile(ctx, spec.ThumbnailKey, thumb, "image/jpeg"); err != nil {
		return err
	}
	w.reached(ctx, a, stageStored)
	keys, err := renderKeys(ctx, spec, tl)
	if err != nil {
		return err
	}
	keys.SegmentsReused, keys.SegmentsTotal = min(reused, len(segs)), len(segs)
	if err := q.svc.RecordRenderReuse(ctx, a.TaskID, a.RenderTaskID, keys); err != nil {
		return err
	}
	hb.stop() // the render ends now: its heartbeat would take that for a cancellation
	stopped = true
	err = q.svc.CompleteRender(ctx, a.TaskID, a.RenderTaskID, spec.VideoKey, spec.ThumbnailKey, size)
	if errors.Is(err, core.ErrRenderCancelled) {
		q.deleteKeys(ctx, spec.VideoKey, spec.ThumbnailKey)
	}
	if err != nil {
		return err
	}
	q.queueWebhook(ctx, a.TaskID, a.RenderTaskID)
	return nil
}

// fetchSegments downloads the render's segments into dir and returns their paths in order. A segment that
// is no longer stored (the purge deleted it after a segment job had found it stored, see segmentstore.go)
// is drawn again here and stored anew.
func (w *finalizeWorker) fetchSegments(ctx context.Context, a finalizeArgs, tl *render.Timeline, segs []render.Segment, dir string) ([]string, error) {
	q := w.q
	paths := make([]string, len(segs))
	var missing []render.Segment
	for i, s := range segs {
		paths[i] = filepath.Join(dir, fmt.Sprintf("seg-%04d.mp4", i))
		err := q.getFile(ctx, SegmentStoreKey(a.AccountID, s.Key), paths[i])
		if errors.Is(err, blob.ErrNotFound) {
			missing = append(missing, s)
		} else if err != nil {
			return nil, err
		}
	}
	if len(missing) == 0 {
		return paths, nil
	}
	q.cfg.Logger.Warn("jobs: segments deleted after their jobs found them stored, drawn again", "task_id", a.TaskID,
		"render_id", a.RenderTaskID, "count", len(missing))
	err := tl.EncodeSegments(ctx, missing, dir, func(s render.Segment, path string) error {
		if err := os.Rename(path, paths[s.Index]); err != nil {
			return err
		}
		return q.putFile(ctx, SegmentStoreKey(a.AccountID, s.Key), paths[s.Index], "video/mp4")
	})
	if err != nil {
		return nil, err
	}
	return paths, nil
}

// renderKeys returns the render's document and render keys (render.DocumentKey, Timeline.RenderKey), with
// which a later render of the same content is answered from this one's output.
func renderKeys(ctx context.Context, spec core.RenderSpec, tl *render.Timeline) (store.RenderReuse, error) {
	doc, err := schemas.Parse(spec.Config)
	if err != nil {
		return store.RenderReuse{}, permanent(err)
	}
	docKey, err := render.DocumentKey(doc)
	if err != nil {
		return store.RenderReuse{}, err
	}
	renderKey, err := tl.RenderKey(ctx)
	if err != nil {
		return store.RenderReuse{}, fmt.Errorf("key the render: %w", err)
	}
	return store.RenderReuse{DocKey: docKey, RenderKey: renderKey}, nil
}

// putFile stores the file at path under key.
func (q *Queue) putFile(ctx context.Context, key, path, contentType string) error {
	_, err := q.putFileSize(ctx, key, path, contentType)
	return err
}

// putFileSize stores the file at path under key and returns its size. It returns only once the object
// reads back whole from the blob store (opened anew, with the file's size): a render is never completed
// on an object another machine cannot read.
func (q *Queue) putFileSize(ctx context.Context, key, path, contentType string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size, err := q.svc.Blob().Put(ctx, key, f, contentType)
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", key, err)
	}
	obj, err := q.svc.Blob().Open(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("store %s: reading it back: %w", key, err)
	}
	stored := obj.Size()
	obj.Close()
	if size != info.Size() || stored != size {
		return 0, fmt.Errorf("store %s: %d bytes stored of a %d-byte file (%d read back)", key, size, info.Size(), stored)
	}
	return size, nil
}

// getFile copies the object under key to the file path.
func (q *Queue) getFile(ctx context.Context, key, path string) error {
	obj, err := q.svc.Blob().Open(ctx, key)
	if err != nil {
		return fmt.Errorf("read %s: %w", key, err)
	}
	defer obj.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, obj); err != nil {
		f.Close()
		return fmt.Errorf("read %s: %w", key, err)
	}
	return f.Close()
}

// deleteKeys removes objects, logging failures (a leftover object is garbage, not an error).
func (q *Queue) deleteKeys(ctx context.Context, keys ...string) {
	for _, key := range keys {
		if err := q.svc.Blob().Delete(context.WithoutCancel(ctx), key); err != nil {
			q.cfg.Logger.Warn("jobs: delete object", "key", key, "error", err)
		}
	}
}
