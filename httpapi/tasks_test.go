package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/framecast/framecast/core"
)

func TestCreateGetListDeleteTask(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		r := e.api(t, http.MethodPost, "/api/v1/video", map[string]any{"config": doc(1280, 720, 10), "title": "Intro", "metadata": map[string]any{"ref": 7}})
		wantOK(t, r, http.StatusCreated)
		id := r.str("taskId")
		if len(id) != 12 || r.str("status") != "created" || !strings.HasPrefix(r.str("videoTaskId"), "vt_") ||
			r.str("previewUrl") != e.srv.URL+"/v/"+id || r.str("category") != "api" || r.num("duration") != 10 {
			t.Fatalf("create body: %s", r.body)
		}

		r = e.api(t, http.MethodGet, "/api/v1/video/"+id, nil)
		wantOK(t, r, http.StatusOK)
		if r.str("taskId") != id || r.str("title") != "Intro" || r.num("width") != 1280 || r.num("metadata.ref") != 7 {
			t.Fatalf("get body: %s", r.body)
		}

		// configUrl answers the stored document itself.
		cfg := e.api(t, http.MethodGet, strings.TrimPrefix(r.str("configUrl"), e.srv.URL), nil)
		wantStatus(t, cfg, http.StatusOK)
		if cfg.num("meta.width") != 1280 || cfg.get("tracks") == nil {
			t.Fatalf("config body: %s", cfg.body)
		}

		e.createTask(t, doc(640, 360, 2))
		r = e.api(t, http.MethodGet, "/api/v1/video?limit=1&page=2", nil)
		wantOK(t, r, http.StatusOK)
		if r.num("pagination.total") != 2 || r.num("pagination.limit") != 1 || r.num("pagination.page") != 2 {
			t.Fatalf("pagination: %s", r.body)
		}
		if tasks := r.get("tasks").([]any); len(tasks) != 1 || tasks[0].(map[string]any)["taskId"] != id {
			t.Fatalf("page 2 of 1 should hold the oldest task %s: %s", id, r.body)
		}
		r = e.api(t, http.MethodGet, "/api/v1/video?limit=1000&status=created&category=all", nil)
		wantOK(t, r, http.StatusOK)
		if r.num("pagination.limit") != 100 || r.num("pagination.total") != 2 {
			t.Fatalf("limit should clamp to 100: %s", r.body)
		}
		for _, q := range []string{"page=abc", "limit=0", "page=-1", "limit=1.5", "status=done"} {
			wantError(t, e.api(t, http.MethodGet, "/api/v1/video?"+q, nil), http.StatusBadRequest, "INVALID_REQUEST")
		}

		r = e.api(t, http.MethodDelete, "/api/v1/video/"+id, nil)
		wantOK(t, r, http.StatusOK)
		if r.get("deleted") != true || r.str("taskId") != id {
			t.Fatalf("delete body: %s", r.body)
		}
		wantError(t, e.api(t, http.MethodGet, "/api/v1/video/"+id, nil), http.StatusNotFound, "NOT_FOUND")
		wantError(t, e.api(t, http.MethodDelete, "/api/v1/video/"+id, nil), http.StatusNotFound, "NOT_FOUND")
	})
}

func TestCreateTaskBadInput(t *testing.T) {
	forEachBackend(t, options{http: Config{MaxBodyBytes: 4096}}, func(t *testing.T, e *env) {
		for _, body := range []string{`{"config":`, `[1,2]`, `{"config": null}`, `{"config": {}} trailing`} {
			wantError(t, e.api(t, http.MethodPost, "/api/v1/video", body), http.StatusBadRequest, "INVALID_REQUEST")
		}
		r := e.api(t, http.MethodPost, "/api/v1/video", map[string]any{"config": map[string]any{
			"meta":   map[string]any{"version": "2.0.0", "width": -5, "height": 720},
			"tracks": []any{map[string]any{"clips": []any{map[string]any{"type": "text", "text": "x", "start": 0, "duration": 0}}}},
		}})
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		var paths []string
		for _, p := range r.get("details.errors").([]any) {
			paths = append(paths, p.(map[string]any)["path"].(string))
		}
		joined := strings.Join(paths, " ")
		if !strings.Contains(joined, "meta.width") || !strings.Contains(joined, "tracks[0].clips[0].duration") {
			t.Errorf("details.errors paths = %v", paths)
		}
		big := `{"config": "` + strings.Repeat("x", 5000) + `"}`
		wantError(t, e.api(t, http.MethodPost, "/api/v1/video", big), http.StatusRequestEntityTooLarge, "STORAGE_LIMIT_EXCEEDED")
		wantError(t, e.api(t, http.MethodPut, "/api/v1/video", "{}"), http.StatusMethodNotAllowed, "INVALID_REQUEST")
		wantError(t, e.api(t, http.MethodGet, "/api/v1/nothing", nil), http.StatusNotFound, "NOT_FOUND")
	})
}

func TestAnotherAccountsTaskIsNotFound(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		id := e.createTask(t, doc(1280, 720, 3))
		_, other := e.newAccount(t, "mallory")
		for _, req := range []struct{ method, path string }{
			{http.MethodGet, "/api/v1/video/" + id},
			{http.MethodGet, "/api/v1/video/" + id + "/config"},
			{http.MethodGet, "/api/v1/video/" + id + "/webhooks"},
			{http.MethodPost, "/api/v1/video/" + id + "/render"},
			{http.MethodDelete, "/api/v1/video/" + id},
		} {
			wantError(t, e.apiAs(t, other, req.method, req.path, nil), http.StatusNotFound, "NOT_FOUND")
		}
		wantOK(t, e.api(t, http.MethodGet, "/api/v1/video/"+id, nil), http.StatusOK)
		if r := e.apiAs(t, other, http.MethodGet, "/api/v1/video", nil); r.num("pagination.total") != 0 {
			t.Errorf("another account's list shows the task: %s", r.body)
		}
	})
}

func TestRenderTask(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		id := e.createTask(t, doc(1920, 1080, 10))
		r := e.api(t, http.MethodPost, "/api/v1/video/"+id+"/render", map[string]any{"num_workers": 4, "webhook_url": "http://127.0.0.1:9/hook"})
		wantOK(t, r, http.StatusOK)
		if r.str("status") != "rendering" || r.num("cost") != 15 || r.num("remainingCredits") != 985 || r.str("quality") != "1080p" ||
			!strings.HasPrefix(r.str("renderTaskId"), "rt_") {
			t.Fatalf("render body: %s", r.body)
		}
		rt := r.str("renderTaskId")
		wantError(t, e.api(t, http.MethodPost, "/api/v1/video/"+id+"/render", nil), http.StatusBadRequest, "ALREADY_RENDERING")
		if e.queue.count() != 1 {
			t.Fatalf("%d jobs queued, want 1", e.queue.count())
		}
		wantError(t, e.api(t, http.MethodPost, "/api/v1/video/"+id+"/render", `{"num_workers": "many"}`), http.StatusBadRequest, "INVALID_REQUEST")

		e.complete(t, id, rt)
		r = e.api(t, http.MethodPost, "/api/v1/video/"+id+"/render", "")
		wantOK(t, r, http.StatusOK)
		if r.get("alreadyRendered") != true || r.num("cost") != 0 || r.num("remainingCredits") != 985 || r.str("videoUrl") == "" {
			t.Fatalf("re-render of a completed task: %s", r.body)
		}
		if c := e.api(t, http.MethodGet, "/api/v1/credits", nil); c.num("credits") != 985 {
			t.Fatalf("re-render charged: %s", c.body)
		}
		task := e.api(t, http.MethodGet, "/api/v1/video/"+id, nil)
		if task.str("status") != "completed" || task.str("videoUrl") != r.str("videoUrl") {
			t.Fatalf("completed task: %s", task.body)
		}
		video := e.get(t, strings.TrimPrefix(task.str("videoUrl"), e.srv.URL))
		wantStatus(t, video, http.StatusOK)
		if string(video.body) != "fake mp4 bytes" || video.header.Get("Content-Type") != "video/mp4" {
			t.Fatalf("video served as %q: %q", video.header.Get("Content-Type"), video.body)
		}
	})
}

func TestRenderWithoutEnoughCredits(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		id := e.createTask(t, doc(2560, 1440, 60)) // 120 credits
		if _, err := e.svc.AddCredits(context.Background(), e.account.ID, -950, "test"); err != nil {
			t.Fatal(err)
		}
		r := e.api(t, http.MethodPost, "/api/v1/video/"+id+"/render", nil)
		wantError(t, r, http.StatusPaymentRequired, "INSUFFICIENT_CREDITS")
		if r.num("details.required") != 120 || r.num("details.available") != 50 {
			t.Errorf("details: %s", r.body)
		}
		if e.queue.count() != 0 {
			t.Error("a job was queued")
		}
	})
}

func TestWebhookAttemptsList(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		id := e.createTask(t, doc(640, 360, 1))
		r := e.api(t, http.MethodGet, "/api/v1/video/"+id+"/webhooks", nil)
		wantOK(t, r, http.StatusOK)
		if a, ok := r.get("attempts").([]any); !ok || len(a) != 0 {
			t.Fatalf("attempts of a new task: %s", r.body)
		}
		err := e.svc.Worker().RecordWebhookAttempt(context.Background(), core.WebhookAttempt{AccountID: e.account.ID, TaskID: id,
			RenderTaskID: "rt_x", WebhookID: "msg_1", URL: "https://example.com/h", Attempt: 1, StatusCode: 500, Error: "HTTP 500"})
		if err != nil {
			t.Fatal(err)
		}
		r = e.api(t, http.MethodGet, "/api/v1/video/"+id+"/webhooks", nil)
		attempts := r.get("attempts").([]any)
		if len(attempts) != 1 {
			t.Fatalf("attempts: %s", r.body)
		}
		a := attempts[0].(map[string]any)
		if a["statusCode"] != 500.0 || a["webhookId"] != "msg_1" || a["attempt"] != 1.0 || a["createdAt"] == "" {
			t.Fatalf("attempt: %s", r.body)
		}
	})
}

func TestIdempotentPost(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		body, _ := json.Marshal(map[string]any{"config": doc(1280, 720, 2)})
		post := func(key string, body []byte) *response {
			req := e.request(t, http.MethodPost, "/api/v1/video", body)
			req.Header.Set("Authorization", "Bearer "+e.key)
			req.Header.Set("Idempotency-Key", key)
			return e.send(t, req)
		}
		first := post("k-1", body)
		wantOK(t, first, http.StatusCreated)
		again := post("k-1", body)
		wantOK(t, again, http.StatusCreated)
		if again.str("taskId") != first.str("taskId") || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("repeat not replayed: %s vs %s", first.body, again.body)
		}
		other, _ := json.Marshal(map[string]any{"config": doc(1280, 720, 3)})
		wantError(t, post("k-1", other), http.StatusUnprocessableEntity, "IDEMPOTENCY_KEY_REUSED")

		// Concurrent duplicates run once.
		var wg sync.WaitGroup
		ids := make([]string, 4)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ids[i] = post("k-2", other).str("taskId")
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id == "" || id != ids[0] {
				t.Fatalf("concurrent duplicates answered different tasks: %v", ids)
			}
		}
		if r := e.api(t, http.MethodGet, "/api/v1/video", nil); r.num("pagination.total") != 2 {
			t.Fatalf("want 2 tasks made, list: %s", r.body)
		}

		// A render retried with the same key is charged once and answered the same.
		id := first.str("taskId")
		render := func() *response {
			req := e.request(t, http.MethodPost, "/api/v1/video/"+id+"/render", nil)
			req.Header.Set("Authorization", "Bearer "+e.key)
			req.Header.Set("Idempotency-Key", "render-1")
			return e.send(t, req)
		}
		r1, r2 := render(), render()
		wantOK(t, r2, http.StatusOK)
		if r1.str("renderTaskId") != r2.str("renderTaskId") || e.queue.count() != 1 {
			t.Fatalf("render retried: %s / %s", r1.body, r2.body)
		}
	})
}

// Huge and negative paging values never wrap around to page 1: a page over core.MaxPage (however large,
// even past int64) is 400 with a message naming the bound, a huge limit is clamped to 100, on every list.
func TestPagingOverflow(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		e.createTask(t, doc(640, 360, 2))
		for _, list := range []string{"/api/v1/video", "/api/v1/files"} {
			for _, q := range []string{"page=9223372036854775807", "page=9223372036854775808", "page=99999999999999999999999", "page=1000001"} {
				r := e.api(t, http.MethodGet, list+"?"+q, nil)
				wantError(t, r, http.StatusBadRequest, "INVALID_REQUEST")
				if !strings.Contains(r.str("error"), "at most 1000000") {
					t.Errorf("%s?%s: %s", list, q, r.body)
				}
			}
			for _, q := range []string{"page=-9223372036854775808", "page=-1", "limit=-99999999999999999999", "page=0"} {
				wantError(t, e.api(t, http.MethodGet, list+"?"+q, nil), http.StatusBadRequest, "INVALID_REQUEST")
			}
			for _, q := range []string{"limit=9223372036854775807", "limit=99999999999999999999999"} {
				r := e.api(t, http.MethodGet, list+"?"+q, nil)
				wantOK(t, r, http.StatusOK)
				if r.num("pagination.limit") != 100 || r.num("pagination.page") != 1 {
					t.Errorf("%s?%s: %s", list, q, r.body)
				}
			}
			r := e.api(t, http.MethodGet, list+"?page=1000000", nil) // the last page allowed: empty, not page 1
			wantOK(t, r, http.StatusOK)
			if r.num("pagination.page") != 1000000 || len(r.body) == 0 || strings.Contains(string(r.body), `"taskId"`) {
				t.Errorf("page 1000000: %s", r.body)
			}
		}
	})
}
