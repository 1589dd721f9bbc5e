// Package core is Framecast's service: every API operation, once, for the HTTP handlers and the MCP tools
// to adapt.
//
// An operation takes the id of the authenticated account and typed input, and returns a typed result
// whose JSON is the documented response body (including "success": true), or an *Error carrying the API
// code and HTTP status. Objects of other accounts are reported as NOT_FOUND.
//
// Records live in a store.Store (SQLite or PostgreSQL), file contents in a blob.Store, and renders are
// queued on a Queue inside the same transaction that charges for them.
//
// The service has two audiences, and a type for each. Service holds the API operations, which the
// adapters call for an account (and the operator commands for accounts, keys and credits). Worker
// (Service.Worker) holds the work behind the API: the render workers' reports (a render started,
// progressed, completed, failed), webhook deliveries, purges, the object store and the draw slots. Each
// consumer declares the methods it uses as a small interface of its own (httpapi.Service,
// mcp.LocalService, player.Service, jobs.Core), so what a request can reach is listed where it is reached.
//
// Config is checked once, by New: zero fields take documented defaults, and a value that cannot be meant
// is a *ConfigError naming the field.
package core

import (
	"context"
	"errors"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
)

// RenderJob is what the queue needs to run one render.
type RenderJob struct {
	TaskID       string
	RenderTaskID string
	AccountID    string
	NumWorkers   int
	WebhookURL   string // "" for no webhook
	// SegmentsTotal is the render's number of reuse segments (render.SegmentCount), known when the render
	// starts, or 0 if unknown (the document could not be cut): no more segment jobs than segments are
	// queued, so none starts only to find it has nothing to draw.
	SegmentsTotal int
	// Reused is a render already completed from an earlier render's output (see RenderTask): nothing is
	// drawn; only its webhook, if any, is to be sent.
	Reused bool
}

// Queue runs renders. The render worker reports back through the Worker side (Service.Worker):
// MarkRenderStarted, SetProgress, CompleteRender and FailRender.
type Queue interface {
	// EnqueueRender queues job inside tx, the transaction that charges for it: if tx rolls back, the job
	// never runs; if enqueueing fails, nothing is charged.
	EnqueueRender(ctx context.Context, tx *store.Tx, job RenderJob) error
	// CancelRender stops the render of task taskID if one is queued or running. It is called after the task
	// was deleted; a render it misses finds out at its next SetProgress (ErrRenderCancelled).
	CancelRender(ctx context.Context, taskID string) error
}

// Service runs the API operations. Its worker-facing side is Worker.
type Service struct {
	cfg   Config
	store *store.Store
	blob  blob.Store
	queue Queue
	now   func() time.Time

	proxies proxyCanceller
	draws   drawSlots
}

// New returns a Service over its stores and queue. cfg's zero fields take their documented defaults; a
// value that cannot be meant (negative, contradictory, a malformed URL) is a *ConfigError naming the field
// and the fix, and no Service.
func New(cfg Config, st *store.Store, bl blob.Store, queue Queue) (*Service, error) {
	cfg, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, store: st, blob: bl, queue: queue, now: time.Now, draws: newDrawSlots(cfg.MaxConcurrentDraws)}, nil
}

// Config returns the settings in effect, defaults filled in.
func (s *Service) Config() Config { return s.cfg }

// Ping checks that the database answers (readiness probes); a failure is REMOTE_ERROR.
func (s *Service) Ping(ctx context.Context) error {
	return fail(s.store.DB().PingContext(ctx))
}

// url returns the absolute URL of path (which starts with "/").
func (s *Service) url(path string) string { return s.cfg.PublicURL + path }

// FilesPath is the path under which the HTTP layer serves blob objects: the object with key K is at
// PublicURL + FilesPath + K.
const FilesPath = "/files/"

// blobURL returns the public URL of the blob object key, "" for "".
func (s *Service) blobURL(key string) string {
	if key == "" {
		return ""
	}
	return s.url(FilesPath + key)
}

// Paths of the pages and endpoints whose URLs the API returns (the HTTP layer serves them).
func taskPreviewPath(taskID string) string   { return "/v/" + taskID }
func taskViewerPath(taskID string) string    { return "/viewer/" + taskID }
func taskConfigPath(taskID string) string    { return "/api/v1/video/" + taskID + "/config" }
func previewPlayerPath(tempID string) string { return "/t/" + tempID }
func previewViewerPath(tempID string) string { return "/preview/" + tempID }

// timestamp formats t as the API does: RFC 3339 in UTC with milliseconds, like JavaScript's toISOString.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// notFound maps store.ErrNotFound to a NOT_FOUND error for what/id and any other error to REMOTE_ERROR.
func notFound(err error, what, id string) error {
	if errors.Is(err, store.ErrNotFound) {
		return NotFound(what, id)
	}
	return fail(err)
}

// fail returns err as an *Error in an error interface: itself when it is one, else a REMOTE_ERROR, since
// the errors core passes here come from its dependencies (database, object store). It returns nil (a true
// nil interface, not a nil *Error) for nil.
func fail(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return RemoteError(err)
}
