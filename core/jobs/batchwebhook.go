package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/netguard"
)

// BatchWebhookID is the webhook-id of a batch's batch.completed webhook: the same for every attempt.
func BatchWebhookID(batchID string) string { return "msg_" + batchID }

// EnqueueBatchWebhook implements core.BatchWebhookQueue: it inserts the delivery of a batch's webhook
// inside tx, the transaction that completes the batch, so that it is sent exactly when the batch ends.
func (q *Queue) EnqueueBatchWebhook(ctx context.Context, tx *store.Tx, batchID string) error {
	_, err := q.client.InsertTx(ctx, tx.SQL(), webhookArgs{BatchID: batchID}, &river.InsertOpts{
		Queue: webhookQueue, MaxAttempts: len(q.cfg.WebhookRetryDelays) + 1, UniqueOpts: river.UniqueOpts{ByArgs: true},
	})
	if err != nil {
		return fmt.Errorf("jobs: queue batch webhook: %w", err)
	}
	return nil
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
	_, err = q.client.Insert(ctx, webhookArgs{BatchID: batchID}, &river.InsertOpts{
		Queue: webhookQueue, MaxAttempts: len(q.cfg.WebhookRetryDelays) + 1, UniqueOpts: river.UniqueOpts{ByArgs: true},
	})
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
	if !q.deliveries.acquire(d.AccountID, q.cfg.WebhookAccountConcurrency) {
		return river.JobSnooze(webhookSnooze)
	}
	defer q.deliveries.release(d.AccountID)
	body, err := json.Marshal(d.Event)
	if err != nil {
		return river.JobCancel(fmt.Errorf("encode batch webhook: %w", err))
	}
	id := BatchWebhookID(a.BatchID)
	ts := time.Now().Unix()
	sig, err := Sign(d.Secret, id, ts, body)
	if err != nil {
		return river.JobCancel(err)
	}
	start := time.Now()
	status, deliveryErr := w.post(ctx, d.URL, id, ts, sig, body)
	attempt := core.WebhookAttempt{AccountID: d.AccountID, TaskID: a.BatchID, WebhookID: id, URL: d.URL, Attempt: job.Attempt,
		StatusCode: status, DurationMS: time.Since(start).Milliseconds()}
	if deliveryErr != nil {
		attempt.Error = deliveryErr.Error()
	}
	if err := q.svc.RecordWebhookAttempt(context.WithoutCancel(ctx), attempt); err != nil {
		q.cfg.Logger.Error("jobs: record batch webhook attempt", "batch_id", a.BatchID, "error", err)
	}
	switch {
	case deliveryErr == nil:
		metrics.WebhookDeliveries.WithLabelValues(metrics.WebhookDelivered).Inc()
		return nil
	case errors.Is(deliveryErr, netguard.ErrForbiddenAddress):
		metrics.WebhookDeliveries.WithLabelValues(metrics.WebhookForbidden).Inc()
		return river.JobCancel(deliveryErr)
	}
	metrics.WebhookDeliveries.WithLabelValues(metrics.WebhookFailed).Inc()
	return deliveryErr
}

var _ core.BatchWebhookQueue = (*Queue)(nil)
