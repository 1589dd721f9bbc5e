package mcp

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/httpapi"
)

// TestTemplateTools walks an agent through the template tools, in process and over the REST API: save a
// template, preview and render it with a variable set, see errors that name the variable, update it
// (version 2) and delete it.
func TestTemplateTools(t *testing.T) {
	st := newStack(t)
	srv := httptest.NewServer(httpapi.New(st.svc, httpapi.Config{Logger: quietLogger(), RateLimit: -1}))
	t.Cleanup(srv.Close)
	document := doc(320, 180, 10, 2)
	document["meta"].(map[string]any)["background"] = "{{bg}}"
	document["tracks"].([]any)[0].(map[string]any)["clips"].([]any)[0].(map[string]any)["duration"] = "{{seconds}}"
	args := map[string]any{"name": "promo", "document": document, "variables": map[string]any{
		"bg":      map[string]any{"type": "color", "required": true, "description": "background"},
		"seconds": map[string]any{"type": "number", "default": 2, "min": 1, "max": 10},
	}}
	for name, b := range map[string]Backend{"local": NewLocal(st.svc, st.account.ID), "remote": NewRemote(srv.URL, st.key, nil)} {
		t.Run(name, func(t *testing.T) {
			c, _ := inProcessClient(t, b)
			var tpl core.TemplateResult
			ok(t, "create_template", callTool(t, c, "create_template", args, nil), &tpl)
			if !strings.HasPrefix(tpl.TemplateID, "tpl_") || tpl.Version != 1 || tpl.Variables["bg"].Type != "color" {
				t.Fatalf("create_template: %+v", tpl)
			}
			var p core.PreviewTemplateResult
			ok(t, "preview_template", callTool(t, c, "preview_template", map[string]any{"templateId": tpl.TemplateID, "variables": map[string]any{"bg": "#00ff00"}}, nil), &p)
			if !strings.HasPrefix(p.TempID, "temp_") || !strings.Contains(p.Note, "convert_preview") {
				t.Fatalf("preview_template: %+v", p)
			}
			body := failed(t, "render_template", callTool(t, c, "render_template", map[string]any{"templateId": tpl.TemplateID,
				"variables": map[string]any{"bg": "#00ff00", "seconds": "long"}}, nil), core.CodeInvalidConfig)
			if !strings.Contains(body.Error, `variables.seconds: expected a number, got "long"`) {
				t.Errorf("render_template with a wrong type: %s", body.Error)
			}
			failed(t, "render_template", callTool(t, c, "render_template", map[string]any{"templateId": tpl.TemplateID}, nil), core.CodeInvalidConfig)
			var r core.RenderTemplateResult
			ok(t, "render_template", callTool(t, c, "render_template", map[string]any{"templateId": tpl.TemplateID,
				"variables": map[string]any{"bg": "#0000ff", "seconds": 1}, "title": "blue"}, nil), &r)
			if r.TaskID == "" || r.TemplateVersion != 1 || r.Cost <= 0 || !strings.Contains(r.Message, "wait_for_video") {
				t.Fatalf("render_template: %+v", r)
			}
			update := map[string]any{"templateId": tpl.TemplateID}
			for k, v := range args {
				update[k] = v
			}
			update["name"] = "promo 2"
			var up core.TemplateResult
			ok(t, "update_template", callTool(t, c, "update_template", update, nil), &up)
			if up.Version != 2 || up.Name != "promo 2" {
				t.Fatalf("update_template: %+v", up)
			}
			var task core.TaskResult
			ok(t, "get_video", callTool(t, c, "get_video", map[string]any{"taskId": r.TaskID}, nil), &task)
			if task.TemplateID != tpl.TemplateID || task.TemplateVersion != 1 || task.Duration != 1 {
				t.Errorf("the video does not record the template version it used: %+v", task.TaskView)
			}
			// A batch, from items and from a CSV; errors name the item or the row.
			var batch core.BatchResult
			ok(t, "create_batch", callTool(t, c, "create_batch", map[string]any{"templateId": tpl.TemplateID, "items": []any{
				map[string]any{"variables": map[string]any{"bg": "#111111"}}, map[string]any{"variables": map[string]any{"bg": "#222222"}, "metadata": map[string]any{"k": 1}},
			}}, nil), &batch)
			if !strings.HasPrefix(batch.BatchID, "batch_") || batch.Total != 2 || len(batch.Items) != 2 || !strings.Contains(batch.Message, "get_batch") {
				t.Fatalf("create_batch: %+v", batch)
			}
			var got core.BatchResult
			ok(t, "get_batch", callTool(t, c, "get_batch", map[string]any{"batchId": batch.BatchID}, nil), &got)
			if got.BatchID != batch.BatchID || got.Total != 2 || got.TemplateVersion != 2 {
				t.Fatalf("get_batch: %+v", got)
			}
			ok(t, "create_batch", callTool(t, c, "create_batch", map[string]any{"templateId": tpl.TemplateID, "csv": "bg,seconds\n#333333,1\n"}, nil), &batch)
			if batch.Total != 1 {
				t.Fatalf("create_batch from a CSV: %+v", batch)
			}
			body = failed(t, "create_batch", callTool(t, c, "create_batch", map[string]any{"templateId": tpl.TemplateID, "csv": "bg,seconds\n#333333,x\n"}, nil), core.CodeInvalidConfig)
			if !strings.Contains(body.Error, "rows[2].variables.seconds") {
				t.Errorf("a bad CSV cell: %s", body.Error)
			}
			failed(t, "get_batch", callTool(t, c, "get_batch", map[string]any{"batchId": "batch_nope"}, nil), core.CodeNotFound)
			ok(t, "delete_template", callTool(t, c, "delete_template", map[string]any{"templateId": tpl.TemplateID}, nil), nil)
		})
	}
}

// TestTemplateToolsMatchREST: get_template, list_templates and get_batch answer what their GET routes
// answer, field for field, in process and over the REST API; unknown ids are NOT_FOUND as GET answers 404.
func TestTemplateToolsMatchREST(t *testing.T) {
	st := newStack(t)
	srv := httptest.NewServer(httpapi.New(st.svc, httpapi.Config{Logger: quietLogger(), RateLimit: -1}))
	t.Cleanup(srv.Close)
	tpl := restJSON(t, srv.URL, st.key, http.MethodPost, "/api/v1/templates", map[string]any{"name": "parity", "config": doc(320, 180, 10, 1),
		"variables": map[string]any{"unused": map[string]any{"type": "string", "default": "x"}}})
	templateID, _ := tpl.(map[string]any)["templateId"].(string)
	calls := []struct {
		tool string
		args map[string]any
		path string
	}{
		{"get_template", map[string]any{"templateId": templateID}, "/api/v1/templates/" + templateID},
		{"list_templates", map[string]any{}, "/api/v1/templates"},
	}
	for name, b := range map[string]Backend{"local": NewLocal(st.svc, st.account.ID), "remote": NewRemote(srv.URL, st.key, nil)} {
		t.Run(name, func(t *testing.T) {
			c, _ := inProcessClient(t, b)
			for _, call := range calls {
				rest := restJSON(t, srv.URL, st.key, http.MethodGet, call.path, nil)
				var tool any
				ok(t, call.tool, callTool(t, c, call.tool, call.args, nil), &tool)
				if !reflect.DeepEqual(rest, tool) {
					t.Errorf("%s and GET %s differ:\nMCP:  %s\nREST: %s", call.tool, call.path, mustJSON(t, tool), mustJSON(t, rest))
				}
			}
			for _, tool := range []string{"get_template", "render_template", "preview_template", "delete_template"} {
				failed(t, tool, callTool(t, c, tool, map[string]any{"templateId": "tpl_nope"}, nil), core.CodeNotFound)
			}
		})
	}
}
