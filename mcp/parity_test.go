package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/httpapi"
)

// restOperation is one route of the REST API: a method and a chi pattern.
type restOperation struct{ method, pattern string }

// restTools maps every operation of the REST API (/api/v1) to the MCP tool that does the same thing
// (the README says every API operation is also a tool). TestRESTAndMCPHaveTheSameOperations fails when
// a route is missing here, when a route here no longer exists, or when a tool named here is not served.
var restTools = map[restOperation]string{
	{"POST", "/api/v1/preview"}:                  "create_preview",
	{"GET", "/api/v1/preview/{tempId}"}:          "get_preview",
	{"DELETE", "/api/v1/preview/{tempId}"}:       "delete_preview",
	{"POST", "/api/v1/preview/{tempId}/convert"}: "convert_preview",
	{"POST", "/api/v1/preview/{tempId}/render"}:  "render_preview",
	{"POST", "/api/v1/video"}:                    "create_video",
	{"GET", "/api/v1/video"}:                     "list_videos",
	{"GET", "/api/v1/video/{taskId}"}:            "get_video",
	{"DELETE", "/api/v1/video/{taskId}"}:         "delete_video",
	{"POST", "/api/v1/video/{taskId}/render"}:    "render_video",
	{"GET", "/api/v1/video/{taskId}/config"}:     "get_video_config",
	{"GET", "/api/v1/video/{taskId}/webhooks"}:   "list_video_webhooks",
	{"POST", "/api/v1/upload"}:                   "upload_file",
	{"GET", "/api/v1/files"}:                     "list_files",
	{"DELETE", "/api/v1/files/{fileId}"}:         "delete_file",
	{"GET", "/api/v1/credits"}:                   "get_credits",
	{"GET", "/api/v1/webhooks/secret"}:           "get_webhook_secret",
	{"GET", "/api/v1/capabilities"}:              "get_capabilities",
}

// mcpOnlyTools are the tools that are no API operation, each with the reason an agent needs it.
var mcpOnlyTools = map[string]string{
	"validate_document":    "an agent checks each edit for free before paying; REST clients get the same problems from create_video's INVALID_CONFIG",
	"render_frame":         "an agent must see what it wrote: one PNG frame from the render engine, free",
	"render_frames":        "a contact sheet of frames, for an agent to look at the whole video at once",
	"wait_for_video":       "an agent cannot poll on a timer; REST clients poll GET /api/v1/video/{taskId} or take a webhook",
	"get_schema":           "one clip type's schema, small enough for an agent's context (REST serves the whole schema as a file)",
	"render_audio_preview": "an agent listens to the soundtrack mixed as the render would, free, before paying",
}

// apiRoutes walks the chi route table of the REST API and returns its operations under /api/v1.
func apiRoutes(t *testing.T, h http.Handler) map[restOperation]bool {
	t.Helper()
	routes, ok := h.(chi.Routes)
	if !ok {
		t.Fatalf("httpapi.New returned a %T, not a chi router", h)
	}
	found := map[restOperation]bool{}
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.ReplaceAll(route, "/*/", "/") // chi joins a mounted subrouter's pattern with "/*"
		if strings.HasPrefix(route, "/api/v1/") || route == "/api/v1" {
			found[restOperation{method, strings.TrimSuffix(route, "/")}] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestRESTAndMCPHaveTheSameOperations: every route of the REST API has an MCP tool, every tool mapped to
// a route is served, and every other tool is an MCP-only tool with a reason.
func TestRESTAndMCPHaveTheSameOperations(t *testing.T) {
	st := newStack(t)
	routes := apiRoutes(t, httpapi.New(st.svc, httpapi.Config{Logger: quietLogger(), RateLimit: -1}))
	served := map[string]bool{}
	for _, tool := range servedTools(t, NewServer(NewLocal(st.svc, st.account.ID), testOptions())) {
		served[tool.Name] = true
	}
	t.Logf("%d REST operations under /api/v1, %d MCP tools (%d MCP-only)", len(routes), len(served), len(mcpOnlyTools))

	var problems []string
	for op := range routes {
		if _, ok := restTools[op]; !ok {
			problems = append(problems, "route "+op.method+" "+op.pattern+" has no MCP tool in restTools")
		}
	}
	mapped := map[string]bool{}
	for op, tool := range restTools {
		mapped[tool] = true
		if !routes[op] {
			problems = append(problems, "restTools maps "+op.method+" "+op.pattern+", which the REST API does not route")
		}
		if !served[tool] {
			problems = append(problems, "restTools maps "+op.method+" "+op.pattern+" to "+tool+", which the MCP server does not serve")
		}
	}
	for tool, reason := range mcpOnlyTools {
		switch {
		case !served[tool]:
			problems = append(problems, "MCP-only tool "+tool+" is not served")
		case mapped[tool]:
			problems = append(problems, "tool "+tool+" is both MCP-only and mapped to a route")
		case reason == "":
			problems = append(problems, "MCP-only tool "+tool+" gives no reason")
		}
	}
	for tool := range served {
		if _, only := mcpOnlyTools[tool]; !only && !mapped[tool] {
			problems = append(problems, "tool "+tool+" is neither mapped to a REST route nor listed as MCP-only")
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Errorf("REST and MCP disagree:\n%s", strings.Join(problems, "\n"))
	}
}

// TestRESTAndMCPReturnTheSameResults calls the same operations on both sides for the same account and
// compares the decoded JSON bodies field for field: MCP tools over the service in process (Local) and
// over the REST API (Remote), against the REST API itself.
func TestRESTAndMCPReturnTheSameResults(t *testing.T) {
	st := newStack(t)
	srv := httptest.NewServer(httpapi.New(st.svc, httpapi.Config{Logger: quietLogger(), RateLimit: -1}))
	t.Cleanup(srv.Close)

	created := restJSON(t, srv.URL, st.key, http.MethodPost, "/api/v1/video", map[string]any{"config": doc(320, 180, 10, 1), "metadata": map[string]any{"k": "v"}})
	taskID, _ := created.(map[string]any)["taskId"].(string)
	if taskID == "" {
		t.Fatalf("POST /api/v1/video: %v", created)
	}
	err := st.svc.Worker().RecordWebhookAttempt(context.Background(), core.WebhookAttempt{AccountID: st.account.ID, TaskID: taskID,
		RenderTaskID: "rt_parity", WebhookID: "msg_rt_parity", URL: "https://example.com/hook", Attempt: 1, StatusCode: 500, Error: "HTTP 500", DurationMS: 12})
	if err != nil {
		t.Fatal(err)
	}

	calls := []struct {
		tool string
		args map[string]any
		path string // GET path of the same operation
	}{
		{"get_credits", nil, "/api/v1/credits"},
		{"get_video", map[string]any{"taskId": taskID}, "/api/v1/video/" + taskID},
		{"list_videos", map[string]any{}, "/api/v1/video"},
		{"get_video_config", map[string]any{"taskId": taskID}, "/api/v1/video/" + taskID + "/config"},
		{"list_video_webhooks", map[string]any{"taskId": taskID}, "/api/v1/video/" + taskID + "/webhooks"},
		{"get_webhook_secret", nil, "/api/v1/webhooks/secret"},
	}
	backends := map[string]Backend{"local": NewLocal(st.svc, st.account.ID), "remote": NewRemote(srv.URL, st.key, nil)}
	for name, b := range backends {
		t.Run(name, func(t *testing.T) {
			c, _ := inProcessClient(t, b)
			for _, call := range calls {
				rest := restJSON(t, srv.URL, st.key, http.MethodGet, call.path, nil)
				res := callTool(t, c, call.tool, call.args, nil)
				var tool any
				ok(t, call.tool, res, &tool)
				if !reflect.DeepEqual(rest, tool) {
					t.Errorf("%s and GET %s differ:\nMCP:  %s\nREST: %s", call.tool, call.path, mustJSON(t, tool), mustJSON(t, rest))
				}
			}
			for _, tool := range []string{"get_video", "get_video_config", "list_video_webhooks"} { // as GET answers 404
				failed(t, tool, callTool(t, c, tool, map[string]any{"taskId": "nope"}, nil), core.CodeNotFound)
			}
		})
	}
}

// restJSON sends a request to the REST API with key and returns its decoded JSON body, failing the test
// unless the answer is a success.
func restJSON(t *testing.T, base, key, method, path string, body any) any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader([]byte(mustJSON(t, body)))
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, data)
	}
	return out
}
