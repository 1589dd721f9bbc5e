package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core/store"
)

// River's own rescuer looks for stuck jobs every 30 s (a fixed interval), and only on the leader: a render
// job of a killed worker would wait RescueStuckJobsAfter plus up to 30 s more. Render jobs heartbeat, so
// every working process also sweeps them itself every fifth of RescueStuckJobsAfter: a segment or
// finalize job whose heartbeat is older than RescueStuckJobsAfter, with tries left, goes back to the
// queue at once. With --rescue-after 30s a killed worker's segment starts again elsewhere 25–40 s after
// the kill (measured by TestWorkerCrash). River's rescuer still handles the last try (it discards the
// job, and the finalize job fails the render) and every other kind of job.

// rescueStuck makes the stuck render jobs available again and returns how many it rescued. The process
// that ran them, if it is alive after all, loses its lease at its next heartbeat and stops.
func (q *Queue) rescueStuck(ctx context.Context) (int64, error) {
	horizon := time.Now().UTC().Add(-q.cfg.RescueStuckJobsAfter)
	var since any = horizon
	now := "now()"
	if q.store.Dialect() != store.Postgres {
		since = horizon.Format(sqliteTimeFormat)
		now = sqliteNow
	}
	db := q.store.DB()
	res, err := db.ExecContext(ctx, db.Rebind(`UPDATE river_job SET state = '`+string(rivertype.JobStateAvailable)+`', scheduled_at = `+now+`
WHERE state = '`+string(rivertype.JobStateRunning)+`' AND kind IN (?, ?) AND attempted_at < ? AND attempt < max_attempts`),
		(segmentArgs{}).Kind(), (finalizeArgs{}).Kind(), since)
	if err != nil {
		return 0, fmt.Errorf("jobs: rescue stuck render jobs: %w", err)
	}
	return res.RowsAffected()
}

// River's time format on SQLite (times are compared as strings there), and its current time.
const (
	sqliteTimeFormat = "2006-01-02 15:04:05.000"
	sqliteNow        = "datetime('now', 'subsec')"
)

// maintain runs this process's upkeep until ctx ends: the sweep of stuck render jobs every fifth of
// RescueStuckJobsAfter, and of abandoned scratch folders at start and every PurgeInterval.
func (q *Queue) maintain(ctx context.Context) {
	tick := time.NewTicker(q.cfg.heartbeatEvery())
	defer tick.Stop()
	var lastScratch time.Time
	for {
		if time.Since(lastScratch) >= q.cfg.PurgeInterval {
			lastScratch = time.Now()
			if n := q.purgeScratch(lastScratch); n > 0 {
				q.cfg.Logger.Info("jobs: deleted abandoned scratch folders", "count", n, "worker_id", q.WorkerID())
			}
		}
		n, err := q.rescueStuck(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			q.cfg.Logger.Warn("jobs: rescue stuck render jobs", "error", err)
		case n > 0:
			q.cfg.Logger.Info("jobs: render jobs of a dead worker handed back to the queue", "count", n, "worker_id", q.WorkerID())
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
