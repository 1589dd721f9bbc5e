package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	santhosh "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/schemas"
)

// openAPIBase is where the test pretends the document was read from, so that its relative reference to
// the document schema resolves as it does in the repository.
const openAPIBase = "file:///framecast/docs/openapi.json"

// answerSchemas compiles the response schemas of the OpenAPI document with an independent JSON Schema
// implementation.
type answerSchemas struct {
	c   *santhosh.Compiler
	doc map[string]any
}

func newAnswerSchemas(t *testing.T) *answerSchemas {
	t.Helper()
	raw, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := santhosh.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	schemaRaw, err := schemas.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	docSchema, err := santhosh.UnmarshalJSON(bytes.NewReader(schemaRaw))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(openAPIBase)
	ref, _ := url.Parse(DocumentSchemaRef)
	c := santhosh.NewCompiler()
	c.DefaultDraft(santhosh.Draft2020)
	if err := c.AddResource(openAPIBase, doc); err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(base.ResolveReference(ref).String(), docSchema); err != nil {
		t.Fatal(err)
	}
	return &answerSchemas{c: c, doc: doc.(map[string]any)}
}

// check validates an answer to method path against the schema the document gives for its operation and
// status.
func (a *answerSchemas) check(t *testing.T, method, path string, r *response) {
	t.Helper()
	path, _, _ = strings.Cut(path, "?")
	op, ok := findOperation(method, strings.TrimPrefix(path, "/api/v1"))
	if !ok {
		t.Fatalf("%s %s is no operation of apiOperations", method, path)
	}
	pointer := "#/paths/" + escapePointer("/api/v1"+op.Pattern) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(r.status) +
		"/content/application~1json/schema"
	sch, err := a.c.Compile(openAPIBase + pointer)
	if err != nil {
		t.Errorf("%s %s answered %d, which the document does not describe: %v", method, path, r.status, err)
		return
	}
	v, err := santhosh.UnmarshalJSON(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s %s: the %d answer does not match the document: %v\n%s", method, path, r.status, err, r.body)
	}
}

// findOperation finds the row of apiOperations that routes method path (under /api/v1).
func findOperation(method, path string) (operation, bool) {
	segs := strings.Split(path, "/")
	for _, op := range apiOperations {
		psegs := strings.Split(op.Pattern, "/")
		if op.Method != method || len(psegs) != len(segs) {
			continue
		}
		match := true
		for i := range psegs {
			if !strings.HasPrefix(psegs[i], "{") && psegs[i] != segs[i] {
				match = false
			}
		}
		if match {
			return op, true
		}
	}
	return operation{}, false
}

// escapePointer escapes a JSON pointer token.
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// TestAnswersMatchTheOpenAPIDocument sends every operation to a real server, successes and errors, and
// validates each answer against the schema the OpenAPI document gives for its status: the document
// describes the wire (required fields, types, enumerations, the document schema it refers to), not only
// the Go types it was generated from.
func TestAnswersMatchTheOpenAPIDocument(t *testing.T) {
	a := newAnswerSchemas(t)
	e := newEnv(t, storetest.Backends(t)[0], options{})
	call := func(method, path string, body any) *response {
		t.Helper()
		r := e.api(t, method, path, body)
		a.check(t, method, path, r)
		return r
	}

	call(http.MethodGet, "/api/v1/capabilities", nil)
	call(http.MethodGet, "/api/v1/credits", nil)
	call(http.MethodGet, "/api/v1/webhooks/secret", nil)
	task := call(http.MethodPost, "/api/v1/video", map[string]any{"config": doc(320, 180, 2), "title": "t"}).str("taskId")
	call(http.MethodPost, "/api/v1/video", map[string]any{"config": map[string]any{"meta": map[string]any{"width": -1}}}) // 400 INVALID_CONFIG
	call(http.MethodGet, "/api/v1/video/"+task, nil)
	call(http.MethodGet, "/api/v1/video/"+task+"/config", nil)
	call(http.MethodPost, "/api/v1/video/"+task+"/render", map[string]any{"webhook_url": "https://example.com/hook"})
	call(http.MethodPost, "/api/v1/video/"+task+"/render", nil) // 400 ALREADY_RENDERING
	call(http.MethodGet, "/api/v1/video/"+task, nil)            // rendering
	call(http.MethodGet, "/api/v1/video?status=rendering&category=all", nil)
	call(http.MethodGet, "/api/v1/video?page=0", nil) // 400 INVALID_REQUEST
	call(http.MethodGet, "/api/v1/video/"+task+"/webhooks", nil)
	call(http.MethodGet, "/api/v1/video/nosuchtask00", nil) // 404
	call(http.MethodDelete, "/api/v1/video/"+task, nil)

	temp := call(http.MethodPost, "/api/v1/preview", doc(320, 180, 2)).str("tempId")
	call(http.MethodGet, "/api/v1/preview/"+temp, nil)
	call(http.MethodPost, "/api/v1/preview/"+temp+"/convert", map[string]any{"metadata": map[string]any{"k": 1}})
	call(http.MethodPost, "/api/v1/preview/"+temp+"/render", nil)
	call(http.MethodDelete, "/api/v1/preview/"+temp, nil)
	call(http.MethodGet, "/api/v1/preview/"+temp, nil) // 404

	up := e.send(t, e.uploadRequest(t, part{"file", "a.png", pngBytes(t)}))
	a.check(t, http.MethodPost, "/api/v1/upload", up)
	var uploaded core.UploadResult
	if err := json.Unmarshal(up.body, &uploaded); err != nil || len(uploaded.Assets) != 1 {
		t.Fatalf("upload: %v %s", err, up.body)
	}
	call(http.MethodGet, "/api/v1/files?type=image", nil)
	call(http.MethodDelete, "/api/v1/files/"+uploaded.Assets[0].ID, nil)

	noKey := e.send(t, e.request(t, http.MethodGet, "/api/v1/credits", nil)) // 401
	a.check(t, http.MethodGet, "/api/v1/credits", noKey)
	if noKey.status != http.StatusUnauthorized {
		t.Errorf("without a key: %d", noKey.status)
	}
}
