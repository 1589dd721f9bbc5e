package schemas

//go:generate go run ./internal/gen

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"
)

// SchemaID is the "$id" of the generated JSON Schema.
const SchemaID = "https://framecast.dev/schemas/video-document.schema.json"

// SchemaFile is the name of the checked-in schema file, next to this package's sources.
// `go generate ./schemas` rewrites it from JSONSchema.
const SchemaFile = "video-document.schema.json"

// schemaExtraTypes are types that the value types' JSONSchema methods refer to by "#/$defs/Name" without
// the reflector meeting them as a field type; they are reflected explicitly so that every $ref resolves.
var schemaExtraTypes = []any{Color(""), Gradient{}, Length{}, AssetRef{}, Word{}}

// JSONSchema returns the JSON Schema (draft 2020-12) of a video document, indented, ending in a newline.
//
// It is generated from the Go types of this package: every field is listed with its description, range and
// enumeration; a clip is a oneOf over one definition per entry of ClipKinds, told apart by the constant
// "type". Unknown fields are allowed (additionalProperties is never false), because the validator reports
// them as warnings rather than errors.
func JSONSchema() ([]byte, error) {
	r := &jsonschema.Reflector{AllowAdditionalProperties: true, ExpandedStruct: true, Anonymous: true, CommentMap: goComments}
	root := r.Reflect(&Document{})
	defs := root.Definitions
	// add reflects v on its own (its schema is the root, its dependencies are in Definitions) and files
	// both under $defs.
	add := func(v any) *jsonschema.Schema {
		s := r.Reflect(v)
		for k, d := range s.Definitions {
			if _, ok := defs[k]; !ok {
				defs[k] = d
			}
		}
		s.Definitions, s.Version = nil, ""
		defs[reflect.Indirect(reflect.ValueOf(v)).Type().Name()] = s
		return s
	}
	for _, v := range schemaExtraTypes {
		add(v)
	}
	for _, kind := range ClipKinds {
		def := add(kind.New())
		def.Title = kind.Name
		def.Description = upperFirst(kind.Description) + "."
		def.Properties.Set("type", &jsonschema.Schema{Const: kind.Name, Description: "Clip type"})
		def.Required = slices.DeleteFunc(def.Required, isTimingField)
	}
	// Layout children share their layout's time window: start and duration are required of the clips of a
	// track only.
	track, ok := defs["Track"]
	if !ok {
		return nil, fmt.Errorf("json schema: no definition for Track")
	}
	clips, _ := track.Properties.Get("clips")
	if clips == nil || clips.Items == nil {
		return nil, fmt.Errorf("json schema: Track.clips is not a list")
	}
	clips.Items.Required = []string{"start", "duration"}

	root.ID = SchemaID
	root.Version = "https://json-schema.org/draft/2020-12/schema"
	root.Title = "Framecast video document"
	root.Description = "A whole video (protocol " + Version + ", the RenderingVideo format): its format (meta), " +
		"reusable media (assets) and tracks of timed clips. Unknown fields are allowed and ignored."
	allowUnknownFields(root)
	typeInertStyleFields(defs)
	describeReferences(root, defs)

	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("json schema: encode: %w", err)
	}
	return append(out, '\n'), nil
}

// JSONSchema describes a clip: one of the clip types, chosen by its "type".
func (Clip) JSONSchema() *jsonschema.Schema {
	s := &jsonschema.Schema{Description: "A clip; its \"type\" chooses which fields it has."}
	for _, kind := range ClipKinds {
		name := reflect.TypeOf(kind.New()).Elem().Name()
		s.OneOf = append(s.OneOf, &jsonschema.Schema{Ref: "#/$defs/" + name})
	}
	return s
}

// allowUnknownFields removes every "additionalProperties": false below s, so that tools reading the schema
// accept what the validator only warns about.
func allowUnknownFields(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if s.AdditionalProperties == jsonschema.FalseSchema {
		s.AdditionalProperties = nil
	}
	for _, group := range [][]*jsonschema.Schema{s.OneOf, s.AnyOf, s.AllOf, s.PrefixItems} {
		for _, sub := range group {
			allowUnknownFields(sub)
		}
	}
	allowUnknownFields(s.Items)
	allowUnknownFields(s.AdditionalProperties)
	for _, d := range s.Definitions {
		allowUnknownFields(d)
	}
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			allowUnknownFields(p.Value)
		}
	}
}

// typeInertStyleFields gives a type to the style fields that are accepted for compatibility and have no
// effect (reflected from `any`, they would have an empty schema, which strict clients reject).
func typeInertStyleFields(defs jsonschema.Definitions) {
	style := defs["Style"]
	if style == nil || style.Properties == nil {
		return
	}
	for name, typ := range map[string]string{"cache": "boolean", "cachePadding": "number", "composite": "string"} {
		if p, ok := style.Properties.Get(name); ok && p.Type == "" {
			p.Type = typ
		}
	}
}

// describeReferences gives every property that refers to a definition ("$ref") and has no description
// of its own the description of that definition, so that a client listing properties reads what each is.
func describeReferences(root *jsonschema.Schema, defs jsonschema.Definitions) {
	var walk func(s *jsonschema.Schema)
	seen := map[*jsonschema.Schema]bool{}
	walk = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if s.Properties != nil {
			for p := s.Properties.Oldest(); p != nil; p = p.Next() {
				if v := p.Value; v.Description == "" && strings.HasPrefix(v.Ref, "#/$defs/") {
					if d := defs[strings.TrimPrefix(v.Ref, "#/$defs/")]; d != nil {
						v.Description = d.Description
					}
				}
				walk(p.Value)
			}
		}
		for _, group := range [][]*jsonschema.Schema{s.OneOf, s.AnyOf, s.AllOf, s.PrefixItems} {
			for _, sub := range group {
				walk(sub)
			}
		}
		walk(s.Items)
		walk(s.AdditionalProperties)
	}
	walk(root)
	for _, d := range defs {
		walk(d)
	}
}

// isTimingField reports whether a clip member is one only top-level clips must have.
func isTimingField(name string) bool { return name == "start" || name == "duration" }

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ClipSchema returns the JSON Schema (draft 2020-12) of one clip type, such as "text": the clip's own
// definition as the root and, under "$defs", only the definitions it refers to (directly or through
// others). It lets a client read the fields of the clip it is writing without the whole document schema.
func ClipSchema(clipType string) ([]byte, error) {
	kind, ok := KindOf(clipType)
	if !ok {
		return nil, fmt.Errorf("unknown clip type %q: use one of %s", clipType, strings.Join(Names(ClipTypes()), ", "))
	}
	raw, err := JSONSchema()
	if err != nil {
		return nil, err
	}
	var doc struct {
		Defs map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("clip schema: %w", err)
	}
	name := reflect.TypeOf(kind.New()).Elem().Name()
	var root map[string]any
	if err := json.Unmarshal(doc.Defs[name], &root); err != nil {
		return nil, fmt.Errorf("clip schema %s: %w", name, err)
	}
	defs := map[string]json.RawMessage{}
	var visit func(def json.RawMessage)
	visit = func(def json.RawMessage) {
		for _, m := range refPattern.FindAllSubmatch(def, -1) {
			ref := string(m[1])
			if _, done := defs[ref]; done || doc.Defs[ref] == nil {
				continue
			}
			if ref == "Clip" { // a layout's children: each clip type has its own schema
				defs[ref] = json.RawMessage(`{"type":"object","description":"A clip of any type, chosen by its \"type\"; each type's fields are in its own clip schema.","required":["type"]}`)
				continue
			}
			defs[ref] = doc.Defs[ref]
			visit(doc.Defs[ref])
		}
	}
	visit(doc.Defs[name])
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = strings.TrimSuffix(SchemaID, "video-document.schema.json") + "clips/" + clipType + ".schema.json"
	if len(defs) > 0 {
		root["$defs"] = defs
	}
	out, err := json.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("clip schema: %w", err)
	}
	return out, nil
}

// refPattern finds the definitions a schema refers to.
var refPattern = regexp.MustCompile(`"\$ref":\s*"#/\$defs/([A-Za-z0-9_]+)"`)
