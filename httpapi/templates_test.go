package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// promoTemplate is a template with a required name (in a longer text), a price that keeps its number
// type where it is the whole string, and a color with a default.
func promoTemplate() map[string]any {
	config := json.RawMessage(`{"meta":{"version":"2.0.0","width":640,"height":360,"fps":30,"background":"{{bg}}"},
"tracks":[{"clips":[{"type":"text","text":"Hello {{name}}!","start":0,"duration":"{{seconds}}"},
{"type":"text","text":"{{greeting}}","start":1,"duration":1}]}]}`)
	return map[string]any{"name": "promo", "description": "a greeting", "config": config, "variables": map[string]any{
		"name":    map[string]any{"type": "string", "required": true, "maxLength": 20, "description": "first name"},
		"seconds": map[string]any{"type": "number", "default": 3, "min": 1, "max": 30},
		"bg":      map[string]any{"type": "color", "default": "#102030"},
	}}
}

// problemAt returns the message of the details.errors entry at path ("" when none).
func problemAt(r *response, path string) string {
	list, _ := r.get("details.errors").([]any)
	for _, p := range list {
		if m, _ := p.(map[string]any); m["path"] == path {
			return m["message"].(string)
		}
	}
	return ""
}

func TestTemplatesOverHTTP(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		r := e.api(t, http.MethodPost, "/api/v1/templates", promoTemplate())
		wantOK(t, r, http.StatusCreated)
		id := r.str("templateId")
		if !strings.HasPrefix(id, "tpl_") || r.num("version") != 1 || r.str("variables.name.type") != "string" {
			t.Fatalf("create: %s", r.body)
		}
		// {{greeting}} has no declaration: a warning naming its path.
		if !strings.Contains(string(r.body), `"path":"tracks[0].clips[1].text"`) || !strings.Contains(string(r.body), "{{greeting}} has no declaration") {
			t.Errorf("the undeclared placeholder is not warned about: %s", r.body)
		}

		r = e.api(t, http.MethodGet, "/api/v1/templates/"+id, nil)
		wantOK(t, r, http.StatusOK)
		if r.str("config.meta.background") != "{{bg}}" || r.str("name") != "promo" {
			t.Fatalf("get: %s", r.body)
		}
		r = e.api(t, http.MethodGet, "/api/v1/templates?limit=5", nil)
		wantOK(t, r, http.StatusOK)
		if r.num("pagination.total") != 1 || len(r.get("templates").([]any)) != 1 {
			t.Fatalf("list: %s", r.body)
		}

		// PUT replaces it and adds one to the version.
		tpl := promoTemplate()
		tpl["name"] = "promo v2"
		r = e.api(t, http.MethodPut, "/api/v1/templates/"+id, tpl)
		wantOK(t, r, http.StatusOK)
		if r.num("version") != 2 || r.str("name") != "promo v2" {
			t.Fatalf("update: %s", r.body)
		}

		// Render: a normal task that records the template and version, charged as any render.
		r = e.api(t, http.MethodPost, "/api/v1/templates/"+id+"/render", map[string]any{"variables": map[string]any{"name": "Ada", "seconds": 4},
			"metadata": map[string]any{"customer": 7}, "title": "For Ada"})
		wantOK(t, r, http.StatusOK)
		taskID := r.str("taskId")
		if r.str("status") != "rendering" || r.num("cost") <= 0 || r.num("templateVersion") != 2 || r.str("templateId") != id || e.queue.count() != 1 {
			t.Fatalf("render: %s", r.body)
		}
		task := e.api(t, http.MethodGet, "/api/v1/video/"+taskID, nil)
		if task.str("templateId") != id || task.num("templateVersion") != 2 || task.num("duration") != 4 || task.str("title") != "For Ada" || task.num("metadata.customer") != 7 {
			t.Fatalf("task: %s", task.body)
		}
		cfg := e.api(t, http.MethodGet, "/api/v1/video/"+taskID+"/config", nil)
		if cfg.str("meta.background") != "#102030" || !strings.Contains(string(cfg.body), `"Hello Ada!"`) {
			t.Fatalf("merged document: %s", cfg.body)
		}

		// Preview: a preview link of the merged document.
		r = e.api(t, http.MethodPost, "/api/v1/templates/"+id+"/preview", map[string]any{"variables": map[string]any{"name": "Bob"}})
		wantOK(t, r, http.StatusOK)
		if !strings.HasPrefix(r.str("tempId"), "temp_") || r.num("templateVersion") != 2 {
			t.Fatalf("preview: %s", r.body)
		}
		p := e.api(t, http.MethodGet, "/api/v1/preview/"+r.str("tempId"), nil)
		if !strings.Contains(string(p.body), `"Hello Bob!"`) {
			t.Fatalf("previewed document: %s", p.body)
		}

		// Errors: each names the variable.
		r = e.api(t, http.MethodPost, "/api/v1/templates/"+id+"/render", map[string]any{"variables": map[string]any{}})
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if msg := problemAt(r, "variables.name"); !strings.Contains(msg, "required") || !strings.Contains(r.str("error"), "variables.name") {
			t.Errorf("missing variable: %s", r.body)
		}
		r = e.api(t, http.MethodPost, "/api/v1/templates/"+id+"/render", map[string]any{"variables": map[string]any{"name": "Ada", "seconds": "abc"}})
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if msg := problemAt(r, "variables.seconds"); msg != `expected a number, got "abc"` {
			t.Errorf("wrong type: %s", r.body)
		}
		r = e.api(t, http.MethodPost, "/api/v1/templates/"+id+"/preview", map[string]any{"variables": map[string]any{"name": "Ada", "seconds": 99}})
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if msg := problemAt(r, "variables.seconds"); msg != "99 is above the maximum 30" {
			t.Errorf("constraint: %s", r.body)
		}
		if e.queue.count() != 1 {
			t.Errorf("a refused render queued a job")
		}
		for _, path := range []string{"/api/v1/templates/tpl_nope", "/api/v1/templates/tpl_nope/render", "/api/v1/templates/tpl_nope/preview"} {
			method := http.MethodPost
			if !strings.HasSuffix(path, "render") && !strings.HasSuffix(path, "preview") {
				method = http.MethodGet
			}
			wantError(t, e.api(t, method, path, map[string]any{"variables": map[string]any{"name": "x"}}), http.StatusNotFound, "NOT_FOUND")
		}
		_, other := e.newAccount(t, "mallory")
		wantError(t, e.apiAs(t, other, http.MethodGet, "/api/v1/templates/"+id, nil), http.StatusNotFound, "NOT_FOUND")
		wantError(t, e.apiAs(t, other, http.MethodPut, "/api/v1/templates/"+id, promoTemplate()), http.StatusNotFound, "NOT_FOUND")

		// Without enough credits the render is 402 and nothing is created.
		if _, err := e.svc.AddCredits(context.Background(), e.account.ID, -995, "test"); err != nil {
			t.Fatal(err)
		}
		before := e.api(t, http.MethodGet, "/api/v1/video", nil).num("pagination.total")
		r = e.api(t, http.MethodPost, "/api/v1/templates/"+id+"/render", map[string]any{"variables": map[string]any{"name": "Ada"}})
		wantError(t, r, http.StatusPaymentRequired, "INSUFFICIENT_CREDITS")
		if after := e.api(t, http.MethodGet, "/api/v1/video", nil).num("pagination.total"); after != before {
			t.Errorf("a refused render left a task: %v tasks, was %v", after, before)
		}

		r = e.api(t, http.MethodDelete, "/api/v1/templates/"+id, nil)
		wantOK(t, r, http.StatusOK)
		wantError(t, e.api(t, http.MethodGet, "/api/v1/templates/"+id, nil), http.StatusNotFound, "NOT_FOUND")
		if e.api(t, http.MethodGet, "/api/v1/video/"+taskID, nil).status != http.StatusOK {
			t.Error("deleting a template deleted a task made from it")
		}
	})
}

func TestInvalidTemplatesAreRefused(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		bad := promoTemplate()
		bad["variables"].(map[string]any)["bg"] = map[string]any{"type": "colour"}
		r := e.api(t, http.MethodPost, "/api/v1/templates", bad)
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if msg := problemAt(r, "variables.bg.type"); !strings.Contains(msg, `did you mean "color"?`) {
			t.Errorf("unknown type: %s", r.body)
		}
		// A document error away from any placeholder is an error; one at a placeholder depends on the value.
		broken := promoTemplate()
		broken["config"] = json.RawMessage(`{"meta":{"version":"2.0.0","width":640,"height":360,"fps":30},
"tracks":[{"clips":[{"type":"txt","text":"Hello {{name}}!","start":0,"duration":"{{seconds}}"}]}]}`)
		r = e.api(t, http.MethodPost, "/api/v1/templates", broken)
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if problemAt(r, "tracks[0].clips[0].type") == "" {
			t.Errorf("the document's own error is not reported: %s", r.body)
		}
		wantError(t, e.api(t, http.MethodPost, "/api/v1/templates", map[string]any{"variables": map[string]any{}}), http.StatusBadRequest, "INVALID_REQUEST")
	})
}

func TestCreateTaskWithInlineVariables(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		config := json.RawMessage(`{"meta":{"version":"2.0.0","width":"{{w}}","height":360,"fps":30},
"tracks":[{"clips":[{"type":"text","text":"Hi {{name}}","start":0,"duration":2}]}]}`)
		r := e.api(t, http.MethodPost, "/api/v1/video", map[string]any{"config": config, "variables": map[string]any{"w": 800, "name": "Ada"}})
		wantOK(t, r, http.StatusCreated)
		if r.num("width") != 800 {
			t.Fatalf("create: %s", r.body)
		}
		cfg := e.api(t, http.MethodGet, "/api/v1/video/"+r.str("taskId")+"/config", nil)
		if !strings.Contains(string(cfg.body), `"Hi Ada"`) {
			t.Fatalf("merged: %s", cfg.body)
		}
		r = e.api(t, http.MethodPost, "/api/v1/video", map[string]any{"config": config, "variables": map[string]any{"w": 800}})
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if !strings.Contains(problemAt(r, "variables.name"), "no value") {
			t.Errorf("missing inline variable: %s", r.body)
		}
		r = e.api(t, http.MethodPost, "/api/v1/video", map[string]any{"config": config, "variables": map[string]any{"w": "wide", "name": "Ada"}})
		wantError(t, r, http.StatusBadRequest, "INVALID_CONFIG")
		if problemAt(r, "meta.width") == "" {
			t.Errorf("a wrong inline value is not reported where it lands: %s", r.body)
		}
	})
}
