package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/schemas"
)

// RenderReuse says how much of a render was not drawn again: Framecast's additions to the render response
// and the task.
//
// Renders are content-addressed. A render of a document the account has already rendered (the same
// canonical JSON, the same bytes behind every asset it names, the same engine version) is answered from
// the stored output at once and costs nothing (Reused). Otherwise the render is cut into segments on a
// grid of render.SegmentSeconds moved onto the clips' edges (render.SegmentBounds), each keyed by exactly
// what it draws (render.Timeline.Segments); a segment whose key the account has stored is not drawn again
// (SegmentsReused of SegmentsTotal).
type RenderReuse struct {
	Reused bool `json:"reused"`
	// SegmentsReused is known once the render completes (0 until then); SegmentsTotal from the start.
	SegmentsReused int `json:"segmentsReused"`
	SegmentsTotal  int `json:"segmentsTotal"`
}

// taskReuse is the reuse of a task's latest render.
func taskReuse(t store.Task) RenderReuse {
	return RenderReuse{Reused: t.Reused, SegmentsReused: t.SegmentsReused, SegmentsTotal: t.SegmentsTotal}
}

// segmentCount is the number of reuse segments a render of the document config is cut into
// (render.SegmentBounds: it depends on when the clips start and end), 0 for a document that does not
// parse (the render will say why). A render records it on its task when it begins.
func segmentCount(config string) int {
	doc, err := schemas.Parse([]byte(config))
	if err != nil {
		return 0
	}
	n, err := render.SegmentCount(doc)
	if err != nil {
		return 0
	}
	return n
}

// RecordRenderReuse stores, with a completing render, its keys (for later renders of the same content)
// and how many of its segments were found stored. The render worker calls it before CompleteRender.
func (w *Worker) RecordRenderReuse(ctx context.Context, taskID, renderTaskID string, r store.RenderReuse) error {
	return fail(w.s.store.RecordRenderReuse(ctx, taskID, renderTaskID, r))
}

// reuseRender answers a render request from the output of an earlier render of the same content by the same
// account, when there is one: the task completes at once with a copy of that output and nothing is charged.
// ok is false when there is nothing to reuse (or the task is not ready to render): the caller renders.
// Looking costs one indexed query; only when a completed render of the same document exists are the
// document's assets fetched (from the asset cache, usually) to compare their content.
func (s *Service) reuseRender(ctx context.Context, accountID, taskID string, in RenderInput) (RenderResult, bool, error) {
	t, err := s.store.GetTask(ctx, accountID, taskID)
	if err != nil || (TaskStatus(t.Status) != TaskCreated && TaskStatus(t.Status) != TaskFailed) {
		return RenderResult{}, false, nil // renderInTx answers: not found, already rendering, already rendered
	}
	doc, err := schemas.Parse([]byte(t.Config))
	if err != nil {
		return RenderResult{}, false, nil
	}
	docKey, err := render.DocumentKey(doc)
	if err != nil {
		return RenderResult{}, false, nil
	}
	candidates, err := s.store.ReusableRenders(ctx, accountID, docKey)
	if err != nil || len(candidates) == 0 {
		return RenderResult{}, false, nil
	}
	key, err := s.renderKey(ctx, accountID, doc)
	if err != nil {
		return RenderResult{}, false, nil // an asset that cannot be fetched now: the render will say why
	}
	for _, c := range candidates {
		if c.RenderKey != key {
			continue
		}
		res, err := s.completeFromEarlier(ctx, t, c, docKey, in)
		if err != nil {
			return RenderResult{}, false, nil // the earlier output went away meanwhile: render
		}
		return res, true, nil
	}
	return RenderResult{}, false, nil
}

// renderKey loads doc as a render would and returns its render.RenderKey.
func (s *Service) renderKey(ctx context.Context, accountID string, doc *schemas.Document) (string, error) {
	tl, err := render.Load(ctx, doc, render.Options{Assets: s.assetOptions(accountID, s.cfg.AssetCacheDir), Workers: 1})
	if err != nil {
		return "", err
	}
	defer tl.Close()
	return tl.RenderKey(ctx)
}

// completeFromEarlier copies an earlier render's video and thumbnail to a new render of task t and
// completes it at no cost, in one transaction with its webhook.
func (s *Service) completeFromEarlier(ctx context.Context, t store.Task, from store.ReusableRender, docKey string, in RenderInput) (RenderResult, error) {
	r := store.Render{ID: newID("rt_"), TaskID: t.ID, AccountID: t.AccountID, Quality: QualityFor(t.Width, t.Height).Name,
		NumWorkers: in.NumWorkers, WebhookURL: in.WebhookURL, CreatedAt: store.NewTime(s.now())}
	video, thumb := RenderOutputKeys(t.AccountID, t.ID, r.ID)
	size, err := s.copyObject(ctx, from.VideoKey, video, "video/mp4")
	if err != nil {
		return RenderResult{}, err
	}
	if _, err := s.copyObject(ctx, from.ThumbnailKey, thumb, "image/jpeg"); err != nil {
		s.blob.Delete(context.WithoutCancel(ctx), video)
		return RenderResult{}, err
	}
	var balance int64
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.BeginRender(ctx, r, from.SegmentsTotal); err != nil {
			return err
		}
		now := s.now()
		if err := tx.MarkRenderRunning(ctx, t.ID, r.ID, now); err != nil {
			return err
		}
		if err := tx.FinishRender(ctx, t.ID, r.ID, string(RenderCompleted), "", now); err != nil {
			return err
		}
		if err := tx.CompleteTask(ctx, t.ID, r.ID, video, thumb, size, now); err != nil {
			return err
		}
		if err := tx.RecordRenderReuse(ctx, t.ID, r.ID, store.RenderReuse{DocKey: docKey, RenderKey: from.RenderKey, Reused: true,
			SegmentsReused: from.SegmentsTotal, SegmentsTotal: from.SegmentsTotal}); err != nil {
			return err
		}
		a, err := tx.GetAccount(ctx, t.AccountID)
		if err != nil {
			return err
		}
		balance = a.Credits
		if in.WebhookURL == "" {
			return nil
		}
		job := RenderJob{TaskID: t.ID, RenderTaskID: r.ID, AccountID: t.AccountID, NumWorkers: in.NumWorkers, WebhookURL: in.WebhookURL, Reused: true}
		return s.queue.EnqueueRender(ctx, tx, job)
	})
	if err != nil {
		s.blob.Delete(context.WithoutCancel(ctx), video)
		s.blob.Delete(context.WithoutCancel(ctx), thumb)
		return RenderResult{}, err
	}
	return RenderResult{Success: true, TaskID: t.ID, RenderTaskID: r.ID, Status: TaskCompleted, Quality: r.Quality,
		Width: t.Width, Height: t.Height, RemainingCredits: balance,
		PreviewURL: s.url(taskPreviewPath(t.ID)), ViewerURL: s.url(taskViewerPath(t.ID)), ConfigURL: s.url(taskConfigPath(t.ID)),
		VideoURL: s.blobURL(video), Message: "This video was rendered before with the same content: its output was reused and nothing was charged",
		RenderReuse: RenderReuse{Reused: true, SegmentsReused: from.SegmentsTotal, SegmentsTotal: from.SegmentsTotal}}, nil
}

// copyObject copies a blob and returns its size.
func (s *Service) copyObject(ctx context.Context, from, to, contentType string) (int64, error) {
	if from == "" {
		return 0, errors.New("no object to copy")
	}
	obj, err := s.blob.Open(ctx, from)
	if err != nil {
		return 0, fmt.Errorf("copy %s: %w", from, err)
	}
	defer obj.Close()
	size, err := s.blob.Put(ctx, to, obj, contentType)
	if err != nil {
		return 0, fmt.Errorf("copy %s: %w", from, err)
	}
	if size != obj.Size() {
		s.blob.Delete(context.WithoutCancel(ctx), to)
		return 0, fmt.Errorf("copy %s: %d of %d bytes", from, size, obj.Size())
	}
	return size, nil
}
