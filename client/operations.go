package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"
)

// The methods below are the REST API's operations, one each, named after their operationId in the
// OpenAPI document.

// CreateVideo validates a document and stores it as a video (a task) in status created, without rendering
// it; nothing is charged. An invalid document is an *Error with CodeInvalidConfig, its problems in Details.
func (c *Client) CreateVideo(ctx context.Context, in CreateVideoInput) (*CreateVideoResult, error) {
	return call[CreateVideoResult](ctx, c, http.MethodPost, "/video", nil, in)
}

// ListVideos returns a page of videos, newest first.
func (c *Client) ListVideos(ctx context.Context, opts ListVideosOptions) (*VideoList, error) {
	q := pageQuery(opts.Page, opts.Limit, "status", string(opts.Status), "category", opts.Category)
	return call[VideoList](ctx, c, http.MethodGet, "/video", q, nil)
}

// GetVideo returns a video: its status, its progress while it renders, its URL once completed.
func (c *Client) GetVideo(ctx context.Context, taskID string) (*Video, error) {
	if taskID == "" {
		return nil, errEmptyID
	}
	return call[Video](ctx, c, http.MethodGet, pathOf("video", taskID), nil, nil)
}

// DeleteVideo removes a video and its outputs; a render in flight is cancelled and refunded.
func (c *Client) DeleteVideo(ctx context.Context, taskID string) (*DeleteVideoResult, error) {
	if taskID == "" {
		return nil, errEmptyID
	}
	return call[DeleteVideoResult](ctx, c, http.MethodDelete, pathOf("video", taskID), nil, nil)
}

// RenderVideo charges for and queues the render of a video. A completed video answers AlreadyRendered
// with its VideoURL and charges nothing.
func (c *Client) RenderVideo(ctx context.Context, taskID string, opts RenderOptions) (*RenderResult, error) {
	if taskID == "" {
		return nil, errEmptyID
	}
	return call[RenderResult](ctx, c, http.MethodPost, pathOf("video", taskID, "render"), nil, opts)
}

// GetVideoConfig returns the stored document of a video, as it can be posted again.
func (c *Client) GetVideoConfig(ctx context.Context, taskID string) (json.RawMessage, error) {
	if taskID == "" {
		return nil, errEmptyID
	}
	doc, err := call[json.RawMessage](ctx, c, http.MethodGet, pathOf("video", taskID, "config"), nil, nil)
	if err != nil {
		return nil, err
	}
	return *doc, nil
}

// ListVideoWebhooks returns the attempts to deliver a video's webhooks, oldest first.
func (c *Client) ListVideoWebhooks(ctx context.Context, taskID string) (*WebhookAttempts, error) {
	if taskID == "" {
		return nil, errEmptyID
	}
	return call[WebhookAttempts](ctx, c, http.MethodGet, pathOf("video", taskID, "webhooks"), nil, nil)
}

// CreatePreview validates a document (a json.RawMessage, a map, or any value that encodes to it) and
// keeps it for 7 days as a free preview with a shareable player.
func (c *Client) CreatePreview(ctx context.Context, doc any) (*CreatePreviewResult, error) {
	return call[CreatePreviewResult](ctx, c, http.MethodPost, "/preview", nil, doc)
}

// GetPreview returns a live preview and its document.
func (c *Client) GetPreview(ctx context.Context, tempID string) (*Preview, error) {
	if tempID == "" {
		return nil, errEmptyID
	}
	return call[Preview](ctx, c, http.MethodGet, pathOf("preview", tempID), nil, nil)
}

// DeletePreview removes a preview.
func (c *Client) DeletePreview(ctx context.Context, tempID string) (*DeletePreviewResult, error) {
	if tempID == "" {
		return nil, errEmptyID
	}
	return call[DeletePreviewResult](ctx, c, http.MethodDelete, pathOf("preview", tempID), nil, nil)
}

// ConvertPreview copies a preview's document into a new video, without rendering it.
func (c *Client) ConvertPreview(ctx context.Context, tempID string, opts TaskOptions) (*ConvertPreviewResult, error) {
	if tempID == "" {
		return nil, errEmptyID
	}
	return call[ConvertPreviewResult](ctx, c, http.MethodPost, pathOf("preview", tempID, "convert"), nil, opts)
}

// RenderPreview converts a preview into a new video and starts its (paid) render.
func (c *Client) RenderPreview(ctx context.Context, tempID string, opts RenderPreviewOptions) (*RenderPreviewResult, error) {
	if tempID == "" {
		return nil, errEmptyID
	}
	return call[RenderPreviewResult](ctx, c, http.MethodPost, pathOf("preview", tempID, "render"), nil, opts)
}

// UploadFile is one file of an upload: its name and content, streamed as it is read.
type UploadFile struct {
	Name    string
	Content io.Reader
}

// UploadFiles uploads media files, all or none, streaming them from their readers. The server decides
// each file's type from its content.
func (c *Client) UploadFiles(ctx context.Context, files ...UploadFile) (*UploadResult, error) {
	if len(files) == 0 {
		return nil, errors.New("framecast: upload: no file")
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
	out := new(UploadResult)
	err := c.do(ctx, http.MethodPost, "/upload", nil, mw.FormDataContentType(), pr, out)
	pr.Close() // stops the writer if the request ended before reading the whole body
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListFiles returns a page of uploaded files, newest first.
func (c *Client) ListFiles(ctx context.Context, opts ListFilesOptions) (*FileList, error) {
	return call[FileList](ctx, c, http.MethodGet, "/files", pageQuery(opts.Page, opts.Limit, "type", opts.Type), nil)
}

// DeleteFile removes an uploaded file.
func (c *Client) DeleteFile(ctx context.Context, fileID string) (*DeleteFileResult, error) {
	if fileID == "" {
		return nil, errEmptyID
	}
	return call[DeleteFileResult](ctx, c, http.MethodDelete, pathOf("files", fileID), nil, nil)
}

// GetCredits returns the account's credit balance.
func (c *Client) GetCredits(ctx context.Context) (*Credits, error) {
	return call[Credits](ctx, c, http.MethodGet, "/credits", nil, nil)
}

// GetWebhookSecret returns the secret the account's webhooks are signed with.
func (c *Client) GetWebhookSecret(ctx context.Context) (*WebhookSecret, error) {
	return call[WebhookSecret](ctx, c, http.MethodGet, "/webhooks/secret", nil, nil)
}

// GetCapabilities describes what the server accepts; it needs no valid key.
func (c *Client) GetCapabilities(ctx context.Context) (*Capabilities, error) {
	return call[Capabilities](ctx, c, http.MethodGet, "/capabilities", nil, nil)
}

// ErrVideoFailed is returned (wrapped, with the server's message) by WaitForVideo when the render failed.
var ErrVideoFailed = errors.New("framecast: the render failed")

// WaitForVideo polls a video until its render has ended and returns it: completed, or failed with an
// error that wraps ErrVideoFailed. progress, when not nil, is called with the video after each poll (its
// Progress goes from 0 to 1 while it renders). It stops with ctx's error when ctx ends, and with the first
// error of a poll.
func (c *Client) WaitForVideo(ctx context.Context, taskID string, progress func(*Video)) (*Video, error) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
		}
		v, err := c.GetVideo(ctx, taskID)
		if err != nil {
			return nil, err
		}
		if progress != nil {
			progress(v)
		}
		switch v.Status {
		case StatusCompleted:
			return v, nil
		case StatusFailed:
			return v, fmt.Errorf("%w: %s", ErrVideoFailed, v.Error)
		}
		timer.Reset(c.pollInterval)
	}
}
