package mcp

import (
	"context"
	"encoding/json"
	"image"

	"github.com/framecast/framecast/core"
)

// Backend is what the MCP tools call: one method per API operation, typed like core's, for one account
// that the backend already knows (a local account id, or the API key a remote backend sends).
//
// Two implementations exist: Local, over a *core.Service in this process, and Remote, a client of a
// Framecast server's REST API. The tools add nothing to what a Backend does beyond turning arguments into
// its inputs and its results (or errors) into MCP results.
type Backend interface {
	// CreatePreview validates a document and keeps it for a while as a free preview.
	CreatePreview(ctx context.Context, doc json.RawMessage) (core.CreatePreviewResult, error)
	// GetPreview returns a live preview and its document.
	GetPreview(ctx context.Context, tempID string) (core.PreviewResult, error)
	// DeletePreview removes a preview.
	DeletePreview(ctx context.Context, tempID string) (core.DeletePreviewResult, error)
	// ConvertPreview copies a preview into a new task, without rendering it.
	ConvertPreview(ctx context.Context, tempID string, opts core.TaskOptions) (core.ConvertPreviewResult, error)
	// RenderPreview converts a preview into a task and starts its paid render.
	RenderPreview(ctx context.Context, tempID string, in core.RenderPreviewInput) (core.RenderPreviewResult, error)

	// CreateTask validates a document and stores it as a task (a video), without rendering it.
	CreateTask(ctx context.Context, in core.CreateTaskInput) (core.CreateTaskResult, error)
	// ListTasks returns a page of tasks, newest first.
	ListTasks(ctx context.Context, in core.ListTasksInput) (core.ListTasksResult, error)
	// GetTask returns one task: its status, progress and, once completed, its video URL.
	GetTask(ctx context.Context, taskID string) (core.TaskResult, error)
	// DeleteTask removes a task and its outputs, cancelling (and refunding) a render in flight.
	DeleteTask(ctx context.Context, taskID string) (core.DeleteTaskResult, error)
	// RenderTask charges for and queues the render of a task.
	RenderTask(ctx context.Context, taskID string, in core.RenderInput) (core.RenderResult, error)
	// GetTaskConfig returns the stored document of a task, as it can be posted again.
	GetTaskConfig(ctx context.Context, taskID string) (json.RawMessage, error)
	// GetWebhookAttempts returns the webhook delivery attempts of a task, oldest first.
	GetWebhookAttempts(ctx context.Context, taskID string) (core.WebhookAttemptsResult, error)

	// CreateTemplate checks and saves a template: a document with {{name}} placeholders and its variables.
	CreateTemplate(ctx context.Context, in core.TemplateInput) (core.TemplateResult, error)
	// ListTemplates returns a page of saved templates, newest first.
	ListTemplates(ctx context.Context, in core.PageInput) (core.ListTemplatesResult, error)
	// GetTemplate returns a saved template with its document.
	GetTemplate(ctx context.Context, templateID string) (core.TemplateResult, error)
	// UpdateTemplate replaces a saved template; its version goes up by one.
	UpdateTemplate(ctx context.Context, templateID string, in core.TemplateInput) (core.TemplateResult, error)
	// DeleteTemplate removes a saved template.
	DeleteTemplate(ctx context.Context, templateID string) (core.DeleteTemplateResult, error)
	// RenderTemplate merges a variable set into a template and renders it as a new task.
	RenderTemplate(ctx context.Context, templateID string, in core.RenderTemplateInput) (core.RenderTemplateResult, error)
	// PreviewTemplate merges a variable set into a template and keeps it as a free preview.
	PreviewTemplate(ctx context.Context, templateID string, in core.PreviewTemplateInput) (core.PreviewTemplateResult, error)

	// CreateBatch renders a template with many variable sets, each as a new task.
	CreateBatch(ctx context.Context, in core.CreateBatchInput) (core.BatchResult, error)
	// CreateBatchFromCSV is CreateBatch with the variable sets as the rows of a CSV.
	CreateBatchFromCSV(ctx context.Context, in core.CreateBatchInput, csv string) (core.BatchResult, error)
	// GetBatch returns a batch's counts, progress and a page of its items.
	GetBatch(ctx context.Context, batchID string, in core.GetBatchInput) (core.BatchResult, error)

	// Upload stores media files (all or none).
	Upload(ctx context.Context, files []core.UploadFile) (core.UploadResult, error)
	// ListFiles returns a page of uploaded files.
	ListFiles(ctx context.Context, in core.ListFilesInput) (core.ListFilesResult, error)
	// DeleteFile removes an uploaded file.
	DeleteFile(ctx context.Context, fileID string) (core.DeleteFileResult, error)

	// GetCredits returns the credit balance.
	GetCredits(ctx context.Context) (core.CreditsResult, error)
	// GetWebhookSecret returns the secret the account's webhooks are signed with.
	GetWebhookSecret(ctx context.Context) (core.WebhookSecretResult, error)
	// Capabilities describes what the server accepts: clip types, easings, qualities and prices, limits.
	Capabilities(ctx context.Context) (core.CapabilitiesResult, error)

	// Validate checks a document against the protocol and the server's limits, for free.
	Validate(ctx context.Context, doc json.RawMessage) (ValidationResult, error)
	// Frames draws the frames of a valid document at the given times (seconds), width px wide (0: the
	// document's width), for free.
	Frames(ctx context.Context, doc json.RawMessage, times []float64, width int) ([]image.Image, error)
	// AudioPreview mixes the soundtrack of a valid document as its render would, for free.
	AudioPreview(ctx context.Context, doc json.RawMessage) (core.AudioPreviewResult, error)
}

// ValidationResult is the outcome of validate_document: core's one validation (core.ValidationResult).
type ValidationResult = core.ValidationResult
