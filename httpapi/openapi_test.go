package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/internal/teststack"
	"github.com/framecast/framecast/schemas"
)

var update = flag.Bool("update", false, "rewrite docs/openapi.json and docs/api.md from the route table (go generate ./httpapi)")

// TestPublishedContractIsCurrent fails when the committed OpenAPI document or API reference differs from
// what the route table generates; `go generate ./httpapi` (this test with -update) rewrites them.
func TestPublishedContractIsCurrent(t *testing.T) {
	for _, f := range []struct {
		file string
		gen  func() ([]byte, error)
	}{{OpenAPIFile, OpenAPI}, {APIReferenceFile, APIReference}} {
		want, err := f.gen()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", filepath.FromSlash(f.file))
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v: run `go generate ./httpapi`", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `go generate ./httpapi` (after a change of core's API types or their comments, `go generate ./core ./httpapi`)", f.file)
		}
	}
	doc, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var parsed struct{ Paths map[string]map[string]any }
	if err := json.Unmarshal(doc, &parsed); err != nil {
		t.Fatal(err)
	}
	ops := 0
	for _, p := range parsed.Paths {
		ops += len(p)
	}
	t.Logf("%s: %d bytes, %d paths, %d operations", OpenAPIFile, len(doc), len(parsed.Paths), ops)
}

// TestRouteTableIsTheRouter: every chi route under /api/v1 is a row of apiOperations and every row is
// routed, so the published contract cannot miss a route.
func TestRouteTableIsTheRouter(t *testing.T) {
	st := teststack.New(t, teststack.Options{})
	routes, ok := New(st.Service, Config{RateLimit: -1}).(chi.Routes)
	if !ok {
		t.Fatal("New does not return a chi router")
	}
	routed := map[string]bool{}
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.TrimSuffix(strings.ReplaceAll(route, "/*/", "/"), "/") // chi joins a mounted router with "/*"
		if rest, ok := strings.CutPrefix(route, "/api/v1"); ok {
			routed[method+" "+rest] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	inTable := map[string]bool{}
	ids := map[string]bool{}
	for _, op := range apiOperations {
		key := op.Method + " " + op.Pattern
		if inTable[key] {
			t.Errorf("apiOperations lists %s twice", key)
		}
		if ids[op.ID] {
			t.Errorf("operationId %s is used twice", op.ID)
		}
		inTable[key], ids[op.ID] = true, true
		if !routed[key] {
			t.Errorf("apiOperations lists %s /api/v1%s, which the router does not route", op.Method, op.Pattern)
		}
		if op.Handle == nil || op.Summary == "" || op.Tag == "" || op.Status == 0 || op.Response == nil {
			t.Errorf("%s: Handle, Summary, Tag, Status and Response are required", key)
		}
	}
	for key := range routed {
		if !inTable[key] {
			t.Errorf("the router routes %s under /api/v1, which apiOperations does not list (add a row there)", key)
		}
	}
	if len(routed) != len(apiOperations) {
		t.Errorf("%d routes under /api/v1, %d rows in apiOperations", len(routed), len(apiOperations))
	}
}

// TestEveryCodeIsDescribed: the reference says when each API error code is answered.
func TestEveryCodeIsDescribed(t *testing.T) {
	for _, c := range core.Codes {
		if codeDescriptions[c] == "" {
			t.Errorf("codeDescriptions has no entry for %s", c)
		}
	}
}

// TestOpenAPIRefsResolve: every reference of the document names a schema of its components, or the
// video document's JSON Schema.
func TestOpenAPIRefsResolve(t *testing.T) {
	doc, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Components struct{ Schemas map[string]any }
	}
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var all any
	_ = json.Unmarshal(doc, &all)
	var walk func(any)
	refs := 0
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				refs++
				name, internal := strings.CutPrefix(ref, "#/components/schemas/")
				switch {
				case ref == DocumentSchemaRef:
				case !internal:
					t.Errorf("unexpected reference %q", ref)
				case v.Components.Schemas[name] == nil:
					t.Errorf("reference %q names no schema", ref)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(all)
	if refs == 0 {
		t.Fatal("no references at all")
	}
}

// TestOpenAPIServed: GET /openapi.json needs no key and answers the generated document, and its reference
// to the video document's schema resolves, against the document's own URL, to the schema the server
// serves.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t, teststack.Options{}.Backend, options{})
	res := e.send(t, e.request(t, http.MethodGet, OpenAPIPath, nil))
	want, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if res.status != http.StatusOK || !bytes.Equal(res.body, want) {
		t.Fatalf("GET %s: %d, %d bytes; want 200 and the %d bytes of OpenAPI()", OpenAPIPath, res.status, len(res.body), len(want))
	}
	base, _ := url.Parse(e.srv.URL + OpenAPIPath)
	ref, _ := url.Parse(DocumentSchemaRef)
	schemaURL := base.ResolveReference(ref)
	if schemaURL.Path != core.SchemaPath {
		t.Fatalf("%s resolves to %s from %s, not to %s", DocumentSchemaRef, schemaURL, base, core.SchemaPath)
	}
	sres := e.send(t, e.request(t, http.MethodGet, schemaURL.Path, nil))
	wantSchema, _ := schemas.JSONSchema()
	if sres.status != http.StatusOK || !bytes.Equal(bytes.TrimSpace(sres.body), bytes.TrimSpace(wantSchema)) {
		t.Errorf("GET %s: %d; want the document's JSON Schema", schemaURL.Path, sres.status)
	}
	// And in the repository: docs/openapi.json's reference names the committed schema file.
	if _, err := os.Stat(filepath.Join("..", "docs", filepath.FromSlash(DocumentSchemaRef))); err != nil {
		t.Errorf("from docs/, %s does not resolve: %v", DocumentSchemaRef, err)
	}
}

// redoclyDir holds the pinned Redocly CLI (package.json, package-lock.json) and its rules (redocly.yaml).
const redoclyDir = "openapicheck"

// TestOpenAPIPassesRedoclyLint lints the generated document with Redocly CLI, a validator nobody here
// wrote, under its recommended-strict rules (redocly.yaml says which are switched off, and why). The CLI
// is installed by `scripts/setup.sh test` (npm ci in httpapi/openapicheck); without it the test skips,
// except in CI, where it fails.
func TestOpenAPIPassesRedoclyLint(t *testing.T) {
	bin, err := filepath.Abs(filepath.Join(redoclyDir, "node_modules", ".bin", "redocly"))
	if err != nil {
		t.Fatal(err)
	}
	_, nodeErr := exec.LookPath("node")
	if _, err := os.Stat(bin); err != nil || nodeErr != nil {
		msg := "Redocly CLI is not installed: run `scripts/setup.sh test` (npm ci in httpapi/" + redoclyDir + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	// The document and the schema it refers to, laid out as in the repository; the rules beside them.
	dir := t.TempDir()
	doc, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := schemas.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"docs/openapi.json": doc, "schemas/" + schemas.SchemaFile: schema}
	for _, name := range []string{"redocly.yaml", ".redocly.lint-ignore.yaml"} {
		b, err := os.ReadFile(filepath.Join(redoclyDir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	for name, b := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "lint", "--config", "redocly.yaml", "docs/openapi.json")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1", "FORCE_COLOR=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redocly lint: %v\n%s", err, out)
	}
	var summary []string
	for _, line := range strings.Split(string(out), "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.ContainsAny(l, "║╔╚") {
			summary = append(summary, l)
		}
	}
	t.Logf("redocly lint (%d bytes): %s", len(doc), strings.Join(summary[max(0, len(summary)-3):], " / "))
	if !slices.ContainsFunc(summary, func(l string) bool { return strings.Contains(l, "valid") }) {
		t.Errorf("redocly lint said nothing about validity:\n%s", out)
	}
}
