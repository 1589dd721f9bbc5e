package jobs

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the JSON log lines written so far, decoded.
func (b *syncBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", sc.Text(), err)
		}
		out = append(out, rec)
	}
	return out
}

// startQueue makes the env's queue work jobs until the test ends.
func (e *env) startQueue(t *testing.T) {
	t.Helper()
	if err := e.queue.Start(context.Background(), e.svc.Worker()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.queue.Stop(ctx)
	})
}

// renderJobs returns the task's segment jobs (by index) and its finalize job.
func (e *env) renderJobs(t *testing.T, taskID string) (segments []*rivertype.JobRow, finalize *rivertype.JobRow) {
	t.Helper()
	res, err := e.queue.client.JobList(context.Background(), riverListTask(taskID))
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range res.Jobs {
		switch j.Kind {
		case (segmentArgs{}).Kind():
			segments = append(segments, j)
		case (finalizeArgs{}).Kind():
			finalize = j
		}
	}
	return segments, finalize
}

// A render asking for more workers than its document has segments queues one segment job per segment,
// and its finalize job waits for those; a render whose segment count is unknown (0) gets one job per
// worker asked for, as before the count was carried.
func TestSegmentJobsCappedAtSegments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		e := newEnv(t, b.Open(t), filepath.Join(t.TempDir(), "blobs"), testConfig(t), false)
		taskID := e.createTask(t, document(320, 180, 4, "")) // two 2 s segments
		res, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{NumWorkers: 4})
		if err != nil {
			t.Fatal(err)
		}
		if res.SegmentsTotal != 2 {
			t.Fatalf("segments total %d, want 2", res.SegmentsTotal)
		}
		checkJobs := func(taskID string, want int) {
			t.Helper()
			segments, finalize := e.renderJobs(t, taskID)
			var fa finalizeArgs
			if finalize == nil || json.Unmarshal(finalize.EncodedArgs, &fa) != nil {
				t.Fatalf("task %s: no finalize job", taskID)
			}
			if len(segments) != want || fa.Count != want || len(fa.SegmentJobIDs) != want {
				t.Fatalf("task %s: %d segment jobs, finalize expects %d (%d ids); want %d", taskID, len(segments), fa.Count,
					len(fa.SegmentJobIDs), want)
			}
			for _, j := range segments {
				var sa segmentArgs
				if err := json.Unmarshal(j.EncodedArgs, &sa); err != nil || sa.Count != want || sa.Index >= want {
					t.Fatalf("task %s: segment job args %s", taskID, j.EncodedArgs)
				}
			}
		}
		checkJobs(taskID, 2)

		unknown := e.createTask(t, document(320, 180, 4, ""))
		err = e.store.Tx(ctx, func(tx *store.Tx) error {
			return e.queue.EnqueueRender(ctx, tx, core.RenderJob{TaskID: unknown, RenderTaskID: "rt_unknown", AccountID: e.account.ID, NumWorkers: 3})
		})
		if err != nil {
			t.Fatal(err)
		}
		checkJobs(unknown, 3)
	})
}

// snoozes is how many times a job went back to the queue without counting as a try.
func snoozes(j *rivertype.JobRow) int {
	var m struct {
		Snoozes int `json:"snoozes"`
	}
	_ = json.Unmarshal(j.Metadata, &m)
	return m.Snoozes
}

// A segment whose file is already stored (by an earlier try, or an earlier render of the account) is not
// drawn again, and every job logs a JSON line when it starts and when it finishes, with the task, render,
// segment, worker and duration.
func TestStoredSegmentNotDrawnAgain(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		logs := &syncBuffer{}
		cfg := testConfig(t)
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, nil))
		e := newEnv(t, b.Open(t), filepath.Join(t.TempDir(), "blobs"), cfg, false)
		doc := document(320, 180, 4, "") // two 2 s segments, one per job
		taskID := e.createTask(t, doc)
		res, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{NumWorkers: 2})
		if err != nil {
			t.Fatal(err)
		}

		// Segment 0 as an earlier try left it: drawn and stored, the job not yet marked completed.
		parsed, err := schemas.Parse([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		tl, err := render.Load(ctx, parsed, render.Options{})
		if err != nil {
			t.Fatal(err)
		}
		segs, err := tl.Segments(ctx)
		if err != nil || len(segs) != 2 {
			t.Fatalf("segments %v, %v; want 2", segs, err)
		}
		seg := filepath.Join(t.TempDir(), "seg.mp4")
		if err := tl.EncodeSegment(ctx, segs[0], seg); err != nil {
			t.Fatal(err)
		}
		tl.Close()
		e.queue.svc = e.svc.Worker()
		if err := e.queue.putFile(ctx, SegmentStoreKey(e.account.ID, segs[0].Key), seg, "video/mp4"); err != nil {
			t.Fatal(err)
		}

		e.startQueue(t)
		v := e.waitTask(t, taskID, time.Minute)
		if v.Status != store.TaskCompleted {
			t.Fatalf("task %s: %s", v.Status, v.Error)
		}
		task, err := e.store.GetTask(ctx, e.account.ID, taskID)
		if err != nil {
			t.Fatal(err)
		}
		probe, err := ffmpeg.Probe(ctx, filepath.Join(e.blobDir, task.VideoKey), ffmpeg.CountFrames)
		if err != nil {
			t.Fatal(err)
		}
		if video, _ := probe.Video(); video.NbFrames != 120 {
			t.Errorf("video has %d frames, want 120", video.NbFrames)
		}
		if v.SegmentsReused != 1 || v.SegmentsTotal != 2 {
			t.Errorf("task reports %d of %d segments reused, want 1 of 2", v.SegmentsReused, v.SegmentsTotal)
		}

		outcomes := map[float64]string{} // segment index -> outcome
		finished := 0
		for _, rec := range e.waitLog(t, logs, "job finished", 3) {
			if rec["task_id"] != taskID || rec["render_id"] != res.RenderTaskID {
				t.Errorf("job line of another render: %v", rec)
			}
			if id, _ := rec["worker_id"].(string); id == "" || id != e.queue.WorkerID() {
				t.Errorf("worker_id %v, want %q", rec["worker_id"], e.queue.WorkerID())
			}
			if d, ok := rec["duration_s"].(float64); !ok || d < 0 {
				t.Errorf("duration_s %v", rec["duration_s"])
			}
			if idx, ok := rec["segment"].(float64); ok {
				outcomes[idx] = rec["outcome"].(string)
			}
			finished++
		}
		if outcomes[0] != "skipped" || outcomes[1] != "ok" {
			t.Errorf("segment outcomes %v, want segment 0 skipped (stored already) and 1 ok", outcomes)
		}
		if started := len(e.waitLog(t, logs, "job started", 3)); started != finished {
			t.Errorf("%d jobs started, %d finished", started, finished)
		}
	})
}

// waitLog waits until the log holds at least n lines with message msg and returns them.
func (e *env) waitLog(t *testing.T, logs *syncBuffer, msg string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var out []map[string]any
		for _, rec := range logs.records(t) {
			if rec["msg"] == msg {
				out = append(out, rec)
			}
		}
		if len(out) >= n || time.Now().After(deadline) {
			if len(out) < n {
				t.Fatalf("%d log lines %q, want %d", len(out), msg, n)
			}
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Progress writes that fail do not fail a job nor cost it a try; the finalize step reports its own
// stages, so the task's progress moves past the segments' share up to 1.
func TestProgressWrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		t.Run("failing writes cost no try", func(t *testing.T) {
			cfg := testConfig(t)
			cfg.progressWriteErr = errors.New("database unreachable")
			e := newEnv(t, b.Open(t), filepath.Join(t.TempDir(), "blobs"), cfg, true)
			taskID := e.createTask(t, document(320, 180, 2, ""))
			if _, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{NumWorkers: 2}); err != nil {
				t.Fatal(err)
			}
			if v := e.waitTask(t, taskID, time.Minute); v.Status != store.TaskCompleted {
				t.Fatalf("task %s: %s", v.Status, v.Error)
			}
			segments, final := e.renderJobs(t, taskID)
			for _, j := range append(segments, final) {
				if j.Attempt != 1 || len(j.Errors) > 0 {
					t.Errorf("job %s: attempt %d, errors %v; want one clean try", j.Kind, j.Attempt, j.Errors)
				}
			}
		})
		t.Run("finalize reports its stages", func(t *testing.T) {
			var mu sync.Mutex
			var seen []float64
			cfg := testConfig(t)
			cfg.progressObserved = func(p float64) { mu.Lock(); seen = append(seen, p); mu.Unlock() }
			e := newEnv(t, b.Open(t), filepath.Join(t.TempDir(), "blobs"), cfg, true)
			taskID := e.createTask(t, document(320, 180, 2, ""))
			if _, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{NumWorkers: 2}); err != nil {
				t.Fatal(err)
			}
			v := e.waitTask(t, taskID, time.Minute)
			if v.Status != store.TaskCompleted {
				t.Fatalf("task %s: %s", v.Status, v.Error)
			}
			mu.Lock()
			defer mu.Unlock()
			want := []float64{stageFetched.progress, stageMixed.progress, stageJoined.progress, stageThumbnail.progress, stageStored.progress}
			var finalize []float64
			for _, p := range seen {
				if p > segmentsShare {
					finalize = append(finalize, p)
				}
				if p >= 1 {
					t.Errorf("progress %v written before the render completed", p)
				}
			}
			if !slices.Equal(finalize, want) {
				t.Errorf("finalize progress %v, want %v (segments fill up to %v)", finalize, want, segmentsShare)
			}
		})
	})
}

// The purge deletes the segment files of ended or deleted renders and the scratch folders of killed
// jobs, and keeps those still in use.
func TestPurgeOrphans(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		cfg := testConfig(t)
		cfg.OrphanAge = time.Minute
		cfg.JobTimeout = time.Hour
		e := newEnv(t, b.Open(t), filepath.Join(t.TempDir(), "blobs"), cfg, false)
		e.queue.svc = e.svc.Worker()
		taskID := e.createTask(t, document(320, 180, 2, ""))
		live, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{NumWorkers: 2})
		if err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-2 * time.Hour)
		put := func(key string, at time.Time) {
			if _, err := e.svc.Worker().Blob().Put(ctx, key, strings.NewReader("mp4"), "video/mp4"); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(filepath.Join(e.blobDir, key), at, at); err != nil {
				t.Fatal(err)
			}
		}
		liveSeg := SegmentKey(live.RenderTaskID, 0)
		goneSeg := SegmentKey("rt_deleted", 1)      // its render no longer exists
		freshSeg := SegmentKey("rt_deleted_too", 0) // younger than OrphanAge
		output := "renders/acc/task/rt_x.mp4"       // an output, not a segment
		put(liveSeg, old)
		put(goneSeg, old)
		put(freshSeg, time.Now())
		put(output, old)

		n, err := e.queue.purgeOrphanSegments(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 || exists(t, e, goneSeg) || !exists(t, e, liveSeg) || !exists(t, e, freshSeg) || !exists(t, e, output) {
			t.Errorf("purged %d; left: gone %v live %v fresh %v output %v; want only the gone render's segment purged",
				n, exists(t, e, goneSeg), exists(t, e, liveSeg), exists(t, e, freshSeg), exists(t, e, output))
		}
		// Once the render ends (failed here), its segment files go too.
		if err := e.svc.Worker().FailRender(ctx, taskID, live.RenderTaskID, "test"); err != nil {
			t.Fatal(err)
		}
		if n, err := e.queue.purgeOrphanSegments(ctx, time.Now()); err != nil || n != 1 || exists(t, e, liveSeg) {
			t.Errorf("after the render failed: purged %d (%v), segment kept %v", n, err, exists(t, e, liveSeg))
		}

		// Scratch: an old job folder goes, a recent one and the asset cache stay.
		scratch := cfg.ScratchDir
		for _, d := range []string{"seg-rt_a-1", "final-rt_b-2", "assets"} {
			if err := os.MkdirAll(filepath.Join(scratch, d), 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(scratch, d, "f"), []byte("x"), 0o644)
			os.Chtimes(filepath.Join(scratch, d), old, old)
		}
		os.MkdirAll(filepath.Join(scratch, "seg-rt_c-3"), 0o755) // running now
		if n := e.queue.purgeScratch(time.Now()); n != 2 {
			t.Errorf("purged %d scratch folders, want 2", n)
		}
		left, _ := os.ReadDir(scratch)
		var names []string
		for _, d := range left {
			names = append(names, d.Name())
		}
		if !slices.Equal(names, []string{"assets", "seg-rt_c-3"}) {
			t.Errorf("scratch after the purge: %v, want [assets seg-rt_c-3]", names)
		}
	})
}

func exists(t *testing.T, e *env, key string) bool {
	t.Helper()
	_, err := os.Stat(filepath.Join(e.blobDir, key))
	return err == nil
}

// On SIGTERM a worker drains: a segment that finishes within the drain timeout is completed by that
// worker; one that does not goes back to the queue without losing a try, and another worker takes it over.
func TestWorkerDrain(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs worker processes")
	}
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		e, dsn, log := newProcessEnv(t, b)
		blobDir := e.blobDir
		renders := 0
		render := func() string {
			// A new text each time: nothing of an earlier render is reused.
			renders++
			doc := strings.Replace(document(640, 360, 6, ""), `"Framecast"`, fmt.Sprintf(`"Framecast %d"`, renders), 1)
			taskID := e.createTask(t, doc)
			if _, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{NumWorkers: 2}); err != nil {
				t.Fatal(err)
			}
			return taskID
		}
		stop := func(w *exec.Cmd) time.Duration {
			start := time.Now()
			if err := w.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := w.Wait(); err != nil {
				t.Fatalf("worker exited with %v", err)
			}
			return time.Since(start)
		}

		t.Run("drain timeout reached: back to the queue", func(t *testing.T) {
			taskID := render()
			// 90 frames a segment at 50 ms each: 4.5 s, far longer than the 300 ms drain.
			first := startWorkerProc(t, dsn, blobDir, 50*time.Millisecond, 300*time.Millisecond, log)
			waitSegmentFrames(t, e, taskID, 5, 30*time.Second)
			took := stop(first)
			t.Logf("SIGTERM to exit with --drain-timeout 300ms: %s", took.Round(time.Millisecond))
			segments, _ := e.renderJobs(t, taskID)
			for _, j := range segments {
				if j.State == rivertype.JobStateRunning || j.Attempt != 0 || snoozes(j) != 1 || len(j.Errors) > 0 {
					t.Errorf("segment job %d after the drain: %s, attempt %d, snoozed %d, errors %v; want back in the queue, no try counted",
						j.ID, j.State, j.Attempt, snoozes(j), j.Errors)
				}
			}
			second := startWorkerProc(t, dsn, blobDir, 0, 10*time.Second, log)
			takenOver := time.Now()
			v := e.waitTask(t, taskID, 90*time.Second)
			if v.Status != store.TaskCompleted {
				t.Fatalf("task %s: %s", v.Status, v.Error)
			}
			t.Logf("second worker completed the render %s after it started", time.Since(takenOver).Round(time.Millisecond))
			stop(second)
			segments, _ = e.renderJobs(t, taskID)
			for _, j := range segments {
				if j.State != rivertype.JobStateCompleted || j.Attempt != 1 {
					t.Errorf("segment job %d: %s on attempt %d, want completed on its first counted try", j.ID, j.State, j.Attempt)
				}
			}
		})

		t.Run("finishes within the drain timeout", func(t *testing.T) {
			taskID := render()
			// At most 120 frames a job (two 2 s segments) at 20 ms each: under 3 s, well within a 60 s drain.
			first := startWorkerProc(t, dsn, blobDir, 20*time.Millisecond, time.Minute, log)
			waitSegmentFrames(t, e, taskID, 5, 30*time.Second)
			took := stop(first)
			t.Logf("SIGTERM to exit while draining two running segments: %s", took.Round(time.Millisecond))
			segments, _ := e.renderJobs(t, taskID)
			for _, j := range segments {
				if j.State != rivertype.JobStateCompleted || j.Attempt != 1 || snoozes(j) != 0 {
					t.Errorf("segment job %d after the drain: %s, attempt %d, snoozed %d; want completed by the stopping worker",
						j.ID, j.State, j.Attempt, snoozes(j))
				}
			}
			second := startWorkerProc(t, dsn, blobDir, 0, 10*time.Second, log)
			if v := e.waitTask(t, taskID, 90*time.Second); v.Status != store.TaskCompleted {
				t.Fatalf("task %s: %s", v.Status, v.Error)
			}
			stop(second)
		})
	})
}

// A job inserted by another process starts without waiting for the poll interval when the worker
// listens for PostgreSQL notifications.
func TestListenerStartsJobsPromptly(t *testing.T) {
	backends := storetest.Backends(t)
	if len(backends) < 2 {
		t.Skip("needs PostgreSQL (" + storetest.EnvPostgresURL + ")")
	}
	pg := backends[1]
	ctx := context.Background()
	dsn := pg.DSN(t)
	blobDir := filepath.Join(t.TempDir(), "blobs")
	open := func() *store.Store {
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	inserter := newEnv(t, open(), blobDir, testConfig(t), false)

	cfg := testConfig(t)
	cfg.PollInterval = time.Minute // polling alone would start the job a minute late at worst
	cfg.ListenPollInterval = time.Minute
	cfg.ListenURL = dsn
	worker, err := New(ctx, open(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !worker.Listening() {
		t.Fatal("queue on PostgreSQL with ListenURL does not listen")
	}
	if err := worker.Start(ctx, inserter.svc.Worker()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		worker.Stop(ctx)
	})
	time.Sleep(2 * time.Second) // the first fetch (at start) is done: the next job waits for a notification or a poll

	var latencies []time.Duration
	for i := range 3 {
		// A new text each time: an identical document would be answered from the first one's output.
		taskID := inserter.createTask(t, strings.Replace(document(160, 90, 1, ""), `"Framecast"`, fmt.Sprintf(`"Framecast %d"`, i), 1))
		inserted := time.Now()
		if _, err := inserter.svc.RenderTask(ctx, inserter.account.ID, taskID, core.RenderInput{NumWorkers: 1}); err != nil {
			t.Fatal(err)
		}
		for {
			res, err := inserter.queue.client.JobList(ctx, riverListTask(taskID).Kinds((segmentArgs{}).Kind()))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Jobs) == 1 && res.Jobs[0].AttemptedAt != nil {
				latencies = append(latencies, res.Jobs[0].AttemptedAt.Sub(inserted))
				break
			}
			if time.Since(inserted) > 20*time.Second {
				t.Fatalf("job not started %s after its insert: the worker polls instead of listening", time.Since(inserted))
			}
			time.Sleep(5 * time.Millisecond)
		}
		inserter.waitTask(t, taskID, time.Minute)
	}
	t.Logf("insert-to-start latency with LISTEN/NOTIFY (poll interval 1 min): %v", latencies)
}

// startWorkerProc runs the test binary as a worker process that drains for drain on SIGTERM.
func startWorkerProc(t *testing.T, dsn, blobDir string, frameDelay, drain time.Duration, log io.Writer) *exec.Cmd {
	t.Helper()
	return startWorkerEnv(t, dsn, blobDir, frameDelay, log, envDrainTimeout+"="+drain.String())
}
