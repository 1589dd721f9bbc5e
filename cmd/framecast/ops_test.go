package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// process is a framecast process whose stderr (JSON logs) is kept for the test to read.
type process struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	logs []string
}

// startProcess runs the framecast binary with args and collects its log lines.
func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: exec.Command(bin, args...)}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.logs = append(p.logs, sc.Text())
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		waited := make(chan struct{})
		go func() { _ = p.cmd.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-time.After(30 * time.Second):
			_ = p.cmd.Process.Kill()
		}
		<-done
		if t.Failed() {
			p.mu.Lock()
			t.Logf("logs of %v:\n%s", args[0], strings.Join(p.logs, "\n"))
			p.mu.Unlock()
		}
	})
	return p
}

// records returns the JSON log lines with message msg (other lines are skipped).
func (p *process) records(msg string) []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []map[string]any
	for _, line := range p.logs {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// waitRecord waits for a JSON log line with message msg and returns it.
func (p *process) waitRecord(t *testing.T, msg string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if recs := p.records(msg); len(recs) > 0 {
			return recs[0]
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no log line %q", msg)
	return nil
}

// scrape reads a Prometheus text page into series -> value, the series named as printed
// (`name{label="value",...}`).
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// The operator's view of a render: /metrics on serve shows the API calls by route pattern, the
// frames drawn, the segment and finalize durations, the webhook delivered, the bytes stored and the
// queue; the JSON log has one line per job start and finish with the ids and the duration.
func TestMetricsAndJSONLogs(t *testing.T) {
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) }))
	defer hooks.Close()
	p := startProcess(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--allow-private-urls", "--workers", "2", "--log-format", "json")
	serving := p.waitRecord(t, "framecast serving")
	s := &server{url: "http://" + serving["addr"].(string)}
	p.mu.Lock()
	for _, line := range p.logs {
		if k := regexp.MustCompile(`sk-[A-Za-z0-9]+`).FindString(line); k != "" {
			s.key = k
		}
	}
	p.mu.Unlock()
	before := scrape(t, s.url+"/metrics")

	// 4 s: two 2 s segments, one for each of the two segment jobs.
	doc := map[string]any{"meta": map[string]any{"version": "2.0.0", "width": 320, "height": 180, "fps": 25},
		"tracks": []any{map[string]any{"clips": []any{
			map[string]any{"type": "text", "text": "metrics", "start": 0, "duration": 4, "style": map[string]any{"fontSize": 40}}}}}}
	_, created := s.call(t, "POST", "/api/v1/video", map[string]any{"config": doc})
	id, _ := created["taskId"].(string)
	if code, res := s.call(t, "POST", "/api/v1/video/"+id+"/render", map[string]any{"num_workers": 2, "webhook_url": hooks.URL}); code != 200 {
		t.Fatalf("render: %d %v", code, res)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, task := s.call(t, "GET", "/api/v1/video/"+id, nil)
		if task["status"] == "completed" {
			break
		}
		if task["status"] == "failed" || time.Now().After(deadline) {
			t.Fatalf("task %v: %v", task["status"], task["error"])
		}
		time.Sleep(200 * time.Millisecond)
	}
	var after map[string]float64
	for range 100 { // the webhook is delivered just after the task completes
		after = scrape(t, s.url+"/metrics")
		if after[`framecast_webhook_deliveries_total{outcome="delivered"}`] > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	moved := func(series string, atLeast float64) {
		t.Helper()
		got, ok := after[series]
		if !ok {
			t.Errorf("no series %s", series)
			return
		}
		if d := got - before[series]; d < atLeast {
			t.Errorf("%s moved by %v, want at least %v", series, d, atLeast)
		}
	}
	moved(`framecast_http_requests_total{method="POST",route="/api/v1/video/{taskId}/render",status="200"}`, 1)
	moved(`framecast_http_requests_total{method="GET",route="/api/v1/video/{taskId}",status="200"}`, 1)
	moved(`framecast_http_request_duration_seconds_count{method="GET",route="/api/v1/video/{taskId}"}`, 1)
	moved(`framecast_frames_rendered_total`, 50)
	moved(`framecast_segment_duration_seconds_count{outcome="ok"}`, 2)
	moved(`framecast_finalize_duration_seconds_count{outcome="ok"}`, 1)
	moved(`framecast_webhook_deliveries_total{outcome="delivered"}`, 1)
	moved(`framecast_blob_bytes_total{direction="in"}`, 1000)
	for _, series := range []string{`framecast_queue_jobs{kind="segment",state="available"}`, `framecast_jobs_running{kind="segment"}`,
		`framecast_render_failures_total{reason="asset"}`} {
		if _, ok := after[series]; !ok && !strings.Contains(series, "failures") {
			t.Errorf("no series %s", series)
		}
	}
	for series := range after {
		if strings.Contains(series, id) {
			t.Errorf("series %s carries a task id: routes must be patterns", series)
		}
	}

	// The JSON log: one line per job start and finish, with the ids and the duration.
	finished := p.records("job finished")
	segments := 0
	for _, rec := range finished {
		if rec["task_id"] != id {
			continue
		}
		for _, field := range []string{"render_id", "worker_id", "kind", "outcome", "time", "level"} {
			if s, _ := rec[field].(string); s == "" {
				t.Errorf("job line without %s: %v", field, rec)
			}
		}
		if _, ok := rec["duration_s"].(float64); !ok {
			t.Errorf("job line without a duration: %v", rec)
		}
		if _, ok := rec["segment"].(float64); ok {
			segments++
		}
	}
	if segments != 2 || len(finished) != 3 || len(p.records("job started")) != 3 {
		t.Errorf("%d job finished lines (%d of segments), %d started; want 3 (2 segments and the finalize step) of each",
			len(finished), segments, len(p.records("job started")))
	}
	if reqs := p.records("http request"); len(reqs) == 0 || reqs[0]["route"] == nil {
		t.Errorf("access log lines carry no route: %v", reqs)
	}
}

// A worker with --metrics-addr answers /healthz, /readyz (database, blob store and disk) and /metrics;
// /readyz fails when the data disk has less room than --min-free-mb.
func TestWorkerHealthEndpoints(t *testing.T) {
	get := func(url string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	ok := startProcess(t, "worker", "--data", t.TempDir(), "--public-url", "http://fc.test", "--workers", "1", "--metrics-addr", "127.0.0.1:0", "--log-format", "json")
	base := "http://" + ok.waitRecord(t, "operations endpoints")["addr"].(string)
	if code, body := get(base + "/healthz"); code != 200 || body["status"] != "ok" {
		t.Errorf("/healthz: %d %v", code, body)
	}
	code, body := get(base + "/readyz")
	checks, _ := body["checks"].(map[string]any)
	if code != 200 || checks["database"] != "ok" || checks["blob"] != "ok" || checks["disk"] != "ok" {
		t.Errorf("/readyz: %d %v", code, body)
	}
	if _, found := scrape(t, base+"/metrics")[`framecast_jobs_running{kind="segment"}`]; !found {
		t.Error("worker /metrics has no framecast_jobs_running")
	}

	full := startProcess(t, "worker", "--data", t.TempDir(), "--public-url", "http://fc.test", "--workers", "1", "--metrics-addr", "127.0.0.1:0", "--log-format", "json",
		"--min-free-mb", fmt.Sprint(int64(1)<<40)) // a petabyte: no disk here has that much free
	base = "http://" + full.waitRecord(t, "operations endpoints")["addr"].(string)
	code, body = get(base + "/readyz")
	checks, _ = body["checks"].(map[string]any)
	if disk, _ := checks["disk"].(string); code != 503 || body["status"] != "unavailable" || !strings.Contains(disk, "data disk full") {
		t.Errorf("/readyz with a full disk: %d %v", code, body)
	}
}

// Settings that cannot work are refused at start, naming the flag.
func TestOperationsFlagsRefused(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--rescue-after", "10s"}, "--rescue-after 10s is too short: the minimum is 30s"},
		{[]string{"--drain-timeout", "-1s"}, "--drain-timeout -1s is negative"},
		{[]string{"--log-format", "xml"}, `--log-format "xml": use text or json`},
		// core.New refuses what cannot be meant; the command names the flag before the Config field.
		{[]string{"--public-url", "video.example.com"}, `--public-url (FRAMECAST_PUBLIC_URL): core.Config.PublicURL = "video.example.com": it must start with http:// or https://`},
		{[]string{"--public-url", "http://fc.test", "--max-upload-mb", "-1"}, "--max-upload-mb (FRAMECAST_MAX_UPLOAD_MB): core.Config.MaxUploadBytes = -1048576: a size cannot be negative"},
		{[]string{"--public-url", "http://fc.test", "--max-concurrent-draws", "-2"}, "--max-concurrent-draws (FRAMECAST_MAX_CONCURRENT_DRAWS): core.Config.MaxConcurrentDraws = -2"},
	} {
		out, err := exec.Command(bin, append([]string{"worker", "--data", t.TempDir()}, c.args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), c.want) {
			t.Errorf("worker %v: %v\n%s\nwant an error saying %q", c.args, err, out, c.want)
		}
	}
}
