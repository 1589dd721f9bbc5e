package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core"
)

// The Queue is the console's core.QueueInspector: it lists River's jobs (the same rows on SQLite and
// PostgreSQL, through River's JobList) and sends webhooks on request.
var _ core.QueueInspector = (*Queue)(nil)

// InspectQueue implements core.QueueInspector.
func (q *Queue) InspectQueue(ctx context.Context, limit int) (core.QueueSnapshot, error) {
	var snap core.QueueSnapshot
	depth, err := q.QueueDepth(ctx)
	if err != nil {
		return snap, err
	}
	for _, d := range depth {
		snap.Depth = append(snap.Depth, core.QueueDepth{Kind: d.Kind, State: d.State, Count: d.Count})
	}
	slices.SortFunc(snap.Depth, func(a, b core.QueueDepth) int {
		if a.Kind != b.Kind {
			return cmpString(a.Kind, b.Kind)
		}
		return cmpString(a.State, b.State)
	})
	running, err := q.client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateRunning).First(limit))
	if err != nil {
		return snap, fmt.Errorf("jobs: list running jobs: %w", err)
	}
	for _, j := range running.Jobs {
		snap.Running = append(snap.Running, queueJob(j))
	}
	// The latest failures: jobs waiting to retry after an error, and jobs that ran out of attempts or were
	// cancelled after one.
	for _, states := range [][]rivertype.JobState{{rivertype.JobStateRetryable}, {rivertype.JobStateDiscarded, rivertype.JobStateCancelled}} {
		res, err := q.client.JobList(ctx, river.NewJobListParams().States(states...).OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit))
		if err != nil {
			return snap, fmt.Errorf("jobs: list failed jobs: %w", err)
		}
		for _, j := range res.Jobs {
			if len(j.Errors) > 0 {
				snap.Failures = append(snap.Failures, queueJob(j))
			}
		}
	}
	slices.SortFunc(snap.Failures, func(a, b core.QueueJob) int { return b.ErrorAt.Compare(a.ErrorAt) })
	if len(snap.Failures) > limit {
		snap.Failures = snap.Failures[:limit]
	}
	return snap, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TaskJobs implements core.QueueInspector: the jobs tagged with the task, oldest first.
func (q *Queue) TaskJobs(ctx context.Context, taskID string) ([]core.QueueJob, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().TagsAny(taskTag(taskID)).
		States(rivertype.JobStateAvailable, rivertype.JobStateCancelled, rivertype.JobStateCompleted, rivertype.JobStateDiscarded,
			rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc).First(1000))
	if err != nil {
		return nil, fmt.Errorf("jobs: list jobs of task %s: %w", taskID, err)
	}
	out := make([]core.QueueJob, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		out = append(out, queueJob(j))
	}
	return out, nil
}

// queueJob describes a River job for the console.
func queueJob(j *rivertype.JobRow) core.QueueJob {
	var args struct {
		renderRef
		Index *int `json:"index"`
		Count int  `json:"count"`
	}
	_ = json.Unmarshal(j.EncodedArgs, &args)
	kind, ok := kindLabels[j.Kind]
	if !ok {
		kind = j.Kind
	}
	out := core.QueueJob{ID: j.ID, Kind: kind, State: string(j.State), TaskID: args.TaskID, RenderTaskID: args.RenderTaskID,
		AccountID: args.AccountID, Segment: -1, Segments: args.Count, Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
		CreatedAt: j.CreatedAt}
	if j.Kind == (segmentArgs{}).Kind() && args.Index != nil {
		out.Segment = *args.Index
		p := outputOf(j)
		out.FramesDone, out.FramesTotal = p.Done, p.Total
	}
	if n := len(j.AttemptedBy); n > 0 {
		out.Worker = j.AttemptedBy[n-1]
	}
	if j.AttemptedAt != nil {
		out.AttemptedAt = *j.AttemptedAt
	}
	if j.FinalizedAt != nil {
		out.FinalizedAt = *j.FinalizedAt
	}
	if n := len(j.Errors); n > 0 {
		out.Error, out.ErrorAt = j.Errors[n-1].Error, j.Errors[n-1].At
	}
	return out
}

// RedeliverWebhook implements core.QueueInspector: a new webhook job for the render, unique by the time
// asked.
func (q *Queue) RedeliverWebhook(ctx context.Context, taskID, renderTaskID string) error {
	_, err := q.client.Insert(ctx, webhookArgs{TaskID: taskID, RenderTaskID: renderTaskID, Redelivery: strconv.FormatInt(time.Now().UnixNano(), 36)},
		&river.InsertOpts{Queue: webhookQueue, MaxAttempts: len(q.cfg.WebhookRetryDelays) + 1, Tags: []string{taskTag(taskID)}})
	if err != nil {
		return fmt.Errorf("jobs: queue webhook redelivery: %w", err)
	}
	return nil
}

// SendWebhook implements core.QueueInspector: one signed POST now, through the same guarded client and
// timeout as the queued deliveries.
func (q *Queue) SendWebhook(ctx context.Context, d core.WebhookDelivery, messageID string) (int, error) {
	body, err := json.Marshal(d.Event)
	if err != nil {
		return 0, fmt.Errorf("encode webhook: %w", err)
	}
	ts := time.Now().Unix()
	sig, err := Sign(d.Secret, messageID, ts, body)
	if err != nil {
		return 0, err
	}
	return (&webhookWorker{q: q}).post(ctx, d.URL, messageID, ts, sig, body)
}
