package mcp

import (
	"encoding/json"

	"github.com/framecast/framecast/core"
)

// The argument types of the tools. Their JSON Schemas, generated with invopop/jsonschema, are the tools'
// input schemas; the names follow the REST API (ids as its results spell them, render options as its
// bodies do).

// DocumentArgs are the arguments of validate_document and create_preview.
type DocumentArgs struct {
	Document Document `json:"document" jsonschema:"required"` // described by documentDescription (resultFieldDocs)
}

// PreviewArgs name one preview.
type PreviewArgs struct {
	TempID string `json:"tempId" jsonschema:"required,minLength=1" jsonschema_description:"The preview's id (tempId, starting temp_), as create_preview returned it."`
}

// TaskOptionArgs are the optional descriptive fields of a new video.
type TaskOptionArgs struct {
	Title    string         `json:"title,omitempty" jsonschema:"maxLength=200" jsonschema_description:"A title for the video, shown in lists."`
	Category string         `json:"category,omitempty" jsonschema:"maxLength=64" jsonschema_description:"A category to file the video under (default api); list_videos can filter by it."`
	Metadata map[string]any `json:"metadata,omitempty" jsonschema_description:"Any JSON object, kept with the video and sent with its webhook."`
}

// options returns the task options in core's form.
func (a TaskOptionArgs) options() core.TaskOptions {
	opts := core.TaskOptions{Title: a.Title, Category: a.Category}
	if a.Metadata != nil {
		opts.Metadata, _ = json.Marshal(a.Metadata) // a decoded JSON object always encodes
	}
	return opts
}

// RenderOptionArgs are the optional settings of a render.
type RenderOptionArgs struct {
	WebhookURL string `json:"webhook_url,omitempty" jsonschema:"format=uri" jsonschema_description:"An http(s) URL that receives a signed POST when the render completes or fails."`
	NumWorkers int    `json:"num_workers,omitempty" jsonschema:"minimum=1,maximum=32" jsonschema_description:"How many segments to render in parallel (default: the server's; see get_capabilities)."`
}

// render returns the render options in core's form.
func (a RenderOptionArgs) render() core.RenderInput {
	return core.RenderInput{WebhookURL: a.WebhookURL, NumWorkers: a.NumWorkers}
}

// ConvertPreviewArgs are the arguments of convert_preview.
type ConvertPreviewArgs struct {
	PreviewArgs
	TaskOptionArgs
}

// RenderPreviewArgs are the arguments of render_preview.
type RenderPreviewArgs struct {
	PreviewArgs
	TaskOptionArgs
	RenderOptionArgs
}

// CreateVideoArgs are the arguments of create_video.
type CreateVideoArgs struct {
	DocumentArgs
	TaskOptionArgs
}

// PageArgs select a page of a list.
type PageArgs struct {
	Page  int `json:"page,omitempty" jsonschema:"minimum=1,default=1" jsonschema_description:"The page, from 1."`
	Limit int `json:"limit,omitempty" jsonschema:"minimum=1,maximum=100,default=20" jsonschema_description:"Items per page."`
}

// page returns the page selection in core's form.
func (a PageArgs) page() core.PageInput { return core.PageInput{Page: a.Page, Limit: a.Limit} }

// ListVideosArgs are the arguments of list_videos.
type ListVideosArgs struct {
	PageArgs
	Status   string `json:"status,omitempty" jsonschema:"enum=created,enum=rendering,enum=completed,enum=failed" jsonschema_description:"Only videos in this state."`
	Category string `json:"category,omitempty" jsonschema_description:"Only videos of this category (all: every category)."`
}

// TaskArgs name one video.
type TaskArgs struct {
	TaskID string `json:"taskId" jsonschema:"required,minLength=1" jsonschema_description:"The video's id (taskId), as create_video, convert_preview or list_videos returned it."`
}

// RenderVideoArgs are the arguments of render_video.
type RenderVideoArgs struct {
	TaskArgs
	RenderOptionArgs
}

// WaitArgs are the arguments of wait_for_video.
type WaitArgs struct {
	TaskArgs
	TimeoutSeconds int `json:"timeout_seconds,omitempty" jsonschema:"minimum=1,maximum=3600,default=600" jsonschema_description:"How long to wait before returning the video still rendering; call again to keep waiting."`
}

// UploadFileArgs are the arguments of upload_file: the file's URL, its content or its local path.
type UploadFileArgs struct {
	URL           string `json:"url,omitempty" jsonschema:"format=uri" jsonschema_description:"A public http(s) URL the server downloads the file from. Give one of url, content_base64 and path."`
	ContentBase64 string `json:"content_base64,omitempty" jsonschema:"contentEncoding=base64" jsonschema_description:"The file's bytes in standard base64 (a data: URL is accepted too). Give one of url, content_base64 and path."`
	Path          string `json:"path,omitempty" jsonschema_description:"The absolute path of a file on this machine: only when the server runs in this process (framecast mcp --stdio without --server). Give one of url, content_base64 and path."`
	Name          string `json:"name,omitempty" jsonschema:"maxLength=255" jsonschema_description:"The file name to keep (default: the URL's last segment, or the file id)."`
}

// ListFilesArgs are the arguments of list_files.
type ListFilesArgs struct {
	PageArgs
	Type string `json:"type,omitempty" jsonschema:"enum=image,enum=video,enum=audio" jsonschema_description:"Only files of this kind."`
}

// FileArgs name one uploaded file.
type FileArgs struct {
	FileID string `json:"fileId" jsonschema:"required,minLength=1" jsonschema_description:"The file's id (starting asset_), as upload_file or list_files returned it."`
}

// NoArgs is the argument object of the tools that take none.
type NoArgs struct{}

// RenderFrameArgs are the arguments of render_frame.
type RenderFrameArgs struct {
	DocumentArgs
	Time  float64 `json:"time,omitempty" jsonschema:"minimum=0,default=0" jsonschema_description:"The moment to draw, in seconds from the start."`
	Width int     `json:"width,omitempty" jsonschema:"minimum=16,maximum=1920" jsonschema_description:"The image width in pixels (default: the video's width, at most 1920); the height follows the aspect ratio."`
}

// RenderFramesArgs are the arguments of render_frames.
type RenderFramesArgs struct {
	DocumentArgs
	Times []float64 `json:"times,omitempty" jsonschema:"maxItems=24" jsonschema_description:"The moments to draw, in seconds. Leave out to spread count frames evenly over the video."`
	Count int       `json:"count,omitempty" jsonschema:"minimum=1,maximum=24,default=6" jsonschema_description:"How many evenly spaced frames to draw when times is not given."`
	Width int       `json:"width,omitempty" jsonschema:"minimum=16,maximum=1920,default=320" jsonschema_description:"The width of each frame in the sheet, in pixels."`
}
