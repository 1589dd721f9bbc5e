package jobs

import (
	"context"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/render/assets"
)

// Core is what the queue needs of the service: the worker-facing side of package core (core.Worker,
// obtained with Service.Worker), and nothing of the API operations. Jobs report a render's start,
// progress and end, read and write the object store, deliver and record webhooks and purge expired
// previews; each of these methods is documented on core.Worker.
type Core interface {
	MarkRenderStarted(ctx context.Context, taskID, renderTaskID string) (core.RenderSpec, error)
	SetProgress(ctx context.Context, taskID, renderTaskID string, progress float64) error
	CompleteRender(ctx context.Context, taskID, renderTaskID, videoKey, thumbKey string, size int64) error
	FailRender(ctx context.Context, taskID, renderTaskID, reason string) error
	RecordRenderReuse(ctx context.Context, taskID, renderTaskID string, r store.RenderReuse) error

	WebhookFor(ctx context.Context, taskID, renderTaskID string) (core.WebhookDelivery, bool, error)
	BatchOfTask(ctx context.Context, taskID string) (string, error)
	BatchWebhookFor(ctx context.Context, batchID string) (core.BatchWebhookDelivery, bool, error)
	RecordWebhookAttempt(ctx context.Context, a core.WebhookAttempt) error
	PurgeExpiredPreviews(ctx context.Context, now time.Time) (int64, error)

	Blob() blob.Store
	AssetOptions(accountID, cacheDir string) assets.Options
}

var _ Core = (*core.Worker)(nil)
