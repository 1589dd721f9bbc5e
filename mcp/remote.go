package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"net/http"
	"reflect"
	"strings"

	fc "github.com/framecast/framecast/client"
	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/schemas"
)

// Remote is the Backend that calls a Framecast server's REST API (/api/v1) with one API key, through the
// Go client (package client). Validation and frames run in this process (core.CheckDocument,
// core.DrawFrames), with the limits the server announces in its capabilities.
type Remote struct {
	server string // the server's base URL
	api    *fc.Client
	// badURL is why the base URL was refused; every call then fails with it.
	badURL error
	// AllowPrivateURLs lets frames fetch media from loopback and private addresses (default: public only).
	AllowPrivateURLs bool
	// AssetCacheDir caches the media frames fetch ("" for the user cache folder).
	AssetCacheDir string
}

// NewRemote returns the Backend of the server at baseURL (such as "https://video.example.com") using the
// API key apiKey. hc nil means http.DefaultClient. A baseURL that is not an absolute http(s) URL makes
// every call fail with INVALID_REQUEST saying so (check it first with client.New to refuse it at once).
func NewRemote(baseURL, apiKey string, hc *http.Client) *Remote {
	if hc == nil {
		hc = http.DefaultClient
	}
	r := &Remote{server: strings.TrimRight(baseURL, "/")}
	r.api, r.badURL = fc.New(baseURL, apiKey, fc.WithHTTPClient(hc), fc.WithUserAgent("framecast-mcp"))
	return r
}

// remote runs one call of the client and returns its answer as core's type T: the client's types are the
// same JSON as core's (client's tests keep them so), without the "success" every answer carries. An API
// error becomes the *core.Error it describes, a failure to reach the server REMOTE_ERROR. The
// Idempotency-Key of ctx (core.IdempotencyFrom) is sent, and a replayed answer reported back.
func remote[T any](ctx context.Context, r *Remote, call func(ctx context.Context) (any, error)) (T, error) {
	var out T
	if r.badURL != nil {
		return out, core.InvalidRequest("%v", r.badURL)
	}
	idem := core.IdempotencyFrom(ctx)
	var sent *fc.Idempotency
	if idem != nil {
		sent = &fc.Idempotency{Key: idem.Key}
		ctx = fc.WithIdempotency(ctx, sent)
	}
	res, err := call(ctx)
	if sent != nil && sent.Replayed {
		idem.Replayed = true
	}
	if err != nil {
		return out, remoteError(err)
	}
	data, err := json.Marshal(res)
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	if err != nil {
		return out, core.RemoteError(fmt.Errorf("convert the answer: %w", err))
	}
	if f := reflect.ValueOf(&out).Elem(); f.Kind() == reflect.Struct {
		if success := f.FieldByName("Success"); success.IsValid() && success.Kind() == reflect.Bool {
			success.SetBool(true)
		}
	}
	return out, nil
}

// remoteError turns an error of the client into core's: an API answer keeps its code, message and
// details; anything else (the server unreachable, an answer that is not the API's) is REMOTE_ERROR.
func remoteError(err error) error {
	var e *fc.Error
	if errors.As(err, &e) && e.Code != "" {
		return &core.Error{Code: e.Code, Message: e.Message, Details: e.Details}
	}
	return core.RemoteError(err)
}

// CreatePreview implements Backend.
func (r *Remote) CreatePreview(ctx context.Context, doc json.RawMessage) (core.CreatePreviewResult, error) {
	return remote[core.CreatePreviewResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.CreatePreview(ctx, doc) })
}

// GetPreview implements Backend.
func (r *Remote) GetPreview(ctx context.Context, tempID string) (core.PreviewResult, error) {
	return remote[core.PreviewResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.GetPreview(ctx, tempID) })
}

// DeletePreview implements Backend.
func (r *Remote) DeletePreview(ctx context.Context, tempID string) (core.DeletePreviewResult, error) {
	return remote[core.DeletePreviewResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.DeletePreview(ctx, tempID) })
}

// ConvertPreview implements Backend.
func (r *Remote) ConvertPreview(ctx context.Context, tempID string, opts core.TaskOptions) (core.ConvertPreviewResult, error) {
	return remote[core.ConvertPreviewResult](ctx, r, func(ctx context.Context) (any, error) {
		return r.api.ConvertPreview(ctx, tempID, taskOptions(opts))
	})
}

// RenderPreview implements Backend.
func (r *Remote) RenderPreview(ctx context.Context, tempID string, in core.RenderPreviewInput) (core.RenderPreviewResult, error) {
	return remote[core.RenderPreviewResult](ctx, r, func(ctx context.Context) (any, error) {
		return r.api.RenderPreview(ctx, tempID, fc.RenderPreviewOptions{TaskOptions: taskOptions(in.TaskOptions), RenderOptions: renderOptions(in.RenderInput)})
	})
}

// CreateTask implements Backend.
func (r *Remote) CreateTask(ctx context.Context, in core.CreateTaskInput) (core.CreateTaskResult, error) {
	return remote[core.CreateTaskResult](ctx, r, func(ctx context.Context) (any, error) {
		return r.api.CreateVideo(ctx, fc.CreateVideoInput{Config: in.Config, TaskOptions: taskOptions(in.TaskOptions)})
	})
}

// ListTasks implements Backend.
func (r *Remote) ListTasks(ctx context.Context, in core.ListTasksInput) (core.ListTasksResult, error) {
	return remote[core.ListTasksResult](ctx, r, func(ctx context.Context) (any, error) {
		return r.api.ListVideos(ctx, fc.ListVideosOptions{Page: in.Page, Limit: in.Limit, Status: fc.VideoStatus(in.Status), Category: in.Category})
	})
}

// GetTask implements Backend.
func (r *Remote) GetTask(ctx context.Context, taskID string) (core.TaskResult, error) {
	return remote[core.TaskResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.GetVideo(ctx, taskID) })
}

// DeleteTask implements Backend.
func (r *Remote) DeleteTask(ctx context.Context, taskID string) (core.DeleteTaskResult, error) {
	return remote[core.DeleteTaskResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.DeleteVideo(ctx, taskID) })
}

// RenderTask implements Backend.
func (r *Remote) RenderTask(ctx context.Context, taskID string, in core.RenderInput) (core.RenderResult, error) {
	return remote[core.RenderResult](ctx, r, func(ctx context.Context) (any, error) {
		return r.api.RenderVideo(ctx, taskID, renderOptions(in))
	})
}

// Upload implements Backend with a multipart request, streamed as it is written.
func (r *Remote) Upload(ctx context.Context, files []core.UploadFile) (core.UploadResult, error) {
	if len(files) == 0 {
		return core.UploadResult{}, core.NoFiles()
	}
	up := make([]fc.UploadFile, len(files))
	for i, f := range files {
		up[i] = fc.UploadFile{Name: f.Name, Content: f.Content}
	}
	return remote[core.UploadResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.UploadFiles(ctx, up...) })
}

// ListFiles implements Backend.
func (r *Remote) ListFiles(ctx context.Context, in core.ListFilesInput) (core.ListFilesResult, error) {
	return remote[core.ListFilesResult](ctx, r, func(ctx context.Context) (any, error) {
		return r.api.ListFiles(ctx, fc.ListFilesOptions{Page: in.Page, Limit: in.Limit, Type: in.Type})
	})
}

// DeleteFile implements Backend.
func (r *Remote) DeleteFile(ctx context.Context, fileID string) (core.DeleteFileResult, error) {
	return remote[core.DeleteFileResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.DeleteFile(ctx, fileID) })
}

// GetCredits implements Backend.
func (r *Remote) GetCredits(ctx context.Context) (core.CreditsResult, error) {
	return remote[core.CreditsResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.GetCredits(ctx) })
}

// GetWebhookSecret implements Backend.
func (r *Remote) GetWebhookSecret(ctx context.Context) (core.WebhookSecretResult, error) {
	return remote[core.WebhookSecretResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.GetWebhookSecret(ctx) })
}

// GetTaskConfig implements Backend.
func (r *Remote) GetTaskConfig(ctx context.Context, taskID string) (json.RawMessage, error) {
	if r.badURL != nil {
		return nil, core.InvalidRequest("%v", r.badURL)
	}
	doc, err := r.api.GetVideoConfig(ctx, taskID) // the document as the server stored it, byte for byte
	if err != nil {
		return nil, remoteError(err)
	}
	return doc, nil
}

// GetWebhookAttempts implements Backend.
func (r *Remote) GetWebhookAttempts(ctx context.Context, taskID string) (core.WebhookAttemptsResult, error) {
	return remote[core.WebhookAttemptsResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.ListVideoWebhooks(ctx, taskID) })
}

// Capabilities implements Backend.
func (r *Remote) Capabilities(ctx context.Context) (core.CapabilitiesResult, error) {
	return remote[core.CapabilitiesResult](ctx, r, func(ctx context.Context) (any, error) { return r.api.GetCapabilities(ctx) })
}

// taskOptions and renderOptions are core's inputs as the client's.
func taskOptions(o core.TaskOptions) fc.TaskOptions {
	out := fc.TaskOptions{Title: o.Title, Category: o.Category}
	if len(o.Metadata) > 0 {
		out.Metadata = o.Metadata
	}
	return out
}

func renderOptions(o core.RenderInput) fc.RenderOptions {
	return fc.RenderOptions{WebhookURL: o.WebhookURL, NumWorkers: o.NumWorkers}
}

// limits returns the server's document limits from its capabilities, the defaults when it gives none.
func (r *Remote) limits(ctx context.Context) (schemas.Limits, error) {
	caps, err := r.Capabilities(ctx)
	if err != nil {
		return schemas.Limits{}, err
	}
	lim := schemas.DefaultLimits()
	raw, _ := json.Marshal(caps.Features["limits"])
	var announced struct {
		MaxWidth, MaxHeight int
		MaxFPS              float64 `json:"maxFps"`
		MaxDuration         float64
		MaxClips, MaxBytes  int
	}
	if json.Unmarshal(raw, &announced) == nil && announced.MaxWidth > 0 {
		lim = schemas.Limits{MaxWidth: announced.MaxWidth, MaxHeight: announced.MaxHeight, MaxFPS: announced.MaxFPS,
			MaxDuration: announced.MaxDuration, MaxClips: announced.MaxClips, MaxBytes: announced.MaxBytes}
	}
	return lim, nil
}

// rules returns the validation rules of the server: its limits, and its uploads as the media under its URL.
func (r *Remote) rules(ctx context.Context) (core.Rules, error) {
	lim, err := r.limits(ctx)
	return core.Rules{Limits: lim, PublicURL: r.server, AllowPrivateURLs: r.AllowPrivateURLs}, err
}

// Validate implements Backend in this process (core.CheckDocument), with the server's limits.
func (r *Remote) Validate(ctx context.Context, doc json.RawMessage) (ValidationResult, error) {
	rules, err := r.rules(ctx)
	if err != nil {
		return ValidationResult{}, err
	}
	res, _ := core.CheckDocument(doc, rules)
	return res, nil
}

// Frames implements Backend in this process (core.DrawFrames): uploads are read from their public URLs.
func (r *Remote) Frames(ctx context.Context, doc json.RawMessage, times []float64, width int) ([]image.Image, error) {
	rules, err := r.rules(ctx)
	if err != nil {
		return nil, err
	}
	return core.DrawFrames(ctx, core.FramesInput{Document: doc, Times: times, Width: width}, rules, r.AssetCacheDir)
}

// AudioPreview implements Backend in this process, like Frames.
func (r *Remote) AudioPreview(ctx context.Context, doc json.RawMessage) (core.AudioPreviewResult, error) {
	rules, err := r.rules(ctx)
	if err != nil {
		return core.AudioPreviewResult{}, err
	}
	return core.MixAudioPreviewFetched(ctx, doc, rules, r.AssetCacheDir)
}
