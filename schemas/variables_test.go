package schemas

import (
	"encoding/json"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// template is a small document with placeholders of each kind: whole strings (a number, a color, a list
// of clips) and placeholders inside longer text.
const variablesTemplate = `{
  "meta": {"version": "2.0.0", "width": "{{width}}", "height": 360, "fps": 30, "background": "{{bg}}"},
  "tracks": [{"clips": [
    {"type": "text", "text": "Hello {{name}}, only {{price}} €!", "start": 0, "duration": 3},
    {"type": "text", "text": "bye", "start": 3, "duration": "{{ price }}"}
  ]}, {"clips": "{{extra}}"}]
}`

var variablesDecl = Variables{
	"width": {Type: VariableNumber, Default: 640.0, Min: ptr(16.0), Max: ptr(4096.0)},
	"bg":    {Type: VariableColor, Default: "#101820"},
	"name":  {Type: VariableString, Required: true, MaxLength: ptr(12), Description: "the customer's first name"},
	"price": {Type: VariableNumber, Required: true},
	"extra": {Type: VariableList, Default: []any{}},
}

func TestMergeKeepsTypesOfWholePlaceholders(t *testing.T) {
	values, problems := variablesDecl.Resolve(map[string]any{"name": "Ada", "price": json.Number("9.5"),
		"extra": []any{map[string]any{"type": "text", "text": "extra", "start": 4, "duration": 1}}})
	if len(problems) > 0 {
		t.Fatalf("Resolve: %v", problems)
	}
	merged, problems := Merge([]byte(variablesTemplate), values)
	if len(problems) > 0 {
		t.Fatalf("Merge: %v", problems)
	}
	var doc map[string]any
	if err := json.Unmarshal(merged, &doc); err != nil {
		t.Fatal(err)
	}
	meta := doc["meta"].(map[string]any)
	if meta["width"] != 640.0 || meta["background"] != "#101820" {
		t.Errorf("meta = %v, want the defaults: width the number 640, background #101820", meta)
	}
	tracks := doc["tracks"].([]any)
	clips := tracks[0].(map[string]any)["clips"].([]any)
	if got := clips[0].(map[string]any)["text"]; got != "Hello Ada, only 9.5 €!" {
		t.Errorf("inline text = %q", got)
	}
	if got := clips[1].(map[string]any)["duration"]; got != 9.5 {
		t.Errorf("whole-string {{ price }} = %#v, want the number 9.5", got)
	}
	if extra := tracks[1].(map[string]any)["clips"].([]any); len(extra) != 1 {
		t.Errorf("list variable gave %v, want one clip", extra)
	}
	if res := Validate(merged, DefaultLimits()); !res.OK() {
		t.Errorf("merged document is invalid: %v", res.Errors)
	}
}

func TestResolveNamesTheVariable(t *testing.T) {
	cases := []struct {
		given map[string]any
		want  string
	}{
		{map[string]any{"name": "Ada"}, `variables.price: required: give a number`},
		{map[string]any{"name": "Ada", "price": "abc"}, `variables.price: expected a number, got "abc"`},
		{map[string]any{"name": "Ada Lovelace-Byron", "price": 1}, `variables.name: 18 characters, more than the maxLength of 12`},
		{map[string]any{"name": "Ada", "price": 1, "width": 8}, `variables.width: 8 is below the minimum 16`},
		{map[string]any{"name": "Ada", "price": 1, "bg": "blu"}, `variables.bg: expected a color, got "blu"`},
		{map[string]any{"name": "Ada", "price": 1, "nam": "x"}, `variables.nam: the template declares no variable "nam" — did you mean "name"?`},
		{map[string]any{"name": 3, "price": 1}, `variables.name: expected a string, got 3`},
		{map[string]any{"name": "Ada", "price": 1, "extra": "x"}, `variables.extra: expected a list, got "x"`},
	}
	for _, c := range cases {
		_, problems := variablesDecl.Resolve(c.given)
		var got []string
		for _, p := range problems {
			got = append(got, p.String())
		}
		if !strings.Contains(strings.Join(got, "\n"), c.want) {
			t.Errorf("Resolve(%v) = %q, want %q", c.given, got, c.want)
		}
	}
}

func TestCheckTemplate(t *testing.T) {
	doc := `{"meta": {"width": 320, "height": 180}, "tracks": [{"clips": [{"type": "text", "text": "Hi {{nam}} {{items}}", "start": 0, "duration": 1}]}]}`
	errs, warnings := CheckTemplate([]byte(doc), Variables{"name": {Type: VariableString}, "items": {Type: VariableList}, "x": {Type: "strng"}})
	joined := func(ps []Problem) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.String())
		}
		return strings.Join(s, "\n")
	}
	for _, want := range []string{`variables.x.type: unknown type "strng"`, `did you mean "string"?`, `tracks[0].clips[0].text: list variable {{items}} must be the whole string`} {
		if !strings.Contains(joined(errs), want) {
			t.Errorf("errors %q lack %q", joined(errs), want)
		}
	}
	for _, want := range []string{`tracks[0].clips[0].text: placeholder {{nam}} has no declaration in variables, so it stays as written — did you mean "name"?`, `variables.name: declared but no {{name}} placeholder uses it`} {
		if !strings.Contains(joined(warnings), want) {
			t.Errorf("warnings %q lack %q", joined(warnings), want)
		}
	}
}

func TestVariableDeclarationsAreChecked(t *testing.T) {
	problems := Variables{
		"9lives": {Type: VariableString},
		"size":   {Type: VariableString, Min: ptr(1.0)},
		"n":      {Type: VariableNumber, Default: "ten"},
		"c":      {Type: VariableColor, Enum: []any{"red", "nope"}},
	}.Check()
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{`variables.9lives: "9lives" is not a variable name`, `variables.size: min and max apply to number variables only`,
		`variables.n.default: expected a number, got "ten"`, `variables.c.enum[1]: expected a color, got "nope"`} {
		if !strings.Contains(all, want) {
			t.Errorf("Check() = %s\nwant %q", all, want)
		}
	}
}

func TestParseTextsReadsCSVCells(t *testing.T) {
	values, problems := variablesDecl.ParseTexts(map[string]string{"name": "Ada", "price": "12.50", "width": "", "extra": "[]"})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if values["price"] != 12.5 || values["name"] != "Ada" {
		t.Errorf("values = %v", values)
	}
	if _, ok := values["width"]; ok {
		t.Errorf("an empty cell must leave the default: %v", values)
	}
	_, problems = variablesDecl.ParseTexts(map[string]string{"price": "abc"})
	if len(problems) != 1 || problems[0].String() != `variables.price: expected a number, got "abc"` {
		t.Errorf("problems = %v", problems)
	}
}

func TestInlineValues(t *testing.T) {
	doc := []byte(`{"a": "{{x}}", "b": "{{y}} z"}`)
	if _, problems := InlineValues(doc, map[string]any{"x": 1, "yy": 2}); len(problems) != 2 {
		t.Errorf("problems = %v, want y missing and yy unused", problems)
	}
	values, problems := InlineValues(doc, map[string]any{"x": 1, "y": true})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	merged, _ := Merge(doc, values)
	if string(merged) != `{"a":1,"b":"true z"}` {
		t.Errorf("merged = %s", merged)
	}
}

func TestMergeRefusesAListInsideText(t *testing.T) {
	_, problems := Merge([]byte(`{"t": "a {{l}}"}`), map[string]any{"l": []any{1.0}})
	if len(problems) != 1 || !strings.HasPrefix(problems[0].String(), "t: {{l}} is a list") {
		t.Errorf("problems = %v", problems)
	}
}
