package mcp

import (
	"context"
	"encoding/json"
	"image"

	"github.com/framecast/framecast/core"
)

// Local is the Backend over a *core.Service in this process, acting for one account: the one given to
// NewLocal, or, when that is "", the account that the HTTP layer put in each request's context
// (core.WithAccountID).
type Local struct {
	svc       LocalService
	accountID string
}

// NewLocal returns the Backend of svc for the account accountID ("" for the account of each call's
// context).
func NewLocal(svc LocalService, accountID string) *Local {
	return &Local{svc: svc, accountID: accountID}
}

// ContextWithAccount returns ctx carrying the id of the account that a Local backend created with no
// account acts for (core.WithAccountID).
func ContextWithAccount(ctx context.Context, accountID string) context.Context {
	return core.WithAccountID(ctx, accountID)
}

// AccountFromContext returns the account id put in ctx by ContextWithAccount, "" if none.
func AccountFromContext(ctx context.Context) string { return core.AccountIDFrom(ctx) }

// account returns the account of a call: the backend's own, else the context's. No account at all is
// MISSING_API_KEY, which only a wiring mistake can cause.
func (l *Local) account(ctx context.Context) (string, error) {
	if l.accountID != "" {
		return l.accountID, nil
	}
	if id := AccountFromContext(ctx); id != "" {
		return id, nil
	}
	return "", core.MissingAPIKey()
}

// call runs op for the call's account.
func call[T any](ctx context.Context, l *Local, op func(accountID string) (T, error)) (T, error) {
	id, err := l.account(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	return op(id)
}

// CreatePreview implements Backend.
func (l *Local) CreatePreview(ctx context.Context, doc json.RawMessage) (core.CreatePreviewResult, error) {
	return call(ctx, l, func(a string) (core.CreatePreviewResult, error) { return l.svc.CreatePreview(ctx, a, doc) })
}

// GetPreview implements Backend.
func (l *Local) GetPreview(ctx context.Context, tempID string) (core.PreviewResult, error) {
	return call(ctx, l, func(a string) (core.PreviewResult, error) { return l.svc.GetPreview(ctx, a, tempID) })
}

// DeletePreview implements Backend.
func (l *Local) DeletePreview(ctx context.Context, tempID string) (core.DeletePreviewResult, error) {
	return call(ctx, l, func(a string) (core.DeletePreviewResult, error) { return l.svc.DeletePreview(ctx, a, tempID) })
}

// ConvertPreview implements Backend.
func (l *Local) ConvertPreview(ctx context.Context, tempID string, opts core.TaskOptions) (core.ConvertPreviewResult, error) {
	return call(ctx, l, func(a string) (core.ConvertPreviewResult, error) { return l.svc.ConvertPreview(ctx, a, tempID, opts) })
}

// RenderPreview implements Backend.
func (l *Local) RenderPreview(ctx context.Context, tempID string, in core.RenderPreviewInput) (core.RenderPreviewResult, error) {
	return call(ctx, l, func(a string) (core.RenderPreviewResult, error) { return l.svc.RenderPreview(ctx, a, tempID, in) })
}

// CreateTask implements Backend.
func (l *Local) CreateTask(ctx context.Context, in core.CreateTaskInput) (core.CreateTaskResult, error) {
	return call(ctx, l, func(a string) (core.CreateTaskResult, error) { return l.svc.CreateTask(ctx, a, in) })
}

// ListTasks implements Backend.
func (l *Local) ListTasks(ctx context.Context, in core.ListTasksInput) (core.ListTasksResult, error) {
	return call(ctx, l, func(a string) (core.ListTasksResult, error) { return l.svc.ListTasks(ctx, a, in) })
}

// GetTask implements Backend.
func (l *Local) GetTask(ctx context.Context, taskID string) (core.TaskResult, error) {
	return call(ctx, l, func(a string) (core.TaskResult, error) { return l.svc.GetTask(ctx, a, taskID) })
}

// DeleteTask implements Backend.
func (l *Local) DeleteTask(ctx context.Context, taskID string) (core.DeleteTaskResult, error) {
	return call(ctx, l, func(a string) (core.DeleteTaskResult, error) { return l.svc.DeleteTask(ctx, a, taskID) })
}

// RenderTask implements Backend.
func (l *Local) RenderTask(ctx context.Context, taskID string, in core.RenderInput) (core.RenderResult, error) {
	return call(ctx, l, func(a string) (core.RenderResult, error) { return l.svc.RenderTask(ctx, a, taskID, in) })
}

// GetTaskConfig implements Backend.
func (l *Local) GetTaskConfig(ctx context.Context, taskID string) (json.RawMessage, error) {
	return call(ctx, l, func(a string) (json.RawMessage, error) { return l.svc.GetTaskConfig(ctx, a, taskID) })
}

// GetWebhookAttempts implements Backend.
func (l *Local) GetWebhookAttempts(ctx context.Context, taskID string) (core.WebhookAttemptsResult, error) {
	return call(ctx, l, func(a string) (core.WebhookAttemptsResult, error) { return l.svc.GetWebhookAttempts(ctx, a, taskID) })
}

// Upload implements Backend.
func (l *Local) Upload(ctx context.Context, files []core.UploadFile) (core.UploadResult, error) {
	return call(ctx, l, func(a string) (core.UploadResult, error) { return l.svc.Upload(ctx, a, files) })
}

// ListFiles implements Backend.
func (l *Local) ListFiles(ctx context.Context, in core.ListFilesInput) (core.ListFilesResult, error) {
	return call(ctx, l, func(a string) (core.ListFilesResult, error) { return l.svc.ListFiles(ctx, a, in) })
}

// DeleteFile implements Backend.
func (l *Local) DeleteFile(ctx context.Context, fileID string) (core.DeleteFileResult, error) {
	return call(ctx, l, func(a string) (core.DeleteFileResult, error) { return l.svc.DeleteFile(ctx, a, fileID) })
}

// GetCredits implements Backend.
func (l *Local) GetCredits(ctx context.Context) (core.CreditsResult, error) {
	return call(ctx, l, func(a string) (core.CreditsResult, error) { return l.svc.GetCredits(ctx, a) })
}

// GetWebhookSecret implements Backend.
func (l *Local) GetWebhookSecret(ctx context.Context) (core.WebhookSecretResult, error) {
	return call(ctx, l, func(a string) (core.WebhookSecretResult, error) { return l.svc.GetWebhookSecret(ctx, a) })
}

// Capabilities implements Backend.
func (l *Local) Capabilities(ctx context.Context) (core.CapabilitiesResult, error) {
	return l.svc.Capabilities(ctx)
}

// Validate implements Backend: core's validation, with the service's limits and media rules.
func (l *Local) Validate(ctx context.Context, doc json.RawMessage) (ValidationResult, error) {
	return l.svc.Validate(ctx, doc)
}

// Frames implements Backend: the engine draws in this process (core.Service.Frames).
func (l *Local) Frames(ctx context.Context, doc json.RawMessage, times []float64, width int) ([]image.Image, error) {
	return call(ctx, l, func(a string) ([]image.Image, error) {
		return l.svc.Frames(ctx, a, core.FramesInput{Document: doc, Times: times, Width: width})
	})
}

// AudioPreview implements Backend with the service's AudioPreview.
func (l *Local) AudioPreview(ctx context.Context, doc json.RawMessage) (core.AudioPreviewResult, error) {
	return call(ctx, l, func(a string) (core.AudioPreviewResult, error) {
		return l.svc.AudioPreview(ctx, a, doc, "")
	})
}
