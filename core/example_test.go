package core_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
)

// printQueue is a Queue that prints what it is asked to run.
type printQueue struct{}

func (printQueue) EnqueueRender(ctx context.Context, tx *store.Tx, job core.RenderJob) error {
	fmt.Println("queued a render in", job.NumWorkers, "segments")
	return nil
}

func (printQueue) CancelRender(ctx context.Context, taskID string) error { return nil }

// The path of a request: an operator makes an account and a key; a client authenticates with the key,
// creates a task from a document and renders it.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "framecast-example-")
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "framecast.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()
	blobs, _ := blob.NewLocal(filepath.Join(dir, "blobs"))
	svc, err := core.New(core.Config{PublicURL: "https://video.example.com"}, st, blobs, printQueue{})
	if err != nil {
		panic(err) // a Config value that cannot be meant, named: see ExampleNew
	}

	account, _ := svc.CreateAccount(ctx, "Example Ltd")
	plainKey, _, _ := svc.CreateKey(ctx, account.ID, "laptop")

	caller, err := svc.Authenticate(ctx, plainKey)
	if err != nil {
		panic(err)
	}
	doc := `{"meta": {"version": "2.0.0", "width": 1920, "height": 1080},
	         "tracks": [{"clips": [{"type": "text", "text": "Hello", "start": 0, "duration": 10}]}]}`
	task, err := svc.CreateTask(ctx, caller.ID, core.CreateTaskInput{Config: []byte(doc)})
	if err != nil {
		panic(err)
	}
	render, err := svc.RenderTask(ctx, caller.ID, task.TaskID, core.RenderInput{})
	if err != nil {
		panic(err)
	}
	fmt.Println(render.Status, render.Quality, render.Cost, render.RemainingCredits)

	_, err = svc.RenderTask(ctx, caller.ID, task.TaskID, core.RenderInput{})
	e := core.AsError(err)
	fmt.Println(e.Code)
	// Output:
	// queued a render in 5 segments
	// rendering 1080p 15 985
	// ALREADY_RENDERING
}
