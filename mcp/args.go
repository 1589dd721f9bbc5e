package mcp

import (
	"encoding/json"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/schemas"
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
	// Variables fill a document's {{name}} placeholders without saving a template.
	Variables map[string]any `json:"variables,omitempty" jsonschema_description:"Values for the document's {{name}} placeholders, by name, merged before it is checked: every placeholder needs a value and every value a placeholder. A string that is only a placeholder (\"{{price}}\") takes the value with its JSON type (a number, a list of clips); inside longer text the value's text is used."`
	TaskOptionArgs
}

// TemplateArgs name one saved template.
type TemplateArgs struct {
	TemplateID string `json:"templateId" jsonschema:"required,minLength=1" jsonschema_description:"The template's id (starting tpl_), as create_template or list_templates returned it."`
}

// TemplateBodyArgs are a template's content: create_template's arguments and update_template's new
// content.
type TemplateBodyArgs struct {
	Name        string   `json:"name,omitempty" jsonschema:"maxLength=200" jsonschema_description:"A name for the template, shown in lists."`
	Description string   `json:"description,omitempty" jsonschema:"maxLength=2000" jsonschema_description:"What the template makes, for whoever renders it."`
	Document    Document `json:"document" jsonschema:"required"` // described by documentDescription (resultFieldDocs)
	// Variables are keyed by name, as used in {{name}}.
	Variables schemas.Variables `json:"variables,omitempty" jsonschema_description:"The variables, by name (letters, digits, _), each with its type (string, number, color, url, image, video, audio, boolean, list), and optionally required, default, description and constraints (maxLength, min, max, enum). Placeholders without a declaration are reported as warnings."`
}

// input returns the template in core's form.
func (a TemplateBodyArgs) input() core.TemplateInput {
	return core.TemplateInput{Name: a.Name, Description: a.Description, Config: json.RawMessage(a.Document), Variables: a.Variables}
}

// UpdateTemplateArgs are the arguments of update_template.
type UpdateTemplateArgs struct {
	TemplateArgs
	TemplateBodyArgs
}

// ListTemplatesArgs are the arguments of list_templates.
type ListTemplatesArgs struct {
	PageArgs
}

// VariableSetArgs are the values of one render of a template.
type VariableSetArgs struct {
	Variables map[string]any `json:"variables,omitempty" jsonschema_description:"A value for each variable of the template, by name; variables left out take their default (a required one must be given). Each value must be of its variable's type."`
}

// RenderTemplateArgs are the arguments of render_template.
type RenderTemplateArgs struct {
	TemplateArgs
	VariableSetArgs
	TaskOptionArgs
	RenderOptionArgs
}

// PreviewTemplateArgs are the arguments of preview_template.
type PreviewTemplateArgs struct {
	TemplateArgs
	VariableSetArgs
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

// BatchItemArgs are one item of create_batch.
type BatchItemArgs struct {
	Variables map[string]any `json:"variables,omitempty" jsonschema_description:"This video's value for each variable of the template, by name; left-out variables take their default."`
	Metadata  map[string]any `json:"metadata,omitempty" jsonschema_description:"Any JSON object, kept with this item's video and sent with its webhook."`
	Title     string         `json:"title,omitempty" jsonschema:"maxLength=200" jsonschema_description:"A title for this item's video."`
}

// CreateBatchArgs are the arguments of create_batch.
type CreateBatchArgs struct {
	TemplateArgs
	Items []BatchItemArgs `json:"items,omitempty" jsonschema:"maxItems=10000" jsonschema_description:"One entry per video, each with its variables. Give items or csv."`
	CSV   string          `json:"csv,omitempty" jsonschema_description:"The variable sets as CSV text instead of items: a header row of variable names (metadata.<key> columns fill each item's metadata), then one row per video."`
	RenderOptionArgs
	Category string         `json:"category,omitempty" jsonschema:"maxLength=64" jsonschema_description:"A category to file every item's video under (default api)."`
	Metadata map[string]any `json:"metadata,omitempty" jsonschema_description:"Any JSON object, kept with the batch and sent with its batch.completed webhook."`
}

// input returns the batch in core's form.
func (a CreateBatchArgs) input() core.CreateBatchInput {
	in := core.CreateBatchInput{TemplateID: a.TemplateID, WebhookURL: a.WebhookURL, NumWorkers: a.NumWorkers, Category: a.Category}
	if a.Metadata != nil {
		in.Metadata, _ = json.Marshal(a.Metadata) // a decoded JSON object always encodes
	}
	for _, item := range a.Items {
		it := core.BatchItemInput{Variables: item.Variables, Title: item.Title}
		if item.Metadata != nil {
			it.Metadata, _ = json.Marshal(item.Metadata)
		}
		in.Items = append(in.Items, it)
	}
	return in
}

// GetBatchArgs are the arguments of get_batch.
type GetBatchArgs struct {
	BatchID string `json:"batchId" jsonschema:"required,minLength=1" jsonschema_description:"The batch's id (starting batch_), as create_batch returned it."`
	PageArgs
}
