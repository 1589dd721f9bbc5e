package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/preview"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/internal/teststack"
	"github.com/framecast/framecast/player"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// fakeQueue records render jobs instead of running them (as core's own tests do).
type fakeQueue struct {
	mu   sync.Mutex
	jobs []core.RenderJob
}

func (q *fakeQueue) EnqueueRender(ctx context.Context, tx *store.Tx, job core.RenderJob) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if tx == nil {
		return errors.New("enqueued outside a transaction")
	}
	q.jobs = append(q.jobs, job)
	return nil
}

func (q *fakeQueue) CancelRender(ctx context.Context, taskID string) error { return nil }

func (q *fakeQueue) count() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}

// fakeProxies is a ProxyRenderer whose proxies are ready at once, or stuck at progress when pending,
// and whose frames are all fakeFrame.
type fakeProxies struct {
	pending  bool
	progress float64
}

func (f fakeProxies) Proxy(ctx context.Context, key string, doc []byte) (preview.Status, error) {
	if f.pending {
		return preview.Status{Progress: f.progress}, nil
	}
	return preview.Status{Ready: true, URL: "/files/proxies/" + key + ".mp4"}, nil
}

// Frame returns fakeFrame, whatever is asked.
func (f fakeProxies) Frame(ctx context.Context, doc []byte, t float64, width int) ([]byte, error) {
	return []byte(fakeFrame), nil
}

// fakeFrame stands for the JPEG of a frame.
const fakeFrame = "\xff\xd8 a frame \xff\xd9"

// env is a Framecast server on loopback over a fresh database and blob directory, with one account and
// its key.
type env struct {
	svc     *core.Service
	store   *store.Store
	blob    *blob.Local
	queue   *fakeQueue
	srv     *httptest.Server
	account core.Account
	key     string
}

// options configure an env.
type options struct {
	core core.Config
	http Config
	// proxies draws the player pages' pictures; nil shows the pages without them.
	proxies player.Renderer
}

// forEachBackend runs body against a fresh server once per database (SQLite, and PostgreSQL when
// storetest is configured for it). Rate limiting is off unless opts turn it on.
func forEachBackend(t *testing.T, opts options, body func(t *testing.T, e *env)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { body(t, newEnv(t, b, opts)) })
	}
}

func newEnv(t testing.TB, b storetest.Backend, opts options) *env {
	t.Helper()
	var handler http.Handler
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }), opts.http)
	srv.Start()
	opts.core.PublicURL = srv.URL
	q := &fakeQueue{}
	s := teststack.New(t, teststack.Options{Backend: b, Core: opts.core, AllowPrivateURLs: true, FakeQueue: q})
	t.Cleanup(srv.Close) // registered after the stack's, so the server stops before the database closes
	if opts.http.RateLimit == 0 {
		opts.http.RateLimit = -1
	}
	if opts.http.Logger == nil {
		opts.http.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	opts.http.Pages = player.New(s.Service, player.Config{Renderer: opts.proxies, NoteError: NoteError}).Register
	handler = New(s.Service, opts.http)
	return &env{svc: s.Service, store: s.Store, blob: s.Blob, queue: q, srv: srv, account: s.Account, key: s.Key}
}

// newAccount makes an account and a key for it.
func (e *env) newAccount(t testing.TB, name string) (core.Account, string) {
	t.Helper()
	ctx := context.Background()
	a, err := e.svc.CreateAccount(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := e.svc.CreateKey(ctx, a.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return a, key
}

// response is an answer received by a test.
type response struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

// str returns the string at a dotted path of the JSON body ("" if absent).
func (r *response) str(path string) string {
	v, _ := r.get(path).(string)
	return v
}

// num returns the number at a dotted path of the JSON body.
func (r *response) num(path string) float64 {
	v, _ := r.get(path).(float64)
	return v
}

// get returns the value at a dotted path of the JSON body, such as "pagination.total".
func (r *response) get(path string) any {
	var v any = r.json
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

// send sends req and reads the answer.
func (e *env) send(t testing.TB, req *http.Request) *response {
	t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := &response{status: resp.StatusCode, header: resp.Header, body: body}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(body, &r.json); err != nil {
			t.Fatalf("%s %s: response is not a JSON object: %v\n%s", req.Method, req.URL.Path, err, body)
		}
	}
	return r
}

// request builds a request to path on the test server; body is nil, a string or []byte (sent as is), or
// a value sent as JSON.
func (e *env) request(t testing.TB, method, path string, body any) *http.Request {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// api sends an API request with the env's key.
func (e *env) api(t testing.TB, method, path string, body any) *response {
	t.Helper()
	return e.apiAs(t, e.key, method, path, body)
}

// apiAs sends an API request with key.
func (e *env) apiAs(t testing.TB, key, method, path string, body any) *response {
	t.Helper()
	req := e.request(t, method, path, body)
	req.Header.Set("Authorization", "Bearer "+key)
	return e.send(t, req)
}

// get sends a GET without a key (pages, files, probes).
func (e *env) get(t testing.TB, path string) *response {
	t.Helper()
	return e.send(t, e.request(t, http.MethodGet, path, nil))
}

// wantStatus fails unless r has status.
func wantStatus(t testing.TB, r *response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

// wantOK fails unless r has status and a body with "success": true.
func wantOK(t testing.TB, r *response, status int) {
	t.Helper()
	wantStatus(t, r, status)
	if r.json["success"] != true {
		t.Fatalf(`body lacks "success": true: %s`, r.body)
	}
}

// wantError fails unless r is the API's error body with status and code.
func wantError(t testing.TB, r *response, status int, code string) {
	t.Helper()
	wantStatus(t, r, status)
	if r.json["success"] != false || r.str("code") != code || r.str("error") == "" {
		t.Fatalf("want error %s, got %s", code, r.body)
	}
	if _, ok := r.json["details"].(map[string]any); !ok {
		t.Fatalf("error body without a details object: %s", r.body)
	}
}

// doc returns a valid document of w × h px lasting seconds.
func doc(w, h int, seconds float64) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"meta":{"version":"2.0.0","width":%d,"height":%d,"fps":30,"title":"Hello <world>"},
"tracks":[{"id":"main","clips":[{"type":"text","text":"Hello","start":0,"duration":%g}]}]}`, w, h, seconds))
}

// createTask creates a task from doc and returns its id.
func (e *env) createTask(t testing.TB, d json.RawMessage) string {
	t.Helper()
	r := e.api(t, http.MethodPost, "/api/v1/video", map[string]any{"config": d})
	wantOK(t, r, http.StatusCreated)
	return r.str("taskId")
}

// complete marks the task's render as finished, with a stored video and thumbnail.
func (e *env) complete(t testing.TB, taskID, renderTaskID string) {
	t.Helper()
	ctx := context.Background()
	spec, err := e.svc.Worker().MarkRenderStarted(ctx, taskID, renderTaskID)
	if err != nil {
		t.Fatal(err)
	}
	size, err := e.blob.Put(ctx, spec.VideoKey, strings.NewReader("fake mp4 bytes"), "video/mp4")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.blob.Put(ctx, spec.ThumbnailKey, strings.NewReader("fake jpeg"), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Worker().CompleteRender(ctx, taskID, renderTaskID, spec.VideoKey, spec.ThumbnailKey, size); err != nil {
		t.Fatal(err)
	}
}

// pngBytes returns a small PNG image.
func pngBytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// part is one file of a multipart upload.
type part struct {
	field, name string
	content     []byte
}

// uploadRequest builds a multipart upload of parts.
func (e *env) uploadRequest(t testing.TB, parts ...part) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		w, err := mw.CreateFormFile(p.field, p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.content)
	}
	mw.Close()
	req := e.request(t, http.MethodPost, "/api/v1/upload", buf.Bytes())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.key)
	return req
}
