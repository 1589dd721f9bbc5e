package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store"
)

func TestPreviewLifecycle(t *testing.T) {
	forEachBackend(t, options{proxies: fakeProxies{}}, func(t *testing.T, e *env) {
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
		wantError(t, e.api(t, http.MethodPost, "/api/v1/preview", `{"meta": `), http.StatusBadRequest, "INVALID_REQUEST")

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

// The pages themselves are package player's; these tests check that they are mounted with the
// server's proxies and that their endpoints answer.
func TestPreviewPages(t *testing.T) {
	t.Run("ready", func(t *testing.T) {
		forEachBackend(t, options{proxies: fakeProxies{}}, func(t *testing.T, e *env) {
			temp := e.api(t, http.MethodPost, "/api/v1/preview", doc(1280, 720, 4)).str("tempId")
			r := e.get(t, "/t/"+temp)
			wantStatus(t, r, http.StatusOK)
			page := string(r.body)
			for _, want := range []string{"<title>Hello &lt;world&gt;", `data-proxy-ready="true"`,
				`data-proxy-src="/files/proxies/preview/` + temp + `.mp4"`, `src="/t/` + temp + `/frame?t=0&amp;w=960"`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q:\n%s", want, page)
				}
			}
			details := string(e.get(t, "/preview/"+temp).body)
			for _, want := range []string{"Expires", "1280 × 720", "4.00 s", "30 fps", "4 credits (720p)", "&#34;tracks&#34;", "Copy JSON"} {
				if !strings.Contains(details, want) {
					t.Errorf("detail page lacks %q:\n%s", want, details)
				}
			}
			frame := e.get(t, "/t/"+temp+"/frame?t=1.5&w=640")
			wantStatus(t, frame, http.StatusOK)
			if string(frame.body) != fakeFrame || frame.header.Get("Content-Type") != "image/jpeg" {
				t.Errorf("frame: %s %q", frame.header.Get("Content-Type"), frame.body)
			}
			if r := e.get(t, "/t/"+temp+"/proxy"); r.json["ready"] != true || r.str("url") != "/files/proxies/preview/"+temp+".mp4" {
				t.Errorf("proxy status: %s", r.body)
			}
		})
	})
	t.Run("preparing", func(t *testing.T) {
		forEachBackend(t, options{proxies: fakeProxies{pending: true, progress: 0.42}}, func(t *testing.T, e *env) {
			temp := e.api(t, http.MethodPost, "/api/v1/preview", doc(1280, 720, 4)).str("tempId")
			page := string(e.get(t, "/t/"+temp).body)
			if !strings.Contains(page, `data-proxy-ready="false"`) || !strings.Contains(page, `data-proxy-progress="0.42"`) {
				t.Errorf("page does not say the proxy is 42%% made:\n%s", page)
			}
			if r := e.get(t, "/t/"+temp+"/proxy"); r.json["ready"] != false || r.num("progress") != 0.42 {
				t.Errorf("proxy status: %s", r.body)
			}
		})
	})
}

func TestTaskPages(t *testing.T) {
	forEachBackend(t, options{proxies: fakeProxies{}}, func(t *testing.T, e *env) {
		id := e.createTask(t, doc(1280, 720, 4))
		page := string(e.get(t, "/v/"+id).body)
		if !strings.Contains(page, "Not rendered yet") || !strings.Contains(page, "/files/proxies/task/"+id+".mp4") {
			t.Errorf("created task page:\n%s", page)
		}

		rt := e.api(t, http.MethodPost, "/api/v1/video/"+id+"/render", nil).str("renderTaskId")
		page = string(e.get(t, "/v/"+id).body)
		if !strings.Contains(page, "Rendering… 0%") || !strings.Contains(page, "<progress") {
			t.Errorf("rendering task page:\n%s", page)
		}
		if r := e.get(t, "/v/"+id+"/status"); r.str("status") != "rendering" || r.num("progress") != 0 {
			t.Errorf("rendering task status: %s", r.body)
		}
		e.complete(t, id, rt)
		video := e.api(t, http.MethodGet, "/api/v1/video/"+id, nil).str("videoUrl")
		page = string(e.get(t, "/v/"+id).body)
		if !strings.Contains(page, `src="`+video+`"`) || strings.Contains(page, "proxies") {
			t.Errorf("completed task page should play %s:\n%s", video, page)
		}
		if r := e.get(t, "/v/"+id+"/status"); r.str("status") != "completed" || r.str("videoUrl") != video {
			t.Errorf("completed task status: %s", r.body)
		}
		wantStatus(t, e.get(t, "/viewer/"+id), http.StatusOK)

		failed := e.createTask(t, doc(640, 360, 1))
		rt = e.api(t, http.MethodPost, "/api/v1/video/"+failed+"/render", nil).str("renderTaskId")
		if err := e.svc.Worker().FailRender(context.Background(), failed, rt, "ffmpeg exploded"); err != nil {
			t.Fatal(err)
		}
		if page := string(e.get(t, "/v/"+failed).body); !strings.Contains(page, "ffmpeg exploded") {
			t.Errorf("failed task page:\n%s", page)
		}
		wantStatus(t, e.get(t, "/v/nosuchtask00"), http.StatusNotFound)
	})
}

// cancelRecorder is a ProxyRenderer that records which objects' proxy renders were cancelled.
type cancelRecorder struct {
	fakeProxies
	mu   sync.Mutex
	keys []string
}

func (c *cancelRecorder) CancelProxy(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = append(c.keys, key)
}

// Deleting a preview or a task over the API cancels its proxy render (the player asked for it under the
// same key), and nothing else's.
func TestDeleteCancelsProxyRender(t *testing.T) {
	rec := &cancelRecorder{fakeProxies: fakeProxies{pending: true}}
	forEachBackend(t, options{proxies: rec}, func(t *testing.T, e *env) {
		rec.mu.Lock()
		rec.keys = nil
		rec.mu.Unlock()
		p := e.api(t, http.MethodPost, "/api/v1/preview", doc(320, 180, 1))
		wantOK(t, p, http.StatusOK)
		tempID := p.str("tempId")
		taskID := e.createTask(t, doc(320, 180, 1))
		wantOK(t, e.api(t, http.MethodDelete, "/api/v1/preview/"+tempID, nil), http.StatusOK)
		wantOK(t, e.api(t, http.MethodDelete, "/api/v1/video/"+taskID, nil), http.StatusOK)
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if want := []string{core.PreviewProxyKey(tempID), core.TaskProxyKey(taskID)}; !slices.Equal(rec.keys, want) {
			t.Fatalf("cancelled %q, want %q", rec.keys, want)
		}
	})
}
