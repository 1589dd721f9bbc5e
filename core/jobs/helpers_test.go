package jobs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
)

func TestMain(m *testing.M) {
	if os.Getenv(envWorker) != "" {
		os.Exit(workerMain())
	}
	os.Exit(storetest.Main(m))
}

// testConfig is a queue configuration with short delays, so that tests wait little.
func testConfig(t testing.TB) Config {
	return Config{
		Workers:              2,
		ScratchDir:           filepath.Join(t.TempDir(), "scratch"),
		AllowPrivateURLs:     true,
		RescueStuckJobsAfter: 3 * time.Second,
		SegmentRetryDelay:    100 * time.Millisecond,
		WebhookRetryDelays:   []time.Duration{200 * time.Millisecond},
		PollInterval:         50 * time.Millisecond,
		ProgressInterval:     200 * time.Millisecond,
		Logger:               slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// env is a service with a running queue over a fresh database and blob folder, and one account.
type env struct {
	svc     *core.Service
	queue   *Queue
	store   *store.Store
	blobDir string
	account core.Account
}

// newEnv starts a service and its queue; start=false leaves the queue not working (insert only).
func newEnv(t *testing.T, st *store.Store, blobDir string, cfg Config, start bool) *env {
	t.Helper()
	bl, err := blob.NewLocal(blobDir)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, st, bl, cfg, start)
	e.blobDir = blobDir
	return e
}

// newEnvOn is newEnv with the service's objects kept in bl (blobDir is left empty).
func newEnvOn(t *testing.T, st *store.Store, bl blob.Store, cfg Config, start bool) *env {
	t.Helper()
	ctx := context.Background()
	q, err := New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := core.New(core.Config{PublicURL: "https://fc.test", AllowPrivateURLs: true}, st, bl, q)
	if err != nil {
		t.Fatal(err)
	}
	if start {
		if err := q.Start(ctx, svc.Worker()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			q.Stop(ctx)
		})
	}
	a, err := svc.CreateAccount(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	return &env{svc: svc, queue: q, store: st, account: a}
}

// forEachBackend runs body once per database.
func forEachBackend(t *testing.T, body func(t *testing.T, b storetest.Backend)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { body(t, b) })
	}
}

// createTask stores doc as a task of the env's account.
func (e *env) createTask(t *testing.T, doc string) string {
	t.Helper()
	res, err := e.svc.CreateTask(context.Background(), e.account.ID, core.CreateTaskInput{Config: json.RawMessage(doc),
		TaskOptions: core.TaskOptions{Metadata: json.RawMessage(`{"order":42}`)}})
	if err != nil {
		t.Fatal(err)
	}
	return res.TaskID
}

// waitTask waits until the task leaves "created"/"rendering" and returns it.
func (e *env) waitTask(t *testing.T, taskID string, within time.Duration) core.TaskView {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		res, err := e.svc.GetTask(context.Background(), e.account.ID, taskID)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status == store.TaskCompleted || res.Status == store.TaskFailed {
			return res.TaskView
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s still %s (progress %v) after %s", taskID, res.Status, res.Progress, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// credits returns the account's balance.
func (e *env) credits(t *testing.T) int64 {
	t.Helper()
	a, err := e.svc.GetAccount(context.Background(), e.account.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a.Credits
}

// toneServer serves a 2 s 440 Hz sine tone at /tone.wav and answers 404 elsewhere.
func toneServer(t *testing.T) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	tone := filepath.Join(dir, "tone.wav")
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
		"-ac", "1", "-ar", "44100", tone).CombinedOutput()
	if err != nil {
		t.Fatalf("make tone: %v\n%s", err, out)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv
}

// document returns a w×h document of seconds with a rect, a text and, when audioURL is set, that sound.
func document(w, h int, seconds float64, audioURL string) string {
	audio := ""
	if audioURL != "" {
		audio = fmt.Sprintf(`,{"id":"sound","clips":[{"type":"audio","src":%q,"start":0,"duration":%g}]}`, audioURL, seconds)
	}
	return fmt.Sprintf(`{"meta":{"version":"2.0.0","width":%d,"height":%d,"fps":30,"background":"#102030"},
"tracks":[{"id":"main","clips":[
 {"type":"rect","start":0,"duration":%g,"transform":{"x":"50%%","y":"50%%","width":"40%%","height":"30%%"},"style":{"fill":"#e11d48"},
  "keyframes":[{"property":"rotation","frames":[{"time":0,"value":0},{"time":%g,"value":360}]}]},
 {"type":"text","text":"Framecast","start":0,"duration":%g,"style":{"fontSize":32,"fill":"#ffffff"}}]}%s]}`,
		w, h, seconds, seconds, seconds, audio)
}

// webhookCall is one request a webhookReceiver got.
type webhookCall struct {
	header http.Header
	body   []byte
}

// webhookReceiver records webhook requests and answers them with the statuses given, then 200.
type webhookReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	calls    []webhookCall
	statuses []int
}

func newWebhookReceiver(t *testing.T, statuses ...int) *webhookReceiver {
	r := &webhookReceiver{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.calls = append(r.calls, webhookCall{header: req.Header.Clone(), body: body})
		status := http.StatusOK
		if n := len(r.calls); n <= len(r.statuses) {
			status = r.statuses[n-1]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

// waitCalls waits until the receiver got n requests and returns them.
func (r *webhookReceiver) waitCalls(t *testing.T, n int, within time.Duration) []webhookCall {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		r.mu.Lock()
		calls := append([]webhookCall(nil), r.calls...)
		r.mu.Unlock()
		if len(calls) >= n {
			return calls
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhook receiver got %d requests, want %d", len(calls), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// verifySignature checks a webhook request the way a receiver following Standard Webhooks does,
// independently of Sign: the HMAC-SHA256 of "id.timestamp.body" keyed by the base64 part of the secret.
func verifySignature(t *testing.T, secret string, c webhookCall) {
	t.Helper()
	id, ts, sig := c.header.Get("webhook-id"), c.header.Get("webhook-timestamp"), c.header.Get("webhook-signature")
	if id == "" || ts == "" || sig == "" {
		t.Fatalf("missing Standard Webhooks headers: %v", c.header)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(c.body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if sig != want {
		t.Fatalf("webhook-signature %q, want %q", sig, want)
	}
	var unix int64
	if _, err := fmt.Sscan(ts, &unix); err != nil || time.Since(time.Unix(unix, 0)).Abs() > time.Minute {
		t.Fatalf("webhook-timestamp %q is not the current unix time", ts)
	}
}
