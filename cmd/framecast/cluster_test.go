package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/internal/s3test"
	"github.com/framecast/framecast/render/ffmpeg"
)

// clusterFrameDelay slows each frame the workers draw, so that a 125-frame segment lasts about 5 s and a
// worker can be killed in the middle of one.
const clusterFrameDelay = 40 * time.Millisecond

// clusterRescueAfter is the --rescue-after the workers run with (its minimum).
const clusterRescueAfter = "30s"

// TestCluster runs Framecast as a cluster on one machine: `serve --workers 0` and two `worker` processes,
// each with its own --data folder (so nothing passes through a shared disk), sharing one PostgreSQL
// database and one S3 bucket (versitygw). It renders a 20 s document with an uploaded image and an uploaded
// sound in 4 segments, kills one worker with SIGKILL in the middle of a segment, and checks that the task
// completes anyway: the video downloads from serve with every frame and a sound track, the credits were
// charged once, one webhook arrived.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: waits for the dead worker's segment to be rescued")
	}
	c := startTestCluster(t, 2, envTestFrameDelay+"="+clusterFrameDelay.String())
	s, a, b := c.serve, c.workers[0], c.workers[1]

	photo, err := os.ReadFile("../../examples/assets/photo1.jpg")
	if err != nil {
		t.Fatal(err)
	}
	photoURL := s.upload(t, "photo.jpg", photo)
	toneURL := s.upload(t, "tone.wav", longToneWAV(t, 20))

	rc := &receiver{done: make(chan struct{})}
	hooks := httptest.NewServer(rc)
	defer hooks.Close()
	_, before := s.call(t, "GET", "/api/v1/credits", nil)
	doc := map[string]any{"meta": map[string]any{"version": "2.0.0", "width": 320, "height": 180, "fps": 25},
		"tracks": []any{map[string]any{"clips": []any{
			map[string]any{"type": "image", "src": photoURL, "start": 0, "duration": 20, "transform": map[string]any{"width": "100%", "height": "100%"}},
			map[string]any{"type": "text", "text": "Cluster", "start": 0, "duration": 20, "style": map[string]any{"fontSize": 32}},
			map[string]any{"type": "audio", "src": toneURL, "start": 0, "duration": 20},
		}}}}
	code, created := s.call(t, "POST", "/api/v1/video", map[string]any{"config": doc, "title": "cluster"})
	if code != 201 && code != 200 {
		t.Fatalf("create: %d %v", code, created)
	}
	id := created["taskId"].(string)
	start := time.Now()
	c.startRender(t, id, 4, hooks.URL+"/hook")

	// Kill worker a while it is drawing a segment: its scratch folder holds one.
	deadline := time.Now().Add(2 * time.Minute)
	for !drawingSegment(a.data) {
		if time.Now().After(deadline) {
			t.Fatalf("worker a never started a segment\n%s", a.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // some frames drawn
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	a.cmd.Wait()
	t.Logf("worker a killed %.1fs after the render started", killed.Sub(start).Seconds())

	task := c.wait(t, id)
	done := time.Now()
	if task["status"] != "completed" {
		t.Fatalf("task ended %v: %v\nworker b:\n%s", task["status"], task["error"], b.log())
	}
	t.Logf("task completed %.1fs after the kill (%.1fs in all)", done.Sub(killed).Seconds(), done.Sub(start).Seconds())
	if rescued, ok := b.retried(); ok {
		t.Logf("the dead worker's job taken over by worker b %.1fs after the kill (--rescue-after %s)", rescued.Sub(killed).Seconds(), clusterRescueAfter)
	} else {
		t.Errorf("worker b logged no retried job: who finished the dead worker's segment?")
	}

	// The workers read the uploads from S3, not over HTTP from serve (they may reach it here: the URLs name
	// this machine, and --allow-private-urls is on for the webhook).
	if n := fileGets(t, s); n != 0 {
		t.Errorf("serve answered %d GET /files/ requests during the render, want 0", n)
	}

	// The video, from serve (which draws nothing and never saw the workers' disks).
	videoURL := task["videoUrl"].(string)
	if !strings.HasPrefix(videoURL, strings.Replace(s.url, "127.0.0.1", "localhost", 1)) && !strings.HasPrefix(videoURL, s.url) {
		t.Errorf("videoUrl %q is not served by serve (%s)", videoURL, s.url)
	}
	resp, err := http.Get(videoURL)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("download %s: %v %v", videoURL, err, resp)
	}
	mp4 := filepath.Join(t.TempDir(), "cluster.mp4")
	f, _ := os.Create(mp4)
	io.Copy(f, resp.Body)
	resp.Body.Close()
	f.Close()
	p, err := ffmpeg.Probe(context.Background(), mp4)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := p.Video()
	if v.Width != 320 || v.Height != 180 || v.NbFrames != 500 || !p.HasAudio {
		t.Errorf("video: %dx%d, %d frames, audio %v; want 320x180, 500 frames, audio", v.Width, v.Height, v.NbFrames, p.HasAudio)
	}
	if thumb, ok := task["thumbnailUrl"].(string); ok && thumb != "" {
		if resp, err := http.Get(thumb); err != nil || resp.StatusCode != 200 {
			t.Errorf("thumbnail %s: %v %v", thumb, err, resp)
		} else {
			resp.Body.Close()
		}
	}

	if n := fileGets(t, s); n == 0 {
		t.Errorf("serve's metrics counted no GET /files/ request after the download: the check above proves nothing")
	}

	// Charged once: 20 s at the first quality tier.
	_, after := s.call(t, "GET", "/api/v1/credits", nil)
	if charged := before["credits"].(float64) - after["credits"].(float64); charged != 20 || task["costCredits"].(float64) != 20 {
		t.Errorf("charged %v credits (task says %v), want 20", charged, task["costCredits"])
	}
	// One webhook, saying completed (a second would come within a few seconds of the first).
	select {
	case <-rc.done:
	case <-time.After(60 * time.Second):
		t.Fatal("no webhook arrived")
	}
	time.Sleep(3 * time.Second)
	rc.mu.Lock()
	hooksGot := rc.got
	rc.mu.Unlock()
	var payload map[string]any
	json.Unmarshal(hooksGot[0].body, &payload)
	if len(hooksGot) != 1 || payload["status"] != "completed" || payload["videoUrl"] != videoURL {
		t.Errorf("%d webhooks; the first: %v", len(hooksGot), payload)
	}
}

// fileGets is how many GET /files/… requests serve has answered, from its /metrics.
func fileGets(t *testing.T, s *server) int {
	t.Helper()
	resp, err := http.Get(s.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "framecast_http_requests_total") {
		t.Fatalf("GET /metrics: %d %.200s", resp.StatusCode, b)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "framecast_http_requests_total{") && strings.Contains(line, `method="GET"`) && strings.Contains(line, `route="/files/*"`) {
			var v float64
			fmt.Sscan(line[strings.LastIndex(line, " ")+1:], &v)
			n += int(v)
		}
	}
	return n
}

// testCluster is `serve --workers 0` and worker processes, each with its own data folder, on a fresh
// PostgreSQL database and a fresh S3 bucket.
type testCluster struct {
	serve   *server
	workers []*clusterWorker
	dsn     string
	waitFor time.Duration // how long wait waits for a render (0: 6 minutes)
}

// startTestCluster starts serve and n workers (--workers 1 each, env added to their environment). It skips
// the test without PostgreSQL (FRAMECAST_TEST_POSTGRES_URL) or versitygw, and fails it instead when CI=true.
func startTestCluster(t *testing.T, n int, env ...string) *testCluster {
	t.Helper()
	if _, _, err := ffmpeg.FindFFmpeg(); err != nil {
		t.Fatal(err)
	}
	pgURL := os.Getenv(storetest.EnvPostgresURL)
	if pgURL == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: the cluster test needs PostgreSQL", storetest.EnvPostgresURL)
		}
		t.Skipf("%s is not set: the cluster test needs PostgreSQL", storetest.EnvPostgresURL)
	}
	s3 := s3test.Start(t)
	s3.SetEnv(t) // the processes below inherit the S3 endpoint and credentials
	blobURL := s3.URL(s3.NewBucket(t), "cluster")
	c := &testCluster{dsn: freshDatabase(t, pgURL)}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	c.serve = startServe(t, "--workers", "0", "--db", c.dsn, "--blob", blobURL, "--cluster")
	args := []string{"worker", "--db", c.dsn, "--blob", blobURL, "--cluster", "--workers", "1", "--allow-private-urls",
		"--rescue-after", clusterRescueAfter, "--log-format", "json"}
	for range n {
		c.workers = append(c.workers, startClusterWorker(t, bin, args, env...))
	}
	return c
}

// startRender asks for the render of task id in segments, with a webhook to hook ("" for none).
func (c *testCluster) startRender(t *testing.T, id string, segments int, hook string) {
	t.Helper()
	body := map[string]any{"num_workers": segments}
	if hook != "" {
		body["webhook_url"] = hook
	}
	code, started := c.serve.call(t, "POST", "/api/v1/video/"+id+"/render", body)
	if code != 200 || started["status"] != "rendering" {
		t.Fatalf("render: %d %v", code, started)
	}
}

// wait polls task id until it completes or fails (or the cluster's waitFor passes, 6 minutes by default)
// and returns it.
func (c *testCluster) wait(t *testing.T, id string) map[string]any {
	t.Helper()
	var task map[string]any
	waitFor := c.waitFor
	if waitFor == 0 {
		waitFor = 6 * time.Minute
	}
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); {
		_, task = c.serve.call(t, "GET", "/api/v1/video/"+id, nil)
		if task["status"] == "completed" || task["status"] == "failed" {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	return task
}

// render creates a task of doc, renders it in segments and waits for it.
func (c *testCluster) render(t *testing.T, doc map[string]any, segments int, hook string) map[string]any {
	t.Helper()
	code, created := c.serve.call(t, "POST", "/api/v1/video", map[string]any{"config": doc})
	if code != 201 && code != 200 {
		t.Fatalf("create: %d %v", code, created)
	}
	id := created["taskId"].(string)
	c.startRender(t, id, segments, hook)
	return c.wait(t, id)
}

// clusterWorker is a `framecast worker` process with its own data folder.
type clusterWorker struct {
	cmd     *exec.Cmd
	data    string
	logPath string
}

func (w *clusterWorker) log() string {
	b, _ := os.ReadFile(w.logPath)
	return string(b)
}

// retried returns when the worker first started a job on its second (or later) try: a job taken over from
// a dead worker.
func (w *clusterWorker) retried() (time.Time, bool) {
	for _, line := range strings.Split(w.log(), "\n") {
		var l struct {
			Time    time.Time `json:"time"`
			Msg     string    `json:"msg"`
			Attempt int       `json:"attempt"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "job started" && l.Attempt > 1 {
			return l.Time, true
		}
	}
	return time.Time{}, false
}

// startClusterWorker runs `framecast worker` with args, a fresh --data folder and env added to the
// environment, and stops it when the test ends.
func startClusterWorker(t *testing.T, bin string, args []string, env ...string) *clusterWorker {
	t.Helper()
	w := &clusterWorker{data: t.TempDir()}
	w.logPath = filepath.Join(t.TempDir(), "worker.log")
	logFile, err := os.Create(w.logPath)
	if err != nil {
		t.Fatal(err)
	}
	w.cmd = exec.Command(bin, append(args, "--data", w.data)...)
	w.cmd.Env = append(os.Environ(), env...)
	w.cmd.Stdout, w.cmd.Stderr = logFile, logFile
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { w.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		w.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			w.cmd.Process.Kill()
			<-exited
		}
		logFile.Close()
		if t.Failed() {
			t.Logf("worker %s log:\n%s", w.data, w.log())
		}
	})
	return w
}

// drawingSegment reports whether the worker with data folder dir is rendering a segment now.
func drawingSegment(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "scratch", "seg-*"))
	return len(m) > 0
}

// freshDatabase creates a new PostgreSQL database on the server of base and drops it when the test ends.
func freshDatabase(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "fc_cluster_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() { // after the processes, whose cleanups run first
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// longToneWAV is a stereo 440 Hz tone of seconds.
func longToneWAV(t *testing.T, seconds int) []byte {
	out := filepath.Join(t.TempDir(), "tone.wav")
	b, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
		"sine=frequency=440:sample_rate=22050:duration="+strconv.Itoa(seconds), "-ac", "2", out).CombinedOutput()
	if err != nil {
		t.Fatalf("tone: %v %s", err, b)
	}
	data, _ := os.ReadFile(out)
	return data
}
