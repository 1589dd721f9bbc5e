package httpapi

import (
	"context"
	"encoding/json"
	"io"

	"github.com/framecast/framecast/core"
)

// Service is what the handlers need of package core: the API operations they adapt, each documented on
// core.Service (which implements it), and nothing of the worker side (core.Worker). The interface is
// declared here, at its consumer, so that it lists exactly what HTTP can reach: a handler that calls a new
// core operation adds that method here, and the compiler checks the rest.
type Service interface {
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

	// Files.
	Upload(ctx context.Context, accountID string, files []core.UploadFile) (core.UploadResult, error)
	ListFiles(ctx context.Context, accountID string, in core.ListFilesInput) (core.ListFilesResult, error)
	DeleteFile(ctx context.Context, accountID, fileID string) (core.DeleteFileResult, error)
	OpenStoredFile(ctx context.Context, key string) (core.StoredFile, error)

	// The account and the server.
	Authenticate(ctx context.Context, plainKey string) (core.Account, error)
	GetCredits(ctx context.Context, accountID string) (core.CreditsResult, error)
	GetWebhookSecret(ctx context.Context, accountID string) (core.WebhookSecretResult, error)
	Capabilities(ctx context.Context) (core.CapabilitiesResult, error)
	Ping(ctx context.Context) error
	Config() core.Config
}
