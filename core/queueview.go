package core

import (
	"context"
	"encoding/json"
	"time"

	"github.com/framecast/framecast/core/store"
)

// QueueInspector is the side of a Queue that shows its jobs and sends webhooks on request, for the
// console (the workers page, a task's render timeline, "redeliver" and "send test event"). Package jobs'
// River queue implements it; with a queue that does not, those parts of the console are empty or
// refused.
type QueueInspector interface {
	// InspectQueue returns the counts of waiting jobs, the running jobs and the latest failed attempts,
	// at most limit of each list, across every process.
	InspectQueue(ctx context.Context, limit int) (QueueSnapshot, error)
	// TaskJobs returns the jobs of a task's renders that the queue still keeps, oldest first.
	TaskJobs(ctx context.Context, taskID string) ([]QueueJob, error)
	// RedeliverWebhook queues the webhook of an ended render once more, as a new delivery.
	RedeliverWebhook(ctx context.Context, taskID, renderTaskID string) error
	// SendWebhook posts d now, signed, and returns the HTTP status answered (0 for none) and why the
	// delivery failed (nil for a 2xx answer).
	SendWebhook(ctx context.Context, d WebhookDelivery, messageID string) (status int, err error)
}

// QueueSnapshot is the render queue at one moment.
type QueueSnapshot struct {
	Depth    []QueueDepth
	Running  []QueueJob
	Failures []QueueJob // the latest failed attempts, newest first
}

// QueueDepth is how many jobs of one kind are in one state.
type QueueDepth struct {
	Kind  string // segment, finalize, webhook, purge
	State string // available, scheduled, retryable, running
	Count int
}

// QueueJob is one job of the queue.
type QueueJob struct {
	ID           int64
	Kind         string // segment, finalize, webhook, purge
	State        string
	TaskID       string
	RenderTaskID string
	AccountID    string
	Segment      int // the segment's index, for a segment job; -1 otherwise
	Segments     int // how many segments the render has (segment and finalize jobs)
	Attempt      int
	MaxAttempts  int
	Worker       string // the process that ran the latest attempt
	CreatedAt    time.Time
	AttemptedAt  time.Time // start of the latest attempt
	FinalizedAt  time.Time // when it ended (completed, cancelled, discarded)
	// FramesDone and FramesTotal are a segment's progress.
	FramesDone, FramesTotal int
	// Error and ErrorAt are the latest attempt's failure.
	Error   string
	ErrorAt time.Time
}

// inspector returns the queue's QueueInspector, if it has one.
func (s *Service) inspector() (QueueInspector, bool) {
	qi, ok := s.queue.(QueueInspector)
	return qi, ok
}

// noInspector is the error of a console action that needs a QueueInspector.
func noInspector(what string) *Error {
	return InvalidRequest("this server's queue cannot %s (it runs without the render workers' queue)", what)
}

// OperatorQueue returns the render queue (InspectQueue) for an operator.
func (s *Service) OperatorQueue(ctx context.Context, operatorID string, limit int) (QueueSnapshot, error) {
	if err := s.requireOperator(ctx, operatorID); err != nil {
		return QueueSnapshot{}, err
	}
	qi, ok := s.inspector()
	if !ok {
		return QueueSnapshot{}, nil
	}
	snap, err := qi.InspectQueue(ctx, limit)
	return snap, fail(err)
}

// Render is one paid attempt to render a task.
type Render = store.Render

// TaskTimeline is how a task's renders went: each render, and the jobs of its segments and assembly
// that the queue still keeps.
type TaskTimeline struct {
	Renders []Render   // newest first
	Jobs    []QueueJob // oldest first
}

// GetTaskTimeline returns the renders of one of the account's tasks and their queue jobs.
func (s *Service) GetTaskTimeline(ctx context.Context, accountID, taskID string) (TaskTimeline, error) {
	if _, err := s.store.GetTask(ctx, accountID, taskID); err != nil {
		return TaskTimeline{}, notFound(err, "Task", taskID)
	}
	renders, err := s.store.ListRenders(ctx, accountID, taskID)
	if err != nil {
		return TaskTimeline{}, fail(err)
	}
	out := TaskTimeline{Renders: renders}
	if qi, ok := s.inspector(); ok {
		jobs, err := qi.TaskJobs(ctx, taskID)
		if err != nil {
			return TaskTimeline{}, fail(err)
		}
		for _, j := range jobs {
			if j.AccountID == "" || j.AccountID == accountID {
				out.Jobs = append(out.Jobs, j)
			}
		}
	}
	return out, nil
}

// RedeliverWebhook sends the webhook of the latest ended render of one of the account's tasks again,
// as a new delivery with its own attempts.
func (s *Service) RedeliverWebhook(ctx context.Context, accountID, taskID string) error {
	t, err := s.store.GetTask(ctx, accountID, taskID)
	if err != nil {
		return notFound(err, "Task", taskID)
	}
	if t.RenderTaskID == "" {
		return InvalidRequest("task %s has not been rendered: there is no webhook to deliver", taskID)
	}
	_, ok, err := s.Worker().WebhookFor(ctx, taskID, t.RenderTaskID)
	if err != nil {
		return err
	}
	if !ok {
		return InvalidRequest("the render of task %s has no webhook_url, or has not ended yet", taskID)
	}
	qi, has := s.inspector()
	if !has {
		return noInspector("deliver webhooks")
	}
	return fail(qi.RedeliverWebhook(ctx, taskID, t.RenderTaskID))
}

// TestWebhookResult is what a test event's delivery got.
type TestWebhookResult struct {
	URL        string
	StatusCode int    // 0 when the endpoint did not answer
	Error      string // "" when it answered 2xx
	Body       string // the event sent
}

// SendTestWebhook posts a test event, signed with the account's secret, to url now: the body of a
// completed render's webhook with made-up ids, so a receiver can check its signature verification.
func (s *Service) SendTestWebhook(ctx context.Context, accountID, url string) (TestWebhookResult, error) {
	if err := checkWebhookURL(url, s.cfg.AllowPrivateURLs); err != nil {
		return TestWebhookResult{}, err
	}
	a, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return TestWebhookResult{}, notFound(err, "Account", accountID)
	}
	qi, ok := s.inspector()
	if !ok {
		return TestWebhookResult{}, noInspector("deliver webhooks")
	}
	video := s.url(FilesPath + "test/video.mp4")
	renderID := "test_" + randomString(lowerAlnum, prefixedLength)
	ev := WebhookEvent{TaskID: "test_task", RenderTaskID: renderID, Status: RenderCompleted, VideoURL: &video,
		Timestamp: timestamp(s.now()), Metadata: json.RawMessage(`{"test":true}`)}
	body, _ := json.Marshal(ev)
	status, err := qi.SendWebhook(ctx, WebhookDelivery{AccountID: accountID, URL: url, Secret: a.WebhookSecret, Event: ev}, "msg_"+renderID)
	res := TestWebhookResult{URL: url, StatusCode: status, Body: string(body)}
	if err != nil {
		res.Error = err.Error()
	}
	return res, nil
}

// RotateWebhookSecret gives the account a new webhook signing secret and returns it; webhooks sent from
// now on are signed with it.
func (s *Service) RotateWebhookSecret(ctx context.Context, accountID string) (string, error) {
	secret := newWebhookSecret()
	if err := s.store.SetWebhookSecret(ctx, accountID, secret); err != nil {
		return "", notFound(err, "Account", accountID)
	}
	return secret, nil
}
