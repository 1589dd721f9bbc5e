package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Templates with variables: a video document whose strings hold {{name}} placeholders, and a declaration
// of each variable (its type, default, constraints). Merging a variable set into the document is pure:
// Resolve checks the values against the declarations and Merge replaces the placeholders. The merged
// document is then validated like any other.
//
// A string that is exactly one placeholder ("{{price}}", spaces inside the braces allowed) is replaced by
// the value itself, keeping its JSON type: a number, a boolean, a list of clips. A placeholder inside a
// longer string ("Hello {{name}}!") is replaced by the value's text. A placeholder whose name has no
// value is left as it is (the template's validation warns about it).

// VariableType is the kind of value a template variable takes.
type VariableType string

// The variable types. Colors, URLs and media are strings checked for their form; a list is a JSON array
// (of clips, say) that fills a whole-string placeholder.
const (
	VariableString  VariableType = "string"
	VariableNumber  VariableType = "number"
	VariableColor   VariableType = "color"
	VariableURL     VariableType = "url"
	VariableImage   VariableType = "image"
	VariableVideo   VariableType = "video"
	VariableAudio   VariableType = "audio"
	VariableBoolean VariableType = "boolean"
	VariableList    VariableType = "list"
)

// VariableTypes lists every VariableType.
var VariableTypes = []VariableType{VariableString, VariableNumber, VariableColor, VariableURL, VariableImage,
	VariableVideo, VariableAudio, VariableBoolean, VariableList}

// Valid reports whether t is one of VariableTypes.
func (t VariableType) Valid() bool {
	for _, v := range VariableTypes {
		if t == v {
			return true
		}
	}
	return false
}

// textual reports whether values of type t are JSON strings.
func (t VariableType) textual() bool {
	switch t {
	case VariableString, VariableColor, VariableURL, VariableImage, VariableVideo, VariableAudio:
		return true
	}
	return false
}

// media reports whether values of type t are URLs.
func (t VariableType) media() bool {
	return t == VariableURL || t == VariableImage || t == VariableVideo || t == VariableAudio
}

// article returns "a string", "an image", … for messages.
func (t VariableType) article() string {
	switch t {
	case VariableImage, VariableAudio:
		return "an " + string(t)
	case VariableURL:
		return "a URL"
	}
	return "a " + string(t)
}

// Limits of templates and variable sets, written once.
const (
	// MaxVariables is the most variables one template declares.
	MaxVariables = 200
	// MaxVariableNameLength is the longest variable name, in bytes.
	MaxVariableNameLength = 64
)

// Variable declares one variable of a template: what it takes and what it is for.
type Variable struct {
	// Type is the kind of value: string, number, color, url, image, video, audio, boolean or list.
	Type VariableType `json:"type" jsonschema:"required,enum=string,enum=number,enum=color,enum=url,enum=image,enum=video,enum=audio,enum=boolean,enum=list"`
	// Description says what the variable fills in, for people and agents writing variable sets.
	Description string `json:"description,omitempty"`
	// Required variables must be given in every variable set; others take Default when left out.
	Required bool `json:"required,omitempty"`
	// Default is the value used when the variable is left out (of the variable's type).
	Default any `json:"default,omitempty"`
	// MaxLength bounds the letters of a string-like value, or the items of a list.
	MaxLength *int `json:"maxLength,omitempty"`
	// Min is the smallest number accepted.
	Min *float64 `json:"min,omitempty"`
	// Max is the largest number accepted.
	Max *float64 `json:"max,omitempty"`
	// Enum lists the only values accepted, when set.
	Enum []any `json:"enum,omitempty"`
}

// Variables are a template's variable declarations, by name. A name is a letter or underscore followed
// by letters, digits or underscores, as used in {{name}}.
type Variables map[string]Variable

// placeholderPattern matches one {{name}} placeholder.
var placeholderPattern = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// wholePlaceholder matches a string that is exactly one placeholder.
var wholePlaceholder = regexp.MustCompile(`^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$`)

var variableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ValidVariableName reports whether name can be declared and written as {{name}}.
func ValidVariableName(name string) bool {
	return len(name) <= MaxVariableNameLength && variableName.MatchString(name)
}

// variablePath is the path of variable name in problems: "variables.price".
func variablePath(name string) string { return "variables." + shortName(name) }

// Names returns the declared names, sorted.
func (vars Variables) Names() []string {
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Check lists the problems of the declarations themselves: names, types, constraints that fit the type,
// and defaults that satisfy them.
func (vars Variables) Check() []Problem {
	var problems []Problem
	if len(vars) > MaxVariables {
		problems = append(problems, Problem{Path: "variables", Message: fmt.Sprintf("%d variables declared; at most %d are allowed", len(vars), MaxVariables)})
	}
	for _, name := range vars.Names() {
		v, path := vars[name], variablePath(name)
		if !ValidVariableName(name) {
			problems = append(problems, Problem{Path: path, Message: fmt.Sprintf("%s is not a variable name: use letters, digits and _ (not first), at most %d characters",
				shortQuote(name), MaxVariableNameLength)})
			continue
		}
		if !v.Type.Valid() {
			problems = append(problems, Problem{Path: path + ".type", Message: fmt.Sprintf("unknown type %s: use one of %s%s",
				shortQuote(string(v.Type)), joinVariableTypes(), didYouMean(string(v.Type), variableTypeNames()))})
			continue
		}
		if v.MaxLength != nil && (!v.Type.textual() && v.Type != VariableList) {
			problems = append(problems, Problem{Path: path + ".maxLength", Message: "maxLength applies to string-like and list variables only"})
		}
		if v.MaxLength != nil && *v.MaxLength < 0 {
			problems = append(problems, Problem{Path: path + ".maxLength", Message: "maxLength must be 0 or more"})
		}
		if (v.Min != nil || v.Max != nil) && v.Type != VariableNumber {
			problems = append(problems, Problem{Path: path, Message: "min and max apply to number variables only"})
		}
		if v.Min != nil && v.Max != nil && *v.Min > *v.Max {
			problems = append(problems, Problem{Path: path + ".min", Message: fmt.Sprintf("min %g is above max %g", *v.Min, *v.Max)})
		}
		if v.Type == VariableBoolean || v.Type == VariableList {
			if len(v.Enum) > 0 {
				problems = append(problems, Problem{Path: path + ".enum", Message: "enum applies to string, number, color and URL variables only"})
			}
		}
		for i, e := range v.Enum {
			if msg := v.typeMismatch(normalizeNumbers(e)); msg != "" {
				problems = append(problems, Problem{Path: fmt.Sprintf("%s.enum[%d]", path, i), Message: msg})
			}
		}
		if v.Default != nil {
			if v.Required {
				problems = append(problems, Problem{Path: path + ".default", Message: "a required variable has no use for a default: drop one of required and default"})
			}
			if msg := v.check(normalizeNumbers(v.Default)); msg != "" {
				problems = append(problems, Problem{Path: path + ".default", Message: msg})
			}
		}
	}
	return problems
}

func variableTypeNames() []string {
	names := make([]string, len(VariableTypes))
	for i, t := range VariableTypes {
		names[i] = string(t)
	}
	return names
}

func joinVariableTypes() string { return strings.Join(variableTypeNames(), ", ") }

// normalizeNumbers turns json.Number and integer values into float64, recursively, so that values
// decoded in either way compare equal.
func normalizeNumbers(x any) any {
	switch v := x.(type) {
	case json.Number:
		if f, err := v.Float64(); err == nil {
			return f
		}
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normalizeNumbers(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = normalizeNumbers(e)
		}
		return out
	}
	return x
}

// describe names a JSON value for a message: `"abc"`, 12, true, a list, an object, null.
func describe(x any) string {
	switch v := x.(type) {
	case nil:
		return "null"
	case string:
		return shortQuote(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprint(x)
}

// typeMismatch says why x (numbers as float64) is not of v's type, or "".
func (v Variable) typeMismatch(x any) string {
	expected := "expected " + v.Type.article() + ", got " + describe(x)
	switch v.Type {
	case VariableNumber:
		if f, ok := x.(float64); !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return expected
		}
	case VariableBoolean:
		if _, ok := x.(bool); !ok {
			return expected
		}
	case VariableList:
		if _, ok := x.([]any); !ok {
			return expected
		}
	default:
		s, ok := x.(string)
		if !ok {
			return expected
		}
		switch {
		case v.Type == VariableColor:
			if _, err := ParseColor(s); err != nil {
				return "expected a color, got " + describe(x) + ": use #rrggbb, rgb(), hsl() or a CSS color name"
			}
		case v.Type.media():
			if !looksLikeURL(s) {
				return "expected " + v.Type.article() + " URL, got " + describe(x) + ": use an https:// URL or the url of an uploaded file"
			}
		}
	}
	return ""
}

// looksLikeURL accepts a non-empty reference without surrounding spaces: the merged document's validation
// says whether it can be fetched (the service wants http(s), data: or an upload's URL; the command line
// also reads local files).
func looksLikeURL(s string) bool {
	if strings.TrimSpace(s) != s || s == "" {
		return false
	}
	_, err := url.Parse(s)
	return err == nil
}

// check says why x (numbers as float64) is not an acceptable value of v, or "".
func (v Variable) check(x any) string {
	if msg := v.typeMismatch(x); msg != "" {
		return msg
	}
	if v.MaxLength != nil {
		n := 0
		switch t := x.(type) {
		case string:
			n = utf8.RuneCountInString(t)
		case []any:
			n = len(t)
		}
		if n > *v.MaxLength {
			unit := "characters"
			if v.Type == VariableList {
				unit = "items"
			}
			return fmt.Sprintf("%d %s, more than the maxLength of %d", n, unit, *v.MaxLength)
		}
	}
	if f, ok := x.(float64); ok {
		if v.Min != nil && f < *v.Min {
			return fmt.Sprintf("%g is below the minimum %g", f, *v.Min)
		}
		if v.Max != nil && f > *v.Max {
			return fmt.Sprintf("%g is above the maximum %g", f, *v.Max)
		}
	}
	if len(v.Enum) > 0 {
		allowed := make([]string, len(v.Enum))
		for i, e := range v.Enum {
			e = normalizeNumbers(e)
			if jsonEqual(e, x) {
				return ""
			}
			allowed[i] = describe(e)
		}
		return fmt.Sprintf("%s is not one of the allowed values: %s", describe(x), strings.Join(allowed, ", "))
	}
	return ""
}

func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// Resolve checks a variable set against the declarations and returns the values to merge: each given
// value, and the default of each variable left out. Every problem names its variable
// ("variables.price: expected a number, got \"abc\""): a value of the wrong type or outside its
// constraints, a required variable left out, and a name the template does not declare.
func (vars Variables) Resolve(given map[string]any) (map[string]any, []Problem) {
	var problems []Problem
	out := make(map[string]any, len(vars))
	for _, name := range sortedKeys(given) {
		if _, ok := vars[name]; !ok {
			msg := "the template declares no variable " + shortQuote(name)
			if hint := didYouMean(name, vars.Names()); hint != "" {
				msg += hint
			} else if len(vars) > 0 {
				msg += " (it declares " + quoteList(vars.Names(), 10) + ")"
			}
			problems = append(problems, Problem{Path: variablePath(name), Message: msg})
		}
	}
	for _, name := range vars.Names() {
		v := vars[name]
		x, ok := given[name]
		if !ok || x == nil {
			switch {
			case v.Required:
				problems = append(problems, Problem{Path: variablePath(name), Message: "required: give " + v.Type.article() + describeFor(v)})
			case v.Default != nil:
				out[name] = normalizeNumbers(v.Default)
			}
			continue
		}
		x = normalizeNumbers(x)
		if msg := v.check(x); msg != "" {
			problems = append(problems, Problem{Path: variablePath(name), Message: msg})
			continue
		}
		out[name] = x
	}
	return out, problems
}

// describeFor adds the variable's description to a message, when it has one.
func describeFor(v Variable) string {
	if v.Description == "" {
		return ""
	}
	return " (" + v.Description + ")"
}

// ParseText reads the text of a value written as a string, as a CSV cell is, into the variable's type:
// numbers and booleans (true/false, yes/no, 1/0) are parsed, a list is read as a JSON array, other types
// keep the text. An empty cell is no value (nil): the default applies.
func (v Variable) ParseText(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	switch v.Type {
	case VariableNumber:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("expected a number, got %s", shortQuote(s))
		}
		return f, nil
	case VariableBoolean:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "yes", "1":
			return true, nil
		case "false", "no", "0":
			return false, nil
		}
		return nil, fmt.Errorf("expected a boolean (true or false), got %s", shortQuote(s))
	case VariableList:
		var list []any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&list); err != nil {
			return nil, fmt.Errorf("expected a list written as a JSON array, got %s", shortQuote(s))
		}
		return list, nil
	}
	return s, nil
}

// ParseTexts reads a row of texts (a CSV row, by header name) into a variable set with ParseText.
// Columns the template does not declare are kept as text, so that Resolve reports them.
func (vars Variables) ParseTexts(row map[string]string) (map[string]any, []Problem) {
	out := make(map[string]any, len(row))
	var problems []Problem
	for _, name := range sortedKeys(row) {
		v, ok := vars[name]
		if !ok {
			out[name] = row[name]
			continue
		}
		x, err := v.ParseText(row[name])
		if err != nil {
			problems = append(problems, Problem{Path: variablePath(name), Message: err.Error()})
			continue
		}
		if x != nil {
			out[name] = x
		}
	}
	return out, problems
}

// PlaceholderUse is one {{name}} in a document: the variable, the JSON path of the string, and whether
// the string is the placeholder alone (then the value replaces it whole, keeping its JSON type).
type PlaceholderUse struct {
	Name  string
	Path  string
	Whole bool
}

// Placeholders lists every placeholder of a JSON document, in document order (object members sorted).
func Placeholders(raw []byte) ([]PlaceholderUse, error) {
	root, err := decodeRaw(raw)
	if err != nil {
		return nil, err
	}
	var uses []PlaceholderUse
	walkStrings(root, "", func(path, s string) {
		if m := wholePlaceholder.FindStringSubmatch(s); m != nil {
			uses = append(uses, PlaceholderUse{Name: m[1], Path: path, Whole: true})
			return
		}
		for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
			uses = append(uses, PlaceholderUse{Name: m[1], Path: path})
		}
	})
	return uses, nil
}

// walkStrings calls fn with the path and text of every string value under x.
func walkStrings(x any, path string, fn func(path, s string)) {
	switch v := x.(type) {
	case string:
		fn(path, v)
	case []any:
		for i, e := range v {
			walkStrings(e, fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			walkStrings(v[k], joinPath(path, k), fn)
		}
	}
}

// CheckTemplate checks a template's placeholders against its declarations: a placeholder with no
// declaration is a warning (it is left as it is when merging, and shows in the video as written), and so
// is a declared variable no placeholder uses; a list variable inside a longer string is an error (a list
// has no text). The declarations' own problems (Variables.Check) come first. It does not validate the
// document: merge sample values (SampleValues) and validate the result for that.
func CheckTemplate(raw []byte, vars Variables) (errs, warnings []Problem) {
	errs = vars.Check()
	uses, err := Placeholders(raw)
	if err != nil {
		return append(errs, Problem{Path: "config", Message: err.Error()}), nil
	}
	used := map[string]bool{}
	for _, u := range uses {
		used[u.Name] = true
		v, ok := vars[u.Name]
		switch {
		case !ok:
			warnings = append(warnings, Problem{Path: u.Path, Message: fmt.Sprintf("placeholder {{%s}} has no declaration in variables, so it stays as written%s",
				u.Name, didYouMean(u.Name, vars.Names()))})
		case v.Type == VariableList && !u.Whole:
			errs = append(errs, Problem{Path: u.Path, Message: fmt.Sprintf("list variable {{%s}} must be the whole string (\"{{%s}}\"): a list has no text", u.Name, u.Name)})
		}
	}
	for _, name := range vars.Names() {
		if !used[name] && ValidVariableName(name) {
			warnings = append(warnings, Problem{Path: variablePath(name), Message: "declared but no {{" + name + "}} placeholder uses it"})
		}
	}
	return errs, warnings
}

// SampleValues returns a value for every declared variable, to merge into a template to validate its
// document: the default, or else a value of the type within the constraints.
func (vars Variables) SampleValues() map[string]any {
	out := make(map[string]any, len(vars))
	for name, v := range vars {
		switch {
		case v.Default != nil:
			out[name] = normalizeNumbers(v.Default)
		case len(v.Enum) > 0:
			out[name] = normalizeNumbers(v.Enum[0])
		default:
			out[name] = v.sample()
		}
	}
	return out
}

func (v Variable) sample() any {
	switch v.Type {
	case VariableNumber:
		switch {
		case v.Min != nil:
			return *v.Min
		case v.Max != nil && *v.Max < 1:
			return *v.Max
		}
		return 1.0
	case VariableBoolean:
		return false
	case VariableList:
		return []any{}
	case VariableColor:
		return "#000000"
	case VariableURL, VariableImage:
		return "https://example.com/sample.png"
	case VariableVideo:
		return "https://example.com/sample.mp4"
	case VariableAudio:
		return "https://example.com/sample.mp3"
	}
	return "sample"
}

// Merge returns the document raw with its placeholders replaced by values: a whole-string placeholder by
// the value itself (keeping its JSON type), one inside a longer string by the value's text. Placeholders
// without a value stay as written. A list or object inside a longer string is a problem at the string's
// path. The result is compact JSON (object members sorted).
func Merge(raw []byte, values map[string]any) (json.RawMessage, []Problem) {
	root, err := decodeRaw(raw)
	if err != nil {
		return nil, []Problem{{Path: "config", Message: err.Error()}}
	}
	var problems []Problem
	merged := mergeValue(root, "", values, &problems)
	if len(problems) > 0 {
		return nil, problems
	}
	out, err := json.Marshal(merged)
	if err != nil {
		return nil, []Problem{{Path: "config", Message: "the merged document cannot be written: " + err.Error()}}
	}
	return out, nil
}

func mergeValue(x any, path string, values map[string]any, problems *[]Problem) any {
	switch v := x.(type) {
	case string:
		if m := wholePlaceholder.FindStringSubmatch(v); m != nil {
			if val, ok := values[m[1]]; ok {
				return val
			}
			return v
		}
		return placeholderPattern.ReplaceAllStringFunc(v, func(p string) string {
			name := placeholderPattern.FindStringSubmatch(p)[1]
			val, ok := values[name]
			if !ok {
				return p
			}
			text, ok := valueText(val)
			if !ok {
				*problems = append(*problems, Problem{Path: path, Message: fmt.Sprintf("{{%s}} is %s, which has no text: a list or object must be the whole string (\"{{%s}}\")",
					name, describe(normalizeNumbers(val)), name)})
			}
			return text
		})
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = mergeValue(e, fmt.Sprintf("%s[%d]", path, i), values, problems)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = mergeValue(e, joinPath(path, k), values, problems)
		}
		return out
	}
	return x
}

// valueText is the text a value takes inside a longer string; ok is false for lists and objects.
func valueText(x any) (string, bool) {
	switch v := x.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	case nil:
		return "", true
	}
	return "", false
}

// InlineValues checks the variables given beside a document that declares none (POST /api/v1/video's
// "variables"): every placeholder must have a value and every value a placeholder; a value's type is
// whatever JSON it is. It returns the values to merge.
func InlineValues(raw []byte, given map[string]any) (map[string]any, []Problem) {
	uses, err := Placeholders(raw)
	if err != nil {
		return nil, []Problem{{Path: "config", Message: err.Error()}}
	}
	var problems []Problem
	used := map[string]bool{}
	var names []string
	for _, u := range uses {
		if !used[u.Name] {
			names = append(names, u.Name)
		}
		used[u.Name] = true
	}
	for _, name := range names {
		if _, ok := given[name]; !ok {
			problems = append(problems, Problem{Path: variablePath(name), Message: "the document uses {{" + name + "}} but variables gives it no value"})
		}
	}
	out := make(map[string]any, len(given))
	for _, name := range sortedKeys(given) {
		if !used[name] {
			problems = append(problems, Problem{Path: variablePath(name), Message: fmt.Sprintf("no {{%s}} placeholder in the document uses it%s", name, didYouMean(name, names))})
			continue
		}
		out[name] = normalizeNumbers(given[name])
	}
	return out, problems
}
