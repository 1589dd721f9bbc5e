package core

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/framecast/framecast/core/store"
)

func TestRenderLifecycle(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		task := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1280, 720, 8)}))
		r := must[RenderResult](t)(s.RenderTask(ctx, acc, task.TaskID, RenderInput{WebhookURL: "https://hooks.example.com/a", NumWorkers: 2}))

		spec, err := s.Worker().MarkRenderStarted(ctx, task.TaskID, r.RenderTaskID)
		if err != nil {
			t.Fatal(err)
		}
		video, thumb := RenderOutputKeys(acc, task.TaskID, r.RenderTaskID)
		if spec.AccountID != acc || spec.Width != 1280 || spec.Duration != 8 || spec.NumWorkers != 2 || spec.VideoKey != video ||
			spec.ThumbnailKey != thumb || spec.WebhookURL != "https://hooks.example.com/a" || !strings.Contains(string(spec.Config), `"tracks"`) {
			t.Fatalf("spec %+v", spec)
		}
		if err := s.Worker().SetProgress(ctx, task.TaskID, r.RenderTaskID, 0.25); err != nil {
			t.Fatal(err)
		}
		if v := must[TaskResult](t)(s.GetTask(ctx, acc, task.TaskID)); *v.Progress != 0.25 {
			t.Fatalf("progress %v", *v.Progress)
		}
		if _, ok, err := s.Worker().WebhookFor(ctx, task.TaskID, r.RenderTaskID); ok || err != nil {
			t.Fatalf("webhook of a running render: %v %v", ok, err)
		}
		e.blob.Put(ctx, video, strings.NewReader("mp4"), "video/mp4")
		e.blob.Put(ctx, thumb, strings.NewReader("jpg"), "image/jpeg")
		if err := s.Worker().CompleteRender(ctx, task.TaskID, r.RenderTaskID, video, thumb, 3); err != nil {
			t.Fatal(err)
		}
		v := must[TaskResult](t)(s.GetTask(ctx, acc, task.TaskID))
		if v.Status != "completed" || v.VideoURL != "https://fc.test/files/"+video || v.ThumbnailURL != "https://fc.test/files/"+thumb ||
			v.Progress != nil || v.CompletedAt == "" || v.CostCredits != 8 {
			t.Fatalf("completed %+v", v)
		}
		d, ok, err := s.Worker().WebhookFor(ctx, task.TaskID, r.RenderTaskID)
		if err != nil || !ok || d.URL != "https://hooks.example.com/a" || d.Secret != e.account.WebhookSecret ||
			d.Event.Status != "completed" || *d.Event.VideoURL != v.VideoURL || d.Event.Error != nil || string(d.Event.Metadata) != "{}" {
			t.Fatalf("webhook %+v %v %v", d, ok, err)
		}
		if keys := jsonKeys(t, d.Event); keys != "error,metadata,renderTaskId,status,taskId,timestamp,videoUrl" {
			t.Fatalf("webhook keys %s", keys)
		}
		for i := 1; i <= 2; i++ {
			if err := s.Worker().RecordWebhookAttempt(ctx, WebhookAttempt{AccountID: acc, TaskID: task.TaskID, RenderTaskID: r.RenderTaskID,
				WebhookID: "msg_1", URL: d.URL, Attempt: i, StatusCode: 200}); err != nil {
				t.Fatal(err)
			}
		}
		if list := must[[]WebhookAttempt](t)(s.Worker().ListWebhookAttempts(ctx, acc, task.TaskID)); len(list) != 2 || list[1].Attempt != 2 {
			t.Fatalf("attempts %+v", list)
		}
		// Late reports about an ended render are refused.
		if err := s.Worker().SetProgress(ctx, task.TaskID, r.RenderTaskID, 0.5); !errors.Is(err, ErrRenderCancelled) {
			t.Fatalf("progress after completion: %v", err)
		}

		del := must[DeleteTaskResult](t)(s.DeleteTask(ctx, acc, task.TaskID))
		if jsonKeys(t, del) != "deleted,message,remoteDeleted,success,taskId,videoTaskId" || !del.Deleted || !del.RemoteDeleted {
			t.Fatalf("delete %+v", del)
		}
		if _, err := e.blob.Open(ctx, video); err == nil {
			t.Fatal("video left in storage after delete")
		}
		_, err = s.DeleteTask(ctx, acc, task.TaskID)
		wantCode(t, err, CodeNotFound)
	})
}

func TestFailRenderRefunds(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		task := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1920, 1080, 10)}))
		r := must[RenderResult](t)(s.RenderTask(ctx, acc, task.TaskID, RenderInput{WebhookURL: "https://hooks.example.com/b"}))
		if _, err := s.Worker().MarkRenderStarted(ctx, task.TaskID, r.RenderTaskID); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ { // failing twice refunds once
			if err := s.Worker().FailRender(ctx, task.TaskID, r.RenderTaskID, "ffmpeg exited with status 1"); err != nil {
				t.Fatal(err)
			}
		}
		if c := must[CreditsResult](t)(s.GetCredits(ctx, acc)); c.Credits != 1000 {
			t.Fatalf("balance after refund %d", c.Credits)
		}
		ledger := must[[]store.LedgerEntry](t)(s.Ledger(ctx, acc))
		if len(ledger) != 3 || ledger[0].Delta != 15 || ledger[1].Delta != -15 || ledger[0].RenderTaskID != r.RenderTaskID {
			t.Fatalf("ledger %+v", ledger)
		}
		v := must[TaskResult](t)(s.GetTask(ctx, acc, task.TaskID))
		if v.Status != "failed" || v.Error != "ffmpeg exited with status 1" || v.CostCredits != 0 || v.VideoURL != "" {
			t.Fatalf("failed task %+v", v)
		}
		d, ok, err := s.Worker().WebhookFor(ctx, task.TaskID, r.RenderTaskID)
		if err != nil || !ok || d.Event.Status != "failed" || d.Event.VideoURL != nil || *d.Event.Error != v.Error {
			t.Fatalf("failure webhook %+v %v %v", d.Event, ok, err)
		}
		if err := s.Worker().CompleteRender(ctx, task.TaskID, r.RenderTaskID, "k", "t", 1); !errors.Is(err, ErrRenderCancelled) {
			t.Fatalf("complete after failure: %v", err)
		}

		// A failed task renders again, charged again.
		r2 := must[RenderResult](t)(s.RenderTask(ctx, acc, task.TaskID, RenderInput{}))
		if r2.Cost != 15 || r2.RemainingCredits != 985 || r2.RenderTaskID == r.RenderTaskID {
			t.Fatalf("second render %+v", r2)
		}
		if _, ok, _ := s.Worker().WebhookFor(ctx, task.TaskID, r2.RenderTaskID); ok {
			t.Fatal("webhook for a render without webhook_url")
		}
	})
}

func TestDeleteRenderingTaskCancelsAndRefunds(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		task := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1280, 720, 30)}))
		r := must[RenderResult](t)(s.RenderTask(ctx, acc, task.TaskID, RenderInput{}))
		_, err := s.DeleteTask(ctx, e.newAccount(t, "bob").ID, task.TaskID)
		wantCode(t, err, CodeNotFound)
		must[DeleteTaskResult](t)(s.DeleteTask(ctx, acc, task.TaskID))
		if len(e.queue.cancelled) != 1 || e.queue.cancelled[0] != task.TaskID {
			t.Fatalf("cancelled %v", e.queue.cancelled)
		}
		if c := must[CreditsResult](t)(s.GetCredits(ctx, acc)); c.Credits != 1000 {
			t.Fatalf("balance after cancel %d", c.Credits)
		}
		if _, err := s.Worker().MarkRenderStarted(ctx, task.TaskID, r.RenderTaskID); !errors.Is(err, ErrRenderCancelled) {
			t.Fatalf("start after delete: %v", err)
		}
		if err := s.Worker().SetProgress(ctx, task.TaskID, r.RenderTaskID, 0.1); !errors.Is(err, ErrRenderCancelled) {
			t.Fatalf("progress after delete: %v", err)
		}
		if err := s.Worker().FailRender(ctx, task.TaskID, r.RenderTaskID, "x"); err != nil {
			t.Fatalf("fail after delete: %v", err)
		}
		if c := must[CreditsResult](t)(s.GetCredits(ctx, acc)); c.Credits != 1000 {
			t.Fatalf("balance after late failure %d", c.Credits)
		}
	})
}
