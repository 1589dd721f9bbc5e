package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// createPromo saves promoTemplate and returns its id.
func (e *env) createPromo(t *testing.T) string {
	t.Helper()
	r := e.api(t, http.MethodPost, "/api/v1/templates", promoTemplate())
	wantOK(t, r, http.StatusCreated)
	return r.str("templateId")
}

func TestBatchesOverHTTP(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		id := e.createPromo(t)
		r := e.api(t, http.MethodPost, "/api/v1/batches", map[string]any{"templateId": id, "metadata": map[string]any{"campaign": "spring"},
			"items": []any{
				map[string]any{"variables": map[string]any{"name": "Ada"}, "metadata": map[string]any{"customer": 1}},
				map[string]any{"variables": map[string]any{"name": "Bob", "seconds": 5}, "title": "Bob"},
			}})
		wantOK(t, r, http.StatusCreated)
		batchID := r.str("batchId")
		if !strings.HasPrefix(batchID, "batch_") || r.num("total") != 2 || r.num("counts.rendering") != 2 || r.str("status") != "running" ||
			r.num("totalCost") != 8 || e.queue.count() != 2 || r.num("templateVersion") != 1 {
			t.Fatalf("create: %s", r.body)
		}
		items := r.get("items").([]any)
		first, second := items[0].(map[string]any)["taskId"].(string), items[1].(map[string]any)["taskId"].(string)
		task := e.api(t, http.MethodGet, "/api/v1/video/"+first, nil)
		if task.str("batchId") != batchID || task.str("templateId") != id || task.num("metadata.customer") != 1 || task.str("status") != "rendering" {
			t.Fatalf("item task: %s", task.body)
		}

		// One item completes: counts and progress follow; the batch runs until the last one ends.
		e.complete(t, first, task.str("renderTaskId"))
		r = e.api(t, http.MethodGet, "/api/v1/batches/"+batchID+"?limit=1&page=2", nil)
		wantOK(t, r, http.StatusOK)
		if r.num("counts.completed") != 1 || r.num("counts.rendering") != 1 || r.num("progress") != 0.5 || r.str("status") != "running" ||
			r.num("pagination.total") != 2 {
			t.Fatalf("get after one item: %s", r.body)
		}
		if page := r.get("items").([]any); len(page) != 1 || page[0].(map[string]any)["taskId"] != second {
			t.Fatalf("page 2 of the items: %s", r.body)
		}
		// Deleting the other item ends it: the batch is completed.
		wantOK(t, e.api(t, http.MethodDelete, "/api/v1/video/"+second, nil), http.StatusOK)
		r = e.api(t, http.MethodGet, "/api/v1/batches/"+batchID, nil)
		if r.str("status") != "completed" || r.num("counts.deleted") != 1 || r.num("progress") != 1 || r.str("completedAt") == "" {
			t.Fatalf("get after the last item: %s", r.body)
		}

		// Errors.
		wantError(t, e.api(t, http.MethodGet, "/api/v1/batches/batch_nope", nil), http.StatusNotFound, "NOT_FOUND")
		_, other := e.newAccount(t, "mallory")
		wantError(t, e.apiAs(t, other, http.MethodGet, "/api/v1/batches/"+batchID, nil), http.StatusNotFound, "NOT_FOUND")
		wantError(t, e.api(t, http.MethodPost, "/api/v1/batches", map[string]any{"templateId": "tpl_nope", "items": []any{map[string]any{}}}),
			http.StatusNotFound, "NOT_FOUND")
		wantError(t, e.api(t, http.MethodPost, "/api/v1/batches", map[string]any{"templateId": id, "items": []any{}}), http.StatusBadRequest, "INVALID_REQUEST")
		jobs := e.queue.count()
		r = e.api(t, http.MethodPost, "/api/v1/batches", map[string]any{"templateId": id, "items": []any{
			map[string]any{"variables": map[string]any{"name": "Ada"}},
			map[string]any{"variables": map[string]any{"seconds": "long"}},
		}})
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if !strings.Contains(problemAt(r, "items[1].variables.name"), "required") || problemAt(r, "items[1].variables.seconds") != `expected a number, got "long"` ||
			!strings.Contains(r.str("error"), "1 of 2 items") {
			t.Errorf("a bad item: %s", r.body)
		}
		if e.queue.count() != jobs {
			t.Error("a refused batch queued renders")
		}
	})
}

func TestBatchOverCredits(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		id := e.createPromo(t)
		if _, err := e.svc.AddCredits(context.Background(), e.account.ID, -990, "test"); err != nil {
			t.Fatal(err)
		}
		items := make([]any, 4)
		for i := range items {
			items[i] = map[string]any{"variables": map[string]any{"name": "Ada", "seconds": 3}} // 3 credits each at 360p
		}
		r := e.api(t, http.MethodPost, "/api/v1/batches", map[string]any{"templateId": id, "items": items})
		wantError(t, r, http.StatusPaymentRequired, "INSUFFICIENT_CREDITS")
		if r.num("details.required") != 12 || r.num("details.available") != 10 || !strings.Contains(r.str("error"), "costs 12 credits in all") {
			t.Errorf("402 body: %s", r.body)
		}
		if e.queue.count() != 0 || e.api(t, http.MethodGet, "/api/v1/video", nil).num("pagination.total") != 0 {
			t.Error("a batch over the balance created something")
		}
		// Three items fit.
		r = e.api(t, http.MethodPost, "/api/v1/batches", map[string]any{"templateId": id, "items": items[:3]})
		wantOK(t, r, http.StatusCreated)
		if e.api(t, http.MethodGet, "/api/v1/credits", nil).num("credits") != 1 {
			t.Errorf("balance after a 9-credit batch: %s", e.api(t, http.MethodGet, "/api/v1/credits", nil).body)
		}
	})
}

func TestBatchFromCSV(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		id := e.createPromo(t)
		csv := "\xef\xbb\xbfname,seconds,bg,metadata.customer\nAda,4,#ff0000,c-1\nBob,,,c-2\n"
		req := e.request(t, http.MethodPost, "/api/v1/batches?templateId="+id+"&metadata=%7B%22from%22%3A%22csv%22%7D", csv)
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+e.key)
		r := e.send(t, req)
		wantOK(t, r, http.StatusCreated)
		if r.num("total") != 2 || r.str("metadata.from") != "csv" {
			t.Fatalf("text/csv batch: %s", r.body)
		}
		first := r.get("items").([]any)[0].(map[string]any)["taskId"].(string)
		task := e.api(t, http.MethodGet, "/api/v1/video/"+first, nil)
		if task.num("duration") != 4 || task.str("metadata.customer") != "c-1" {
			t.Fatalf("first row's task: %s", task.body)
		}
		cfg := e.api(t, http.MethodGet, "/api/v1/video/"+first+"/config", nil)
		if cfg.str("meta.background") != "#ff0000" {
			t.Errorf("first row's document: %s", cfg.body)
		}

		// The same as a multipart upload; a bad cell names its line and variable.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("templateId", id)
		fw, _ := mw.CreateFormFile("file", "rows.csv")
		fw.Write([]byte("name,seconds\nAda,2\nBob,soon\n"))
		mw.Close()
		req = e.request(t, http.MethodPost, "/api/v1/batches", body.Bytes())
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+e.key)
		r = e.send(t, req)
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if problemAt(r, "rows[3].variables.seconds") != `expected a number, got "soon"` {
			t.Errorf("bad cell: %s", r.body)
		}
		for _, bad := range []string{"", "name,name\nA,B\n", "name\n"} {
			req := e.request(t, http.MethodPost, "/api/v1/batches?templateId="+id, bad)
			req.Header.Set("Content-Type", "text/csv")
			req.Header.Set("Authorization", "Bearer "+e.key)
			wantError(t, e.send(t, req), http.StatusBadRequest, "INVALID_REQUEST")
		}
		var got map[string]any
		json.Unmarshal(r.body, &got)
	})
}
