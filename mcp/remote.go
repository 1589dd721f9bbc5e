package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/schemas"
)

// Remote is the Backend that calls a Framecast server's REST API (/api/v1) with one API key. Validation
// and frames run in this process (core.CheckDocument, core.DrawFrames), with the limits the server
// announces in its capabilities.
type Remote struct {
	server string // the server's base URL
	base   string
	key    string
	client *http.Client
	// AllowPrivateURLs lets frames fetch media from loopback and private addresses (default: public only).
	AllowPrivateURLs bool
	// AssetCacheDir caches the media frames fetch ("" for the user cache folder).
	AssetCacheDir string
}

// NewRemote returns the Backend of the server at baseURL (such as "https://video.example.com") using the
// API key apiKey. client nil means http.DefaultClient.
func NewRemote(baseURL, apiKey string, client *http.Client) *Remote {
	if client == nil {
		client = http.DefaultClient
	}
	server := strings.TrimRight(baseURL, "/")
	return &Remote{server: server, base: server + "/api/v1", key: apiKey, client: client}
}

// errorBody is the REST API's error response.
type errorBody struct {
	Error   string         `json:"error"`
	Code    string         `json:"code"`
	Details map[string]any `json:"details"`
}

// do sends a request and decodes the JSON answer into out; an error answer becomes the *core.Error it
// describes, a failure to reach the server REMOTE_ERROR.
func (r *Remote) do(ctx context.Context, method, path string, query url.Values, contentType string, body io.Reader, out any) error {
	u := r.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return core.InvalidRequest("bad request to %s: %v", path, err)
	}
	req.Header.Set("Authorization", "Bearer "+r.key)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	idem := core.IdempotencyFrom(ctx)
	if idem != nil && method == http.MethodPost {
		req.Header.Set("Idempotency-Key", idem.Key)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return core.RemoteError(fmt.Errorf("%s %s: %w", method, path, err))
	}
	defer resp.Body.Close()
	if idem != nil && resp.Header.Get("Idempotent-Replayed") == "true" {
		idem.Replayed = true
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return core.RemoteError(fmt.Errorf("%s %s: read the answer: %w", method, path, err))
	}
	if resp.StatusCode >= 300 {
		var e errorBody
		if json.Unmarshal(data, &e) != nil || e.Code == "" {
			return core.RemoteError(fmt.Errorf("%s %s: HTTP %s: %.200s", method, path, resp.Status, data))
		}
		return &core.Error{Code: e.Code, Message: e.Error, Details: e.Details}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return core.RemoteError(fmt.Errorf("%s %s: decode the answer: %w", method, path, err))
	}
	return nil
}

// send is do with a JSON body (nil for none).
func send[T any](ctx context.Context, r *Remote, method, path string, query url.Values, body any) (T, error) {
	var out T
	var rd io.Reader
	contentType := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return out, core.InvalidRequest("encode the request: %v", err)
		}
		rd, contentType = bytes.NewReader(b), "application/json"
	}
	err := r.do(ctx, method, path, query, contentType, rd, &out)
	return out, err
}

// pageQuery encodes a page selection and extra filters, leaving out zero values.
func pageQuery(p core.PageInput, filters ...string) url.Values {
	q := url.Values{}
	if p.Page > 0 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	for i := 0; i+1 < len(filters); i += 2 {
		if filters[i+1] != "" {
			q.Set(filters[i], filters[i+1])
		}
	}
	return q
}

// CreatePreview implements Backend.
func (r *Remote) CreatePreview(ctx context.Context, doc json.RawMessage) (core.CreatePreviewResult, error) {
	return send[core.CreatePreviewResult](ctx, r, http.MethodPost, "/preview", nil, doc)
}

// GetPreview implements Backend.
func (r *Remote) GetPreview(ctx context.Context, tempID string) (core.PreviewResult, error) {
	return send[core.PreviewResult](ctx, r, http.MethodGet, "/preview/"+url.PathEscape(tempID), nil, nil)
}

// DeletePreview implements Backend.
func (r *Remote) DeletePreview(ctx context.Context, tempID string) (core.DeletePreviewResult, error) {
	return send[core.DeletePreviewResult](ctx, r, http.MethodDelete, "/preview/"+url.PathEscape(tempID), nil, nil)
}

// ConvertPreview implements Backend.
func (r *Remote) ConvertPreview(ctx context.Context, tempID string, opts core.TaskOptions) (core.ConvertPreviewResult, error) {
	return send[core.ConvertPreviewResult](ctx, r, http.MethodPost, "/preview/"+url.PathEscape(tempID)+"/convert", nil, opts)
}

// RenderPreview implements Backend.
func (r *Remote) RenderPreview(ctx context.Context, tempID string, in core.RenderPreviewInput) (core.RenderPreviewResult, error) {
	return send[core.RenderPreviewResult](ctx, r, http.MethodPost, "/preview/"+url.PathEscape(tempID)+"/render", nil, in)
}

// CreateTask implements Backend.
func (r *Remote) CreateTask(ctx context.Context, in core.CreateTaskInput) (core.CreateTaskResult, error) {
	return send[core.CreateTaskResult](ctx, r, http.MethodPost, "/video", nil, in)
}

// ListTasks implements Backend.
func (r *Remote) ListTasks(ctx context.Context, in core.ListTasksInput) (core.ListTasksResult, error) {
	q := pageQuery(in.PageInput, "status", string(in.Status), "category", in.Category)
	return send[core.ListTasksResult](ctx, r, http.MethodGet, "/video", q, nil)
}

// GetTask implements Backend.
func (r *Remote) GetTask(ctx context.Context, taskID string) (core.TaskResult, error) {
	return send[core.TaskResult](ctx, r, http.MethodGet, "/video/"+url.PathEscape(taskID), nil, nil)
}

// DeleteTask implements Backend.
func (r *Remote) DeleteTask(ctx context.Context, taskID string) (core.DeleteTaskResult, error) {
	return send[core.DeleteTaskResult](ctx, r, http.MethodDelete, "/video/"+url.PathEscape(taskID), nil, nil)
}

// RenderTask implements Backend.
func (r *Remote) RenderTask(ctx context.Context, taskID string, in core.RenderInput) (core.RenderResult, error) {
	return send[core.RenderResult](ctx, r, http.MethodPost, "/video/"+url.PathEscape(taskID)+"/render", nil, in)
}

// Upload implements Backend with a multipart request, streamed as it is written.
func (r *Remote) Upload(ctx context.Context, files []core.UploadFile) (core.UploadResult, error) {
	if len(files) == 0 {
		return core.UploadResult{}, core.NoFiles()
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, f := range files {
			name := f.Name
			if name == "" {
				name = "upload" // a part without a file name would be read as a form value, not a file
			}
			part, err := mw.CreateFormFile("files", name)
			if err == nil {
				_, err = io.Copy(part, f.Content)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	var out core.UploadResult
	err := r.do(ctx, http.MethodPost, "/upload", nil, mw.FormDataContentType(), pr, &out)
	pr.Close()
	return out, err
}

// ListFiles implements Backend.
func (r *Remote) ListFiles(ctx context.Context, in core.ListFilesInput) (core.ListFilesResult, error) {
	return send[core.ListFilesResult](ctx, r, http.MethodGet, "/files", pageQuery(in.PageInput, "type", in.Type), nil)
}

// DeleteFile implements Backend.
func (r *Remote) DeleteFile(ctx context.Context, fileID string) (core.DeleteFileResult, error) {
	return send[core.DeleteFileResult](ctx, r, http.MethodDelete, "/files/"+url.PathEscape(fileID), nil, nil)
}

// GetCredits implements Backend.
func (r *Remote) GetCredits(ctx context.Context) (core.CreditsResult, error) {
	return send[core.CreditsResult](ctx, r, http.MethodGet, "/credits", nil, nil)
}

// GetWebhookSecret implements Backend.
func (r *Remote) GetWebhookSecret(ctx context.Context) (core.WebhookSecretResult, error) {
	return send[core.WebhookSecretResult](ctx, r, http.MethodGet, "/webhooks/secret", nil, nil)
}

// GetTaskConfig implements Backend.
func (r *Remote) GetTaskConfig(ctx context.Context, taskID string) (json.RawMessage, error) {
	return send[json.RawMessage](ctx, r, http.MethodGet, "/video/"+url.PathEscape(taskID)+"/config", nil, nil)
}

// GetWebhookAttempts implements Backend.
func (r *Remote) GetWebhookAttempts(ctx context.Context, taskID string) (core.WebhookAttemptsResult, error) {
	return send[core.WebhookAttemptsResult](ctx, r, http.MethodGet, "/video/"+url.PathEscape(taskID)+"/webhooks", nil, nil)
}

// Capabilities implements Backend.
func (r *Remote) Capabilities(ctx context.Context) (core.CapabilitiesResult, error) {
	return send[core.CapabilitiesResult](ctx, r, http.MethodGet, "/capabilities", nil, nil)
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
