package httpapi

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/framecast/framecast/core"
)

// APIReferenceFile and OpenAPIFile are the committed copies of the contract, relative to the module
// root: `go generate ./httpapi` rewrites them from APIReference and OpenAPI, and a test fails when one
// is stale.
const (
	APIReferenceFile = "docs/api.md"
	OpenAPIFile      = "docs/openapi.json"
)

//go:generate go test -run ^TestPublishedContractIsCurrent$ -update

// APIReference returns the REST API reference in Markdown, generated from the same route table and Go
// types as OpenAPI.
func APIReference() ([]byte, error) {
	doc, err := buildOpenAPI()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Framecast REST API reference (v1)\n\n")
	p("<!-- Generated from httpapi's route table (httpapi/routes.go) by `go generate ./httpapi`; do not edit. -->\n\n")
	p("%s\n\n", doc.Info.Description)
	p("The same contract, machine-readable: [openapi.json](openapi.json) (OpenAPI 3.1), served by every server at `%s`.\n\n", OpenAPIPath)

	p("## Conventions\n\n")
	p("- **Authentication.** Every operation but `GET /api/v1/capabilities` needs an API key (`sk-…`): " +
		"`Authorization: Bearer sk-…` (or `Token sk-…`), the `X-API-Key` header, or the `api_key` query parameter (debugging only). " +
		"Every task, preview and file belongs to the key's account; another account's objects are `NOT_FOUND`.\n")
	p("- **Bodies.** JSON in and out, except uploads (multipart). Response keys are camelCase; render options in " +
		"request bodies are snake_case (`webhook_url`, `num_workers`). Unknown request fields are ignored.\n")
	p("- **Lists.** `page` (from 1) and `limit` (default %d, at most %d); the answer carries `pagination: {page, limit, total}`, newest first.\n",
		core.DefaultPageLimit, core.MaxPageLimit)
	p("- **Retries.** A POST with an `%s` header is done once: a repeat within 24 hours gets the first answer again, with `%s: true`.\n",
		IdempotencyKeyHeader, ReplayedHeader)
	p("- **Limits.** Requests are rate-limited per key (`429 RATE_LIMITED` with `Retry-After`); JSON bodies and uploads have size limits (`413 STORAGE_LIMIT_EXCEEDED`).\n\n")

	p("## Error codes\n\n")
	p("Every error answers `{\"success\": false, \"error\": \"<message>\", \"code\": \"<CODE>\", \"details\": {…}}`.\n\n")
	p("| code | status | when |\n|---|---|---|\n")
	for _, c := range core.Codes {
		p("| `%s` | %d | %s |\n", c, StatusOf(c), codeDescriptions[c])
	}
	p("\n")

	p("## Operations\n\n")
	for _, tag := range doc.Tags {
		p("- [%s](#%s):", tag.Name, strings.ToLower(tag.Name))
		for _, op := range apiOperations {
			if op.Tag == tag.Name {
				p(" [`%s %s`](#%s)", op.Method, "/api/v1"+op.Pattern, strings.ToLower(op.ID))
			}
		}
		p("\n")
	}
	p("\n")
	for _, tag := range doc.Tags {
		p("## %s\n\n%s\n\n", tag.Name, tag.Description)
		for _, op := range apiOperations {
			if op.Tag == tag.Name {
				writeOperation(&b, op, doc)
			}
		}
	}

	p("## Types\n\n")
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		writeType(&b, name, doc.Components.Schemas[name])
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n'), nil
}

// writeOperation writes the section of one operation.
func writeOperation(b *bytes.Buffer, op operation, doc *openAPIDoc) {
	o := doc.Paths["/api/v1"+op.Pattern][strings.ToLower(op.Method)]
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("<a id=\"%s\"></a>\n### `%s /api/v1%s`\n\n", strings.ToLower(op.ID), op.Method, op.Pattern)
	p("**%s.** ", op.Summary)
	if op.Description != "" {
		p("%s ", op.Description)
	}
	p("(operationId `%s`", op.ID)
	if op.Public {
		p("; no API key")
	}
	p(")\n\n")
	for _, param := range o.Parameters {
		if param.In == "path" {
			continue
		}
		p("- %s `%s`: %s\n", param.In, param.Name, param.Description)
	}
	if op.Request != nil {
		p("- body")
		if !op.RequireBody {
			p(" (optional)")
		}
		p(": %s\n", bodyName(op.Request))
	}
	p("- `%d`: %s\n", op.Status, bodyName(op.Response))
	statuses := make([]int, 0, len(o.Responses))
	for k := range o.Responses {
		if s, _ := strconv.Atoi(k); s >= 400 {
			statuses = append(statuses, s)
		}
	}
	slices.Sort(statuses)
	codes := op.errorCodes()
	for _, s := range statuses {
		var here []string
		for _, c := range codes {
			if StatusOf(c) == s {
				here = append(here, "`"+c+"`")
			}
		}
		if s == 408 {
			here = []string{"`INVALID_REQUEST` (the body did not arrive in time)"}
		}
		p("- `%d`: %s\n", s, strings.Join(here, ", "))
	}
	p("\n")
}

// bodyName names the body of a route-table entry, linked to its type.
func bodyName(v any) string {
	switch v.(type) {
	case documentBody:
		return "the [video document](document.md) (JSON Schema: `" + core.SchemaPath + "`)"
	case uploadBody:
		return "`multipart/form-data`, files in `file`, `files` or `files[]`"
	}
	name := fmt.Sprintf("%T", v)
	name = name[strings.LastIndex(name, ".")+1:]
	return "[" + name + "](#" + strings.ToLower(name) + ")"
}

// writeType writes one type of the components as a table of its fields.
func writeType(b *bytes.Buffer, name string, s *jsonschema.Schema) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("### %s\n\n", name)
	if s.Description != "" {
		p("%s\n\n", s.Description)
	}
	if s.Properties == nil || s.Properties.Len() == 0 {
		p("Type: %s.\n\n", schemaType(s))
		return
	}
	p("| field | type | required | description |\n|---|---|---|---|\n")
	for pair := s.Properties.Oldest(); pair != nil; pair = pair.Next() {
		req := ""
		if slices.Contains(s.Required, pair.Key) {
			req = "yes"
		}
		p("| `%s` | %s | %s | %s |\n", pair.Key, schemaType(pair.Value), req, strings.ReplaceAll(pair.Value.Description, "|", "\\|"))
	}
	p("\n")
}

// schemaType names the type of a property for the reference.
func schemaType(s *jsonschema.Schema) string {
	switch {
	case s.Ref == DocumentSchemaRef:
		return "[document](document.md)"
	case s.Ref != "":
		name := strings.TrimPrefix(s.Ref, "#/$defs/")
		return "[" + name + "](#" + strings.ToLower(name) + ")"
	case s.Type == "array" && s.Items != nil:
		return schemaType(s.Items) + "[]"
	case len(s.Enum) > 0:
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			vals[i] = fmt.Sprintf("`%v`", v)
		}
		return strings.Join(vals, " \\| ")
	case s.Type == "object" && s.AdditionalProperties != nil && s.AdditionalProperties.Type != "":
		return "object of " + s.AdditionalProperties.Type
	case s.Type != "":
		return s.Type
	}
	return "any"
}
