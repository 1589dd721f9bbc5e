package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store"
)

// BatchWebhookID is the webhook-id of a batch's batch.completed webhook: the same for every attempt.
func BatchWebhookID(batchID string) string { return "msg_" + batchID }

// EnqueueBatchWebhook implements core.BatchWebhookQueue: it inserts the delivery of a batch's webhook
// inside tx, the transaction that completes the batch, so that it is sent exactly when the batch ends.
func (q *Queue) EnqueueBatchWebhook(ctx context.Context, tx *store.Tx, batchID string) error {
	_, err := q.client.InsertTx(ctx, tx.SQL(), webhookArgs{BatchID: batchID}, q.batchWebhookOpts())
	if err != nil {
		return fmt.Errorf("jobs: queue batch webhook: %w", err)
	}
	return nil
}

// batchWebhookOpts are the insert options of a batch's webhook delivery: unique by batch.
func (q *Queue) batchWebhookOpts() *river.InsertOpts {
	return &river.InsertOpts{
		Queue: webhookQueue, MaxAttempts: len(q.cfg.WebhookRetryDelays) + 1, UniqueOpts: river.UniqueOpts{ByArgs: true},
	}
}

// queueBatchWebhook queues the batch.completed webhook of the batch task taskID is an item of, when the
// batch has completed (its last item's render just ended) and asked for a webhook. Queueing twice is
// harmless: the job is unique by batch.
func (q *Queue) queueBatchWebhook(ctx context.Context, taskID string) {
	batchID, err := q.svc.BatchOfTask(ctx, taskID)
	if err != nil || batchID == "" {
		return
	}
	if _, ok, err := q.svc.BatchWebhookFor(ctx, batchID); err != nil || !ok {
		return // not completed yet, or no webhook_url
	}
	_, err = q.client.Insert(ctx, webhookArgs{BatchID: batchID}, q.batchWebhookOpts())
	if err != nil {
		q.cfg.Logger.Error("jobs: queue batch webhook", "batch_id", batchID, "error", err)
	}
}

// workBatch delivers a batch.completed webhook (a webhookArgs job with BatchID), signed and retried as a
// render's webhook is, and records every attempt under the batch's id.
func (w *webhookWorker) workBatch(ctx context.Context, job *river.Job[webhookArgs]) error {
	q, a := w.q, job.Args
	d, ok, err := q.svc.BatchWebhookFor(ctx, a.BatchID)
	if e := core.AsError(err); e != nil && e.Code == core.CodeNotFound {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if !ok {
		return nil
	}
	// The attempts are recorded under the batch's id in place of a task's.
	return w.deliver(ctx, d.Secret, d.Event, core.WebhookAttempt{AccountID: d.AccountID, TaskID: a.BatchID,
		WebhookID: BatchWebhookID(a.BatchID), URL: d.URL, Attempt: job.Attempt})
}

var _ core.BatchWebhookQueue = (*Queue)(nil)
