package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// fakeQueue records jobs instead of running them.
type fakeQueue struct {
	mu        sync.Mutex
	jobs      []RenderJob
	cancelled []string
	fail      error // returned by EnqueueRender when set
}

func (q *fakeQueue) EnqueueRender(ctx context.Context, tx *store.Tx, job RenderJob) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.fail != nil {
		return q.fail
	}
	if tx == nil || tx.SQL() == nil {
		return errors.New("enqueued outside a transaction")
	}
	q.jobs = append(q.jobs, job)
	return nil
}

func (q *fakeQueue) CancelRender(ctx context.Context, taskID string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.cancelled = append(q.cancelled, taskID)
	return nil
}

// env is a service over a fresh database and blob directory, with one account.
type env struct {
	svc     *Service
	queue   *fakeQueue
	blob    *blob.Local
	account Account
	clock   *time.Time
}

// mustNew is New for a test: a refused Config fails it.
func mustNew(t testing.TB, cfg Config, st *store.Store, bl blob.Store, q Queue) *Service {
	t.Helper()
	s, err := New(cfg, st, bl, q)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// forEachBackend runs body once per database (SQLite, and PostgreSQL when configured).
func forEachBackend(t *testing.T, cfg Config, body func(t *testing.T, e *env)) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			st := b.Open(t)
			bl, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.PublicURL == "" {
				cfg.PublicURL = "https://fc.test"
			}
			q := &fakeQueue{}
			svc := mustNew(t, cfg, st, bl, q)
			clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			svc.now = func() time.Time { return clock }
			e := &env{svc: svc, queue: q, blob: bl, clock: &clock}
			e.account = e.newAccount(t, "alice")
			body(t, e)
		})
	}
}

func (e *env) newAccount(t *testing.T, name string) Account {
	t.Helper()
	a, err := e.svc.CreateAccount(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// advance moves the service clock forward.
func (e *env) advance(d time.Duration) { *e.clock = e.clock.Add(d) }

// doc returns a valid document of w × h px lasting seconds.
func doc(w, h int, seconds float64) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"meta":{"version":"2.0.0","width":%d,"height":%d,"fps":30},
"tracks":[{"id":"main","clips":[{"type":"text","text":"Hello","start":0,"duration":%g}]}]}`, w, h, seconds))
}

// wantCode fails unless err is an *Error with code.
func wantCode(t *testing.T, err error, code string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if e.Code != code {
		t.Fatalf("want %s, got %s: %s", code, e.Code, e.Message)
	}
	return e
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// jsonKeys returns the sorted top-level keys of v's JSON.
func jsonKeys(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// sortedKeys sorts a comma-separated key list, for comparing with jsonKeys.
func sortedKeys(list string) string {
	keys := strings.Split(list, ",")
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// dirEmpty reports whether dir holds no regular file (empty directories are fine).
func dirEmpty(t *testing.T, dir string) bool {
	t.Helper()
	empty := true
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			empty = false
		}
		return nil
	})
	return empty
}
