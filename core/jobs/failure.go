package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/assets"
)

// permanentError marks a failure that trying again cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// permanent marks err as not worth retrying.
func permanent(err error) error { return &permanentError{err} }

// isPermanent reports whether retrying cannot help: an asset answered a client error (404, 403, 410…),
// an address is forbidden, an asset is too large or of an unsupported kind, or the document is broken or
// undrawable.
func isPermanent(err error) bool {
	var p *permanentError
	if errors.As(err, &p) {
		return true
	}
	var undrawable *render.DocumentError
	if errors.As(err, &undrawable) {
		return true // the engine refused the document (a budget, an image that does not decode)
	}
	var status *assets.StatusError
	if errors.As(err, &status) {
		return status.Code >= 400 && status.Code < 500 && status.Code != http.StatusRequestTimeout && status.Code != http.StatusTooManyRequests
	}
	for _, target := range []error{netguard.ErrForbiddenAddress, assets.ErrTooLarge, assets.ErrLocalNotAllowed, assets.ErrUnsupported} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// settle turns the outcome of a render job (segment or finalize) into River's result, and names that
// outcome for the job's log line and metrics (a metrics.Outcome… constant):
//   - success: nil;
//   - the render is no longer wanted: the job is cancelled (and the webhook of an ended render queued);
//   - the process is stopping: the job is snoozed, to be taken up again at once by any process, without
//     counting as a try (River gives a snoozed job its attempt back);
//   - a permanent error, or the last try: the render fails and is refunded, and the job is cancelled;
//   - otherwise the error, for River to retry.
//
// riverCtx is River's context of the job, ctx the one the job worked under; what names the job in the
// failure reason.
func (q *Queue) settle(riverCtx, ctx context.Context, job *rivertype.JobRow, ref renderRef, what string, err error) (outcome string, result error) {
	if err == nil {
		return metrics.OutcomeOK, nil
	}
	bg := context.WithoutCancel(ctx)
	cause := context.Cause(ctx)
	switch {
	case errors.Is(err, core.ErrRenderCancelled) || errors.Is(cause, errRenderEnded):
		q.queueWebhook(bg, ref.TaskID, ref.RenderTaskID)
		return metrics.OutcomeCancelled, river.JobCancel(errRenderEnded)
	case errors.Is(cause, errStopping) || (riverCtx.Err() != nil && !errors.Is(context.Cause(riverCtx), context.DeadlineExceeded) &&
		!errors.Is(context.Cause(riverCtx), rivertype.ErrJobCancelledRemotely)):
		return metrics.OutcomeRequeued, river.JobSnooze(0)
	case errors.Is(context.Cause(riverCtx), rivertype.ErrJobCancelledRemotely):
		return metrics.OutcomeCancelled, river.JobCancel(err)
	case errors.Is(cause, errLeaseLost):
		// Another process runs this job now; whatever is reported here, the work is idempotent.
		return metrics.OutcomeRequeued, err
	}
	timedOut := ctx.Err() != nil && cause != nil
	if timedOut {
		err = fmt.Errorf("%w (%v)", err, cause) // say that the job timed out, not just "context canceled"
	}
	if isPermanent(err) || job.Attempt >= job.MaxAttempts {
		q.failRender(bg, ref, failureReason(err, timedOut), fmt.Sprintf("%s: %v", what, err))
		return metrics.OutcomeFailed, river.JobCancel(err)
	}
	return metrics.OutcomeRetry, err
}

// failureReason classes a render job's last error for framecast_render_failures_total.
func failureReason(err error, timedOut bool) string {
	var p *permanentError
	switch {
	case errors.As(err, &p):
		return metrics.ReasonDocument
	case isPermanent(err):
		return metrics.ReasonAsset
	case timedOut:
		return metrics.ReasonTimeout
	}
	return metrics.ReasonAttempts
}

// failRender records a failed render (core refunds it), counts it under reason (a metrics.Reason…
// constant) and queues its webhook.
func (q *Queue) failRender(ctx context.Context, ref renderRef, reason, message string) {
	if err := q.svc.FailRender(ctx, ref.TaskID, ref.RenderTaskID, message); err != nil {
		q.cfg.Logger.Error("jobs: record failed render", "task_id", ref.TaskID, "render_id", ref.RenderTaskID, "error", err)
		return
	}
	metrics.RenderFailures.WithLabelValues(reason).Inc()
	q.cfg.Logger.Info("jobs: render failed", "task_id", ref.TaskID, "render_id", ref.RenderTaskID, "reason", reason, "error", message)
	q.queueWebhook(ctx, ref.TaskID, ref.RenderTaskID)
}

// webhookOpts are the insert options of a task's webhook delivery.
func (q *Queue) webhookOpts(taskID string) *river.InsertOpts {
	return &river.InsertOpts{
		Queue: webhookQueue, MaxAttempts: len(q.cfg.WebhookRetryDelays) + 1, Tags: []string{taskTag(taskID)},
		UniqueOpts: river.UniqueOpts{ByArgs: true},
	}
}

// queueWebhook queues the webhook of an ended render, if it asked for one, and its batch's when it was
// the batch's last item to end (queueBatchWebhook). Queueing twice is harmless:
// the job is unique by render.
func (q *Queue) queueWebhook(ctx context.Context, taskID, renderTaskID string) {
	q.queueBatchWebhook(ctx, taskID) // the render may have been its batch's last item to end
	_, ok, err := q.svc.WebhookFor(ctx, taskID, renderTaskID)
	if err != nil || !ok {
		return // task deleted, no webhook_url, or the render has not ended
	}
	_, err = q.client.Insert(ctx, webhookArgs{TaskID: taskID, RenderTaskID: renderTaskID}, q.webhookOpts(taskID))
	if err != nil {
		q.cfg.Logger.Error("jobs: queue webhook", "task_id", taskID, "render_id", renderTaskID, "error", err)
	}
}
