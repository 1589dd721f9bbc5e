package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/framecast/framecast/docs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/server"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compileSchema compiles raw as a JSON Schema 2020-12, failing the test if it is not one.
func compileSchema(t *testing.T, name string, raw []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	url := "mem://" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s is not a valid JSON Schema 2020-12: %v", name, err)
	}
	return s
}

// TestToolSchemas checks every served tool: its input and output schemas are valid JSON Schema
// 2020-12 objects, and the document parameter is an object that points at the document schema's
// resource (not a copy of it), which real documents validate against.
func TestToolSchemas(t *testing.T) {
	st := newStack(t)
	list := servedTools(t, NewServer(NewLocal(st.svc, st.account.ID), testOptions()))
	want := []string{"create_preview", "get_preview", "delete_preview", "convert_preview", "render_preview", "create_video",
		"list_videos", "get_video", "get_video_config", "list_video_webhooks", "delete_video", "render_video", "upload_file", "list_files", "delete_file", "get_credits",
		"get_webhook_secret", "get_capabilities", "validate_document", "render_frame", "render_frames", "wait_for_video", "get_schema", "render_audio_preview",
		"create_template", "list_templates", "get_template", "update_template", "delete_template", "render_template", "preview_template", "create_batch", "get_batch"}
	got := map[string]bool{}
	for _, tool := range list {
		got[tool.Name] = true
	}
	for _, name := range want {
		if !got[name] {
			t.Errorf("tool %s is not served", name)
		}
	}
	if len(list) != len(want) {
		t.Errorf("%d tools served, want %d", len(list), len(want))
	}

	example, err := os.ReadFile(filepath.Join("..", "examples", "product-promo.json"))
	if err != nil {
		t.Fatal(err)
	}
	withDocument := 0
	for _, served := range list {
		tool := served
		for kind, s := range map[string]json.RawMessage{"input": served.InputSchema, "output": served.OutputSchema} {
			var m map[string]any
			if err := json.Unmarshal(s, &m); err != nil {
				t.Fatalf("%s %s schema: %v", tool.Name, kind, err)
			}
			if m["type"] != "object" || m["$schema"] != schemaVersion {
				t.Errorf("%s %s schema: type %v, $schema %v; want an object schema of draft 2020-12", tool.Name, kind, m["type"], m["$schema"])
			}
			compileSchema(t, tool.Name+"-"+kind, s)
		}
		for _, hint := range []string{"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"} {
			if _, ok := served.Annotations[hint]; !ok {
				t.Errorf("%s: annotation %s not set", tool.Name, hint)
			}
		}
		if tool.Description == "" || len(tool.Description) < 60 {
			t.Errorf("%s: description too short for a model: %q", tool.Name, tool.Description)
		}

		var in map[string]any
		json.Unmarshal(served.InputSchema, &in)
		props := in["properties"].(map[string]any)
		docProp, ok := props["document"].(map[string]any)
		if !ok {
			continue
		}
		withDocument++
		if desc, _ := docProp["description"].(string); docProp["type"] != "object" || !strings.Contains(desc, SchemaURI) {
			t.Errorf("%s: document is %v, want an object pointing at %s", tool.Name, docProp, SchemaURI)
		}
		if _, ok := in["$defs"]; ok {
			t.Errorf("%s: the input schema embeds definitions; the document schema is a resource", tool.Name)
		}
		// The tool schema accepts a real document.
		s := compileSchema(t, tool.Name+"-input-again", served.InputSchema)
		args := map[string]any{"document": mustDecode(t, example)}
		if _, ok := props["templateId"]; ok { // update_template
			args["templateId"] = "tpl_example"
		}
		if err := s.Validate(args); err != nil {
			t.Errorf("%s: an example document does not validate against the tool schema: %v", tool.Name, err)
		}
	}
	// validate_document, render_frame, render_frames, render_audio_preview, create_preview, create_video,
	// create_template, update_template
	if withDocument != 8 {
		t.Errorf("%d tools take a document, want 8", withDocument)
	}
}

// servedTool is a tool as tools/list sends it on the wire.
type servedTool struct {
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	InputSchema  json.RawMessage `json:"inputSchema"`
	OutputSchema json.RawMessage `json:"outputSchema"`
	Annotations  map[string]any  `json:"annotations"`
}

// servedTools returns the JSON the server answers to tools/list (clients decode tools into types that
// drop schema keywords, so the wire form is read here).
func servedTools(t *testing.T, srv *server.MCPServer) []servedTool {
	t.Helper()
	ctx := context.Background()
	srv.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	raw, err := json.Marshal(srv.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`)))
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		Result struct {
			Tools []servedTool `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		t.Fatalf("tools/list: %v: %s", err, raw)
	}
	return resp.Result.Tools
}

func mustDecode(t *testing.T, raw []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestGuideSpeaksToUsers checks the embedded guide (docs/document.md, the resource framecast://docs/document.md)
// reads as Framecast's reference: no promise of work still to do, and the schema resource it names exists.
func TestGuideSpeaksToUsers(t *testing.T) {
	guide := string(docs.Guide)
	for _, stale := range []string{"to be implemented", "/work/", "shared/spec"} {
		if strings.Contains(guide, stale) {
			t.Errorf("docs/document.md still says %q", stale)
		}
	}
	if !strings.Contains(guide, SchemaURI) {
		t.Errorf("docs/document.md does not point at the schema resource %s", SchemaURI)
	}
}
