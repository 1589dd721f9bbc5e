package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core/store"
)

func TestPreviewLifecycle(t *testing.T) {
	forEachBackend(t, options{http: Config{Proxies: fakeProxies{}}}, func(t *testing.T, e *env) {
		r := e.api(t, http.MethodPost, "/api/v1/preview", doc(1280, 720, 4))
		wantOK(t, r, http.StatusOK)
		temp := r.str("tempId")
		if !strings.HasPrefix(temp, "temp_") || r.str("expiresIn") != "7d" || r.str("previewUrl") != e.srv.URL+"/t/"+temp ||
			r.str("viewerUrl") != e.srv.URL+"/preview/"+temp {
			t.Fatalf("create preview: %s", r.body)
		}

		r = e.api(t, http.MethodGet, "/api/v1/preview/"+temp, nil)
		wantOK(t, r, http.StatusOK)
		if r.num("config.meta.width") != 1280 || r.str("expiresAt") == "" {
			t.Fatalf("get preview: %s", r.body)
		}

		r = e.api(t, http.MethodPost, "/api/v1/preview/"+temp+"/convert", map[string]any{"title": "Kept"})
		wantOK(t, r, http.StatusOK)
		if r.get("converted") != true || len(r.str("taskId")) != 12 {
			t.Fatalf("convert: %s", r.body)
		}
		if task := e.api(t, http.MethodGet, "/api/v1/video/"+r.str("taskId"), nil); task.str("title") != "Kept" {
			t.Fatalf("converted task: %s", task.body)
		}

		r = e.api(t, http.MethodPost, "/api/v1/preview/"+temp+"/render", map[string]any{"category": "promo", "num_workers": 2})
		wantOK(t, r, http.StatusOK)
		if r.get("converted") != true || r.str("status") != "rendering" || r.num("cost") != 4 || r.str("convertMessage") == "" {
			t.Fatalf("render preview: %s", r.body)
		}

		r = e.api(t, http.MethodDelete, "/api/v1/preview/"+temp, nil)
		wantOK(t, r, http.StatusOK)
		if r.get("deleted") != true {
			t.Fatalf("delete preview: %s", r.body)
		}
		for _, req := range []struct{ method, path string }{
			{http.MethodGet, "/api/v1/preview/" + temp},
			{http.MethodDelete, "/api/v1/preview/" + temp},
			{http.MethodPost, "/api/v1/preview/" + temp + "/convert"},
			{http.MethodPost, "/api/v1/preview/" + temp + "/render"},
		} {
			wantError(t, e.api(t, req.method, req.path, nil), http.StatusNotFound, "NOT_FOUND")
		}
		wantStatus(t, e.get(t, "/t/"+temp), http.StatusGone)
	})
}

func TestPreviewBadInput(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		r := e.api(t, http.MethodPost, "/api/v1/preview", map[string]any{"config": doc(1280, 720, 4)})
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if errs, _ := r.get("details.errors").([]any); len(errs) == 0 {
			t.Errorf("wrapped document: no details.errors: %s", r.body)
		}
		wantError(t, e.api(t, http.MethodPost, "/api/v1/preview", `{"meta": `), http.StatusBadRequest, "INVALID_CONFIG")

		temp := e.api(t, http.MethodPost, "/api/v1/preview", doc(640, 360, 1)).str("tempId")
		wantError(t, e.api(t, http.MethodPost, "/api/v1/preview/"+temp+"/convert", `"title"`), http.StatusBadRequest, "INVALID_REQUEST")
		_, other := e.newAccount(t, "mallory")
		wantError(t, e.apiAs(t, other, http.MethodGet, "/api/v1/preview/"+temp, nil), http.StatusNotFound, "NOT_FOUND")
		if _, err := e.svc.AddCredits(context.Background(), e.account.ID, -1000, "test"); err != nil {
			t.Fatal(err)
		}
		wantError(t, e.api(t, http.MethodPost, "/api/v1/preview/"+temp+"/render", nil), http.StatusPaymentRequired, "INSUFFICIENT_CREDITS")
	})
}

func TestExpiredPreview(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		past := time.Now().Add(-time.Hour)
		err := e.store.InsertPreview(context.Background(), store.Preview{ID: "temp_expired0000000", AccountID: e.account.ID,
			Config: string(doc(640, 360, 1)), CreatedAt: store.NewTime(past.Add(-time.Hour)), ExpiresAt: store.NewTime(past)})
		if err != nil {
			t.Fatal(err)
		}
		wantError(t, e.api(t, http.MethodGet, "/api/v1/preview/temp_expired0000000", nil), http.StatusNotFound, "NOT_FOUND")
		for _, path := range []string{"/t/temp_expired0000000", "/preview/temp_expired0000000"} {
			r := e.get(t, path)
			wantStatus(t, r, http.StatusGone)
			if !strings.Contains(string(r.body), "expired") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: expiry page %q", path, r.body)
			}
		}
	})
}

func TestPreviewPages(t *testing.T) {
	t.Run("ready", func(t *testing.T) {
		forEachBackend(t, options{http: Config{Proxies: fakeProxies{}}}, func(t *testing.T, e *env) {
			temp := e.api(t, http.MethodPost, "/api/v1/preview", doc(1280, 720, 4)).str("tempId")
			r := e.get(t, "/t/"+temp)
			wantStatus(t, r, http.StatusOK)
			page := string(r.body)
			for _, want := range []string{"<title>Hello &lt;world&gt;", "1280 × 720", "4.00 s", `<video controls`, `src="/files/proxies/preview/` + temp + `.mp4"`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q:\n%s", want, page)
				}
			}
			if strings.Contains(page, "http-equiv") {
				t.Error("a ready page refreshes itself")
			}
			if details := string(e.get(t, "/preview/"+temp).body); !strings.Contains(details, "Expires") || !strings.Contains(details, "&#34;tracks&#34;") {
				t.Errorf("detail page lacks expiry or document:\n%s", details)
			}
		})
	})
	t.Run("preparing", func(t *testing.T) {
		forEachBackend(t, options{http: Config{Proxies: fakeProxies{pending: true, progress: 0.42}}}, func(t *testing.T, e *env) {
			temp := e.api(t, http.MethodPost, "/api/v1/preview", doc(1280, 720, 4)).str("tempId")
			page := string(e.get(t, "/t/"+temp).body)
			for _, want := range []string{"preparing preview… 42%", `<meta http-equiv="refresh" content="2">`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q:\n%s", want, page)
				}
			}
			if strings.Contains(page, "<video") {
				t.Error("a preparing page shows a video")
			}
		})
	})
}

func TestTaskPages(t *testing.T) {
	forEachBackend(t, options{http: Config{Proxies: fakeProxies{}}}, func(t *testing.T, e *env) {
		id := e.createTask(t, doc(1280, 720, 4))
		page := string(e.get(t, "/v/"+id).body)
		if !strings.Contains(page, "Not rendered yet") || !strings.Contains(page, "/files/proxies/task/"+id+".mp4") {
			t.Errorf("created task page:\n%s", page)
		}

		rt := e.api(t, http.MethodPost, "/api/v1/video/"+id+"/render", nil).str("renderTaskId")
		page = string(e.get(t, "/v/"+id).body)
		if !strings.Contains(page, "Rendering… 0%") || !strings.Contains(page, "http-equiv=\"refresh\"") {
			t.Errorf("rendering task page:\n%s", page)
		}
		e.complete(t, id, rt)
		video := e.api(t, http.MethodGet, "/api/v1/video/"+id, nil).str("videoUrl")
		page = string(e.get(t, "/v/"+id).body)
		if !strings.Contains(page, `src="`+video+`"`) || strings.Contains(page, "proxies") {
			t.Errorf("completed task page should play %s:\n%s", video, page)
		}
		wantStatus(t, e.get(t, "/viewer/"+id), http.StatusOK)

		failed := e.createTask(t, doc(640, 360, 1))
		rt = e.api(t, http.MethodPost, "/api/v1/video/"+failed+"/render", nil).str("renderTaskId")
		if err := e.svc.FailRender(context.Background(), failed, rt, "ffmpeg exploded"); err != nil {
			t.Fatal(err)
		}
		if page := string(e.get(t, "/v/"+failed).body); !strings.Contains(page, "ffmpeg exploded") {
			t.Errorf("failed task page:\n%s", page)
		}
		wantStatus(t, e.get(t, "/v/nosuchtask00"), http.StatusNotFound)
	})
}
