// Package teststack builds, for tests, the service stack Framecast runs on: a fresh database, a local blob
// store, a core.Service over them, optionally a started River render queue, and one account with an API
// key. Everything it makes is removed or stopped when the test ends.
//
// A test that drives renders itself needs no queue:
//
//	s := teststack.New(t, teststack.Options{})
//	res, err := s.Service.CreateTask(ctx, s.Account.ID, input)
//
// and a test whose renders must really run starts one:
//
//	s := teststack.New(t, teststack.Options{Queue: true, AllowPrivateURLs: true,
//		Jobs: jobs.Config{Workers: 2, PollInterval: 50 * time.Millisecond}})
//
// The internal tests of package core and package jobs cannot use teststack: it imports both, so they would
// import themselves.
package teststack

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/jobs"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
)

// Defaults of Options.
const (
	// DefaultPublicURL is the service's public URL when Options.Core names none.
	DefaultPublicURL = "https://fc.test"
	// DefaultAccountName names the stack's account when Options.AccountName is empty.
	DefaultAccountName = "alice"
	// DefaultKeyName names the account's API key when Options.KeyName is empty.
	DefaultKeyName = "test"
)

// queueStopTimeout bounds how long the end of a test waits for running render jobs to stop.
const queueStopTimeout = 20 * time.Second

// Options say how to build a Stack. The zero Options build a SQLite stack without a render queue.
type Options struct {
	// Backend is the database, one of storetest.Backends; the zero Backend means SQLite. A test package that
	// uses PostgreSQL must run its tests through storetest.Main.
	Backend storetest.Backend
	// Core configures the service. An empty PublicURL becomes DefaultPublicURL.
	Core core.Config
	// AllowPrivateURLs lets the service and the queue reach loopback and private addresses (webhooks and
	// media served by the test itself). It adds to, and never clears, Core.AllowPrivateURLs and
	// Jobs.AllowPrivateURLs.
	AllowPrivateURLs bool
	// Queue starts a River render queue configured by Jobs; it is stopped when the test ends.
	Queue bool
	// Jobs configures the queue when Queue is set. An empty ScratchDir becomes a folder of the test's
	// temporary directory, and a nil Logger discards the queue's logs.
	Jobs jobs.Config
	// FakeQueue receives the render jobs when Queue is not set, for tests that drive renders themselves;
	// nil accepts them and runs none.
	FakeQueue core.Queue
	// AccountName and KeyName name the account and its key (defaults DefaultAccountName, DefaultKeyName).
	AccountName, KeyName string
}

// Stack is a service over a fresh database and blob folder, with one account and its API key.
type Stack struct {
	Store   *store.Store
	Blob    *blob.Local
	Service *core.Service
	// Queue is the started render queue, nil unless Options.Queue was set.
	Queue *jobs.Queue
	// Account is the account as created, and Key its API key (sent as "Authorization: Bearer <Key>").
	Account core.Account
	Key     string
}

// New builds a stack as opts say, failing the test if any part cannot be made.
func New(t testing.TB, opts Options) *Stack {
	t.Helper()
	ctx := context.Background()
	backend := opts.Backend
	if backend.DSN == nil {
		backend = storetest.Backends(t)[0] // SQLite always comes first
	}
	st := backend.Open(t)
	bl, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatalf("blob store: %v", err)
	}
	s := &Stack{Store: st, Blob: bl}

	cfg := opts.Core
	if cfg.PublicURL == "" {
		cfg.PublicURL = DefaultPublicURL
	}
	cfg.AllowPrivateURLs = cfg.AllowPrivateURLs || opts.AllowPrivateURLs
	var queue core.Queue = discardQueue{}
	switch {
	case opts.Queue:
		s.Queue = newQueue(t, st, opts)
		queue = s.Queue
	case opts.FakeQueue != nil:
		queue = opts.FakeQueue
	}
	s.Service, err = core.New(cfg, st, bl, queue)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	if s.Queue != nil {
		startQueue(t, s.Queue, s.Service)
	}

	s.Account, err = s.Service.CreateAccount(ctx, orDefault(opts.AccountName, DefaultAccountName))
	if err != nil {
		t.Fatalf("create account: %v", err)
	}
	s.Key, _, err = s.Service.CreateKey(ctx, s.Account.ID, orDefault(opts.KeyName, DefaultKeyName))
	if err != nil {
		t.Fatalf("create API key: %v", err)
	}
	return s
}

// newQueue makes the River queue of opts.Jobs over st, not yet working.
func newQueue(t testing.TB, st *store.Store, opts Options) *jobs.Queue {
	t.Helper()
	cfg := opts.Jobs
	if cfg.ScratchDir == "" {
		cfg.ScratchDir = filepath.Join(t.TempDir(), "scratch")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg.AllowPrivateURLs = cfg.AllowPrivateURLs || opts.AllowPrivateURLs
	q, err := jobs.New(context.Background(), st, cfg)
	if err != nil {
		t.Fatalf("render queue: %v", err)
	}
	return q
}

// startQueue makes q work the renders of svc until the test ends. The stop is registered after the
// database's close, so it runs before it.
func startQueue(t testing.TB, q *jobs.Queue, svc *core.Service) {
	t.Helper()
	if err := q.Start(context.Background(), svc.Worker()); err != nil {
		t.Fatalf("start render queue: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), queueStopTimeout)
		defer cancel()
		q.Stop(ctx)
	})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// discardQueue accepts render jobs and runs none.
type discardQueue struct{}

func (discardQueue) EnqueueRender(ctx context.Context, tx *store.Tx, job core.RenderJob) error {
	return nil
}

func (discardQueue) CancelRender(ctx context.Context, taskID string) error { return nil }
