package schemas

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	santhosh "github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaFileIsCurrent fails when video-document.schema.json differs from what JSONSchema generates.
func TestSchemaFileIsCurrent(t *testing.T) {
	want, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(SchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run `go generate ./schemas`", SchemaFile)
	}
}

// compileSchema compiles the generated schema as draft 2020-12 with an independent implementation.
func compileSchema(t *testing.T) *santhosh.Schema {
	t.Helper()
	raw, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := santhosh.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := santhosh.NewCompiler()
	c.DefaultDraft(santhosh.Draft2020)
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("compile the generated schema: %v", err)
	}
	return sch
}

func TestSchemaCompilesAndAcceptsValidDocuments(t *testing.T) {
	sch := compileSchema(t)
	for _, path := range validFiles(t) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := santhosh.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: the schema rejects a valid document: %v", path, err)
		}
	}
}

func TestSchemaAcceptsLayoutChildrenWithoutTiming(t *testing.T) {
	sch := compileSchema(t)
	doc := docWith(`{"type": "layout", "start": 0, "duration": 2, "children": [{"type": "text", "text": "a"}]}`)
	inst, err := santhosh.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the schema rejects a layout child without start and duration: %v", err)
	}
	if res := Validate([]byte(doc), DefaultLimits()); !res.OK() {
		t.Errorf("Validate rejects a layout child without start and duration: %v", res.Errors)
	}
}

func TestSchemaRejectsInvalidDocuments(t *testing.T) {
	sch := compileSchema(t)
	for name, doc := range map[string]string{
		"no tracks":         `{"meta": {"version": "2.0.0", "width": 10, "height": 10}, "tracks": []}`,
		"clip without type": docWith(`{"start": 0, "duration": 1}`),
		"unknown clip type": docWith(`{"type": "txt", "start": 0, "duration": 1}`),
		"zero duration":     docWith(`{"type": "rect", "start": 0, "duration": 0}`),
		"no duration":       docWith(`{"type": "rect", "start": 0}`),
		"bad animation":     docWith(`{"type": "rect", "start": 0, "duration": 1, "animations": [{"type": "fadein", "duration": 1}]}`),
		"text without text": docWith(`{"type": "text", "start": 0, "duration": 1}`),
	} {
		inst, err := santhosh.UnmarshalJSON(bytes.NewReader([]byte(doc)))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: the schema accepts an invalid document", name)
		}
	}
}

// TestSchemaShape checks the promises the schema makes to tools: the clip union, the value definitions,
// the described fields and no "additionalProperties": false.
func TestSchemaShape(t *testing.T) {
	raw, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Schema string                     `json:"$schema"`
		ID     string                     `json:"$id"`
		Title  string                     `json:"title"`
		Defs   map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.ID != SchemaID || s.Title == "" {
		t.Errorf("header: $schema %q, $id %q, title %q", s.Schema, s.ID, s.Title)
	}
	for _, ref := range regexp.MustCompile(`"#/\$defs/([A-Za-z]+)"`).FindAllSubmatch(raw, -1) {
		if _, ok := s.Defs[string(ref[1])]; !ok {
			t.Errorf("$ref to missing definition %s", ref[1])
		}
	}
	if bytes.Contains(raw, []byte(`"additionalProperties": false`)) {
		t.Error(`the schema contains "additionalProperties": false; unknown fields must stay warnings`)
	}
	var clip struct {
		OneOf []struct {
			Ref string `json:"$ref"`
		}
	}
	if err := json.Unmarshal(s.Defs["Clip"], &clip); err != nil || len(clip.OneOf) != len(ClipKinds) {
		t.Fatalf("Clip is not a oneOf over the %d clip kinds: %s", len(ClipKinds), s.Defs["Clip"])
	}
	for i, kind := range ClipKinds {
		name := reflect.TypeOf(kind.New()).Elem().Name()
		var def struct {
			Description string
			Required    []string
			Properties  map[string]struct{ Const string }
		}
		if err := json.Unmarshal(s.Defs[name], &def); err != nil {
			t.Fatal(err)
		}
		if clip.OneOf[i].Ref != "#/$defs/"+name || def.Properties["type"].Const != kind.Name ||
			!containsString(def.Required, "type") || def.Description == "" {
			t.Errorf("definition %s does not describe clip type %q: %s", name, kind.Name, s.Defs[name])
		}
		for _, f := range fieldsOf(reflect.TypeOf(kind.New()).Elem()) {
			if _, ok := def.Properties[f.name]; !ok {
				t.Errorf("%s: field %q is not listed", name, f.name)
			}
		}
	}
}

func validFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/valid/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no valid documents in testdata/valid: %v", err)
	}
	return files
}

// TestCommentsFileIsCurrent fails when comments_gen.go differs from the doc comments of the sources.
func TestCommentsFileIsCurrent(t *testing.T) {
	comments, err := ReadGoComments(".")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(CommentsFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, CommentsSource(comments)) {
		t.Fatalf("%s is stale: run `go generate ./schemas`", CommentsFile)
	}
}

// TestEveryPropertyIsTypedAndDescribed walks every property of the generated schema: each one must have a
// description (from its tag or its Go doc comment) and say what it holds (a type, a reference, a choice
// of schemas, a constant or an enumeration). A bare true or an empty schema is rejected by strict
// clients such as the MCP TypeScript SDK, and an undescribed field leaves an agent guessing.
func TestEveryPropertyIsTypedAndDescribed(t *testing.T) {
	raw, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	total, bad := 0, []string{}
	var walk func(node any, path string)
	walk = func(node any, path string) {
		m, ok := node.(map[string]any)
		if !ok {
			return
		}
		props, _ := m["properties"].(map[string]any)
		for name, p := range props {
			total++
			ps, ok := p.(map[string]any)
			switch {
			case !ok:
				bad = append(bad, path+"."+name+": not a schema object")
			case ps["description"] == nil || ps["description"] == "":
				bad = append(bad, path+"."+name+": no description")
			case ps["type"] == nil && ps["$ref"] == nil && ps["oneOf"] == nil && ps["anyOf"] == nil && ps["const"] == nil && ps["enum"] == nil:
				bad = append(bad, path+"."+name+": no type")
			}
			walk(p, path+"."+name)
		}
		for _, k := range []string{"items", "additionalProperties"} {
			walk(m[k], path+"[]")
		}
		for _, k := range []string{"oneOf", "anyOf", "allOf"} {
			list, _ := m[k].([]any)
			for _, sub := range list {
				walk(sub, path)
			}
		}
		defs, _ := m["$defs"].(map[string]any)
		for name, d := range defs {
			walk(d, name)
		}
	}
	walk(root, "")
	if len(bad) > 0 {
		t.Errorf("%d of %d properties are not typed and described:\n%s", len(bad), total, strings.Join(bad, "\n"))
	}
	if total < 400 {
		t.Errorf("only %d properties walked: the walk lost its way", total)
	}
}

// TestClipSchema checks the per-type schemas: each compiles on its own (every reference resolves), is a
// fraction of the document schema, and accepts a clip of its type from a valid document.
func TestClipSchema(t *testing.T) {
	whole, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range ClipKinds {
		raw, err := ClipSchema(kind.Name)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) > len(whole)/4 {
			t.Errorf("%s: clip schema is %d bytes, a quarter of the document schema is %d", kind.Name, len(raw), len(whole)/4)
		}
		doc, err := santhosh.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		c := santhosh.NewCompiler()
		c.DefaultDraft(santhosh.Draft2020)
		if err := c.AddResource("mem://clip.json", doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile("mem://clip.json")
		if err != nil {
			t.Fatalf("%s: %v", kind.Name, err)
		}
		bad, _ := santhosh.UnmarshalJSON(strings.NewReader(`{"type": "` + kind.Name + `", "start": "soon"}`))
		if sch.Validate(bad) == nil {
			t.Errorf("%s: a clip whose start is a word validates", kind.Name)
		}
	}
	text, _ := ClipSchema("text")
	var m map[string]any
	json.Unmarshal(text, &m)
	props, _ := m["properties"].(map[string]any)
	if _, ok := props["text"]; !ok {
		t.Errorf("the text clip schema has no text property: %s", text)
	}
	if _, err := ClipSchema("txet"); err == nil || !strings.Contains(err.Error(), "text") {
		t.Errorf("unknown clip type: %v, want an error listing the types", err)
	}
}
