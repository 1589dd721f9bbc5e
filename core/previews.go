package core

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/framecast/framecast/core/store"
)

// CreatePreviewResult is the response of POST /api/v1/preview.
type CreatePreviewResult struct {
	Success    bool      `json:"success"`
	TempID     string    `json:"tempId"`
	PreviewURL string    `json:"previewUrl"` // the clean player, /t/{tempId}
	ViewerURL  string    `json:"viewerUrl"`  // the player with details, /preview/{tempId}
	ExpiresIn  string    `json:"expiresIn"`  // "7d"
	ExpiresAt  string    `json:"expiresAt"`
	Note       string    `json:"note"`
	Warnings   []Problem `json:"warnings,omitempty"`
}

// PreviewResult is the response of GET /api/v1/preview/{tempId}.
type PreviewResult struct {
	Success   bool            `json:"success"`
	TempID    string          `json:"tempId"`
	Config    json.RawMessage `json:"config"`
	ExpiresAt string          `json:"expiresAt"`
}

// DeletePreviewResult is the response of DELETE /api/v1/preview/{tempId}.
type DeletePreviewResult struct {
	Success bool   `json:"success"`
	TempID  string `json:"tempId"`
	Deleted bool   `json:"deleted"`
	Message string `json:"message"`
}

// ConvertPreviewResult is the response of POST /api/v1/preview/{tempId}/convert.
type ConvertPreviewResult struct {
	Success     bool   `json:"success"`
	TempID      string `json:"tempId"`
	Converted   bool   `json:"converted"`
	TaskID      string `json:"taskId"`
	VideoTaskID string `json:"videoTaskId"`
	PreviewURL  string `json:"previewUrl"`
	ViewerURL   string `json:"viewerUrl"`
	ConfigURL   string `json:"configUrl"`
	Message     string `json:"message"`
}

// RenderPreviewInput is the body of POST /api/v1/preview/{tempId}/render.
type RenderPreviewInput struct {
	TaskOptions
	RenderInput
}

// RenderPreviewResult is the response of POST /api/v1/preview/{tempId}/render: the conversion, then the
// render's fields.
type RenderPreviewResult struct {
	Success        bool   `json:"success"`
	TempID         string `json:"tempId"`
	Converted      bool   `json:"converted"`
	ConvertMessage string `json:"convertMessage"`
	RenderResult
}

// CreatePreview validates a bare document (the request body) and keeps it for the preview lifetime; it
// charges nothing. A body wrapped as {"config": …} is INVALID_CONFIG. With an idempotency key in ctx, a
// repeat gets the first call's answer.
func (s *Service) CreatePreview(ctx context.Context, accountID string, raw []byte) (CreatePreviewResult, error) {
	return idempotent(ctx, s, accountID, "create_preview", json.RawMessage(raw), func() (CreatePreviewResult, error) {
		return s.createPreview(ctx, accountID, raw)
	})
}

func (s *Service) createPreview(ctx context.Context, accountID string, raw []byte) (CreatePreviewResult, error) {
	if !json.Valid(raw) {
		return CreatePreviewResult{}, InvalidRequest("the body is not valid JSON: send the bare video document")
	}
	config, _, warnings, err := s.validateDocument(raw)
	if err != nil {
		return CreatePreviewResult{}, err
	}
	now := s.now()
	p := store.Preview{ID: newID("temp_"), AccountID: accountID, Config: string(config),
		CreatedAt: store.NewTime(now), ExpiresAt: store.NewTime(now.Add(s.cfg.PreviewTTL))}
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := s.checkDocumentRoom(ctx, tx, accountID, len(p.Config), true); err != nil {
			return err
		}
		return tx.InsertPreview(ctx, p)
	})
	if err != nil {
		return CreatePreviewResult{}, fail(err)
	}
	ttl := formatTTL(s.cfg.PreviewTTL)
	return CreatePreviewResult{
		Success: true, TempID: p.ID, PreviewURL: s.url(previewPlayerPath(p.ID)), ViewerURL: s.url(previewViewerPath(p.ID)),
		ExpiresIn: ttl, ExpiresAt: timestamp(p.ExpiresAt.Time),
		Note:     fmt.Sprintf("Preview links expire in %s. Convert the preview to a task (POST /api/v1/preview/%s/convert) to keep it, or render it (POST /api/v1/preview/%s/render).", ttl, p.ID, p.ID),
		Warnings: warnings,
	}, nil
}

// GetPreview returns one of the account's live previews.
func (s *Service) GetPreview(ctx context.Context, accountID, tempID string) (PreviewResult, error) {
	p, err := s.store.GetPreview(ctx, accountID, tempID, s.now())
	if err != nil {
		return PreviewResult{}, notFound(err, "Preview", tempID)
	}
	return PreviewResult{Success: true, TempID: p.ID, Config: json.RawMessage(p.Config), ExpiresAt: timestamp(p.ExpiresAt.Time)}, nil
}

// PublicPreview returns any account's live preview by its unguessable id, for the public player pages
// (/t/{tempId}, /preview/{tempId}). API operations use GetPreview.
func (s *Service) PublicPreview(ctx context.Context, tempID string) (PreviewResult, error) {
	p, err := s.store.PreviewByID(ctx, tempID, s.now())
	if err != nil {
		return PreviewResult{}, notFound(err, "Preview", tempID)
	}
	return PreviewResult{Success: true, TempID: p.ID, Config: json.RawMessage(p.Config), ExpiresAt: timestamp(p.ExpiresAt.Time)}, nil
}

// DeletePreview removes one of the account's previews.
func (s *Service) DeletePreview(ctx context.Context, accountID, tempID string) (DeletePreviewResult, error) {
	if _, err := s.store.GetPreview(ctx, accountID, tempID, s.now()); err != nil {
		return DeletePreviewResult{}, notFound(err, "Preview", tempID)
	}
	if err := s.store.DeletePreview(ctx, accountID, tempID); err != nil {
		return DeletePreviewResult{}, notFound(err, "Preview", tempID)
	}
	s.cancelProxy(PreviewProxyKey(tempID))
	return DeletePreviewResult{Success: true, TempID: tempID, Deleted: true, Message: "Preview deleted"}, nil
}

// ConvertPreview copies one of the account's previews into a new task, without rendering it. The preview
// keeps working. With an idempotency key in ctx, a repeat gets the first call's answer.
func (s *Service) ConvertPreview(ctx context.Context, accountID, tempID string, opts TaskOptions) (ConvertPreviewResult, error) {
	return idempotent(ctx, s, accountID, "convert_preview/"+tempID, opts, func() (ConvertPreviewResult, error) {
		return s.convertPreview(ctx, accountID, tempID, opts)
	})
}

func (s *Service) convertPreview(ctx context.Context, accountID, tempID string, opts TaskOptions) (ConvertPreviewResult, error) {
	t, err := s.convert(ctx, s.store, accountID, tempID, opts)
	if err != nil {
		return ConvertPreviewResult{}, err
	}
	return ConvertPreviewResult{Success: true, TempID: tempID, Converted: true, TaskID: t.ID, VideoTaskID: t.VideoTaskID,
		PreviewURL: s.url(taskPreviewPath(t.ID)), ViewerURL: s.url(taskViewerPath(t.ID)), ConfigURL: s.url(taskConfigPath(t.ID)),
		Message: "Preview converted to task " + t.ID}, nil
}

// RenderPreview converts one of the account's previews into a task and renders it, in one transaction: if
// the render cannot start (credits, queue), no task is left behind. With an idempotency key in ctx, a
// repeat gets the first call's answer and is not charged.
func (s *Service) RenderPreview(ctx context.Context, accountID, tempID string, in RenderPreviewInput) (RenderPreviewResult, error) {
	return idempotent(ctx, s, accountID, "render_preview/"+tempID, in, func() (RenderPreviewResult, error) {
		return s.renderPreview(ctx, accountID, tempID, in)
	})
}

func (s *Service) renderPreview(ctx context.Context, accountID, tempID string, in RenderPreviewInput) (RenderPreviewResult, error) {
	opts, err := s.renderOptions(in.RenderInput)
	if err != nil {
		return RenderPreviewResult{}, err
	}
	var res RenderPreviewResult
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		t, err := s.convert(ctx, tx, accountID, tempID, in.TaskOptions)
		if err != nil {
			return err
		}
		r, err := s.renderInTx(ctx, tx, accountID, t.ID, opts)
		if err != nil {
			return err
		}
		res = RenderPreviewResult{Success: true, TempID: tempID, Converted: true,
			ConvertMessage: "Preview converted to task " + t.ID, RenderResult: r}
		return nil
	})
	return res, err
}

// previewSource is a Store or a Tx.
type previewSource interface {
	taskInserter
	GetPreview(ctx context.Context, accountID, id string, now time.Time) (store.Preview, error)
}

// convert stores a live preview's document as a new task.
func (s *Service) convert(ctx context.Context, q previewSource, accountID, tempID string, opts TaskOptions) (store.Task, error) {
	p, err := q.GetPreview(ctx, accountID, tempID, s.now())
	if err != nil {
		return store.Task{}, notFound(err, "Preview", tempID)
	}
	info, err := storedInfo(p.Config)
	if err != nil {
		return store.Task{}, fail(err)
	}
	return s.insertTask(ctx, q, accountID, p.Config, info, opts)
}

// PurgeExpiredPreviews deletes every preview expired at now and reports how many.
func (w *Worker) PurgeExpiredPreviews(ctx context.Context, now time.Time) (int64, error) {
	s := w.s
	n, err := s.store.PurgePreviews(ctx, now)
	return n, fail(err)
}

// formatTTL writes a lifetime as the API does: "7d" for whole days, "12h" for whole hours, else Go's form.
func formatTTL(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return d.String()
}
