package console

import (
	"context"
	"encoding/json"
	"image"

	"github.com/framecast/framecast/core"
)

// Service is what the console needs of core: the account's own operations (the same ones the REST API
// and the MCP tools call), sessions, and the operators' view. *core.Service implements it; declaring it
// here, as httpapi, mcp and player do, keeps the console's reach into core visible in one place.
type Service interface {
	Config() core.Config
	Validate(ctx context.Context, raw json.RawMessage) (core.ValidationResult, error)
	Frames(ctx context.Context, accountID string, in core.FramesInput) ([]image.Image, error)

	// Sessions (sign-in with an API key, sign-out).
	CreateSession(ctx context.Context, plainKey string) (core.SessionGrant, error)
	SessionAccount(ctx context.Context, token string) (core.Session, core.Account, error)
	EndSession(ctx context.Context, token string) error

	// The account's pages.
	AccountOverview(ctx context.Context, accountID string) (core.Overview, error)
	CreateTask(ctx context.Context, accountID string, in core.CreateTaskInput) (core.CreateTaskResult, error)
	GetTask(ctx context.Context, accountID, taskID string) (core.TaskResult, error)
	GetTaskConfig(ctx context.Context, accountID, taskID string) (json.RawMessage, error)
	GetTaskTimeline(ctx context.Context, accountID, taskID string) (core.TaskTimeline, error)
	ListTasks(ctx context.Context, accountID string, in core.ListTasksInput) (core.ListTasksResult, error)
	RenderTask(ctx context.Context, accountID, taskID string, in core.RenderInput) (core.RenderResult, error)
	DeleteTask(ctx context.Context, accountID, taskID string) (core.DeleteTaskResult, error)
	CreatePreview(ctx context.Context, accountID string, raw []byte) (core.CreatePreviewResult, error)
	ListPreviews(ctx context.Context, accountID string, in core.PageInput) (core.ListPreviewsResult, error)
	DeletePreview(ctx context.Context, accountID, tempID string) (core.DeletePreviewResult, error)
	Upload(ctx context.Context, accountID string, files []core.UploadFile) (core.UploadResult, error)
	ListFiles(ctx context.Context, accountID string, in core.ListFilesInput) (core.ListFilesResult, error)
	DeleteFile(ctx context.Context, accountID, fileID string) (core.DeleteFileResult, error)
	CreateKey(ctx context.Context, accountID, name string) (plain string, key core.Key, err error)
	ListKeys(ctx context.Context, accountID string) ([]core.Key, error)
	RevokeKey(ctx context.Context, accountID, keyID string) error
	GetCredits(ctx context.Context, accountID string) (core.CreditsResult, error)
	Ledger(ctx context.Context, accountID string) ([]core.LedgerEntry, error)
	GetWebhookSecret(ctx context.Context, accountID string) (core.WebhookSecretResult, error)
	RotateWebhookSecret(ctx context.Context, accountID string) (string, error)
	GetWebhookAttempts(ctx context.Context, accountID, taskID string) (core.WebhookAttemptsResult, error)
	RedeliverWebhook(ctx context.Context, accountID, taskID string) error
	SendTestWebhook(ctx context.Context, accountID, url string) (core.TestWebhookResult, error)

	// Operators only (core checks the operator flag of operatorID).
	OperatorListAccounts(ctx context.Context, operatorID string) ([]core.Account, error)
	OperatorCreateAccount(ctx context.Context, operatorID, name string) (core.Account, error)
	OperatorGrantCredits(ctx context.Context, operatorID, accountID string, n int64, reason string) (int64, error)
	OperatorSetAccountDisabled(ctx context.Context, operatorID, accountID string, disabled bool) error
	OperatorQueue(ctx context.Context, operatorID string, limit int) (core.QueueSnapshot, error)
}

var _ Service = (*core.Service)(nil)
