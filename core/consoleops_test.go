package core

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestConsoleOperations: the operations the console added, on both databases: task search (wildcards
// taken literally, case ignored), the list of previews, the overview's counts and the secret's rotation.
func TestConsoleOperations(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, a := e.svc, e.account
		for _, title := range []string{"Summer SALE", "100% off", "plain_title"} {
			if _, err := s.CreateTask(ctx, a.ID, CreateTaskInput{Config: doc(320, 180, 1), TaskOptions: TaskOptions{Title: title}}); err != nil {
				t.Fatal(err)
			}
		}
		for search, want := range map[string]int{"sale": 1, "%": 1, "_": 1, "": 3, "nothing": 0, "SUM": 1} {
			res := must[ListTasksResult](t)(s.ListTasks(ctx, a.ID, ListTasksInput{Search: search}))
			if res.Pagination.Total != want || len(res.Tasks) != want {
				t.Errorf("search %q: %d tasks, want %d", search, res.Pagination.Total, want)
			}
		}
		other := e.newAccount(t, "bob")
		if res := must[ListTasksResult](t)(s.ListTasks(ctx, other.ID, ListTasksInput{Search: "sale"})); res.Pagination.Total != 0 {
			t.Errorf("another account's search finds %d tasks", res.Pagination.Total)
		}

		raw, _ := json.Marshal(map[string]any{"meta": map[string]any{"version": "2.0.0", "width": 640, "height": 360, "fps": 25, "title": "Teaser"},
			"tracks": []any{map[string]any{"id": "t", "clips": []any{map[string]any{"type": "rect", "start": 0, "duration": 2}}}}})
		pv := must[CreatePreviewResult](t)(s.CreatePreview(ctx, a.ID, raw))
		list := must[ListPreviewsResult](t)(s.ListPreviews(ctx, a.ID, PageInput{}))
		if len(list.Previews) != 1 || list.Previews[0].TempID != pv.TempID || list.Previews[0].Title != "Teaser" ||
			list.Previews[0].Width != 640 || list.Previews[0].Duration != 2 || !strings.HasSuffix(list.Previews[0].PlayerURL, "/t/"+pv.TempID) {
			t.Fatalf("previews: %+v", list)
		}
		if list := must[ListPreviewsResult](t)(s.ListPreviews(ctx, other.ID, PageInput{})); len(list.Previews) != 0 {
			t.Fatalf("another account's previews: %+v", list)
		}
		e.advance(s.cfg.PreviewTTL + 1)
		if list := must[ListPreviewsResult](t)(s.ListPreviews(ctx, a.ID, PageInput{})); len(list.Previews) != 0 {
			t.Fatalf("expired previews listed: %+v", list)
		}

		tasks := must[ListTasksResult](t)(s.ListTasks(ctx, a.ID, ListTasksInput{}))
		if _, err := s.RenderTask(ctx, a.ID, tasks.Tasks[0].TaskID, RenderInput{}); err != nil {
			t.Fatal(err)
		}
		o := must[Overview](t)(s.AccountOverview(ctx, a.ID))
		if o.Renders != 1 || o.Queued != 1 || o.Failed != 0 || o.Credits >= DefaultCredits {
			t.Fatalf("overview %+v", o)
		}
		if o := must[Overview](t)(s.AccountOverview(ctx, other.ID)); o.Renders != 0 {
			t.Fatalf("another account's overview %+v", o)
		}

		old := must[WebhookSecretResult](t)(s.GetWebhookSecret(ctx, a.ID)).Secret
		secret := must[string](t)(s.RotateWebhookSecret(ctx, a.ID))
		if secret == old || !strings.HasPrefix(secret, "whsec_") || must[WebhookSecretResult](t)(s.GetWebhookSecret(ctx, a.ID)).Secret != secret {
			t.Fatalf("rotated secret %q (was %q)", secret, old)
		}
		// Without a queue that can deliver, a test event is refused with a reason.
		_, err := s.SendTestWebhook(ctx, a.ID, "https://example.com/hook")
		wantCode(t, err, CodeInvalidRequest)
	})
}
