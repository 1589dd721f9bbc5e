package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/netguard"
)

// Standard Webhooks headers.
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// SecretPrefix starts every webhook signing secret; the rest is the key in base64.
const SecretPrefix = "whsec_"

// WebhookID is the webhook-id of a render's webhook: the same for every attempt, so receivers can drop
// duplicates.
func WebhookID(renderTaskID string) string { return "msg_" + renderTaskID }

// Sign returns the Standard Webhooks signature header value of a message: "v1," and the base64
// HMAC-SHA256, keyed by the secret, of "<msgID>.<timestamp>.<body>". The secret is "whsec_" followed by
// the base64 key (a secret without the prefix is taken as base64 too).
func Sign(secret, msgID string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil {
		return "", fmt.Errorf("webhook secret is not %s<base64>: %w", SecretPrefix, err)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", msgID, timestamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Fairness between accounts. Webhooks have their own River queue (webhookQueue, webhookWorkers per
// process), so they never wait behind maintenance and maintenance never waits behind them. Within it, a
// process delivers at most Config.WebhookAccountConcurrency webhooks of one account at once: a delivery
// of an account already at its limit is snoozed for webhookSnooze (River does not count a snooze as an
// attempt) and so gives its worker back at once. An account whose endpoints hang therefore holds at most
// that many workers per process, each for at most WebhookTimeout, and every other account's deliveries
// go out meanwhile; its own deliveries are only slowed down, never dropped. Over several processes the
// limit is per process.

// webhookSnooze is how long a delivery of an account at its limit waits before it is tried again (River's
// scheduler adds up to a few seconds).
const webhookSnooze = time.Second

// accountSlots counts work in flight per account.
type accountSlots struct {
	mu     sync.Mutex
	counts map[string]int
}

// acquire takes one of account's limit slots, reporting false when all are taken.
func (a *accountSlots) acquire(account string, limit int) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.counts == nil {
		a.counts = map[string]int{}
	}
	if a.counts[account] >= limit {
		return false
	}
	a.counts[account]++
	return true
}

func (a *accountSlots) release(account string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.counts[account]--; a.counts[account] <= 0 {
		delete(a.counts, account)
	}
}

// webhookWorker delivers a render's webhook, recording every attempt.
type webhookWorker struct {
	river.WorkerDefaults[webhookArgs]
	q *Queue
}

// NextRetry implements river.Worker: the waits of Config.WebhookRetryDelays, in order.
func (w *webhookWorker) NextRetry(job *river.Job[webhookArgs]) time.Time {
	delays := w.q.cfg.WebhookRetryDelays
	return time.Now().Add(delays[min(max(job.Attempt, 1), len(delays))-1])
}

// maxErrorBody is how much of a failed answer's body is kept in the attempt's error.
const maxErrorBody = 200

// Work implements river.Worker.
func (w *webhookWorker) Work(ctx context.Context, job *river.Job[webhookArgs]) error {
	if job.Args.BatchID != "" {
		return w.workBatch(ctx, job)
	}
	q, a := w.q, job.Args
	d, ok, err := q.svc.WebhookFor(ctx, a.TaskID, a.RenderTaskID)
	if e := core.AsError(err); e != nil && e.Code == core.CodeNotFound {
		return river.JobCancel(err) // the task was deleted
	}
	if err != nil {
		return err
	}
	if !ok {
		return nil
	}
	return w.deliver(ctx, d.Secret, d.Event, core.WebhookAttempt{AccountID: d.AccountID, TaskID: a.TaskID,
		RenderTaskID: a.RenderTaskID, WebhookID: WebhookID(a.RenderTaskID), URL: d.URL, Attempt: job.Attempt})
}

// deliver sends one signed attempt of a webhook whose event is event and records it (attempt names the
// account, the task or batch, the webhook-id, the URL and the attempt's number; deliver fills in the
// answer). It returns the job's outcome: nil when delivered, a snooze while the account's other
// deliveries are going (see accountSlots), a cancel when the address is forbidden (trying again will not
// make it public), else the error, for River to retry after the next of Config.WebhookRetryDelays.
func (w *webhookWorker) deliver(ctx context.Context, secret string, event any, attempt core.WebhookAttempt) error {
	q := w.q
	if !q.deliveries.acquire(attempt.AccountID, q.cfg.WebhookAccountConcurrency) {
		return river.JobSnooze(webhookSnooze) // this account's other deliveries are still going
	}
	defer q.deliveries.release(attempt.AccountID)
	body, err := json.Marshal(event)
	if err != nil {
		return river.JobCancel(fmt.Errorf("encode webhook: %w", err))
	}
	ts := time.Now().Unix()
	sig, err := Sign(secret, attempt.WebhookID, ts, body)
	if err != nil {
		return river.JobCancel(err)
	}

	start := time.Now()
	status, deliveryErr := w.post(ctx, attempt.URL, attempt.WebhookID, ts, sig, body)
	attempt.StatusCode, attempt.DurationMS = status, time.Since(start).Milliseconds()
	if deliveryErr != nil {
		attempt.Error = deliveryErr.Error()
	}
	if err := q.svc.RecordWebhookAttempt(context.WithoutCancel(ctx), attempt); err != nil {
		q.cfg.Logger.Error("jobs: record webhook attempt", "task_id", attempt.TaskID, "webhook_id", attempt.WebhookID, "error", err)
	}
	switch {
	case deliveryErr == nil:
		metrics.WebhookDeliveries.WithLabelValues(metrics.WebhookDelivered).Inc()
		return nil
	case errors.Is(deliveryErr, netguard.ErrForbiddenAddress):
		metrics.WebhookDeliveries.WithLabelValues(metrics.WebhookForbidden).Inc()
		return river.JobCancel(deliveryErr) // trying again will not make the address public
	}
	metrics.WebhookDeliveries.WithLabelValues(metrics.WebhookFailed).Inc()
	return deliveryErr
}

// post sends one delivery and returns the status answered (0 for none) and why it failed (nil for a
// 2xx answer).
func (w *webhookWorker) post(ctx context.Context, url, id string, ts int64, sig string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, w.q.cfg.WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Framecast-Webhooks/1")
	req.Header.Set(HeaderWebhookID, id)
	req.Header.Set(HeaderWebhookTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderWebhookSignature, sig)
	resp, err := w.q.webhookClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook delivery: %w", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := fmt.Sprintf("webhook answered %s", resp.Status)
		if s := strings.TrimSpace(string(snippet)); s != "" {
			msg += ": " + s
		}
		return resp.StatusCode, errors.New(msg)
	}
	return resp.StatusCode, nil
}

// purgeWorker deletes expired previews, expired stored segments and orphaned segment files.
type purgeWorker struct {
	river.WorkerDefaults[purgeArgs]
	q *Queue
}

// Work implements river.Worker.
func (w *purgeWorker) Work(ctx context.Context, job *river.Job[purgeArgs]) error {
	n, err := w.q.svc.PurgeExpiredPreviews(ctx, time.Now())
	if err != nil {
		return err
	}
	if n > 0 {
		w.q.cfg.Logger.Info("jobs: purged expired previews", "count", n)
	}
	expired, err := w.q.purgeExpiredSegments(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("purge expired stored segments: %w", err)
	}
	if expired > 0 {
		w.q.cfg.Logger.Info("jobs: deleted stored segments unused for longer than their time to live", "count", expired,
			"ttl", w.q.cfg.SegmentTTL.String())
	}
	segments, err := w.q.purgeOrphanSegments(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("purge orphaned segment files: %w", err)
	}
	if segments > 0 {
		w.q.cfg.Logger.Info("jobs: deleted orphaned segment files", "count", segments)
	}
	return nil
}
