package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/framecast/framecast/netguard"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/framecast/framecast/core/store"
)

// Limits on the free-text fields of a task.
const (
	maxTitleLength    = 200
	maxCategoryLength = 64
	// defaultCategory is the category of a task created without one.
	defaultCategory = "api"
	// allCategories, as a ListTasks category, lists every category; no task may be filed under it.
	allCategories = "all"
)

// TaskOptions are the optional descriptive fields of a new task.
type TaskOptions struct {
	Metadata json.RawMessage `json:"metadata,omitempty"` // a JSON object, returned with the task and its webhook
	Title    string          `json:"title,omitempty"`
	Category string          `json:"category,omitempty"` // default "api"
}

// CreateTaskInput is the body of POST /api/v1/video.
type CreateTaskInput struct {
	Config json.RawMessage `json:"config"` // the video document
	// Variables, when given, are merged into the document's {{name}} placeholders first (Framecast's
	// addition): every placeholder needs a value and every value a placeholder; a string that is only a
	// placeholder takes the value with its JSON type.
	Variables map[string]any `json:"variables,omitempty"`
	TaskOptions
}

// CreateTaskResult is the response of POST /api/v1/video.
type CreateTaskResult struct {
	Success     bool            `json:"success"`
	TaskID      string          `json:"taskId"`
	VideoTaskID string          `json:"videoTaskId"`
	Status      TaskStatus      `json:"status"`
	PreviewURL  string          `json:"previewUrl"`
	ViewerURL   string          `json:"viewerUrl"`
	ConfigURL   string          `json:"configUrl"`
	Title       string          `json:"title,omitempty"`
	Category    string          `json:"category"`
	Metadata    json.RawMessage `json:"metadata"`
	Width       int             `json:"width"`
	Height      int             `json:"height"`
	Duration    float64         `json:"duration"`
	Message     string          `json:"message"`
	Warnings    []Problem       `json:"warnings,omitempty"`
}

// TaskView is a task as the API shows it (GET /api/v1/video/{taskId}, and each entry of the list).
type TaskView struct {
	TaskID       string          `json:"taskId"`
	VideoTaskID  string          `json:"videoTaskId"`
	RenderTaskID string          `json:"renderTaskId,omitempty"`
	Title        string          `json:"title,omitempty"`
	Category     string          `json:"category"`
	Status       TaskStatus      `json:"status"`
	Width        int             `json:"width"`
	Height       int             `json:"height"`
	FPS          float64         `json:"fps"`
	Duration     float64         `json:"duration"`
	Quality      string          `json:"quality"`
	CostCredits  int64           `json:"costCredits"` // what the latest render charged; 0 before and after a refund
	VideoURL     string          `json:"videoUrl,omitempty"`
	ThumbnailURL string          `json:"thumbnailUrl,omitempty"`
	PreviewURL   string          `json:"previewUrl"`
	ViewerURL    string          `json:"viewerUrl"`
	ConfigURL    string          `json:"configUrl"`
	Metadata     json.RawMessage `json:"metadata"`
	Error        string          `json:"error,omitempty"`
	Progress     *float64        `json:"progress,omitempty"` // 0..1, while rendering
	CreatedAt    string          `json:"createdAt"`
	UpdatedAt    string          `json:"updatedAt"`
	CompletedAt  string          `json:"completedAt,omitempty"`

	RenderReuse

	// TemplateID and TemplateVersion name the saved template and version the document was merged from.
	TemplateID      string `json:"templateId,omitempty"`
	TemplateVersion int64  `json:"templateVersion,omitempty"`
	// BatchID names the batch the task is an item of.
	BatchID string `json:"batchId,omitempty"`
}

// TaskResult is the response of GET /api/v1/video/{taskId}.
type TaskResult struct {
	Success bool `json:"success"`
	TaskView
}

// ListTasksInput is the query of GET /api/v1/video.
type ListTasksInput struct {
	PageInput
	Status   TaskStatus // "" for all
	Category string     // "" or "all" for all
	Search   string     // "" for all; else the tasks whose title or id contains it (the console's search)
}

// ListTasksResult is the response of GET /api/v1/video.
type ListTasksResult struct {
	Success    bool       `json:"success"`
	Tasks      []TaskView `json:"tasks"`
	Pagination Pagination `json:"pagination"`
}

// DeleteTaskResult is the response of DELETE /api/v1/video/{taskId}.
type DeleteTaskResult struct {
	Success       bool   `json:"success"`
	TaskID        string `json:"taskId"`
	VideoTaskID   string `json:"videoTaskId"`
	Deleted       bool   `json:"deleted"`
	RemoteDeleted bool   `json:"remoteDeleted"` // false when an output object could not be removed
	Message       string `json:"message"`
}

// RenderInput is the body of POST /api/v1/video/{taskId}/render (all optional).
type RenderInput struct {
	WebhookURL string `json:"webhook_url,omitempty"`
	NumWorkers int    `json:"num_workers,omitempty"` // segments; 0 for the server default, capped at the maximum
}

// RenderResult is the response of POST /api/v1/video/{taskId}/render.
type RenderResult struct {
	Success          bool       `json:"success"`
	TaskID           string     `json:"taskId"`
	RenderTaskID     string     `json:"renderTaskId"`
	Status           TaskStatus `json:"status"` // rendering, or completed when AlreadyRendered
	Quality          string     `json:"quality"`
	Width            int        `json:"width"`
	Height           int        `json:"height"`
	Cost             int64      `json:"cost"`
	RemainingCredits int64      `json:"remainingCredits"`
	PreviewURL       string     `json:"previewUrl"`
	ViewerURL        string     `json:"viewerUrl"`
	ConfigURL        string     `json:"configUrl"`
	Message          string     `json:"message"`
	AlreadyRendered  bool       `json:"alreadyRendered,omitempty"`
	VideoURL         string     `json:"videoUrl,omitempty"`
	RenderReuse
}

// CreateTask validates and stores a document as a new task; it does not render it. With an idempotency
// key in ctx (WithIdempotency), a repeat gets the first call's answer.
func (s *Service) CreateTask(ctx context.Context, accountID string, in CreateTaskInput) (CreateTaskResult, error) {
	return idempotent(ctx, s, accountID, "create_task", in, func() (CreateTaskResult, error) {
		return s.createTask(ctx, accountID, in)
	})
}

func (s *Service) createTask(ctx context.Context, accountID string, in CreateTaskInput) (CreateTaskResult, error) {
	if raw := strings.TrimSpace(string(in.Config)); raw == "" || raw == "null" {
		return CreateTaskResult{}, InvalidRequest(`config is required: send {"config": <video document>}`)
	}
	raw := []byte(in.Config)
	if in.Variables != nil {
		merged, err := inlineMerge(raw, in.Variables)
		if err != nil {
			return CreateTaskResult{}, err
		}
		raw = merged
	}
	config, info, warnings, err := s.validateDocument(raw)
	if err != nil {
		return CreateTaskResult{}, err
	}
	t, err := s.insertTask(ctx, s.store, accountID, string(config), info, in.TaskOptions)
	if err != nil {
		return CreateTaskResult{}, err
	}
	return CreateTaskResult{
		Success: true, TaskID: t.ID, VideoTaskID: t.VideoTaskID, Status: TaskStatus(t.Status),
		PreviewURL: s.url(taskPreviewPath(t.ID)), ViewerURL: s.url(taskViewerPath(t.ID)), ConfigURL: s.url(taskConfigPath(t.ID)),
		Title: t.Title, Category: t.Category, Metadata: json.RawMessage(t.Metadata),
		Width: t.Width, Height: t.Height, Duration: t.Duration,
		Message:  "Task created. Render it with POST /api/v1/video/" + t.ID + "/render",
		Warnings: warnings,
	}, nil
}

// taskInserter is a Store or a Tx.
type taskInserter interface {
	InsertTask(ctx context.Context, t store.Task) error
	documentCounter
}

// insertTask checks opts and stores a new task for a validated document.
func (s *Service) insertTask(ctx context.Context, q taskInserter, accountID, config string, info docInfo, opts TaskOptions) (store.Task, error) {
	return s.insertTaskFrom(ctx, q, accountID, config, info, opts, taskOrigin{})
}

// insertTaskFrom is insertTask for a document merged from a saved template, or an item of a batch.
func (s *Service) insertTaskFrom(ctx context.Context, q taskInserter, accountID, config string, info docInfo, opts TaskOptions, from taskOrigin) (store.Task, error) {
	metadata, err := objectJSON(opts.Metadata, "metadata")
	if err != nil {
		return store.Task{}, err
	}
	title := strings.TrimSpace(opts.Title)
	if utf8.RuneCountInString(title) > maxTitleLength {
		return store.Task{}, InvalidRequest("title is longer than %d characters", maxTitleLength)
	}
	category := strings.TrimSpace(opts.Category)
	switch {
	case category == "":
		category = defaultCategory
	case category == allCategories:
		return store.Task{}, InvalidRequest("category %q is reserved for listing every category", allCategories)
	case utf8.RuneCountInString(category) > maxCategoryLength:
		return store.Task{}, InvalidRequest("category is longer than %d characters", maxCategoryLength)
	}
	if !from.roomChecked {
		if err := s.checkDocumentRoom(ctx, q, accountID, len(config), false); err != nil {
			return store.Task{}, err
		}
	}
	now := store.NewTime(s.now())
	t := store.Task{
		ID: newTaskID(), AccountID: accountID, VideoTaskID: newID("vt_"), Title: title, Category: category,
		Status: string(TaskCreated), Config: config, Metadata: metadata,
		Width: info.Width, Height: info.Height, FPS: info.FPS, Duration: info.Duration,
		Quality: QualityFor(info.Width, info.Height).Name, CreatedAt: now, UpdatedAt: now,
		TemplateID: from.TemplateID, TemplateVersion: from.TemplateVersion, BatchID: from.BatchID, BatchIndex: from.BatchIndex,
	}
	if err := q.InsertTask(ctx, t); err != nil {
		return store.Task{}, fail(err)
	}
	return t, nil
}

// GetTask returns one of the account's tasks.
func (s *Service) GetTask(ctx context.Context, accountID, taskID string) (TaskResult, error) {
	t, err := s.store.GetTask(ctx, accountID, taskID)
	if err != nil {
		return TaskResult{}, notFound(err, "Task", taskID)
	}
	return TaskResult{Success: true, TaskView: s.taskView(t)}, nil
}

// GetTaskConfig returns the stored document of one of the account's tasks (what configUrl serves).
func (s *Service) GetTaskConfig(ctx context.Context, accountID, taskID string) (json.RawMessage, error) {
	t, err := s.store.GetTask(ctx, accountID, taskID)
	if err != nil {
		return nil, notFound(err, "Task", taskID)
	}
	return json.RawMessage(t.Config), nil
}

// PublicTask returns any account's task and its document by the task's unguessable id, for the public
// player page (/v/{taskId}) and its config. API operations use GetTask.
func (s *Service) PublicTask(ctx context.Context, taskID string) (TaskView, json.RawMessage, error) {
	t, err := s.store.TaskByID(ctx, taskID)
	if err != nil {
		return TaskView{}, nil, notFound(err, "Task", taskID)
	}
	return s.taskView(t), json.RawMessage(t.Config), nil
}

// taskView shows a stored task.
func (s *Service) taskView(t store.Task) TaskView {
	v := TaskView{
		TaskID: t.ID, VideoTaskID: t.VideoTaskID, RenderTaskID: t.RenderTaskID, Title: t.Title, Category: t.Category,
		Status: TaskStatus(t.Status), Width: t.Width, Height: t.Height, FPS: t.FPS, Duration: t.Duration, Quality: t.Quality,
		CostCredits: t.CostCredits, PreviewURL: s.url(taskPreviewPath(t.ID)), ViewerURL: s.url(taskViewerPath(t.ID)),
		ConfigURL: s.url(taskConfigPath(t.ID)), Metadata: json.RawMessage(t.Metadata),
		CreatedAt: timestamp(t.CreatedAt.Time), UpdatedAt: timestamp(t.UpdatedAt.Time), CompletedAt: timestamp(t.CompletedAt.Time),
		TemplateID: t.TemplateID, TemplateVersion: t.TemplateVersion, BatchID: t.BatchID,
	}
	v.RenderReuse = taskReuse(t)
	switch v.Status {
	case TaskCompleted:
		v.VideoURL = s.blobURL(t.VideoKey)
		v.ThumbnailURL = s.blobURL(t.ThumbnailKey)
	case TaskRendering:
		p := t.Progress
		v.Progress = &p
	case TaskFailed:
		v.Error = t.Error
	}
	return v
}

// ListTasks returns a page of the account's tasks, newest first.
func (s *Service) ListTasks(ctx context.Context, accountID string, in ListTasksInput) (ListTasksResult, error) {
	page, limit, err := in.PageInput.normalize()
	if err != nil {
		return ListTasksResult{}, err
	}
	if in.Status != "" && !in.Status.Valid() {
		return ListTasksResult{}, InvalidRequest("status must be one of %s", joinStatuses(TaskStatuses))
	}
	category := in.Category
	if category == allCategories {
		category = ""
	}
	tasks, total, err := s.store.ListTasks(ctx, accountID, store.TaskFilter{Status: string(in.Status), Category: category, Search: strings.TrimSpace(in.Search), Offset: (page - 1) * limit, Limit: limit})
	if err != nil {
		return ListTasksResult{}, fail(err)
	}
	out := ListTasksResult{Success: true, Tasks: make([]TaskView, len(tasks)), Pagination: Pagination{Page: page, Limit: limit, Total: total}}
	for i, t := range tasks {
		out.Tasks[i] = s.taskView(t)
	}
	return out, nil
}

// DeleteTask removes one of the account's tasks, its renders and its output objects. A render in flight
// is cancelled and refunded.
func (s *Service) DeleteTask(ctx context.Context, accountID, taskID string) (DeleteTaskResult, error) {
	var t store.Task
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = tx.GetTask(ctx, accountID, taskID); err != nil {
			return err
		}
		batchRunning := false
		if t.BatchID != "" {
			b, err := tx.BatchByID(ctx, t.BatchID)
			batchRunning = err == nil && b.Status == store.BatchRunning
		}
		if TaskStatus(t.Status) == TaskRendering {
			if err := s.endRender(ctx, tx, t.ID, t.RenderTaskID, RenderCancelled, "task deleted"); err != nil {
				return err
			}
		}
		if err := tx.DeleteTask(ctx, accountID, taskID); err != nil {
			return err
		}
		return s.batchItemEnded(ctx, tx, t.BatchID, batchRunning)
	})
	if err != nil {
		return DeleteTaskResult{}, notFound(err, "Task", taskID)
	}
	s.cancelProxy(TaskProxyKey(t.ID))
	if TaskStatus(t.Status) == TaskRendering {
		// The render checks in with SetProgress and stops on its own if this misses it.
		_ = s.queue.CancelRender(ctx, t.ID)
	}
	remoteDeleted := true
	for _, key := range []string{t.VideoKey, t.ThumbnailKey} {
		if key != "" && s.blob.Delete(ctx, key) != nil {
			remoteDeleted = false
		}
	}
	return DeleteTaskResult{Success: true, TaskID: t.ID, VideoTaskID: t.VideoTaskID, Deleted: true, RemoteDeleted: remoteDeleted,
		Message: "Task deleted"}, nil
}

// RenderTask charges for and queues a render of one of the account's tasks. A completed task is not
// rendered again (AlreadyRendered, cost 0); a rendering one is ALREADY_RENDERING; a failed one renders
// again. With an idempotency key in ctx, a repeat gets the first call's answer and is not charged.
func (s *Service) RenderTask(ctx context.Context, accountID, taskID string, in RenderInput) (RenderResult, error) {
	return idempotent(ctx, s, accountID, "render_task/"+taskID, in, func() (RenderResult, error) {
		return s.renderTask(ctx, accountID, taskID, in)
	})
}

func (s *Service) renderTask(ctx context.Context, accountID, taskID string, in RenderInput) (RenderResult, error) {
	opts, err := s.renderOptions(in)
	if err != nil {
		return RenderResult{}, err
	}
	if res, ok, err := s.reuseRender(ctx, accountID, taskID, opts); ok || err != nil {
		return res, err
	}
	var res RenderResult
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		res, err = s.renderInTx(ctx, tx, accountID, taskID, opts)
		return err
	})
	return res, err
}

// renderOptions checks a render request and fills in the default number of workers.
func (s *Service) renderOptions(in RenderInput) (RenderInput, error) {
	switch {
	case in.NumWorkers < 0:
		return in, InvalidRequest("num_workers must be a positive number")
	case in.NumWorkers == 0:
		in.NumWorkers = s.cfg.DefaultWorkers
	case in.NumWorkers > s.cfg.MaxWorkers:
		in.NumWorkers = s.cfg.MaxWorkers
	}
	in.WebhookURL = strings.TrimSpace(in.WebhookURL)
	if in.WebhookURL != "" {
		if err := checkWebhookURL(in.WebhookURL, s.cfg.AllowPrivateURLs); err != nil {
			return in, err
		}
	}
	return in, nil
}

// renderInTx starts a render of a task in tx: it moves the task to rendering, charges the account and
// enqueues the job, so that all three happen or none.
func (s *Service) renderInTx(ctx context.Context, tx *store.Tx, accountID, taskID string, in RenderInput) (RenderResult, error) {
	t, err := tx.GetTask(ctx, accountID, taskID)
	if err != nil {
		return RenderResult{}, notFound(err, "Task", taskID)
	}
	res := RenderResult{Success: true, TaskID: t.ID, Width: t.Width, Height: t.Height,
		PreviewURL: s.url(taskPreviewPath(t.ID)), ViewerURL: s.url(taskViewerPath(t.ID)), ConfigURL: s.url(taskConfigPath(t.ID))}
	switch TaskStatus(t.Status) {
	case TaskRendering:
		return RenderResult{}, AlreadyRendering(t.ID, t.RenderTaskID)
	case TaskCompleted:
		a, err := tx.GetAccount(ctx, accountID)
		if err != nil {
			return RenderResult{}, fail(err)
		}
		res.RenderTaskID, res.Status, res.Quality, res.RemainingCredits = t.RenderTaskID, TaskCompleted, t.Quality, a.Credits
		res.AlreadyRendered, res.VideoURL = true, s.blobURL(t.VideoKey)
		res.RenderReuse = taskReuse(t)
		res.Message = "This video is already rendered; nothing was charged"
		return res, nil
	}
	quality, cost := RenderCost(t.Width, t.Height, t.Duration)
	now := store.NewTime(s.now())
	r := store.Render{ID: newID("rt_"), TaskID: t.ID, AccountID: accountID, Cost: cost, Quality: quality.Name,
		NumWorkers: in.NumWorkers, WebhookURL: in.WebhookURL, CreatedAt: now}
	segments := segmentCount(t.Config)
	if err := tx.BeginRender(ctx, r, segments); errors.Is(err, store.ErrTaskBusy) {
		// A concurrent request started a render between the read above and this update (PostgreSQL's read
		// committed isolation lets that happen; SQLite's immediate transactions do not).
		return RenderResult{}, AlreadyRendering(t.ID, "")
	} else if err != nil {
		return RenderResult{}, notFound(err, "Task", taskID)
	}
	e, err := tx.AdjustCredits(ctx, accountID, store.LedgerEntry{Delta: -cost, Reason: "render", TaskID: t.ID, RenderTaskID: r.ID, CreatedAt: now})
	if errors.Is(err, store.ErrInsufficientCredits) {
		a, _ := tx.GetAccount(ctx, accountID)
		return RenderResult{}, InsufficientCredits(cost, a.Credits)
	}
	if err != nil {
		return RenderResult{}, fail(err)
	}
	job := RenderJob{TaskID: t.ID, RenderTaskID: r.ID, AccountID: accountID, NumWorkers: in.NumWorkers, WebhookURL: in.WebhookURL,
		SegmentsTotal: segments}
	if err := s.queue.EnqueueRender(ctx, tx, job); err != nil {
		return RenderResult{}, RenderTriggerFailed(err)
	}
	res.RenderTaskID, res.Status, res.Quality, res.Cost, res.RemainingCredits = r.ID, TaskRendering, quality.Name, cost, e.BalanceAfter
	res.SegmentsTotal = segments
	res.Message = fmt.Sprintf("Render started: %s, %d credits charged", quality.Name, cost)
	return res, nil
}

// checkWebhookURL accepts an absolute http or https URL. Unless allowPrivate, a host that is "localhost"
// or an IP literal of a loopback, private, link-local or unspecified address is refused; names are
// resolved and checked again when the webhook is delivered.
func checkWebhookURL(raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return InvalidRequest("webhook_url must be an absolute http or https URL")
	}
	// Resolve the host now, so that a URL the delivery would refuse is refused here, where the caller sees
	// it (the delivery checks again at dial time, against DNS rebinding).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = netguard.Policy{AllowPrivate: allowPrivate}.CheckURL(ctx, raw)
	var dnsErr *net.DNSError
	if err != nil && !errors.As(err, &dnsErr) { // a name that does not resolve yet may resolve at delivery
		return InvalidRequest("webhook_url %s cannot be used: %v", u.Host, err)
	}
	return nil
}

// joinStatuses lists statuses for a message: "created, rendering, completed, failed".
func joinStatuses(statuses []TaskStatus) string {
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
