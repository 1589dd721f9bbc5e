package jobs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/render/ffmpeg"
)

// Environment of a worker process started by the crash test (the test binary run again).
const (
	envWorker     = "FRAMECAST_JOBS_TEST_WORKER" // set: run as a worker
	envDSN        = "FRAMECAST_JOBS_TEST_DSN"
	envBlobDir    = "FRAMECAST_JOBS_TEST_BLOBS"
	envScratchDir = "FRAMECAST_JOBS_TEST_SCRATCH"
	envFrameDelay = "FRAMECAST_JOBS_TEST_FRAME_DELAY"
	// envDrainTimeout is how long the worker lets running jobs finish on SIGTERM (default 10 s).
	envDrainTimeout = "FRAMECAST_JOBS_TEST_DRAIN"
)

// workerMain is `framecast worker` in miniature: it opens the database and blob folder named by the
// environment and works jobs until SIGTERM.
func workerMain() int {
	ctx := context.Background()
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "worker:", err); return 1 }
	st, err := store.Open(ctx, os.Getenv(envDSN))
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	bl, err := blob.NewLocal(os.Getenv(envBlobDir))
	if err != nil {
		return fail(err)
	}
	cfg := testConfig(fakeTB{})
	cfg.ScratchDir = os.Getenv(envScratchDir)
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if d, err := time.ParseDuration(os.Getenv(envFrameDelay)); err == nil {
		cfg.frameDelay = d
	}
	q, err := New(ctx, st, cfg)
	if err != nil {
		return fail(err)
	}
	svc, err := core.New(core.Config{PublicURL: "https://fc.test", AllowPrivateURLs: true}, st, bl, q)
	if err != nil {
		return fail(err)
	}
	if err := q.Start(ctx, svc.Worker()); err != nil {
		return fail(err)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	<-sig
	drain := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv(envDrainTimeout)); err == nil {
		drain = d
	}
	stopCtx, cancel := context.WithTimeout(ctx, drain)
	defer cancel()
	if err := q.Stop(stopCtx); err != nil {
		return fail(err)
	}
	return 0
}

// fakeTB gives testConfig a temporary folder outside a test.
type fakeTB struct{ testing.TB }

func (fakeTB) TempDir() string {
	dir, _ := os.MkdirTemp("", "framecast-worker-")
	return dir
}

// startWorker runs the test binary as a worker process over the database dsn and blob folder.
func startWorker(t *testing.T, dsn, blobDir string, frameDelay time.Duration, log io.Writer) *exec.Cmd {
	t.Helper()
	return startWorkerEnv(t, dsn, blobDir, frameDelay, log)
}

// startWorkerEnv is startWorker with more environment variables for the worker.
func startWorkerEnv(t *testing.T, dsn, blobDir string, frameDelay time.Duration, log io.Writer, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envWorker+"=1", envDSN+"="+dsn, envBlobDir+"="+blobDir,
		envScratchDir+"="+t.TempDir(), envFrameDelay+"="+frameDelay.String())
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd
}

// newProcessEnv prepares a test whose workers are separate processes: this process only inserts (the
// returned env), the workers open the database dsn and the env's blob folder, and write their logs to log,
// which is shown when the test fails.
func newProcessEnv(t *testing.T, b storetest.Backend) (e *env, dsn string, log *os.File) {
	t.Helper()
	dsn = b.DSN(t)
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e = newEnv(t, st, filepath.Join(t.TempDir(), "blobs"), testConfig(t), false)
	logPath := filepath.Join(t.TempDir(), "workers.log")
	if log, err = os.Create(logPath); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		log.Close()
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("worker logs:\n%s", out)
		}
	})
	return e, dsn, log
}

// riverListTask lists the River jobs of a task.
func riverListTask(taskID string) *river.JobListParams {
	return river.NewJobListParams().TagsAny(taskTag(taskID)).First(100)
}

// TestWorkerCrash kills a worker process with SIGKILL in the middle of a render, starts another and
// checks that the render completes with every frame: the dead worker's jobs are rescued.
func TestWorkerCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: waits for River to rescue the dead worker's jobs")
	}
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		e, dsn, log := newProcessEnv(t, b)
		blobDir := e.blobDir

		taskID := e.createTask(t, document(640, 360, 20, ""))
		res, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{NumWorkers: 3})
		if err != nil {
			t.Fatal(err)
		}

		// The first worker draws slowly, so that it is surely killed half-way through its segments.
		first := startWorker(t, dsn, blobDir, 20*time.Millisecond, log)
		waitSegmentFrames(t, e, taskID, 20, 30*time.Second)
		if err := first.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		first.Wait()
		if v := e.currentTask(t, taskID); v.Status != store.TaskRendering {
			t.Fatalf("task %s before the second worker started", v.Status)
		}

		killedAt := time.Now()
		second := startWorker(t, dsn, blobDir, 0, log)
		rescuedAt := waitRescued(t, e, taskID, time.Minute)
		t.Logf("rescue delay (kill -9 to a dead worker's segment running again elsewhere) with a %s rescue delay: %s",
			testConfig(t).RescueStuckJobsAfter, rescuedAt.Sub(killedAt).Round(10*time.Millisecond))
		v := e.waitTask(t, taskID, 90*time.Second)
		if v.Status != store.TaskCompleted {
			t.Fatalf("task %s: %s", v.Status, v.Error)
		}
		second.Process.Signal(syscall.SIGTERM)
		second.Wait()

		task, err := e.store.GetTask(ctx, e.account.ID, taskID)
		if err != nil {
			t.Fatal(err)
		}
		probe, err := ffmpeg.Probe(ctx, filepath.Join(blobDir, task.VideoKey), ffmpeg.CountFrames)
		if err != nil {
			t.Fatal(err)
		}
		if video, _ := probe.Video(); video.NbFrames != 600 || video.Width != 640 {
			t.Errorf("video %+v, want 640x360 with 600 frames", video)
		}
		// At least one segment was taken over from the dead worker.
		jobs, err := e.queue.client.JobList(ctx, riverListTask(taskID))
		if err != nil {
			t.Fatal(err)
		}
		rescued := 0
		for _, j := range jobs.Jobs {
			if j.Kind == (segmentArgs{}).Kind() && j.Attempt > 1 {
				rescued++
			}
		}
		if rescued == 0 {
			t.Errorf("no segment of render %s was tried twice: nothing was rescued", res.RenderTaskID)
		}
	})
}

// waitSegmentFrames waits until a running segment job of the task has written at least n frames.
func waitSegmentFrames(t *testing.T, e *env, taskID string, n int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		jobs, err := e.queue.client.JobList(context.Background(), riverListTask(taskID).States(rivertype.JobStateRunning))
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs.Jobs {
			if j.Kind == (segmentArgs{}).Kind() && outputOf(j).Done >= n {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no segment of task %s reached %d frames", taskID, n)
}

// currentTask returns the task as it is now.
func (e *env) currentTask(t *testing.T, taskID string) core.TaskView {
	t.Helper()
	res, err := e.svc.GetTask(context.Background(), e.account.ID, taskID)
	if err != nil {
		t.Fatal(err)
	}
	return res.TaskView
}

// waitRescued waits until a segment job of the task runs (or ran) a second try and returns when it was
// taken.
func waitRescued(t *testing.T, e *env, taskID string, within time.Duration) time.Time {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		jobs, err := e.queue.client.JobList(context.Background(), riverListTask(taskID))
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs.Jobs {
			if j.Kind == (segmentArgs{}).Kind() && j.Attempt > 1 {
				return time.Now()
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no segment of task %s was taken over within %s", taskID, within)
	return time.Time{}
}
