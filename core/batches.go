package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/schemas"
)

// Batches: one saved template rendered with many variable sets. Every item becomes an ordinary task (the
// template's document merged with the item's variables) that renders, costs and sends its webhook as any
// task does, and carries the batch's id. The batch is checked whole before anything is created: every
// item's variables and merged document, and the credits of all items together (INSUFFICIENT_CREDITS with
// the total). Then, in one transaction, each item's task is created and its render queued and charged
// (one ledger entry per item, refunded like any render if it fails). When the last item ends (completed,
// failed or deleted), the batch is completed and, with a webhook_url, a signed batch.completed webhook is
// sent besides each item's own.

// BatchStatus is where a batch stands.
type BatchStatus string

// The batch statuses: running until every item has ended, then completed (whatever the items' outcome).
const (
	BatchRunning   BatchStatus = store.BatchRunning
	BatchCompleted BatchStatus = store.BatchCompleted
)

// BatchCompletedEvent is the type of the webhook sent when a batch ends.
const BatchCompletedEvent = "batch.completed"

// DefaultBatchWorkers is the number of segments each item of a batch renders in when the request names
// none: one, since a batch's parallelism comes from its items.
const DefaultBatchWorkers = 1

// maxBatchProblems bounds the problems a refused batch lists.
const maxBatchProblems = 100

// BatchItemInput is one item of a batch: its variable set and the descriptive fields of its task.
type BatchItemInput struct {
	Variables map[string]any  `json:"variables,omitempty"`
	Metadata  json.RawMessage `json:"metadata,omitempty"` // a JSON object, kept with the item's task and sent with its webhook
	Title     string          `json:"title,omitempty"`
}

// CreateBatchInput is the body of POST /api/v1/batches (or, for a CSV upload, its query and the CSV's rows).
type CreateBatchInput struct {
	TemplateID string           `json:"templateId"`
	Items      []BatchItemInput `json:"items"`
	// WebhookURL receives each item's webhook and the batch.completed webhook.
	WebhookURL string `json:"webhook_url,omitempty"`
	// NumWorkers is the number of segments of each item's render (default DefaultBatchWorkers).
	NumWorkers int `json:"num_workers,omitempty"`
	// Category files every item's task (default "api").
	Category string `json:"category,omitempty"`
	// Metadata is the batch's own JSON object, sent with the batch.completed webhook.
	Metadata json.RawMessage `json:"metadata,omitempty"`

	// itemPaths name the items in problems when they are not "items[i]" (the rows of a CSV).
	itemPaths []string
}

// BatchCounts counts a batch's items by status; deleted items no longer exist.
type BatchCounts struct {
	Created   int64 `json:"created"`
	Rendering int64 `json:"rendering"`
	Completed int64 `json:"completed"`
	Failed    int64 `json:"failed"`
	Deleted   int64 `json:"deleted"`
}

// BatchView is a batch as the API shows it.
type BatchView struct {
	BatchID         string          `json:"batchId"`
	TemplateID      string          `json:"templateId"`
	TemplateVersion int64           `json:"templateVersion"`
	Status          BatchStatus     `json:"status"` // running, or completed once every item has ended
	Total           int64           `json:"total"`  // items in the batch
	Counts          BatchCounts     `json:"counts"`
	Progress        float64         `json:"progress"`  // 0..1: ended items and the progress of rendering ones, over total
	TotalCost       int64           `json:"totalCost"` // credits of all items, as charged when the batch was created
	Metadata        json.RawMessage `json:"metadata"`
	CreatedAt       string          `json:"createdAt"`
	CompletedAt     string          `json:"completedAt,omitempty"`
}

// BatchItemView is one item of a batch: its index, its task and the task's status.
type BatchItemView struct {
	Index    int64      `json:"index"`
	TaskID   string     `json:"taskId"`
	Status   TaskStatus `json:"status"`
	VideoURL string     `json:"videoUrl,omitempty"`
	Error    string     `json:"error,omitempty"`
}

// BatchResult is the response of POST /api/v1/batches and GET /api/v1/batches/{batchId}: the batch and
// a page of its items, in order.
type BatchResult struct {
	Success bool `json:"success"`
	BatchView
	Items      []BatchItemView `json:"items"`
	Pagination Pagination      `json:"pagination"`
	Message    string          `json:"message,omitempty"`
}

// GetBatchInput selects a batch and a page of its items.
type GetBatchInput struct {
	PageInput
}

// CreateBatch checks a batch whole, then creates every item's task and queues and charges its render, in
// one transaction: a batch is created entirely or not at all. With an idempotency key in ctx, a repeat
// gets the first call's answer and is not charged.
func (s *Service) CreateBatch(ctx context.Context, accountID string, in CreateBatchInput) (BatchResult, error) {
	return idempotent(ctx, s, accountID, "create_batch", in, func() (BatchResult, error) {
		return s.createBatch(ctx, accountID, in)
	})
}

// batchItem is an item checked and merged, ready to be stored.
type batchItem struct {
	config   string
	info     docInfo
	metadata json.RawMessage
	title    string
	cost     int64
}

func (s *Service) createBatch(ctx context.Context, accountID string, in CreateBatchInput) (BatchResult, error) {
	in.TemplateID = strings.TrimSpace(in.TemplateID)
	switch {
	case in.TemplateID == "":
		return BatchResult{}, InvalidRequest(`templateId is required: {"templateId": "tpl_…", "items": [{"variables": {…}}, …]}`)
	case len(in.Items) == 0:
		return BatchResult{}, InvalidRequest(`items is empty: give one {"variables": {…}} per video`)
	case len(in.Items) > MaxBatchItems:
		return BatchResult{}, InvalidRequest("%d items: a batch holds at most %d; split it", len(in.Items), MaxBatchItems)
	}
	if in.NumWorkers == 0 {
		in.NumWorkers = DefaultBatchWorkers
	}
	opts, err := s.renderOptions(RenderInput{WebhookURL: in.WebhookURL, NumWorkers: in.NumWorkers})
	if err != nil {
		return BatchResult{}, err
	}
	metadata, err := objectJSON(in.Metadata, "metadata")
	if err != nil {
		return BatchResult{}, err
	}
	t, err := s.store.GetTemplate(ctx, accountID, in.TemplateID)
	if err != nil {
		return BatchResult{}, notFound(err, "Template", in.TemplateID)
	}

	// Every item is checked before anything is stored.
	items := make([]batchItem, len(in.Items))
	var problems []Problem
	bad, total, size := 0, int64(0), 0
	for i, item := range in.Items {
		where := fmt.Sprintf("items[%d].", i)
		if i < len(in.itemPaths) {
			where = in.itemPaths[i] + "."
		}
		merged, info, _, err := s.mergeTemplate(t, item.Variables, where)
		if err == nil {
			_, err = objectJSON(item.Metadata, where+"metadata")
		}
		if err != nil {
			bad++
			if e := AsError(err); e.Code == CodeInvalidConfig {
				if list, ok := e.Details["errors"].([]Problem); ok {
					problems = append(problems, list...)
				}
			} else if len(problems) < maxBatchProblems {
				problems = append(problems, Problem{Path: strings.TrimSuffix(where, "."), Message: e.Message})
			}
			continue
		}
		_, cost := RenderCost(info.Width, info.Height, info.Duration)
		items[i] = batchItem{config: string(merged), info: info, metadata: item.Metadata, title: item.Title, cost: cost}
		total += cost
		size += len(merged)
	}
	if bad > 0 {
		if len(problems) > maxBatchProblems {
			problems = problems[:maxBatchProblems]
		}
		e := problemsError(fmt.Sprintf("%d of %d items cannot be rendered; nothing was created", bad, len(in.Items)), problems, nil)
		return BatchResult{}, e
	}

	now := store.NewTime(s.now())
	b := store.Batch{ID: newID("batch_"), AccountID: accountID, TemplateID: t.ID, TemplateVersion: t.Version, Status: store.BatchRunning,
		ItemCount: int64(len(items)), TotalCost: total, WebhookURL: opts.WebhookURL, Metadata: metadata, CreatedAt: now}
	views := make([]BatchItemView, len(items))
	err = s.store.Tx(ctx, func(tx *store.Tx) error {
		a, err := tx.GetAccount(ctx, accountID)
		if err != nil {
			return fail(err)
		}
		if a.Credits < total {
			return insufficientForBatch(total, len(items), a.Credits)
		}
		if err := s.checkDocumentRoom(ctx, tx, accountID, size, false); err != nil {
			return err
		}
		if err := tx.InsertBatch(ctx, b); err != nil {
			return fail(err)
		}
		charged := int64(0)
		for i, item := range items {
			origin := taskOrigin{TemplateID: t.ID, TemplateVersion: t.Version, BatchID: b.ID, BatchIndex: int64(i), roomChecked: true}
			task, err := s.insertTaskFrom(ctx, tx, accountID, item.config, item.info,
				TaskOptions{Metadata: item.metadata, Title: item.title, Category: in.Category}, origin)
			if err != nil {
				return prefixError(fmt.Sprintf("item %d", i), err)
			}
			r, err := s.renderInTx(ctx, tx, accountID, task.ID, opts)
			if CodeOf(err) == CodeInsufficientCredits { // spent by a concurrent request since the check above
				now, _ := tx.GetAccount(ctx, accountID)
				return insufficientForBatch(total, len(items), now.Credits+charged)
			}
			if err != nil {
				return err
			}
			charged += r.Cost
			views[i] = BatchItemView{Index: int64(i), TaskID: task.ID, Status: r.Status}
		}
		return nil
	})
	if err != nil {
		return BatchResult{}, fail(err)
	}
	view, err := s.batchView(ctx, b)
	if err != nil {
		return BatchResult{}, err
	}
	return BatchResult{Success: true, BatchView: view, Items: views, Pagination: Pagination{Page: 1, Limit: len(views), Total: len(views)},
		Message: fmt.Sprintf("Batch started: %d videos, %d credits charged as each render was queued. Follow it with GET /api/v1/batches/%s", len(items), total, b.ID)}, nil
}

// CreateBatchFromCSV creates a batch whose items are the rows of a CSV (ReadCSVRows): the header row names
// the template's variables (and CSVMetadataPrefix columns the items' metadata), each further row is one
// item. Cells are read into the declared types; problems name the row by its line in the file
// ("rows[3].variables.price"). in.Items must be empty.
func (s *Service) CreateBatchFromCSV(ctx context.Context, accountID string, in CreateBatchInput, csv io.Reader) (BatchResult, error) {
	if len(in.Items) > 0 {
		return BatchResult{}, InvalidRequest("give the items as a CSV or as JSON, not both")
	}
	rows, err := ReadCSVRows(csv)
	if err != nil {
		return BatchResult{}, err
	}
	in.TemplateID = strings.TrimSpace(in.TemplateID)
	if in.TemplateID == "" {
		return BatchResult{}, InvalidRequest("templateId is required (a query parameter or form field beside the CSV)")
	}
	t, err := s.store.GetTemplate(ctx, accountID, in.TemplateID)
	if err != nil {
		return BatchResult{}, notFound(err, "Template", in.TemplateID)
	}
	var vars schemas.Variables
	if err := json.Unmarshal([]byte(t.Variables), &vars); err != nil {
		return BatchResult{}, fail(fmt.Errorf("stored variables of template %s: %w", t.ID, err))
	}
	var problems []Problem
	in.Items, in.itemPaths = make([]BatchItemInput, len(rows)), make([]string, len(rows))
	for i, row := range rows {
		in.itemPaths[i] = fmt.Sprintf("rows[%d]", row.Line)
		values, metadata, rowProblems := row.VariableSet(vars)
		problems = append(problems, prefixPaths(in.itemPaths[i]+".", rowProblems)...)
		in.Items[i].Variables = values
		if metadata != nil {
			in.Items[i].Metadata, _ = json.Marshal(metadata) // text cells always encode
		}
	}
	if len(problems) > 0 {
		if len(problems) > maxBatchProblems {
			problems = problems[:maxBatchProblems]
		}
		return BatchResult{}, problemsError("The CSV has cells that do not fit their variables; nothing was created", problems, nil)
	}
	return s.CreateBatch(ctx, accountID, in)
}

// insufficientForBatch is INSUFFICIENT_CREDITS for a whole batch, with its total.
func insufficientForBatch(total int64, items int, balance int64) *Error {
	e := InsufficientCredits(total, balance)
	e.Message = fmt.Sprintf("Insufficient credits: this batch of %d videos costs %d credits in all and the balance is %d; nothing was created", items, total, balance)
	e.Details["items"] = items
	return e
}

// prefixError names the item of an error met while storing a batch.
func prefixError(item string, err error) error {
	e := AsError(err)
	if e.Code == CodeInternal || e.Code == CodeRemoteError {
		return e
	}
	out := *e
	out.Message = item + ": " + e.Message
	return &out
}

// GetBatch returns one of the account's batches, its counts and progress, and a page of its items.
func (s *Service) GetBatch(ctx context.Context, accountID, batchID string, in GetBatchInput) (BatchResult, error) {
	page, limit, err := in.normalize()
	if err != nil {
		return BatchResult{}, err
	}
	b, err := s.store.GetBatch(ctx, accountID, batchID)
	if err != nil {
		return BatchResult{}, notFound(err, "Batch", batchID)
	}
	view, err := s.batchView(ctx, b)
	if err != nil {
		return BatchResult{}, err
	}
	tasks, err := s.store.ListBatchTasks(ctx, accountID, batchID, (page-1)*limit, limit)
	if err != nil {
		return BatchResult{}, fail(err)
	}
	items := make([]BatchItemView, len(tasks))
	for i, t := range tasks {
		v := s.taskView(t)
		items[i] = BatchItemView{Index: t.BatchIndex, TaskID: t.ID, Status: v.Status, VideoURL: v.VideoURL, Error: v.Error}
	}
	total := view.Total - view.Counts.Deleted
	return BatchResult{Success: true, BatchView: view, Items: items, Pagination: Pagination{Page: page, Limit: limit, Total: int(total)}}, nil
}

// batchView shows a stored batch with its counts by status and its progress.
func (s *Service) batchView(ctx context.Context, b store.Batch) (BatchView, error) {
	counts, err := s.store.BatchCounts(ctx, b.ID)
	if err != nil {
		return BatchView{}, fail(err)
	}
	c := BatchCounts{Created: counts.N[store.TaskCreated], Rendering: counts.N[store.TaskRendering],
		Completed: counts.N[store.TaskCompleted], Failed: counts.N[store.TaskFailed]}
	c.Deleted = max(b.ItemCount-c.Created-c.Rendering-c.Completed-c.Failed, 0)
	progress := 1.0
	if b.ItemCount > 0 {
		progress = min((float64(c.Completed+c.Failed+c.Deleted)+counts.RenderingProgress)/float64(b.ItemCount), 1)
	}
	return BatchView{BatchID: b.ID, TemplateID: b.TemplateID, TemplateVersion: b.TemplateVersion, Status: BatchStatus(b.Status),
		Total: b.ItemCount, Counts: c, Progress: progress, TotalCost: b.TotalCost, Metadata: json.RawMessage(b.Metadata),
		CreatedAt: timestamp(b.CreatedAt.Time), CompletedAt: timestamp(b.CompletedAt.Time)}, nil
}

// BatchWebhookQueue is implemented by a Queue that delivers batch.completed webhooks (package jobs).
// Queues without it (tests' fakes) deliver none.
type BatchWebhookQueue interface {
	// EnqueueBatchWebhook queues the batch.completed webhook of batchID inside tx, the transaction that
	// completes the batch.
	EnqueueBatchWebhook(ctx context.Context, tx *store.Tx, batchID string) error
}

// batchItemEnded is called in the transaction that deletes a task of batch batchID: when the batch's items
// have now all ended, the batch is completed and its webhook queued, in tx. (A render that ends completes
// its batch in the store, with the task: store.CompleteTask and FailTask; the render worker then queues the
// webhook.) It is a no-op for a task in no batch.
// wasRunning says whether the batch was running when the transaction began: cancelling the task's render
// may have completed it already.
func (s *Service) batchItemEnded(ctx context.Context, tx *store.Tx, batchID string, wasRunning bool) error {
	if batchID == "" || !wasRunning {
		return nil
	}
	if _, err := tx.CompleteBatchIfDone(ctx, batchID, store.NewTime(s.now())); err != nil {
		return err
	}
	b, err := tx.BatchByID(ctx, batchID)
	if err != nil || b.Status != store.BatchCompleted || b.WebhookURL == "" {
		return err
	}
	if q, ok := s.queue.(BatchWebhookQueue); ok {
		return q.EnqueueBatchWebhook(ctx, tx, batchID)
	}
	return nil
}

// BatchOfTask returns the id of the batch a task is an item of ("" for none), for the render worker that
// queues webhooks when a render ends.
func (w *Worker) BatchOfTask(ctx context.Context, taskID string) (string, error) {
	s := w.s
	id, err := s.store.BatchOfTask(ctx, taskID)
	if errors.Is(err, store.ErrNoBatch) || errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return id, fail(err)
}

// BatchEvent is the JSON body of the batch.completed webhook.
type BatchEvent struct {
	Type            string          `json:"type"` // "batch.completed"
	BatchID         string          `json:"batchId"`
	TemplateID      string          `json:"templateId"`
	TemplateVersion int64           `json:"templateVersion"`
	Status          BatchStatus     `json:"status"` // completed
	Total           int64           `json:"total"`
	Counts          BatchCounts     `json:"counts"`
	Timestamp       string          `json:"timestamp"`
	Metadata        json.RawMessage `json:"metadata"`
}

// BatchWebhookDelivery is a batch.completed webhook to send: where, the account's signing secret, the body.
type BatchWebhookDelivery struct {
	AccountID string
	URL       string
	Secret    string
	Event     BatchEvent
}

// BatchWebhookFor returns the webhook of a completed batch (for the webhook worker). It is NOT_FOUND for
// an unknown batch; ok is false when the batch has no webhook_url or has not completed.
func (w *Worker) BatchWebhookFor(ctx context.Context, batchID string) (d BatchWebhookDelivery, ok bool, err error) {
	s := w.s
	b, err := s.store.BatchByID(ctx, batchID)
	if err != nil {
		return d, false, notFound(err, "Batch", batchID)
	}
	if b.WebhookURL == "" || b.Status != store.BatchCompleted {
		return d, false, nil
	}
	a, err := s.store.GetAccount(ctx, b.AccountID)
	if err != nil {
		return d, false, notFound(err, "Account", b.AccountID)
	}
	view, err := s.batchView(ctx, b)
	if err != nil {
		return d, false, err
	}
	ev := BatchEvent{Type: BatchCompletedEvent, BatchID: b.ID, TemplateID: b.TemplateID, TemplateVersion: b.TemplateVersion,
		Status: view.Status, Total: view.Total, Counts: view.Counts, Timestamp: view.CompletedAt, Metadata: view.Metadata}
	return BatchWebhookDelivery{AccountID: b.AccountID, URL: b.WebhookURL, Secret: a.WebhookSecret, Event: ev}, true, nil
}
