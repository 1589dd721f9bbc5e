package core

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
)

// Two "replicas" — two Services, each with its own connection pool, on one database — receive 20
// concurrent calls with the same idempotency key: exactly one task is made and one render charged, and
// every call gets the same answer. Runs on SQLite always and on PostgreSQL when configured.
func TestIdempotencyAcrossReplicas(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.DSN(t)
			bl, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
			if err != nil {
				t.Fatal(err)
			}
			queues := []*fakeQueue{{}, {}}
			var replicas []*Service
			for _, q := range queues {
				st, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				replicas = append(replicas, mustNew(t, Config{PublicURL: "https://fc.test"}, st, bl, q))
			}
			acc, err := replicas[0].CreateAccount(ctx, "alice")
			if err != nil {
				t.Fatal(err)
			}

			const calls = 20
			call := func(key string, op func(svc *Service, ctx context.Context) (string, error)) (ids []string, replayed int) {
				ids = make([]string, calls)
				flags := make([]*Idempotency, calls)
				var wg sync.WaitGroup
				for i := range calls {
					wg.Add(1)
					go func() {
						defer wg.Done()
						flags[i] = &Idempotency{Key: key}
						id, err := op(replicas[i%2], WithIdempotency(ctx, flags[i]))
						if err != nil {
							t.Errorf("call %d: %v", i, err)
						}
						ids[i] = id
					}()
				}
				wg.Wait()
				for _, f := range flags {
					if f.Replayed {
						replayed++
					}
				}
				return ids, replayed
			}

			in := CreateTaskInput{Config: doc(640, 360, 2), TaskOptions: TaskOptions{Title: "once"}}
			ids, replayed := call("create-1", func(svc *Service, ctx context.Context) (string, error) {
				res, err := svc.CreateTask(ctx, acc.ID, in)
				return res.TaskID, err
			})
			for _, id := range ids {
				if id == "" || id != ids[0] {
					t.Fatalf("the calls answered different tasks: %v", ids)
				}
			}
			list, err := replicas[1].ListTasks(ctx, acc.ID, ListTasksInput{})
			if err != nil || list.Pagination.Total != 1 || replayed != calls-1 {
				t.Fatalf("%d tasks made (%v), %d answers replayed; want 1 and %d", list.Pagination.Total, err, replayed, calls-1)
			}

			renders, _ := call("render-1", func(svc *Service, ctx context.Context) (string, error) {
				res, err := svc.RenderTask(ctx, acc.ID, ids[0], RenderInput{})
				return res.RenderTaskID, err
			})
			for _, id := range renders {
				if id == "" || id != renders[0] {
					t.Fatalf("the render calls answered different renders: %v", renders)
				}
			}
			if n := len(queues[0].jobs) + len(queues[1].jobs); n != 1 {
				t.Fatalf("%d renders queued; want 1", n)
			}
			credits, _ := replicas[0].GetCredits(ctx, acc.ID)
			if _, cost := RenderCost(640, 360, 2); credits.Credits != DefaultCredits-cost {
				t.Fatalf("balance %d; want one charge of %d", credits.Credits, cost)
			}

			// The same key with another request is refused, and does nothing.
			other := CreateTaskInput{Config: doc(1280, 720, 2)}
			_, err = replicas[1].CreateTask(WithIdempotency(ctx, &Idempotency{Key: "create-1"}), acc.ID, other)
			wantCode(t, err, CodeIdempotencyKeyReused)

			// An answer that says the work did not happen is not kept: a retry runs again.
			queues[0].fail = errors.New("queue down")
			task, err := replicas[0].CreateTask(ctx, acc.ID, CreateTaskInput{Config: doc(640, 360, 1)})
			if err != nil {
				t.Fatal(err)
			}
			_, err = replicas[0].RenderTask(WithIdempotency(ctx, &Idempotency{Key: "render-2"}), acc.ID, task.TaskID, RenderInput{})
			wantCode(t, err, CodeRenderTriggerFailed)
			queues[0].fail = nil
			retry := &Idempotency{Key: "render-2"}
			if res, err := replicas[0].RenderTask(WithIdempotency(ctx, retry), acc.ID, task.TaskID, RenderInput{}); err != nil || retry.Replayed || res.RenderTaskID == "" {
				t.Fatalf("retry after a failed queue: %+v %v (replayed %v); want it rendered", res, err, retry.Replayed)
			}
		})
	}
}
