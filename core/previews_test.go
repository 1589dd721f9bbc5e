package core

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestPreviews(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		withUnknown := `{"meta":{"version":"2.0.0","width":1280,"height":720},"tracks":[{"clips":[{"type":"text","text":"x","start":0,"duration":3,"colour":"red"}]}]}`
		p, err := s.CreatePreview(ctx, acc, []byte(withUnknown))
		if err != nil {
			t.Fatal(err)
		}
		if jsonKeys(t, p) != "expiresAt,expiresIn,note,previewUrl,success,tempId,viewerUrl,warnings" || !strings.HasPrefix(p.TempID, "temp_") ||
			p.PreviewURL != "https://fc.test/t/"+p.TempID || p.ViewerURL != "https://fc.test/preview/"+p.TempID ||
			p.ExpiresIn != "7d" || p.ExpiresAt != "2026-03-08T12:00:00.000Z" || len(p.Warnings) == 0 {
			t.Fatalf("create preview %+v", p)
		}
		got := must[PreviewResult](t)(s.GetPreview(ctx, acc, p.TempID))
		if jsonKeys(t, got) != "config,expiresAt,success,tempId" || !json.Valid(got.Config) || !strings.Contains(string(got.Config), `"colour"`) {
			t.Fatalf("get preview %+v", got)
		}
		if pub, err := s.PublicPreview(ctx, p.TempID); err != nil || pub.TempID != p.TempID {
			t.Fatalf("public preview: %v", err)
		}
		bob := e.newAccount(t, "bob").ID
		_, err = s.GetPreview(ctx, bob, p.TempID)
		wantCode(t, err, CodeNotFound)
		_, err = s.DeletePreview(ctx, bob, p.TempID)
		wantCode(t, err, CodeNotFound)

		conv := must[ConvertPreviewResult](t)(s.ConvertPreview(ctx, acc, p.TempID, TaskOptions{Title: "From preview", Category: "drafts"}))
		if jsonKeys(t, conv) != "configUrl,converted,message,previewUrl,success,taskId,tempId,videoTaskId,viewerUrl" || !conv.Converted {
			t.Fatalf("convert %+v", conv)
		}
		task := must[TaskResult](t)(s.GetTask(ctx, acc, conv.TaskID))
		if task.Title != "From preview" || task.Category != "drafts" || task.Duration != 3 || task.Width != 1280 {
			t.Fatalf("converted task %+v", task.TaskView)
		}
		_, err = s.ConvertPreview(ctx, acc, p.TempID, TaskOptions{Metadata: json.RawMessage(`"x"`)})
		wantCode(t, err, CodeInvalidRequest)

		r := must[RenderPreviewResult](t)(s.RenderPreview(ctx, acc, p.TempID, RenderPreviewInput{RenderInput: RenderInput{NumWorkers: 4}}))
		want := sortedKeys("success,tempId,converted,convertMessage,taskId,renderTaskId,status,quality,width,height,cost,remainingCredits,previewUrl,viewerUrl,configUrl,message,reused,segmentsReused,segmentsTotal")
		if jsonKeys(t, r) != want || r.Cost != 3 || r.Status != "rendering" || r.TaskID == conv.TaskID || e.queue.jobs[0].NumWorkers != 4 {
			t.Fatalf("render preview %+v", r)
		}

		del := must[DeletePreviewResult](t)(s.DeletePreview(ctx, acc, p.TempID))
		if jsonKeys(t, del) != "deleted,message,success,tempId" || !del.Deleted {
			t.Fatalf("delete %+v", del)
		}
		for _, err := range []error{
			second(s.GetPreview(ctx, acc, p.TempID)), second(s.DeletePreview(ctx, acc, p.TempID)),
			second(s.ConvertPreview(ctx, acc, p.TempID, TaskOptions{})), second(s.RenderPreview(ctx, acc, p.TempID, RenderPreviewInput{})),
		} {
			wantCode(t, err, CodeNotFound)
		}
		// The converted task lives on.
		must[TaskResult](t)(s.GetTask(ctx, acc, conv.TaskID))
	})
}

func second[T any](_ T, err error) error { return err }

func TestPreviewErrorsAndExpiry(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{PreviewTTL: 36 * time.Hour, DefaultCredits: 2}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		_, err := s.CreatePreview(ctx, acc, []byte(`{"config":`+string(doc(640, 360, 1))+`}`))
		ce := wantCode(t, err, CodeInvalidConfig)
		if !strings.Contains(ce.Message, "bare") {
			t.Fatalf("wrapped body message %q", ce.Message)
		}
		for _, body := range []string{``, `{`} { // not JSON: the request is malformed
			_, err := s.CreatePreview(ctx, acc, []byte(body))
			wantCode(t, err, CodeInvalidRequest)
		}
		for _, body := range []string{`[]`, `{"meta":{}}`} { // JSON, but not a valid document
			_, err := s.CreatePreview(ctx, acc, []byte(body))
			wantCode(t, err, CodeInvalidConfig)
		}
		p := must[CreatePreviewResult](t)(s.CreatePreview(ctx, acc, doc(1920, 1080, 10)))
		if p.ExpiresIn != "36h" {
			t.Fatalf("expiresIn %q", p.ExpiresIn)
		}
		// Rendering costs 15 with 2 credits: nothing is left behind.
		_, err = s.RenderPreview(ctx, acc, p.TempID, RenderPreviewInput{})
		wantCode(t, err, CodeInsufficientCredits)
		if l := must[ListTasksResult](t)(s.ListTasks(ctx, acc, ListTasksInput{})); l.Pagination.Total != 0 {
			t.Fatalf("a failed preview render left %d tasks", l.Pagination.Total)
		}
		_, err = s.RenderPreview(ctx, acc, p.TempID, RenderPreviewInput{RenderInput: RenderInput{WebhookURL: "gopher://x"}})
		wantCode(t, err, CodeInvalidRequest)

		e.advance(36 * time.Hour)
		_, err = s.GetPreview(ctx, acc, p.TempID)
		wantCode(t, err, CodeNotFound)
		_, err = s.PublicPreview(ctx, p.TempID)
		wantCode(t, err, CodeNotFound)
		n, err := s.Worker().PurgeExpiredPreviews(ctx, *e.clock)
		if err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
	})
}
