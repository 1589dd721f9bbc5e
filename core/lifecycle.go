package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/framecast/framecast/core/store"
)

// ErrRenderCancelled is returned to the render worker when the render it runs is no longer wanted: the
// task was deleted, or the render already ended. The worker should stop and discard its output.
var ErrRenderCancelled = errors.New("core: render cancelled")

// RenderSpec is everything the render worker needs to run one render.
type RenderSpec struct {
	AccountID    string
	TaskID       string
	RenderTaskID string
	Config       json.RawMessage // the video document, validated when it was stored
	Metadata     json.RawMessage // the task's metadata object, for the webhook
	Width        int
	Height       int
	FPS          float64
	Duration     float64
	Quality      string
	NumWorkers   int
	WebhookURL   string // "" for none
	// VideoKey and ThumbnailKey are where the outputs go in blob storage.
	VideoKey     string
	ThumbnailKey string
}

// RenderOutputKeys returns the blob keys of a render's video and thumbnail.
func RenderOutputKeys(accountID, taskID, renderTaskID string) (videoKey, thumbnailKey string) {
	base := "renders/" + accountID + "/" + taskID + "/" + renderTaskID
	return base + ".mp4", base + ".jpg"
}

// MarkRenderStarted records that a worker took the render and returns what it needs. It may be called
// again for a retried job. ErrRenderCancelled means the render must not run.
func (w *Worker) MarkRenderStarted(ctx context.Context, taskID, renderTaskID string) (RenderSpec, error) {
	s := w.s
	var spec RenderSpec
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.MarkRenderRunning(ctx, taskID, renderTaskID, s.now()); err != nil {
			return err
		}
		r, err := tx.GetRender(ctx, taskID, renderTaskID)
		if err != nil {
			return err
		}
		t, err := tx.GetTask(ctx, r.AccountID, taskID)
		if err != nil {
			return err
		}
		video, thumb := RenderOutputKeys(r.AccountID, taskID, renderTaskID)
		spec = RenderSpec{AccountID: r.AccountID, TaskID: taskID, RenderTaskID: renderTaskID, Config: json.RawMessage(t.Config),
			Metadata: json.RawMessage(t.Metadata), Width: t.Width, Height: t.Height, FPS: t.FPS, Duration: t.Duration,
			Quality: r.Quality, NumWorkers: r.NumWorkers, WebhookURL: r.WebhookURL, VideoKey: video, ThumbnailKey: thumb}
		return nil
	})
	return spec, cancelledIfNotFound(err)
}

// SetProgress records how far (0..1) a render is. ErrRenderCancelled means it should stop.
func (w *Worker) SetProgress(ctx context.Context, taskID, renderTaskID string, progress float64) error {
	s := w.s
	progress = min(max(progress, 0), 1)
	return cancelledIfNotFound(s.store.SetTaskProgress(ctx, taskID, renderTaskID, progress, s.now()))
}

// CompleteRender records a finished render and its outputs (blob keys, video size in bytes).
// ErrRenderCancelled means the render was no longer wanted: the caller deletes the outputs.
func (w *Worker) CompleteRender(ctx context.Context, taskID, renderTaskID, videoKey, thumbKey string, size int64) error {
	s := w.s
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.FinishRender(ctx, taskID, renderTaskID, string(RenderCompleted), "", s.now()); err != nil {
			return err
		}
		return tx.CompleteTask(ctx, taskID, renderTaskID, videoKey, thumbKey, size, s.now())
	})
	return cancelledIfNotFound(err)
}

// FailRender records a failed render with reason and refunds its charge in full (a ledger row), in one
// transaction. A render that already ended is left as it is (nil): failing twice refunds once.
func (w *Worker) FailRender(ctx context.Context, taskID, renderTaskID, reason string) error {
	s := w.s
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		return s.endRender(ctx, tx, taskID, renderTaskID, RenderFailed, reason)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return fail(err)
}

// endRender ends a queued or running render as failed or cancelled, marks the task failed and refunds the
// charge. ErrNotFound means the render had already ended (or does not exist).
func (s *Service) endRender(ctx context.Context, tx *store.Tx, taskID, renderTaskID string, status RenderStatus, reason string) error {
	r, err := tx.GetRender(ctx, taskID, renderTaskID)
	if err != nil {
		return err
	}
	if err := tx.FinishRender(ctx, taskID, renderTaskID, string(status), reason, s.now()); err != nil {
		return err
	}
	if err := tx.FailTask(ctx, taskID, renderTaskID, reason, s.now()); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if r.Cost == 0 {
		return nil
	}
	_, err = tx.AdjustCredits(ctx, r.AccountID, store.LedgerEntry{Delta: r.Cost, Reason: fmt.Sprintf("refund: render %s", status),
		TaskID: taskID, RenderTaskID: renderTaskID, CreatedAt: store.NewTime(s.now())})
	return err
}

func cancelledIfNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return ErrRenderCancelled
	}
	return fail(err)
}

// WebhookEvent is the JSON body POSTed to a render's webhook_url.
type WebhookEvent struct {
	TaskID       string          `json:"taskId"`
	RenderTaskID string          `json:"renderTaskId"`
	Status       RenderStatus    `json:"status"`   // completed or failed
	VideoURL     *string         `json:"videoUrl"` // null unless completed
	Error        *string         `json:"error"`    // null unless failed
	Timestamp    string          `json:"timestamp"`
	Metadata     json.RawMessage `json:"metadata"`
}

// WebhookDelivery is a webhook to send: where, the account's signing secret, and the body.
type WebhookDelivery struct {
	AccountID string
	URL       string
	Secret    string // the account's "whsec_…" secret (Standard Webhooks)
	Event     WebhookEvent
}

// WebhookFor returns the webhook of an ended render. It is NOT_FOUND when the render
// or its task is gone, and ok is false when the render has no webhook_url or has not ended.
func (w *Worker) WebhookFor(ctx context.Context, taskID, renderTaskID string) (d WebhookDelivery, ok bool, err error) {
	s := w.s
	r, err := s.store.GetRender(ctx, taskID, renderTaskID)
	if err != nil {
		return d, false, notFound(err, "Render", renderTaskID)
	}
	status := RenderStatus(r.Status)
	if r.WebhookURL == "" || (status != RenderCompleted && status != RenderFailed) {
		return d, false, nil
	}
	t, err := s.store.GetTask(ctx, r.AccountID, taskID)
	if err != nil {
		return d, false, notFound(err, "Task", taskID)
	}
	a, err := s.store.GetAccount(ctx, r.AccountID)
	if err != nil {
		return d, false, notFound(err, "Account", r.AccountID)
	}
	ev := WebhookEvent{TaskID: taskID, RenderTaskID: renderTaskID, Status: status, Timestamp: timestamp(r.FinishedAt.Time),
		Metadata: json.RawMessage(t.Metadata)}
	if status == RenderCompleted {
		u := s.blobURL(t.VideoKey)
		ev.VideoURL = &u
	} else {
		reason := r.Error
		ev.Error = &reason
	}
	return WebhookDelivery{AccountID: r.AccountID, URL: r.WebhookURL, Secret: a.WebhookSecret, Event: ev}, true, nil
}

// WebhookAttempt is one recorded try at delivering a webhook.
type WebhookAttempt = store.WebhookAttempt

// RecordWebhookAttempt stores an attempt (CreatedAt defaults to now).
func (w *Worker) RecordWebhookAttempt(ctx context.Context, a WebhookAttempt) error {
	s := w.s
	if a.CreatedAt.IsZero() {
		a.CreatedAt = store.NewTime(s.now())
	}
	return fail(s.store.InsertWebhookAttempt(ctx, a))
}

// ListWebhookAttempts returns the webhook attempts of one of the account's tasks, oldest first.
func (w *Worker) ListWebhookAttempts(ctx context.Context, accountID, taskID string) ([]WebhookAttempt, error) {
	s := w.s
	list, err := s.store.ListWebhookAttempts(ctx, accountID, taskID)
	return list, fail(err)
}

// WebhookAttemptView is one webhook delivery attempt as the API shows it.
type WebhookAttemptView struct {
	ID           string `json:"id"`
	RenderTaskID string `json:"renderTaskId"`
	WebhookID    string `json:"webhookId"`
	URL          string `json:"url"`
	Attempt      int    `json:"attempt"`
	StatusCode   int    `json:"statusCode"` // 0 when the endpoint did not answer
	Error        string `json:"error,omitempty"`
	DurationMS   int64  `json:"durationMs"`
	CreatedAt    string `json:"createdAt"`
}

// WebhookAttemptsResult is the response of GET /api/v1/video/{taskId}/webhooks (Framecast's addition).
type WebhookAttemptsResult struct {
	Success  bool                 `json:"success"`
	TaskID   string               `json:"taskId"`
	Attempts []WebhookAttemptView `json:"attempts"` // oldest first
}

// GetWebhookAttempts returns the webhook delivery attempts of one of the account's tasks, oldest first.
func (s *Service) GetWebhookAttempts(ctx context.Context, accountID, taskID string) (WebhookAttemptsResult, error) {
	// The attempts query answers an empty list for a task that is not the account's; asking for the task
	// first gives such a call its NOT_FOUND.
	if _, err := s.store.GetTask(ctx, accountID, taskID); err != nil {
		return WebhookAttemptsResult{}, notFound(err, "Task", taskID)
	}
	attempts, err := s.store.ListWebhookAttempts(ctx, accountID, taskID)
	if err != nil {
		return WebhookAttemptsResult{}, fail(err)
	}
	res := WebhookAttemptsResult{Success: true, TaskID: taskID, Attempts: make([]WebhookAttemptView, len(attempts))}
	for i, a := range attempts {
		res.Attempts[i] = WebhookAttemptView{ID: a.ID, RenderTaskID: a.RenderTaskID, WebhookID: a.WebhookID, URL: a.URL,
			Attempt: a.Attempt, StatusCode: a.StatusCode, Error: a.Error, DurationMS: a.DurationMS,
			CreatedAt: timestamp(a.CreatedAt.Time)}
	}
	return res, nil
}
