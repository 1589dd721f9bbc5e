package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/schemas"
)

// OpenAPIPath is where the server publishes its OpenAPI document (no API key needed).
const OpenAPIPath = "/openapi.json"

// DocumentSchemaRef is how the OpenAPI document refers to the video document's JSON Schema instead of
// repeating it. It is relative, so that it resolves to the schema the same server serves (core.SchemaPath)
// when the document is read from OpenAPIPath, and to the schema committed in the repository
// (schemas/video-document.schema.json) when it is read from docs/openapi.json: "../" climbs from docs/ to
// the module root there, and stops at the root of the URL here.
const DocumentSchemaRef = "../schemas/" + schemas.SchemaFile

// The OpenAPI document is built from these types; their field order is the order of the JSON.
type (
	openAPIDoc struct {
		OpenAPI    string                           `json:"openapi"`
		Info       openAPIInfo                      `json:"info"`
		Servers    []map[string]string              `json:"servers"`
		Security   []map[string][]string            `json:"security"`
		Tags       []openAPITag                     `json:"tags"`
		Paths      map[string]map[string]*openAPIOp `json:"paths"`
		Components openAPIComponents                `json:"components"`
	}
	openAPIInfo struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Description string `json:"description"`
	}
	openAPITag struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	openAPIOp struct {
		OperationID string                     `json:"operationId"`
		Summary     string                     `json:"summary"`
		Description string                     `json:"description,omitempty"`
		Tags        []string                   `json:"tags"`
		Security    any                        `json:"security,omitempty"` // nil: the document's; [] for none
		Parameters  []openAPIParam             `json:"parameters,omitempty"`
		RequestBody *openAPIBody               `json:"requestBody,omitempty"`
		Responses   map[string]openAPIResponse `json:"responses"`
	}
	openAPIParam struct {
		Name        string `json:"name"`
		In          string `json:"in"`
		Description string `json:"description"`
		Required    bool   `json:"required"`
		Schema      any    `json:"schema"`
	}
	openAPIBody struct {
		Description string                    `json:"description,omitempty"`
		Required    bool                      `json:"required"`
		Content     map[string]map[string]any `json:"content"`
	}
	openAPIResponse struct {
		Description string                    `json:"description"`
		Headers     map[string]any            `json:"headers,omitempty"`
		Content     map[string]map[string]any `json:"content,omitempty"`
	}
	openAPIComponents struct {
		Schemas         map[string]*jsonschema.Schema `json:"schemas"`
		SecuritySchemes map[string]any                `json:"securitySchemes"`
	}
)

// tagDescriptions describe the tags of apiOperations, in the reference's order.
var tagDescriptions = []openAPITag{
	{tagTasks, "A task is a stored video document; rendering it (paid in credits) makes its MP4."},
	{tagPreviews, "A preview is a document kept for 7 days with a shareable player, free."},
	{tagTemplates, "A template is a document with {{name}} placeholders and declared variables; rendering it with a variable set makes an ordinary task (Framecast's addition)."},
	{tagBatches, "A batch renders one template with many variable sets (JSON or CSV); each item is an ordinary task, and a batch.completed webhook says when all have ended (Framecast's addition)."},
	{tagFiles, "Media uploaded to the account, usable as clip sources in its documents."},
	{tagAccount, "The account's credits and webhook secret, and what the server accepts."},
}

// codeDescriptions say when each API error code is answered, for the document and the reference; a test
// checks that every code of core.Codes is described.
var codeDescriptions = map[string]string{
	core.CodeInvalidRequest:       "malformed JSON, a wrong body shape or a bad query value",
	core.CodeInvalidConfig:        "the video document fails validation; `details.errors` lists every problem with its JSON path",
	core.CodeNoFiles:              "an upload without a file",
	core.CodeUnsupportedFileType:  "an uploaded file of a type not accepted",
	core.CodeInsufficientCredits:  "the render would take the balance below zero",
	core.CodeNotFound:             "unknown, expired or deleted, or another account's",
	core.CodeAlreadyRendering:     "the task is rendering already",
	core.CodeStorageLimitExceeded: "the body or a file is over its size limit, or the account over its storage quota",
	core.CodeRateLimited:          "too many requests with this key; retry after `Retry-After` seconds",
	core.CodeUploadFailed:         "storing an upload failed",
	core.CodeRenderTriggerFailed:  "the render could not be queued",
	core.CodeRemoteError:          "a dependency (object store, database) failed",
	core.CodeServerBusy:           "the server is at its limit of concurrent work; retry in a moment",
	core.CodeMissingAPIKey:        "no API key",
	core.CodeInvalidAPIKeyFormat:  "the key is not shaped `sk-…`",
	core.CodeInvalidAPIKey:        "an unknown or revoked key",
	core.CodeAPIKeyInactive:       "the key is disabled",
	core.CodeUserNotFound:         "the key's account is gone",
	core.CodeInternal:             "a failure inside the server (a bug)",
	core.CodeIdempotencyKeyReused: "the `Idempotency-Key` was used before with another body",
}

// authErrors are the codes of the API key check.
var authErrors = []string{core.CodeMissingAPIKey, core.CodeInvalidAPIKeyFormat, core.CodeInvalidAPIKey, core.CodeAPIKeyInactive,
	core.CodeUserNotFound, core.CodeRateLimited, core.CodeRemoteError}

// errorCodes returns every code op may answer: its own Errors and those of its kind (see operation.Errors).
func (op operation) errorCodes() []string {
	codes := append([]string{core.CodeInternal}, op.Errors...)
	if !op.Public {
		codes = append(codes, authErrors...)
		if op.Request != nil {
			codes = append(codes, core.CodeInvalidRequest, core.CodeStorageLimitExceeded)
		}
		if op.Method == http.MethodPost {
			codes = append(codes, core.CodeInvalidRequest, core.CodeIdempotencyKeyReused)
		}
	}
	seen := map[string]bool{}
	out := codes[:0]
	for _, c := range codes {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// Response descriptions that are not an error code's.
const (
	timeoutDescription  = "The request body did not arrive within the server's body read timeout (`INVALID_REQUEST`)."
	replayedDescription = "`true` when this answer is replayed from an earlier request with the same `Idempotency-Key`."
)

// openAPIDocument is OpenAPI, generated once per process.
var openAPIDocument = sync.OnceValues(OpenAPI)

// serveOpenAPI is GET OpenAPIPath: the OpenAPI document of the REST API.
func (s *server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	body, err := openAPIDocument()
	if err != nil {
		writeError(w, r, core.Internal(fmt.Errorf("generate the OpenAPI document: %w", err)))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Access-Control-Allow-Origin", "*") // API explorers read it from other origins
	writeRawJSON(w, http.StatusOK, bytes.TrimSuffix(body, []byte("\n")))
}

// OpenAPI returns the OpenAPI 3.1 document of the REST API, indented and ending in a newline: the paths
// from apiOperations, the bodies reflected from core's Go types, the video document by reference to its
// JSON Schema (DocumentSchemaRef). It is the same for every server (relative server URL), so the copy in
// docs/ is the one served.
func OpenAPI() ([]byte, error) {
	doc, err := buildOpenAPI()
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: encode: %w", err)
	}
	// invopop/jsonschema refers to definitions under "#/$defs/"; OpenAPI keeps them in components.
	out = bytes.ReplaceAll(out, []byte(`"#/$defs/`), []byte(`"#/components/schemas/`))
	return append(out, '\n'), nil
}

// buildOpenAPI builds the document of OpenAPI; its references still point into "#/$defs/".
func buildOpenAPI() (*openAPIDoc, error) {
	g := newSchemaGen()
	doc := openAPIDoc{
		OpenAPI: "3.1.0",
		Info: openAPIInfo{
			Title:   "Framecast API",
			Version: "v1",
			Description: "Framecast turns one JSON video document into an MP4. This REST API is wire-compatible with " +
				"the RenderingVideo API (v1): its SDKs work by changing only the base URL. Every success body has " +
				"`\"success\": true`; every error body is `{\"success\": false, \"error\", \"code\", \"details\"}`. " +
				"POST requests may carry an `Idempotency-Key` to be retried safely. The video document is described by " +
				"its own JSON Schema, served at `" + core.SchemaPath + "`, and its guide at `" + core.DocsPath + "`.",
		},
		Servers:  []map[string]string{{"url": "/", "description": "The server that serves this document"}},
		Security: []map[string][]string{{"bearer": {}}, {"apiKeyHeader": {}}, {"apiKeyQuery": {}}},
		Tags:     tagDescriptions,
		Paths:    map[string]map[string]*openAPIOp{},
		Components: openAPIComponents{
			SecuritySchemes: map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer",
					"description": "`Authorization: Bearer sk-…` (`Authorization: Token sk-…` is accepted too)."},
				"apiKeyHeader": map[string]any{"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "`X-API-Key: sk-…`."},
				"apiKeyQuery":  map[string]any{"type": "apiKey", "in": "query", "name": "api_key", "description": "`?api_key=sk-…`, for debugging only."},
			},
		},
	}
	errSchema, err := g.ref(errorBody{})
	if err != nil {
		return nil, err
	}
	describeErrorBody(g.defs["Error"])
	for _, op := range apiOperations {
		o, err := g.operation(op, errSchema)
		if err != nil {
			return nil, fmt.Errorf("openapi: %s %s: %w", op.Method, op.Pattern, err)
		}
		path := "/api/v1" + op.Pattern
		if doc.Paths[path] == nil {
			doc.Paths[path] = map[string]*openAPIOp{}
		}
		doc.Paths[path][strings.ToLower(op.Method)] = o
	}
	doc.Components.Schemas = g.defs
	return &doc, nil
}

// operation describes one row of apiOperations.
func (g *schemaGen) operation(op operation, errSchema *jsonschema.Schema) (*openAPIOp, error) {
	o := &openAPIOp{OperationID: op.ID, Summary: op.Summary, Description: op.Description, Tags: []string{op.Tag},
		Responses: map[string]openAPIResponse{}}
	if op.Public {
		o.Security = []map[string][]string{} // no key needed
	}
	for _, name := range pathParams(op.Pattern) {
		o.Parameters = append(o.Parameters, openAPIParam{Name: name, In: "path", Required: true,
			Description: "The id returned when it was created.", Schema: map[string]any{"type": "string"}})
	}
	for _, q := range op.Query {
		o.Parameters = append(o.Parameters, openAPIParam{Name: q.Name, In: "query", Description: q.Description, Schema: q.Schema})
	}
	if op.Method == http.MethodPost && !op.Public {
		o.Parameters = append(o.Parameters, openAPIParam{Name: IdempotencyKeyHeader, In: "header",
			Description: "Makes the request safe to retry: a repeat within 24 hours with the same key gets the first answer again " +
				"(with `" + ReplayedHeader + ": true`) instead of doing the work twice; a repeat with another body is `IDEMPOTENCY_KEY_REUSED`.",
			Schema: map[string]any{"type": "string", "minLength": 1, "maxLength": core.MaxIdempotencyKeyLength}})
	}

	if op.Request != nil {
		body, err := g.requestBody(op)
		if err != nil {
			return nil, err
		}
		o.RequestBody = body
	}

	success, err := g.content(op.Response)
	if err != nil {
		return nil, err
	}
	ok := openAPIResponse{Description: op.Summary + ".", Content: success}
	if op.Method == http.MethodPost && !op.Public {
		ok.Headers = map[string]any{ReplayedHeader: map[string]any{"description": replayedDescription, "schema": map[string]any{"type": "string", "enum": []string{"true"}}}}
	}
	o.Responses[strconv.Itoa(op.Status)] = ok

	byStatus := map[int][]string{}
	for _, code := range op.errorCodes() {
		byStatus[StatusOf(code)] = append(byStatus[StatusOf(code)], code)
	}
	errContent := map[string]map[string]any{"application/json": {"schema": errSchema}}
	for status, codes := range byStatus {
		lines := make([]string, len(codes))
		for i, c := range codes {
			lines[i] = "`" + c + "`: " + codeDescriptions[c] + "."
		}
		resp := openAPIResponse{Description: strings.Join(lines, "\n"), Content: errContent}
		if status == http.StatusTooManyRequests {
			resp.Headers = map[string]any{"Retry-After": map[string]any{"description": "Seconds to wait before retrying.", "schema": map[string]any{"type": "integer"}}}
		}
		o.Responses[strconv.Itoa(status)] = resp
	}
	if op.Request != nil && !op.Public {
		o.Responses[strconv.Itoa(http.StatusRequestTimeout)] = openAPIResponse{Description: timeoutDescription, Content: errContent}
	}
	return o, nil
}

// describeErrorBody documents the fields of the error body and lists its codes.
func describeErrorBody(s *jsonschema.Schema) {
	describe := func(field, text string) *jsonschema.Schema {
		p, _ := s.Properties.Get(field)
		p.Description = text
		return p
	}
	describe("success", "Always false.")
	describe("error", "What went wrong, for a person: it names the field and the fix.")
	code := describe("code", "What went wrong, for a program: one of the API's error codes.")
	for _, c := range core.Codes {
		code.Enum = append(code.Enum, c)
	}
	describe("details", "More about the error; `{}` when there is nothing more. For `INVALID_CONFIG`, `errors` "+
		"and `warnings` list the document's problems, each with its JSON `path` and `message`.")
}

// requestBody describes op's request body.
func (g *schemaGen) requestBody(op operation) (*openAPIBody, error) {
	if _, ok := op.Request.(uploadBody); ok {
		file := map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}
		form := map[string]any{
			"type": "object",
			"properties": map[string]any{
				"file":    file,
				"files":   map[string]any{"type": "array", "items": file},
				"files[]": map[string]any{"type": "array", "items": file},
			},
			"description": "One file in `file`, or several in repeated `files` (or `files[]`).",
		}
		return &openAPIBody{Required: true, Content: map[string]map[string]any{"multipart/form-data": {"schema": form}}}, nil
	}
	if _, ok := op.Request.(batchBody); ok {
		content, err := g.content(core.CreateBatchInput{})
		if err != nil {
			return nil, err
		}
		csv := map[string]any{"type": "string", "description": "The CSV: a header row of variable names (and `" + core.CSVMetadataPrefix +
			"<key>` columns for each item's metadata), then one row per video."}
		content[csvMediaType] = map[string]any{"schema": csv}
		content["multipart/form-data"] = map[string]any{"schema": map[string]any{
			"type": "object", "required": []string{"file", "templateId"},
			"properties": map[string]any{
				"file":        map[string]any{"type": "string", "contentMediaType": "text/csv", "description": csv["description"]},
				"templateId":  map[string]any{"type": "string"},
				"webhook_url": map[string]any{"type": "string", "format": "uri"},
				"num_workers": map[string]any{"type": "integer", "minimum": 1},
				"category":    map[string]any{"type": "string"},
				"metadata":    map[string]any{"type": "string", "description": "The batch's metadata, a JSON object written as text."},
			},
		}}
		return &openAPIBody{Required: true, Content: content}, nil
	}
	content, err := g.content(op.Request)
	if err != nil {
		return nil, err
	}
	body := &openAPIBody{Required: op.RequireBody, Content: content}
	if !op.RequireBody {
		body.Description = "Optional: an empty body takes the defaults."
	}
	return body, nil
}

// content is the application/json content of a body of v's type.
func (g *schemaGen) content(v any) (map[string]map[string]any, error) {
	var schema *jsonschema.Schema
	if _, ok := v.(documentBody); ok {
		schema = &jsonschema.Schema{Ref: DocumentSchemaRef}
	} else {
		s, err := g.ref(v)
		if err != nil {
			return nil, err
		}
		schema = s
	}
	return map[string]map[string]any{"application/json": {"schema": schema}}, nil
}

// pathParams returns the names of the {params} of a chi pattern.
func pathParams(pattern string) []string {
	var names []string
	for _, part := range strings.Split(pattern, "/") {
		if name, ok := strings.CutPrefix(part, "{"); ok {
			names = append(names, strings.TrimSuffix(name, "}"))
		}
	}
	return names
}

// documentFields are the fields of core's types that hold a video document (a json.RawMessage in Go):
// the OpenAPI document refers to the document's JSON Schema for them. The generator fails when one is
// renamed.
var documentFields = map[reflect.Type][]string{
	reflect.TypeFor[core.CreateTaskInput](): {"config"},
	reflect.TypeFor[core.PreviewResult]():   {"config"},
}

// objectFields are json.RawMessage fields that hold a JSON object of the caller's.
var objectFields = []string{"metadata"}

// schemaGen reflects core's Go types into the components' schemas.
type schemaGen struct {
	r    *jsonschema.Reflector
	defs map[string]*jsonschema.Schema
	// types remembers the Go type of each definition, to refuse two types of one name.
	types map[string]reflect.Type
}

func newSchemaGen() *schemaGen {
	g := &schemaGen{defs: map[string]*jsonschema.Schema{}, types: map[string]reflect.Type{}}
	g.r = &jsonschema.Reflector{
		// Requests may carry more fields (SDKs send more) and answers may grow: no additionalProperties: false.
		AllowAdditionalProperties: true,
		Anonymous:                 true,
		Mapper:                    mapSchema,
		// The descriptions are the doc comments of core's types and fields (generated into core).
		CommentMap: core.GoComments(),
		Namer: func(t reflect.Type) string {
			if t == reflect.TypeFor[errorBody]() {
				return "Error"
			}
			return ""
		},
	}
	return g
}

// mapSchema gives the schemas of the types the reflector would describe too loosely.
func mapSchema(t reflect.Type) *jsonschema.Schema {
	switch t {
	case reflect.TypeFor[errorBody]():
		return nil
	case reflect.TypeFor[core.TaskStatus]():
		s := &jsonschema.Schema{Type: "string", Description: "Where the task stands."}
		for _, v := range core.TaskStatuses {
			s.Enum = append(s.Enum, string(v))
		}
		return s
	}
	return nil
}

// ref reflects v's type into the components and returns a reference to it.
func (g *schemaGen) ref(v any) (*jsonschema.Schema, error) {
	t := reflect.TypeOf(v)
	root := g.r.Reflect(v)
	defs := root.Definitions
	name := t.Name()
	if root.Ref != "" {
		// The root is a reference into its own definitions (the reflector's default).
		name = strings.TrimPrefix(root.Ref, "#/$defs/")
	} else {
		root.Definitions, root.Version, root.ID = nil, "", ""
		defs = jsonschema.Definitions{name: root}
		for k, d := range root.Definitions {
			defs[k] = d
		}
	}
	if g.types[name] == t { // reflected (and patched) for an earlier operation
		return &jsonschema.Schema{Ref: "#/$defs/" + name}, nil
	}
	for k, d := range defs {
		if err := g.add(k, d); err != nil {
			return nil, err
		}
	}
	if err := g.patch(t, name); err != nil {
		return nil, err
	}
	g.types[name] = t
	return &jsonschema.Schema{Ref: "#/$defs/" + name}, nil
}

// add files a definition under name, refusing a second, different one.
func (g *schemaGen) add(name string, d *jsonschema.Schema) error {
	if old, ok := g.defs[name]; ok {
		a, _ := json.Marshal(old)
		b, _ := json.Marshal(d)
		if !bytes.Equal(a, b) {
			return fmt.Errorf("two types reflect to the schema name %q", name)
		}
		return nil
	}
	g.defs[name] = d
	return nil
}

// patch points the document fields of t's definition to the document's schema and types the object
// fields.
func (g *schemaGen) patch(t reflect.Type, name string) error {
	def := g.defs[name]
	for _, field := range documentFields[t] {
		if def == nil || def.Properties == nil {
			return fmt.Errorf("%s has no properties", name)
		}
		if _, ok := def.Properties.Get(field); !ok {
			return fmt.Errorf("documentFields: %s has no field %q", name, field)
		}
		def.Properties.Set(field, &jsonschema.Schema{Ref: DocumentSchemaRef, Description: "The video document."})
	}
	for _, d := range g.defs {
		if d.Properties == nil {
			continue
		}
		for _, field := range objectFields {
			if p, ok := d.Properties.Get(field); ok && p.Type == "" && p.Ref == "" {
				p.Type = "object"
				p.Description = "A JSON object of the caller's, returned as it was given."
			}
		}
	}
	return nil
}
