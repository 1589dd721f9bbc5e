// Package jobs runs Framecast's background work on River (github.com/riverqueue/river), in the same
// database as the records: renders split into segments that any worker on any machine can render, their
// assembly, webhook deliveries and the purge of expired previews.
//
// A render with num_workers N is N segment jobs and one finalize job, inserted in the transaction that
// charges for the render. The video is cut into segments (render.SegmentBounds: a grid of
// render.SegmentSeconds moved onto the clips' edges), each keyed by exactly what it draws
// (render.Timeline.Segments); segment job i takes the i-th of N contiguous runs of them. A segment whose key
// the account has stored (accounts/<accountId>/segments/<key>.mp4, see SegmentStoreKey) is not drawn
// again; the others are drawn, encoded and stored there, where they stay for later renders. The finalize
// job waits (snoozing) until every segment job is done, reporting the render's progress meanwhile, then
// mixes the audio, joins the segments by stream copy, stores the video and its thumbnail, records the
// render's keys and the segments reused, completes the render and queues the webhook.
//
// Crash recovery: a running render job heartbeats (it moves its River attempted_at forward every fifth
// of Config.RescueStuckJobsAfter). When a process dies, its jobs stop beating and River's rescuer hands
// them to another process after RescueStuckJobsAfter. River cancels a job's context after its timeout,
// which is set to that same delay so the rescuer may act; render jobs therefore work under their own
// context, bounded by Config.JobTimeout, that follows River's only for cancellation and shutdown.
//
// Usage, in a process that serves the API and renders:
//
//	q, err := jobs.New(ctx, st, jobs.Config{})      // applies River's migrations
//	svc, err := core.New(coreCfg, st, bl, q)
//	err = q.Start(ctx, svc)                          // works jobs until Stop
//	defer q.Stop(ctx)
//
// A process that only renders does the same; a process that only serves the API skips Start: it still
// inserts jobs, which other processes work.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/netguard"
)

// Queue names. Segments, finalizations and deliveries have their own queues, so that a webhook never waits
// behind a long render, and a finalize job (which waits for its segments, reporting progress meanwhile)
// never takes a slot a segment could use.
const (
	renderQueue   = "renders"
	finalizeQueue = "finalize"
	eventQueue    = "events"
	webhookQueue  = "webhooks"
	// eventWorkers is how many maintenance jobs (and webhooks queued by older versions) one process runs
	// at once.
	eventWorkers = 4
	// webhookWorkers is how many webhooks one process delivers at once, all accounts together. A
	// delivery mostly waits on the network, so this can be well above the CPUs; no account takes more
	// than Config.WebhookAccountConcurrency of them.
	webhookWorkers = 16
	// finalizeWorkers is how many renders one process finalizes at once.
	finalizeWorkers = 2
)

// Queue runs renders, webhooks and maintenance on River. It implements core.Queue. Create it with New,
// start working with Start.
type Queue struct {
	cfg    Config
	store  *store.Store
	client *river.Client[*sql.Tx]

	// svc is set by Start before any job runs.
	svc Core
	// webhookClient posts webhooks through the address policy.
	webhookClient *http.Client
	// deliveries counts the webhook deliveries in flight per account (webhook.go).
	deliveries accountSlots
	// stopping ends when Stop gives up waiting: render jobs, which outlive River's context, stop then.
	stopping   context.Context
	stopRender context.CancelFunc
	// listener is the pgx pool River listens for new jobs on (PostgreSQL with Config.ListenURL), or nil.
	listener *pgxpool.Pool
	// scratchDone ends when the upkeep started by Start (maintain) returns.
	scratchDone chan struct{}

	mu      sync.Mutex
	started bool
}

// New returns a Queue over the store's database and brings River's tables up to date (under a lock, so
// several processes starting at once do not race). The Queue can insert jobs at once; it works them only
// after Start.
func New(ctx context.Context, st *store.Store, cfg Config) (*Queue, error) {
	cfg = cfg.withDefaults()
	if cfg.JobTimeout < cfg.RescueStuckJobsAfter {
		return nil, fmt.Errorf("jobs: JobTimeout (%s) must not be shorter than RescueStuckJobsAfter (%s)", cfg.JobTimeout, cfg.RescueStuckJobsAfter)
	}
	q := &Queue{cfg: cfg, store: st, webhookClient: netguard.Policy{AllowPrivate: cfg.AllowPrivateURLs}.Client(cfg.WebhookTimeout)}
	q.stopping, q.stopRender = context.WithCancel(context.Background())
	if err := q.migrate(ctx); err != nil {
		return nil, err
	}
	if cfg.ListenURL != "" && st.Dialect() == store.Postgres {
		pcfg, err := pgxpool.ParseConfig(cfg.ListenURL)
		if err != nil {
			return nil, fmt.Errorf("jobs: listener URL: %w", err)
		}
		pcfg.MaxConns = 2 // River holds one connection for LISTEN; the pool connects lazily
		if q.listener, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
			return nil, fmt.Errorf("jobs: listener pool: %w", err)
		}
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &segmentWorker{q: q})
	river.AddWorker(workers, &finalizeWorker{q: q})
	river.AddWorker(workers, &webhookWorker{q: q})
	river.AddWorker(workers, &purgeWorker{q: q})
	client, err := river.NewClient(q.driver(), &river.Config{
		Queues: map[string]river.QueueConfig{
			renderQueue: {MaxWorkers: cfg.Workers},
			// A waiting finalize job snoozes for ProgressInterval, and a snoozed job is fetched again by
			// a poll, not a notification: this queue polls that often even when listening.
			finalizeQueue: {MaxWorkers: finalizeWorkers, FetchPollInterval: min(q.pollInterval(), cfg.ProgressInterval)},
			eventQueue:    {MaxWorkers: eventWorkers},
			webhookQueue:  {MaxWorkers: webhookWorkers},
		},
		Workers: workers,
		// River's timeout is the lease: the rescuer only takes a job whose timeout has passed. Render jobs
		// renew the lease by heartbeating and enforce JobTimeout themselves (see detach).
		JobTimeout:           cfg.RescueStuckJobsAfter,
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
		FetchPollInterval:    q.pollInterval(),
		FetchCooldown:        min(cfg.PollInterval, river.FetchCooldownDefault),
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.PurgeInterval),
			func() (river.JobArgs, *river.InsertOpts) { return purgeArgs{}, nil },
			&river.PeriodicJobOpts{ID: "purge-previews", RunOnStart: true})},
		Logger: cfg.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: river client: %w", err)
	}
	q.client = client
	return q, nil
}

// driver returns River's driver for the store's database; both are driver.Driver[*sql.Tx]. On
// PostgreSQL with a listener pool, River learns of new jobs by LISTEN/NOTIFY instead of polling.
func (q *Queue) driver() riverdriver.Driver[*sql.Tx] {
	db := q.store.DB().DB
	if q.store.Dialect() == store.Postgres {
		if q.listener != nil {
			return riverdatabasesql.NewWithPgxListener(db, q.listener)
		}
		return riverdatabasesql.New(db)
	}
	return riversqlite.New(db)
}

// Listening reports whether River is told of new jobs by PostgreSQL notifications (rather than by
// polling every PollInterval).
func (q *Queue) Listening() bool { return q.listener != nil }

// pollInterval is how often River looks for jobs: Config.PollInterval, or ListenPollInterval when
// notifications tell it of new jobs and polling is only a safety net.
func (q *Queue) pollInterval() time.Duration {
	if q.listener != nil {
		return max(q.cfg.PollInterval, q.cfg.ListenPollInterval)
	}
	return q.cfg.PollInterval
}

// migrationLockKey is the PostgreSQL advisory lock held while River's migrations run.
const migrationLockKey int64 = 0x6663726976 // "fcriv"

// migrate applies River's pending migrations under a lock, so that processes starting together do not
// race (rivermigrate takes none). On SQLite they run in one of the store's transactions, which are
// IMMEDIATE: the write lock is taken when it begins. On PostgreSQL they run one transaction each (a
// migration may add an enum value that the next one uses) while a dedicated connection holds an
// advisory lock.
func (q *Queue) migrate(ctx context.Context) error {
	migrator, err := rivermigrate.New(q.driver(), nil)
	if err != nil {
		return fmt.Errorf("jobs: river migrator: %w", err)
	}
	if q.store.Dialect() == store.Postgres {
		err = q.store.WithAdvisoryLock(ctx, migrationLockKey, func(*sqlx.Conn) error {
			_, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
			return err
		})
	} else {
		err = q.store.Tx(ctx, func(tx *store.Tx) error {
			_, err := migrator.MigrateTx(ctx, tx.SQL(), rivermigrate.DirectionUp, nil)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("jobs: river migrations: %w", err)
	}
	return nil
}

// Start makes this process work jobs, reporting to svc (core's Service.Worker()), until Stop. Call it once. ctx bounds the start
// only: cancelling it later does not stop the queue (a signal must not stop running renders hard; the
// caller drains them with Stop).
func (q *Queue) Start(ctx context.Context, svc Core) error {
	if svc == nil {
		return errors.New("jobs: Start needs the service")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return errors.New("jobs: already started")
	}
	q.svc = svc
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.started = true
	q.scratchDone = make(chan struct{})
	go func() {
		defer close(q.scratchDone)
		q.maintain(q.stopping)
	}()
	return nil
}

// Stop drains the process: it stops taking jobs and waits for running ones to finish until ctx ends (the
// drain timeout); then it cancels those still running, which go back to the queue at once without
// counting as a try, for any other process to take up. It is a no-op if the Queue was never started.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.started {
		return nil
	}
	q.started = false
	defer func() {
		if q.listener != nil {
			q.listener.Close()
		}
	}()
	err := q.client.Stop(ctx)
	q.stopRender()
	<-q.scratchDone
	if err == nil {
		return nil
	}
	q.cfg.Logger.Info("jobs: drain timeout reached: handing running jobs back to the queue", "worker_id", q.WorkerID())
	cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := q.client.StopAndCancel(cancelCtx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// QueueDepth counts the jobs that have not ended, by kind and state, across every process: what
// framecast_queue_jobs reports.
func (q *Queue) QueueDepth(ctx context.Context) ([]metrics.Depth, error) {
	db := q.store.DB()
	var rows []struct {
		Kind  string `db:"kind"`
		State string `db:"state"`
		Count int    `db:"n"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(`SELECT kind, state, count(*) AS n FROM river_job
WHERE state IN (?, ?, ?, ?, ?) GROUP BY kind, state`), "available", "scheduled", "retryable", "running", "pending")
	if err != nil {
		return nil, fmt.Errorf("jobs: queue depth: %w", err)
	}
	// Every kind and waiting state is reported, at 0 when empty, so that the series always exist.
	counts := map[[2]string]int{}
	for _, kind := range kindLabels {
		for _, state := range []string{"available", "scheduled", "retryable", "running"} {
			counts[[2]string{kind, state}] = 0
		}
	}
	for _, r := range rows {
		kind, ok := kindLabels[r.Kind]
		if !ok {
			kind = strings.TrimPrefix(r.Kind, "framecast_")
		}
		counts[[2]string{kind, r.State}] += r.Count
	}
	out := make([]metrics.Depth, 0, len(counts))
	for k, n := range counts {
		out = append(out, metrics.Depth{Kind: k[0], State: k[1], Count: n})
	}
	return out, nil
}

// kindLabels maps River job kinds to the kind label of the metrics.
var kindLabels = map[string]string{
	(segmentArgs{}).Kind():  metrics.KindSegment,
	(finalizeArgs{}).Kind(): metrics.KindFinalize,
	(webhookArgs{}).Kind():  metrics.KindWebhook,
	(purgeArgs{}).Kind():    metrics.KindPurge,
}

// EnqueueRender implements core.Queue: it inserts, inside tx, one segment job per worker asked for, but no
// more than the render's segments (job.SegmentsTotal, when known), and the finalize job that assembles
// them. The render's reuse segments (render.SegmentBounds) are shared among the segment jobs in contiguous
// runs: num_workers bounds the parallelism, not the segment count. Capping the jobs at the segment count
// here, where it is already known, spares a job with no segment its start and a parse of the document;
// with the count unknown (0) every worker asked for gets a job, and a job whose run is empty ends
// without drawing (jobSegments).
//
// A render completed from an earlier one's output (job.Reused) is only its webhook.
func (q *Queue) EnqueueRender(ctx context.Context, tx *store.Tx, job core.RenderJob) error {
	n := max(job.NumWorkers, 1)
	if job.SegmentsTotal > 0 {
		n = min(n, job.SegmentsTotal)
	}
	ref := renderRef{TaskID: job.TaskID, RenderTaskID: job.RenderTaskID, AccountID: job.AccountID}
	if job.Reused {
		if job.WebhookURL == "" {
			return nil
		}
		_, err := q.client.InsertTx(ctx, tx.SQL(), webhookArgs{TaskID: job.TaskID, RenderTaskID: job.RenderTaskID}, q.webhookOpts(job.TaskID))
		if err != nil {
			return fmt.Errorf("jobs: insert webhook: %w", err)
		}
		return nil
	}
	params := make([]river.InsertManyParams, n)
	for i := range params {
		params[i] = river.InsertManyParams{Args: segmentArgs{renderRef: ref, Index: i, Count: n}, InsertOpts: q.renderOpts(ref, renderQueue)}
	}
	res, err := q.client.InsertManyTx(ctx, tx.SQL(), params)
	if err != nil {
		return fmt.Errorf("jobs: insert segments: %w", err)
	}
	ids := make([]int64, len(res))
	for i, r := range res {
		ids[i] = r.Job.ID
	}
	_, err = q.client.InsertTx(ctx, tx.SQL(), finalizeArgs{renderRef: ref, Count: n, SegmentJobIDs: ids}, q.renderOpts(ref, finalizeQueue))
	if err != nil {
		return fmt.Errorf("jobs: insert finalize: %w", err)
	}
	return nil
}

// renderOpts are the insert options of a render's jobs in queue: tagged with the task, for CancelRender.
func (q *Queue) renderOpts(ref renderRef, queue string) *river.InsertOpts {
	return &river.InsertOpts{Queue: queue, MaxAttempts: q.cfg.SegmentMaxAttempts, Tags: []string{taskTag(ref.TaskID)}}
}

// liveStates are the states of a job that has not ended.
var liveStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled}

// CancelRender implements core.Queue: it cancels every job of the task's render that has not ended. A
// running job stops at its next progress check.
func (q *Queue) CancelRender(ctx context.Context, taskID string) error {
	res, err := q.client.JobList(ctx, river.NewJobListParams().TagsAny(taskTag(taskID)).States(liveStates...).First(1000))
	if err != nil {
		return fmt.Errorf("jobs: list jobs of task %s: %w", taskID, err)
	}
	var errs []error
	for _, j := range res.Jobs {
		if _, err := q.client.JobCancel(ctx, j.ID); err != nil && !errors.Is(err, river.ErrNotFound) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("jobs: cancel render of task %s: %w", taskID, err)
	}
	return nil
}

// taskTag is the River tag of a task's jobs.
func taskTag(taskID string) string { return "task_" + taskID }

var _ core.Queue = (*Queue)(nil)
