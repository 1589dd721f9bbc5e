package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
)

// reuseDocument is an 8 s document of reuseSegments segments, cut at frames 45, 66, 108, 129 and 177 of 240
// (render.SegmentBounds: the grid's 60, 120 and 180 moved onto the clip edges near them, and the edges at
// least 20 frames from those), with one kind of input in each of the first, third and fifth:
//
//	segment 0  a text (0–1.5 s)
//	segment 2  a circle with keyframes (2.2–3.6 s)
//	segment 4  an image asset, named by {"$ref"} (4.3–5.5 s)
//	segments 4–5  a rect (5.6–5.9 s) and the next (5.9–7.5 s) whose 0.4 s fade crosses the cut at 5.9 s
//
// over a rect covering most of the frame and the background around it; edits replace one part.
func reuseDocument(imageURL string, edits map[string]string) string {
	parts := map[string]string{"bg": "#102030", "text": "Hello", "keyframe": "200", "image": imageURL,
		"transition": `{"type":"fade","duration":0.4}`}
	for k, v := range edits {
		parts[k] = v
	}
	return fmt.Sprintf(`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30,"background":%q},
"assets":{"images":[{"id":"photo","src":%q}]},
"tracks":[
 {"id":"base","clips":[{"type":"rect","start":0,"duration":8,"transform":{"width":"80%%","height":"80%%"},"style":{"fill":"#203040"}}]},
 {"id":"a","clips":[
  {"type":"text","text":%q,"start":0,"duration":1.5,"style":{"fontSize":32,"fill":"#ffffff"}},
  {"type":"circle","start":2.2,"duration":1.4,"size":40,"style":{"fill":"#ff8000"},"keyframes":[{"property":"x","frames":[{"time":0,"value":40},{"time":1,"value":%s}]}]},
  {"type":"image","src":{"$ref":"photo"},"start":4.3,"duration":1.2,"transform":{"width":120,"height":90}}]},
 {"id":"b","clips":[
  {"type":"rect","start":5.6,"duration":0.3,"transform":{"width":200,"height":100},"style":{"fill":"#00c080"}},
  {"type":"rect","start":5.9,"duration":1.6,"transform":{"width":200,"height":100},"style":{"fill":"#c00080"},"transition":%s}]}]}`,
		parts["bg"], parts["image"], parts["text"], parts["keyframe"], parts["transition"])
}

// reuseSegments is the number of segments of reuseDocument.
const reuseSegments = 6

// imageServer serves two different PNGs at /a.png and /b.png.
func imageServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files := map[string]string{"/a.png": "deep16.png", "/b.png": "levels.png"}
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join("..", "..", "render", "testdata", "assets", "photos", name))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// renderAndWait renders a new task of doc for the account and returns the render response and the task
// once it has ended.
func (e *env) renderAndWait(t *testing.T, accountID, doc string) (core.RenderResult, core.TaskView) {
	return e.renderWebhookAndWait(t, accountID, doc, "")
}

// renderWebhookAndWait is renderAndWait with a webhook.
func (e *env) renderWebhookAndWait(t *testing.T, accountID, doc, webhookURL string) (core.RenderResult, core.TaskView) {
	t.Helper()
	ctx := context.Background()
	c, err := e.svc.CreateTask(ctx, accountID, core.CreateTaskInput{Config: json.RawMessage(doc)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.RenderTask(ctx, accountID, c.TaskID, core.RenderInput{NumWorkers: 2, WebhookURL: webhookURL})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		v, err := e.svc.GetTask(ctx, accountID, c.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status == store.TaskCompleted || v.Status == store.TaskFailed {
			if v.Status != store.TaskCompleted {
				t.Fatalf("task %s: %s", v.Status, v.Error)
			}
			return res, v.TaskView
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s still %s", c.TaskID, v.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// storedSegments lists the keys of the account's stored segments.
func (e *env) storedSegments(t *testing.T, accountID string) []string {
	t.Helper()
	var keys []string
	err := e.svc.Worker().Blob().List(context.Background(), "accounts/"+accountID+"/segments/", func(info blob.Info) error {
		keys = append(keys, info.Key)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// decodedFrames returns the MD5 of each decoded frame of a task's video.
func (e *env) decodedFrames(t *testing.T, accountID, taskID string) []string {
	t.Helper()
	task, err := e.store.GetTask(context.Background(), accountID, taskID)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", filepath.Join(e.blobDir, task.VideoKey), "-map", "0:v:0", "-f", "framemd5", "-").Output()
	if err != nil {
		t.Fatalf("decode the video of %s: %v", taskID, err)
	}
	var hashes []string
	for _, line := range strings.Split(string(out), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			f := strings.Split(line, ",")
			hashes = append(hashes, strings.TrimSpace(f[len(f)-1]))
		}
	}
	return hashes
}

// Render reuse through the queue and the real store: an identical document is answered from the stored
// output at no cost (on each database); an edit of each kind redraws exactly the segments it is drawn in,
// and the video is frame for frame the one another account (nothing stored) renders.
func TestRenderReuse(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		e := newEnv(t, b.Open(t), filepath.Join(t.TempDir(), "blobs"), testConfig(t), true)
		images := imageServer(t)
		base := reuseDocument(images.URL+"/a.png", nil)
		alice := e.account.ID

		first, v := e.renderAndWait(t, alice, base)
		if first.Reused || first.SegmentsTotal != reuseSegments || v.Reused || v.SegmentsReused != 0 || v.SegmentsTotal != reuseSegments {
			t.Fatalf("first render: response %+v, task %+v; want 0 of %d segments reused", first.RenderReuse, v.RenderReuse, reuseSegments)
		}
		if n := len(e.storedSegments(t, alice)); n != reuseSegments {
			t.Fatalf("%d segments stored after the first render, want %d", n, reuseSegments)
		}
		baseFrames := e.decodedFrames(t, alice, v.TaskID)
		if len(baseFrames) != 240 {
			t.Fatalf("%d frames, want 240", len(baseFrames))
		}

		t.Run("identical document is reused whole, free", func(t *testing.T) {
			before := e.credits(t)
			hook := newWebhookReceiver(t)
			res, v2 := e.renderWebhookAndWait(t, alice, base, hook.URL)
			if !res.Reused || res.Status != store.TaskCompleted || res.Cost != 0 || res.VideoURL == "" || !v2.Reused {
				t.Fatalf("response %+v, task reused=%v; want completed at once, reused, cost 0", res, v2.Reused)
			}
			if after := e.credits(t); after != before || res.RemainingCredits != before || v2.CostCredits != 0 {
				t.Errorf("credits %d → %d (response %d, costCredits %d); want nothing charged", before, after, res.RemainingCredits, v2.CostCredits)
			}
			if v2.VideoURL == v.VideoURL {
				t.Errorf("the reused render shares the first task's object %s (deleting one task would delete the other's video)", v.VideoURL)
			}
			if !slices.Equal(e.decodedFrames(t, alice, v2.TaskID), baseFrames) {
				t.Error("the reused video differs from the first")
			}
			calls := hook.waitCalls(t, 1, 10*time.Second)
			verifySignature(t, e.account.WebhookSecret, calls[0])
			if body := decodeWebhook(t, calls[0]); body.Status != "completed" || body.VideoURL == nil || *body.VideoURL != v2.VideoURL ||
				body.RenderTaskID != res.RenderTaskID {
				t.Errorf("webhook of the reused render: %s", calls[0].body)
			}
		})

		if b.Name != "sqlite" {
			return // the segments' keys and files do not depend on the database: one is enough
		}
		cases := []struct {
			name    string
			edits   map[string]string
			redrawn int
		}{
			{"clip field (the text)", map[string]string{"text": "Hello, Ada"}, 1},
			{"keyframe value", map[string]string{"keyframe": "260"}, 1},
			{"asset content (the $ref points to other bytes)", map[string]string{"image": images.URL + "/b.png"}, 1},
			{"transition across the cut at 5.9 s", map[string]string{"transition": `{"type":"wipe","duration":0.4}`}, 2},
			{"global setting (background)", map[string]string{"bg": "#000000"}, reuseSegments},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				doc := reuseDocument(images.URL+"/a.png", c.edits)
				storedBefore := e.storedSegments(t, alice)
				res, edited := e.renderAndWait(t, alice, doc)
				if res.Reused || edited.Reused || edited.SegmentsTotal != reuseSegments || edited.SegmentsReused != reuseSegments-c.redrawn {
					t.Errorf("task reuse %+v, want %d of %d segments reused", edited.RenderReuse, reuseSegments-c.redrawn, reuseSegments)
				}
				if added := len(e.storedSegments(t, alice)) - len(storedBefore); added != c.redrawn {
					t.Errorf("%d segments newly stored, want %d", added, c.redrawn)
				}
				// The same document in an account with nothing stored: drawn whole.
				other, err := e.svc.CreateAccount(ctx, fmt.Sprintf("fresh-%d", i))
				if err != nil {
					t.Fatal(err)
				}
				_, fresh := e.renderAndWait(t, other.ID, doc)
				if fresh.SegmentsReused != 0 {
					t.Errorf("fresh account reused %d segments", fresh.SegmentsReused)
				}
				got, want := e.decodedFrames(t, alice, edited.TaskID), e.decodedFrames(t, other.ID, fresh.TaskID)
				if len(got) != 240 || !slices.Equal(got, want) {
					t.Errorf("reusing render: %d frames, fresh render: %d; frame-identical: %v", len(got), len(want), slices.Equal(got, want))
				}
				if slices.Equal(got, baseFrames) {
					t.Error("the edit changed no frame")
				}
			})
		}
	})
}
