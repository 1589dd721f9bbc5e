package mcp

import (
	"context"
	"encoding/json"
	"image"
	"io"

	"github.com/framecast/framecast/core"
)

// LocalService is what Local needs of package core: the API operations behind the tools, each documented
// on core.Service (which implements it). Declared here, at its consumer, it lists exactly what an agent
// can reach in this process; Backend is the same list as the tools see it, for one account.
type LocalService interface {
	// Previews.
	CreatePreview(ctx context.Context, accountID string, raw []byte) (core.CreatePreviewResult, error)
	GetPreview(ctx context.Context, accountID, tempID string) (core.PreviewResult, error)
	DeletePreview(ctx context.Context, accountID, tempID string) (core.DeletePreviewResult, error)
	ConvertPreview(ctx context.Context, accountID, tempID string, opts core.TaskOptions) (core.ConvertPreviewResult, error)
	RenderPreview(ctx context.Context, accountID, tempID string, in core.RenderPreviewInput) (core.RenderPreviewResult, error)

	// Tasks and their renders.
	CreateTask(ctx context.Context, accountID string, in core.CreateTaskInput) (core.CreateTaskResult, error)
	ListTasks(ctx context.Context, accountID string, in core.ListTasksInput) (core.ListTasksResult, error)
	GetTask(ctx context.Context, accountID, taskID string) (core.TaskResult, error)
	DeleteTask(ctx context.Context, accountID, taskID string) (core.DeleteTaskResult, error)
	RenderTask(ctx context.Context, accountID, taskID string, in core.RenderInput) (core.RenderResult, error)
	GetTaskConfig(ctx context.Context, accountID, taskID string) (json.RawMessage, error)
	GetWebhookAttempts(ctx context.Context, accountID, taskID string) (core.WebhookAttemptsResult, error)

	// Files.
	Upload(ctx context.Context, accountID string, files []core.UploadFile) (core.UploadResult, error)
	ListFiles(ctx context.Context, accountID string, in core.ListFilesInput) (core.ListFilesResult, error)
	DeleteFile(ctx context.Context, accountID, fileID string) (core.DeleteFileResult, error)

	// Templates and batches.
	CreateTemplate(ctx context.Context, accountID string, in core.TemplateInput) (core.TemplateResult, error)
	ListTemplates(ctx context.Context, accountID string, in core.PageInput) (core.ListTemplatesResult, error)
	GetTemplate(ctx context.Context, accountID, templateID string) (core.TemplateResult, error)
	UpdateTemplate(ctx context.Context, accountID, templateID string, in core.TemplateInput) (core.TemplateResult, error)
	DeleteTemplate(ctx context.Context, accountID, templateID string) (core.DeleteTemplateResult, error)
	RenderTemplate(ctx context.Context, accountID, templateID string, in core.RenderTemplateInput) (core.RenderTemplateResult, error)
	PreviewTemplate(ctx context.Context, accountID, templateID string, in core.PreviewTemplateInput) (core.PreviewTemplateResult, error)
	CreateBatch(ctx context.Context, accountID string, in core.CreateBatchInput) (core.BatchResult, error)
	CreateBatchFromCSV(ctx context.Context, accountID string, in core.CreateBatchInput, csv io.Reader) (core.BatchResult, error)
	GetBatch(ctx context.Context, accountID, batchID string, in core.GetBatchInput) (core.BatchResult, error)

	// The account and the server.
	GetCredits(ctx context.Context, accountID string) (core.CreditsResult, error)
	GetWebhookSecret(ctx context.Context, accountID string) (core.WebhookSecretResult, error)
	Capabilities(ctx context.Context) (core.CapabilitiesResult, error)

	// Documents: checked, drawn, heard.
	Validate(ctx context.Context, raw json.RawMessage) (core.ValidationResult, error)
	Frames(ctx context.Context, accountID string, in core.FramesInput) ([]image.Image, error)
	AudioPreview(ctx context.Context, accountID string, raw json.RawMessage, cacheDir string) (core.AudioPreviewResult, error)
}
