package teststack

import (
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// recordingQueue remembers the tasks whose renders were queued.
type recordingQueue struct {
	mu    sync.Mutex
	tasks []string
}

func (q *recordingQueue) EnqueueRender(ctx context.Context, tx *store.Tx, job core.RenderJob) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tasks = append(q.tasks, job.TaskID)
	return nil
}

func (q *recordingQueue) CancelRender(ctx context.Context, taskID string) error { return nil }

const document = `{"meta":{"version":"2.0.0","width":64,"height":36,"fps":30},
"tracks":[{"id":"main","clips":[{"type":"text","text":"Hi","start":0,"duration":1}]}]}`

// TestDefaults checks that the zero Options build a usable SQLite service whose key authenticates its
// account and whose renders are accepted and dropped.
func TestDefaults(t *testing.T) {
	ctx := context.Background()
	s := New(t, Options{})
	if s.Queue != nil {
		t.Fatal("a queue was started without Options.Queue")
	}
	if got := s.Service.Config().PublicURL; got != DefaultPublicURL {
		t.Errorf("public URL %q, want %q", got, DefaultPublicURL)
	}
	if s.Account.Name != DefaultAccountName {
		t.Errorf("account name %q, want %q", s.Account.Name, DefaultAccountName)
	}
	a, err := s.Service.Authenticate(ctx, s.Key)
	if err != nil || a.ID != s.Account.ID {
		t.Fatalf("key authenticates %q (%v), want %q", a.ID, err, s.Account.ID)
	}
	task, err := s.Service.CreateTask(ctx, s.Account.ID, core.CreateTaskInput{Config: json.RawMessage(document)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Service.RenderTask(ctx, s.Account.ID, task.TaskID, core.RenderInput{}); err != nil {
		t.Fatalf("render with the discarding queue: %v", err)
	}
}

// TestOptions checks, on every database, that the service and the account follow Options and that a
// render is queued on FakeQueue.
func TestOptions(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			q := &recordingQueue{}
			s := New(t, Options{Backend: b, Core: core.Config{PublicURL: "http://example.test"}, AllowPrivateURLs: true,
				FakeQueue: q, AccountName: "bob", KeyName: "ci"})
			cfg := s.Service.Config()
			if cfg.PublicURL != "http://example.test" || !cfg.AllowPrivateURLs {
				t.Errorf("service config %+v, want the public URL given and private URLs allowed", cfg)
			}
			if s.Account.Name != "bob" {
				t.Errorf("account name %q, want bob", s.Account.Name)
			}
			keys, err := s.Service.ListKeys(ctx, s.Account.ID)
			if err != nil || len(keys) != 1 || keys[0].Name != "ci" {
				t.Fatalf("keys %+v (%v), want one named ci", keys, err)
			}
			task, err := s.Service.CreateTask(ctx, s.Account.ID, core.CreateTaskInput{Config: json.RawMessage(document)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Service.RenderTask(ctx, s.Account.ID, task.TaskID, core.RenderInput{}); err != nil {
				t.Fatal(err)
			}
			if len(q.tasks) != 1 || q.tasks[0] != task.TaskID {
				t.Errorf("queued %v, want [%s]", q.tasks, task.TaskID)
			}
		})
	}
}
