package mcp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

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

// schemaVersion is the JSON Schema draft of every schema served.
const schemaVersion = "https://json-schema.org/draft/2020-12/schema"

// documentDescription describes a tool's document argument. The document's JSON Schema is not embedded
// in the tools that take one: five copies of it made tools/list 213 KB, which agent hosts load into every
// conversation. The argument says where the schema is instead, and the validator (validate_document)
// checks far more than a schema can (did-you-mean, media URLs, limits).
const documentDescription = "The video document: a JSON object with meta (width, height, fps, background), optional assets, and tracks of timed clips. " +
	"Its JSON Schema is the resource " + SchemaURI + "; get_schema gives the fields of one clip type; the guide is " + GuideURI + "."

// storedDocumentDescription describes a video document a tool returns.
const storedDocumentDescription = "A video document as stored: meta, optional assets and tracks of clips. Its JSON Schema is the resource " + SchemaURI + "."

var documentType = reflect.TypeOf(Document(nil))

// inputSchema returns the JSON Schema (2020-12) of a tool's arguments, reflected from the Go type of v
// with invopop/jsonschema: a field is required when tagged `jsonschema:"required"`, no other property is
// accepted, and a Document field is an object described by documentDescription.
func inputSchema(v any) (json.RawMessage, error) {
	r := &jsonschema.Reflector{
		ExpandedStruct: true, Anonymous: true, DoNotReference: true, RequiredFromJSONSchemaTags: true,
		CommentMap: variableComments,
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			if t == documentType {
				return &jsonschema.Schema{Type: "object", Description: documentDescription}
			}
			if t.Kind() == reflect.Interface { // any JSON value, such as a variable's value or default
				return anyJSON()
			}
			return nil
		},
	}
	return finishSchema(r.Reflect(v))
}

// outputSchema returns the JSON Schema of a tool's structured result, reflected from its Go type (a core
// result type): every field the JSON always has is required, and unknown fields are allowed. Raw JSON
// fields (a task's metadata, a preview's config) are objects, or null where the API may send null.
func outputSchema(v any) (json.RawMessage, error) {
	r := &jsonschema.Reflector{ExpandedStruct: true, Anonymous: true, DoNotReference: true, AllowAdditionalProperties: true,
		CommentMap: variableComments,
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			if t == documentType { // get_video_config's result: the stored document itself
				return &jsonschema.Schema{Type: "object", Description: storedDocumentDescription}
			}
			if t == rawJSONType {
				return &jsonschema.Schema{OneOf: []*jsonschema.Schema{{Type: "object"}, {Type: "null"}}}
			}
			if t == variablesType { // written out in the input schemas of create_template and update_template
				return &jsonschema.Schema{Type: "object"} // described by resultFieldDocs
			}
			if t.Kind() == reflect.Interface { // any JSON value, such as a template field's default
				return anyJSON()
			}
			return nil
		},
	}
	return finishSchema(r.Reflect(v))
}

var (
	rawJSONType   = reflect.TypeOf(json.RawMessage(nil))
	variablesType = reflect.TypeOf(schemas.Variables(nil))
)

// anyJSON is the schema of any JSON value but null.
func anyJSON() *jsonschema.Schema {
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}, {Type: "array"}, {Type: "object"}}}
}

// variableComments are the doc comments of the template variable declarations (schemas.Variable): the
// descriptions of their fields in the template tools' arguments and results, written once in Go.
var variableComments = func() map[string]string {
	out := map[string]string{}
	for k, v := range schemas.GoComments() {
		if strings.HasPrefix(k, "github.com/framecast/framecast/schemas.Variable") {
			out[k] = v
		}
	}
	return out
}()

// finishSchema encodes s as an object schema of draft 2020-12 whose properties are all described
// (describeProperties).
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
	describeProperties(m)
	return json.Marshal(m)
}

// describeProperties walks the properties of a tool schema (decoded into maps) and gives each one that
// has no description the one resultFieldDocs holds for its name.
func describeProperties(node any) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	if props, ok := m["properties"].(map[string]any); ok {
		for name, p := range props {
			if ps, ok := p.(map[string]any); ok {
				if d, _ := ps["description"].(string); d == "" {
					if doc, ok := resultFieldDocs[name]; ok {
						ps["description"] = doc
					}
				}
			}
			describeProperties(p)
		}
	}
	describeProperties(m["items"])
	describeProperties(m["additionalProperties"])
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		list, _ := m[k].([]any)
		for _, sub := range list {
			describeProperties(sub)
		}
	}
}
