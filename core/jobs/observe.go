package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core/metrics"
)

// jobRun is one run of a render job, for its two log lines (started, finished) and its metrics.
type jobRun struct {
	q     *Queue
	kind  string
	attrs []slog.Attr
	start time.Time
}

// begin logs that this process started a render job of kind (metrics.KindSegment or KindFinalize) and
// counts it as running. segment is the segment's index, or -1 for the finalize job.
func (q *Queue) begin(kind string, job *rivertype.JobRow, ref renderRef, segment int) *jobRun {
	attrs := []slog.Attr{
		slog.String("kind", kind), slog.String("task_id", ref.TaskID), slog.String("render_id", ref.RenderTaskID),
		slog.Int64("job_id", job.ID), slog.Int("attempt", job.Attempt), slog.String("worker_id", q.WorkerID()),
	}
	if segment >= 0 {
		attrs = append(attrs, slog.Int("segment", segment))
	}
	metrics.JobsRunning.WithLabelValues(kind).Inc()
	q.cfg.Logger.LogAttrs(context.Background(), slog.LevelInfo, "job started", attrs...)
	return &jobRun{q: q, kind: kind, attrs: attrs, start: time.Now()}
}

// end logs that the job finished with outcome (a metrics.Outcome… constant) and err, and records its
// duration.
func (r *jobRun) end(outcome string, err error) {
	elapsed := time.Since(r.start)
	metrics.JobsRunning.WithLabelValues(r.kind).Dec()
	switch r.kind {
	case metrics.KindSegment:
		metrics.SegmentDuration.WithLabelValues(outcome).Observe(elapsed.Seconds())
	case metrics.KindFinalize:
		metrics.FinalizeDuration.WithLabelValues(outcome).Observe(elapsed.Seconds())
	}
	attrs := append(r.attrs, slog.String("outcome", outcome), slog.Float64("duration_s", elapsed.Seconds()))
	level := slog.LevelInfo
	if err != nil && outcome != metrics.OutcomeOK {
		attrs = append(attrs, slog.String("error", err.Error()))
		if outcome == metrics.OutcomeFailed || outcome == metrics.OutcomeRetry {
			level = slog.LevelWarn
		}
	}
	r.q.cfg.Logger.LogAttrs(context.Background(), level, "job finished", attrs...)
}

// WorkerID names this process in logs: River's client id (the host name and the time the client was
// made), unique per process.
func (q *Queue) WorkerID() string { return q.client.ID() }
