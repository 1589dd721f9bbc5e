package mcp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"

	"github.com/framecast/framecast/schemas"
)

// Document is a video document given as a tool argument. It is kept as raw JSON for the service to
// validate; an agent that sends the document as a JSON string instead of an object is understood too.
type Document json.RawMessage

// UnmarshalJSON keeps the argument's JSON as it is, unquoting it first when it is a string.
func (d *Document) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(s))
	}
	*d = append((*d)[:0], b...)
	return nil
}

// MarshalJSON writes the document's JSON as it is ("null" when empty).
func (d Document) MarshalJSON() ([]byte, error) {
	if len(d) == 0 {
		return []byte("null"), nil
	}
	return d, nil
}

// DocumentDef is the name, under "$defs", of the video document's schema in every tool input schema
// that takes a document; the document's own definitions sit next to it.
const DocumentDef = "VideoDocument"

// schemaVersion is the JSON Schema draft of every schema served.
const schemaVersion = "https://json-schema.org/draft/2020-12/schema"

var documentType = reflect.TypeOf(Document(nil))

// documentSchemaParts returns the document's JSON Schema (schemas.JSONSchema) split for embedding: the
// root schema without "$schema", "$id" and "$defs", and its definitions.
var documentSchemaParts = sync.OnceValues(func() (map[string]any, error) {
	raw, err := schemas.JSONSchema()
	if err != nil {
		return nil, err
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, fmt.Errorf("document schema: %w", err)
	}
	defs, _ := root["$defs"].(map[string]any)
	if defs == nil {
		return nil, fmt.Errorf("document schema: no $defs")
	}
	if _, clash := defs[DocumentDef]; clash {
		return nil, fmt.Errorf("document schema: a definition is already named %s", DocumentDef)
	}
	delete(root, "$schema")
	delete(root, "$id")
	delete(root, "$defs")
	all := make(map[string]any, len(defs)+1)
	for k, v := range defs {
		all[k] = v
	}
	all[DocumentDef] = root
	return all, nil
})

// inputSchema returns the JSON Schema (2020-12) of a tool's arguments, reflected from the Go type of v
// with invopop/jsonschema: a field is required when tagged `jsonschema:"required"`, no other property is
// accepted, and a Document field is a reference to the full video document schema, whose definitions
// are added under "$defs".
func inputSchema(v any) (json.RawMessage, error) {
	r := &jsonschema.Reflector{
		ExpandedStruct: true, Anonymous: true, DoNotReference: true, RequiredFromJSONSchemaTags: true,
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			if t == documentType {
				return &jsonschema.Schema{Ref: "#/$defs/" + DocumentDef}
			}
			return nil
		},
	}
	return finishSchema(r.Reflect(v))
}

// outputSchema returns the JSON Schema of a tool's structured result, reflected from its Go type (a core
// result type): every field the JSON always has is required, and unknown fields are allowed.
func outputSchema(v any) (json.RawMessage, error) {
	r := &jsonschema.Reflector{ExpandedStruct: true, Anonymous: true, DoNotReference: true, AllowAdditionalProperties: true}
	return finishSchema(r.Reflect(v))
}

// finishSchema encodes s as an object schema of draft 2020-12, adding the document definitions when s
// refers to them.
func finishSchema(s *jsonschema.Schema) (json.RawMessage, error) {
	s.Version = schemaVersion
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("tool schema: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("tool schema: %w", err)
	}
	m["type"] = "object"
	if _, ok := m["properties"]; !ok {
		m["properties"] = map[string]any{}
	}
	if bytes.Contains(raw, []byte(`"#/$defs/`+DocumentDef+`"`)) {
		defs, err := documentSchemaParts()
		if err != nil {
			return nil, err
		}
		m["$defs"] = defs
	}
	return json.Marshal(m)
}
