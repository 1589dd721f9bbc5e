package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"image/jpeg"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/render/ffmpeg"
)

// webhookBody is the JSON a webhook receiver gets.
type webhookBody struct {
	TaskID       string          `json:"taskId"`
	RenderTaskID string          `json:"renderTaskId"`
	Status       string          `json:"status"`
	VideoURL     *string         `json:"videoUrl"`
	Error        *string         `json:"error"`
	Timestamp    string          `json:"timestamp"`
	Metadata     json.RawMessage `json:"metadata"`
}

func decodeWebhook(t *testing.T, c webhookCall) webhookBody {
	t.Helper()
	var b webhookBody
	if err := json.Unmarshal(c.body, &b); err != nil {
		t.Fatalf("webhook body %s: %v", c.body, err)
	}
	return b
}

func TestRenders(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b.Open(t), filepath.Join(t.TempDir(), "blobs"), testConfig(t), true)
		tone := toneServer(t)
		t.Run("completes", func(t *testing.T) { testRenderCompletes(t, e, tone.URL+"/tone.wav") })
		t.Run("dead asset fails and refunds", func(t *testing.T) { testDeadAsset(t, e, tone.URL+"/missing.wav") })
		t.Run("webhook retried", func(t *testing.T) { testWebhookRetried(t, e) })
	})
}

// testRenderCompletes renders a 2 s document with a text, a rect and a sine tone in 3 segments and checks
// the stored video, its thumbnail, the charge and the signed webhook.
func testRenderCompletes(t *testing.T, e *env, toneURL string) {
	ctx := context.Background()
	hook := newWebhookReceiver(t)
	before := e.credits(t)
	taskID := e.createTask(t, document(320, 180, 2, toneURL))
	res, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{WebhookURL: hook.URL + "/hook", NumWorkers: 3})
	if err != nil {
		t.Fatal(err)
	}
	v := e.waitTask(t, taskID, time.Minute)
	if v.Status != store.TaskCompleted {
		t.Fatalf("task %s: %s", v.Status, v.Error)
	}
	if v.VideoURL == "" || v.ThumbnailURL == "" {
		t.Fatalf("completed task without videoUrl/thumbnailUrl: %+v", v)
	}

	// The video: every frame, its duration and its sound.
	task, err := e.store.GetTask(ctx, e.account.ID, taskID)
	if err != nil {
		t.Fatal(err)
	}
	probe, err := ffmpeg.Probe(ctx, filepath.Join(e.blobDir, task.VideoKey), ffmpeg.CountFrames)
	if err != nil {
		t.Fatal(err)
	}
	video, ok := probe.Video()
	if !ok || video.Width != 320 || video.Height != 180 || video.NbFrames != 60 {
		t.Errorf("video stream %+v, want 320x180 with 60 frames", video)
	}
	if math.Abs(probe.Duration-2) > 0.1 {
		t.Errorf("duration %.3f s, want 2", probe.Duration)
	}
	if audio, ok := probe.Audio(); !ok || audio.Duration < 1.9 {
		t.Errorf("audio stream %+v (present %v), want 2 s of sound", audio, ok)
	}
	thumb, err := e.svc.Worker().Blob().Open(ctx, task.ThumbnailKey)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(thumb)
	thumb.Close()
	if err != nil || img.Bounds().Dx() != 320 {
		t.Errorf("thumbnail: %v, %v", err, img.Bounds())
	}
	for i := range 3 {
		if _, err := e.svc.Worker().Blob().Open(ctx, SegmentKey(res.RenderTaskID, i)); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("segment %d still stored after the render (%v)", i, err)
		}
	}

	// The charge: ceil(2 s × 1.0) at 720p.
	if res.Cost != 2 || v.CostCredits != 2 || e.credits(t) != before-2 {
		t.Errorf("cost %d, costCredits %d, balance %d → %d; want 2 charged", res.Cost, v.CostCredits, before, e.credits(t))
	}

	// The webhook.
	calls := hook.waitCalls(t, 1, 10*time.Second)
	verifySignature(t, e.account.WebhookSecret, calls[0])
	if id := calls[0].header.Get("webhook-id"); id != WebhookID(res.RenderTaskID) {
		t.Errorf("webhook-id %q", id)
	}
	body := decodeWebhook(t, calls[0])
	if body.Status != "completed" || body.VideoURL == nil || *body.VideoURL != v.VideoURL || body.Error != nil ||
		body.TaskID != taskID || body.RenderTaskID != res.RenderTaskID || string(body.Metadata) != `{"order":42}` {
		t.Errorf("webhook body %s", calls[0].body)
	}
	attempts := waitAttempts(t, e, taskID, 1)
	if attempts[0].StatusCode != 200 || attempts[0].Attempt != 1 || attempts[0].Error != "" {
		t.Errorf("recorded attempt %+v", attempts[0])
	}
}

// testDeadAsset renders a document whose sound answers 404: the task fails at once with the reason, the
// charge is refunded and the webhook says so.
func testDeadAsset(t *testing.T, e *env, deadURL string) {
	ctx := context.Background()
	hook := newWebhookReceiver(t)
	before := e.credits(t)
	taskID := e.createTask(t, document(320, 180, 1, deadURL))
	res, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{WebhookURL: hook.URL, NumWorkers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if e.credits(t) != before-1 {
		t.Fatalf("balance %d after queueing, want %d", e.credits(t), before-1)
	}
	v := e.waitTask(t, taskID, 30*time.Second)
	if v.Status != store.TaskFailed || !strings.Contains(v.Error, "404") || !strings.Contains(v.Error, "missing.wav") {
		t.Fatalf("task %s with error %q, want failed naming the 404 asset", v.Status, v.Error)
	}
	if got := e.credits(t); got != before {
		t.Errorf("balance %d after the failure, want %d (refunded)", got, before)
	}
	calls := hook.waitCalls(t, 1, 10*time.Second)
	verifySignature(t, e.account.WebhookSecret, calls[0])
	body := decodeWebhook(t, calls[0])
	if body.Status != "failed" || body.VideoURL != nil || body.Error == nil || *body.Error != v.Error || body.RenderTaskID != res.RenderTaskID {
		t.Errorf("webhook body %s", calls[0].body)
	}
	// A permanent error is not retried: each segment ran once.
	jobs, err := e.queue.client.JobList(ctx, riverListTask(taskID))
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs.Jobs {
		if j.Kind == (segmentArgs{}).Kind() && j.Attempt > 1 {
			t.Errorf("segment job %d tried %d times for a 404", j.ID, j.Attempt)
		}
	}
}

// testWebhookRetried answers the webhook 500 then 200: two attempts with the same webhook-id are made
// and recorded.
func testWebhookRetried(t *testing.T, e *env) {
	ctx := context.Background()
	hook := newWebhookReceiver(t, 500)
	taskID := e.createTask(t, document(160, 90, 0.5, ""))
	if _, err := e.svc.RenderTask(ctx, e.account.ID, taskID, core.RenderInput{WebhookURL: hook.URL, NumWorkers: 1}); err != nil {
		t.Fatal(err)
	}
	if v := e.waitTask(t, taskID, 30*time.Second); v.Status != store.TaskCompleted {
		t.Fatalf("task %s: %s", v.Status, v.Error)
	}
	calls := hook.waitCalls(t, 2, 20*time.Second)
	if calls[0].header.Get("webhook-id") != calls[1].header.Get("webhook-id") {
		t.Errorf("webhook-id changed between attempts: %q, %q", calls[0].header.Get("webhook-id"), calls[1].header.Get("webhook-id"))
	}
	for _, c := range calls {
		verifySignature(t, e.account.WebhookSecret, c)
	}
	attempts := waitAttempts(t, e, taskID, 2)
	if attempts[0].Attempt != 1 || attempts[0].StatusCode != 500 || !strings.Contains(attempts[0].Error, "500") ||
		attempts[1].Attempt != 2 || attempts[1].StatusCode != 200 || attempts[1].Error != "" {
		t.Errorf("recorded attempts %+v", attempts)
	}
}

// waitAttempts waits until n webhook attempts of the task are recorded and returns them, oldest first.
func waitAttempts(t *testing.T, e *env, taskID string, n int) []core.WebhookAttempt {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, err := e.svc.Worker().ListWebhookAttempts(context.Background(), e.account.ID, taskID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) >= n {
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d webhook attempts recorded, want %d", len(list), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSignStandardWebhooksExample(t *testing.T) {
	// The example of the Standard Webhooks specification.
	got, err := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
		[]byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
	if _, err := Sign("whsec_not base64!", "id", 1, nil); err == nil {
		t.Error("Sign accepted a secret that is not base64")
	}
}
