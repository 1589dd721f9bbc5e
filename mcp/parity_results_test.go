package mcp

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/httpapi"
)

// TestRESTAndMCPListTheSameFilesAndCapabilities is TestRESTAndMCPReturnTheSameResults for the operations
// that need an upload or describe the server: list_files (with and without filters) and get_capabilities,
// whose one MCP addition is a thumbnail resource for each template.
func TestRESTAndMCPListTheSameFilesAndCapabilities(t *testing.T) {
	st := newStack(t)
	srv := httptest.NewServer(httpapi.New(st.svc, httpapi.Config{Logger: quietLogger(), RateLimit: -1}))
	t.Cleanup(srv.Close)
	if _, err := st.svc.Upload(context.Background(), st.account.ID, []core.UploadFile{{Name: "dot.png", Content: bytes.NewReader(tinyPNG(t))}}); err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		tool string
		args map[string]any
		path string // GET path of the same operation
	}{
		{"list_files", map[string]any{}, "/api/v1/files"},
		{"list_files", map[string]any{"type": "image", "limit": 1}, "/api/v1/files?type=image&limit=1"},
		{"get_capabilities", nil, "/api/v1/capabilities"},
	}
	backends := map[string]Backend{"local": NewLocal(st.svc, st.account.ID), "remote": newRemote(t, srv.URL, st.key)}
	for name, b := range backends {
		t.Run(name, func(t *testing.T) {
			c, _ := inProcessClient(t, b)
			for _, call := range calls {
				rest := restJSON(t, srv.URL, st.key, http.MethodGet, call.path, nil)
				var tool any
				ok(t, call.tool, callTool(t, c, call.tool, call.args, nil), &tool)
				if call.tool == "get_capabilities" {
					tool = withoutThumbnails(t, tool)
				}
				if !reflect.DeepEqual(rest, tool) {
					t.Errorf("%s and GET %s differ:\nMCP:  %s\nREST: %s", call.tool, call.path, mustJSON(t, tool), mustJSON(t, rest))
				}
			}
		})
	}
}

// withoutThumbnails removes the thumbnail of every template from get_capabilities' result, failing the test
// when one has none: the tool links each template's thumbnail (an MCP resource an agent can read), which
// REST clients have no use for; everything else is the same.
func withoutThumbnails(t *testing.T, caps any) any {
	t.Helper()
	schema, _ := caps.(map[string]any)["schema"].(map[string]any)
	templates, _ := schema["templates"].([]any)
	if len(templates) == 0 {
		t.Fatal("get_capabilities lists no template")
	}
	for _, tpl := range templates {
		m, _ := tpl.(map[string]any)
		if m["thumbnail"] == nil || m["thumbnail"] == "" {
			t.Errorf("get_capabilities: template %v has no thumbnail", m["name"])
		}
		delete(m, "thumbnail")
	}
	return caps
}
