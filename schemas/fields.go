package schemas

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/invopop/jsonschema"
)

// This file derives what the validator knows about each JSON object from the Go types, by reflection: the
// field names come from the json tags, "required" means a field without omitempty (as in the generated JSON
// Schema), and ranges, lengths and enumerations come from the jsonschema tags and the types' JSONSchema
// methods. Nothing is listed twice.

// field is one JSON member of a struct type.
type field struct {
	name     string       // JSON name
	typ      reflect.Type // Go type, pointers kept
	required bool         // no omitempty in the json tag
	rules    rules
}

// rules are the constraints written in a field's jsonschema tag.
type rules struct {
	minimum, maximum                   *float64
	exclusiveMinimum, exclusiveMaximum *float64
	minItems, minLength                int
	enum                               []string
	description                        string
}

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf lists the JSON members of struct type t in declaration order, with embedded structs inlined as
// encoding/json does.
func fieldsOf(t reflect.Type) []field {
	if cached, ok := fieldCache.Load(t); ok {
		return cached.([]field)
	}
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")
		if tag[0] == "-" {
			continue
		}
		if f.Anonymous && tag[0] == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, fieldsOf(f.Type)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := tag[0]
		if name == "" {
			name = f.Name
		}
		omitempty := false
		for _, opt := range tag[1:] {
			omitempty = omitempty || opt == "omitempty" || opt == "omitzero"
		}
		out = append(out, field{name: name, typ: f.Type, required: !omitempty, rules: parseRules(f.Tag.Get("jsonschema"))})
	}
	fieldCache.Store(t, out)
	return out
}

// fieldNames returns the JSON names of struct type t.
func fieldNames(t reflect.Type) []string {
	fs := fieldsOf(t)
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return names
}

// lookupField finds the member of struct type t named name.
func lookupField(t reflect.Type, name string) (field, bool) {
	for _, f := range fieldsOf(t) {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

// parseRules reads the keywords of a jsonschema tag that the validator enforces. Commas escaped as `\,`
// belong to the value, as in github.com/invopop/jsonschema.
func parseRules(tag string) rules {
	var r rules
	num := func(s string) *float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil
		}
		return &v
	}
	for _, kw := range splitTag(tag) {
		key, val, ok := strings.Cut(kw, "=")
		if !ok {
			continue
		}
		switch key {
		case "minimum":
			r.minimum = num(val)
		case "maximum":
			r.maximum = num(val)
		case "exclusiveMinimum":
			r.exclusiveMinimum = num(val)
		case "exclusiveMaximum":
			r.exclusiveMaximum = num(val)
		case "minItems":
			r.minItems, _ = strconv.Atoi(val)
		case "minLength":
			r.minLength, _ = strconv.Atoi(val)
		case "enum":
			r.enum = append(r.enum, val)
		case "description":
			r.description = val
		}
	}
	return r
}

// splitTag splits a jsonschema tag on the commas not preceded by a backslash.
func splitTag(tag string) []string {
	if tag == "" {
		return nil
	}
	var out []string
	for _, part := range strings.Split(tag, ",") {
		if n := len(out); n > 0 && strings.HasSuffix(out[n-1], `\`) {
			out[n-1] = strings.TrimSuffix(out[n-1], `\`) + "," + part
			continue
		}
		out = append(out, part)
	}
	return out
}

type schemaDescriber interface{ JSONSchema() *jsonschema.Schema }

var enumCache sync.Map // reflect.Type → []string

// enumOf returns the names a named string type accepts, read from its JSONSchema method (which builds them
// from the Choice lists of enums.go), or nil when the type is not an enumeration.
func enumOf(t reflect.Type) []string {
	if cached, ok := enumCache.Load(t); ok {
		return cached.([]string)
	}
	var names []string
	if d, ok := reflect.Zero(t).Interface().(schemaDescriber); ok {
		for _, v := range d.JSONSchema().Enum {
			if s, ok := v.(string); ok {
				names = append(names, s)
			}
		}
	}
	enumCache.Store(t, names)
	return names
}

// typeNoun turns a Go type name into words for messages: AnimationType → "animation type".
func typeNoun(t reflect.Type) string {
	var b strings.Builder
	for i, r := range t.Name() {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

var (
	unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
)

// hasCustomJSON reports whether values of t decode themselves (several accepted JSON shapes).
func hasCustomJSON(t reflect.Type) bool { return reflect.PointerTo(t).Implements(unmarshalerType) }
