package client_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/jobs"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/httpapi"
)

// server is a real Framecast server on loopback for the examples and tests: SQLite and a blob folder in a
// temporary directory, a River queue that really renders (FFmpeg), the REST API, and one account.
type server struct {
	URL, Key string
	svc      *core.Service
	account  core.Account
	stop     func()
}

// startServer starts a server; its stop removes everything. Examples have no *testing.T, so this builds
// the stack itself rather than with internal/teststack.
func startServer() (*server, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "framecast-client-")
	if err != nil {
		return nil, err
	}
	var stops []func()
	stop := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	stops = append(stops, func() { os.RemoveAll(dir) })
	fail := func(err error) (*server, error) { stop(); return nil, err }

	st, err := store.Open(ctx, filepath.Join(dir, "framecast.db"))
	if err != nil {
		return fail(err)
	}
	stops = append(stops, func() { st.Close() })
	bl, err := blob.NewLocal(filepath.Join(dir, "blobs"))
	if err != nil {
		return fail(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := jobs.New(ctx, st, jobs.Config{Workers: 2, PollInterval: 50 * time.Millisecond, ProgressInterval: 100 * time.Millisecond,
		ScratchDir: filepath.Join(dir, "scratch"), AllowPrivateURLs: true, Logger: quiet})
	if err != nil {
		return fail(err)
	}

	var handler http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	srv.Start()
	stops = append(stops, srv.Close)
	svc, err := core.New(core.Config{PublicURL: srv.URL, AllowPrivateURLs: true, DefaultWorkers: 2}, st, bl, q)
	if err != nil {
		return fail(err)
	}
	handler = httpapi.New(svc, httpapi.Config{RateLimit: -1, Logger: quiet})
	if err := q.Start(ctx, svc.Worker()); err != nil {
		return fail(err)
	}
	stops = append(stops, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	account, err := svc.CreateAccount(ctx, "client-example")
	if err != nil {
		return fail(err)
	}
	key, _, err := svc.CreateKey(ctx, account.ID, "example")
	if err != nil {
		return fail(err)
	}
	return &server{URL: srv.URL, Key: key, svc: svc, account: account, stop: stop}, nil
}

// mustStart is startServer for examples: it exits on failure.
func mustStart() *server {
	s, err := startServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start a server:", err)
		os.Exit(1)
	}
	return s
}

// document is a small valid video document: 1 s of text on 160×90.
const document = `{"meta": {"version": "2.0.0", "width": 160, "height": 90, "fps": 10},
  "tracks": [{"id": "main", "clips": [
    {"type": "text", "text": "Hi", "start": 0, "duration": 1, "style": {"fontSize": 40, "fill": "#ffffff"}}]}]}`
