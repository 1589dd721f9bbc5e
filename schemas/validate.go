package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a document: where (a JSON path such as "tracks[0].clips[2].duration";
// empty for the document as a whole) and what, with the fix.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// String formats the problem as "path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Limits are the server's bounds on a document. A zero field means no bound.
type Limits struct {
	MaxWidth, MaxHeight int     // meta.width and meta.height, px
	MaxFPS              float64 // meta.fps
	MaxDuration         float64 // the video's duration (see Duration), seconds
	MaxClips            int     // clips of all tracks, layout children included
	MaxBytes            int     // size of the JSON text
}

// DefaultLimits returns the default server limits: 4096 × 4096 px, 120 fps, one hour, 5000 clips, 5 MB.
func DefaultLimits() Limits {
	return Limits{MaxWidth: 4096, MaxHeight: 4096, MaxFPS: 120, MaxDuration: 3600, MaxClips: 5000, MaxBytes: 5 << 20}
}

// Result is the outcome of Validate: every error and warning found, and the decoded document when there
// are no errors.
type Result struct {
	Document *Document `json:"-"`        // nil unless OK
	Errors   []Problem `json:"errors"`   // problems that stop the document from being rendered
	Warnings []Problem `json:"warnings"` // things that are ignored (unknown fields), reported so that typos come to light
}

// OK reports whether the document has no errors (it may have warnings).
func (r *Result) OK() bool { return len(r.Errors) == 0 }

// Err returns nil when the document is valid, else an error listing every problem.
func (r *Result) Err() error {
	if r.OK() {
		return nil
	}
	msgs := make([]string, len(r.Errors))
	for i, p := range r.Errors {
		msgs[i] = p.String()
	}
	return fmt.Errorf("invalid document: %s", strings.Join(msgs, "; "))
}

// Validate checks a JSON video document against the protocol and lim, and reports every problem at once.
//
// It reads the raw JSON rather than Go values, so a mistake in one clip never hides mistakes in another.
// Errors cover JSON syntax, missing required fields, wrong JSON types, unknown names (with a did-you-mean
// suggestion), colors, ranges, asset references, duplicate ids and the limits. Unknown fields are warnings:
// they are ignored when rendering. When there are no errors, Result.Document holds the decoded document.
func Validate(raw []byte, lim Limits) *Result {
	v := &validator{lim: lim, res: &Result{}, clipIDs: map[string]string{}}
	v.run(raw)
	v.countDropped()
	if v.res.OK() {
		// Decode what was checked: the tree without its unknown members (encoding/json would match
		// "Duration" to duration) and with the last of any duplicated member, as the checks saw it.
		checked, err := json.Marshal(v.root)
		var doc *Document
		if err == nil {
			doc, err = Parse(checked)
		}
		if err != nil {
			v.errorf("", "%v", err) // a gap between the validator and the decoder; never expected
		} else {
			v.res.Document = doc
		}
	}
	return v.res
}

// Parse decodes a JSON document without validating it, for trusted input (a document that passed
// Validate before it was stored).
func Parse(raw []byte) (*Document, error) {
	var doc Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("decode video document: %w", err)
	}
	return &doc, nil
}

// validator holds the state of one Validate call.
type validator struct {
	lim  Limits
	res  *Result
	root map[string]any // the document as checked; unknown members are removed from it

	assets      map[string]assetSite // asset id → where it is defined
	clipIDs     map[string]string    // clip id → path of the clip
	ducking     []pathValue          // ducking targets, checked once every clip id is known
	clipCount   int                  // clips seen, layout children included
	layoutDepth int                  // > 0 while checking the fields of a layout clip
	lastEnd     float64              // latest end of a top-level clip
	lastEndPath string               // path of that clip
	glyphs      int                  // characters of text and code clips seen so far
	textSpans   []textSpan           // top-level clips that show text, for the per-frame budget

	droppedErrors, droppedWarnings int // problems beyond MaxProblems
}

// assetSite is where an asset id is defined.
type assetSite struct {
	group string // "images", "videos", …
	path  string
}

// pathValue is a string found at a path.
type pathValue struct {
	path, value string
}

// MaxProblems is how many errors, and how many warnings, Validate lists at most; a last entry with an
// empty path counts the rest.
const MaxProblems = 200

func (v *validator) errorf(path, format string, args ...any) {
	addProblem(&v.res.Errors, &v.droppedErrors, path, format, args)
}

func (v *validator) warnf(path, format string, args ...any) {
	addProblem(&v.res.Warnings, &v.droppedWarnings, path, format, args)
}

func addProblem(list *[]Problem, dropped *int, path, format string, args []any) {
	if len(*list) >= MaxProblems {
		*dropped++
		return
	}
	*list = append(*list, Problem{path, fmt.Sprintf(format, args...)})
}

// countDropped appends the count of problems left out of the lists.
func (v *validator) countDropped() {
	if v.droppedErrors > 0 {
		v.res.Errors = append(v.res.Errors, Problem{"", fmt.Sprintf("… and %d more errors", v.droppedErrors)})
	}
	if v.droppedWarnings > 0 {
		v.res.Warnings = append(v.res.Warnings, Problem{"", fmt.Sprintf("… and %d more warnings", v.droppedWarnings)})
	}
}

// run checks the whole document.
func (v *validator) run(raw []byte) {
	if v.lim.MaxBytes > 0 && len(raw) > v.lim.MaxBytes {
		v.errorf("", "the document is %d bytes; the limit is %d bytes", len(raw), v.lim.MaxBytes)
		return
	}
	root, err := decodeRaw(raw)
	if err != nil {
		v.errorf("", "%v", err)
		return
	}
	obj, ok := root.(map[string]any)
	if !ok {
		v.errorf("", "the document must be a JSON object with meta and tracks, not %s", jsonKind(root))
		return
	}
	if v.wrapped(obj) {
		return
	}
	v.root = obj
	v.indexAssets(obj["assets"])
	v.object("", reflect.TypeOf(Document{}), obj, nil)
	v.checkDucking()
	v.checkTotals()
}

// decodeRaw parses JSON into maps, slices and json.Number, reporting syntax errors with line and column.
func decodeRaw(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var root any
	err := dec.Decode(&root)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return nil, fmt.Errorf("invalid JSON at %s: unexpected data after the document", lineCol(raw, dec.InputOffset()))
		}
		return root, nil
	}
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return nil, fmt.Errorf("invalid JSON at %s: %s", lineCol(raw, syn.Offset-1), syn.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, fmt.Errorf("invalid JSON at %s: the document ends too early (an unclosed { or [?)", lineCol(raw, int64(len(raw))))
	}
	return nil, fmt.Errorf("invalid JSON: %w", err)
}

// lineCol turns a byte offset into "line L, column C" (both from 1).
func lineCol(raw []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(raw)))
	before := raw[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// wrapped reports (as an error) a document sent inside an envelope such as {"config": {...}}.
func (v *validator) wrapped(obj map[string]any) bool {
	if _, ok := obj["meta"]; ok {
		return false
	}
	if _, ok := obj["tracks"]; ok {
		return false
	}
	for _, key := range sortedKeys(obj) {
		inner, ok := obj[key].(map[string]any)
		if !ok {
			continue
		}
		_, hasMeta := inner["meta"]
		_, hasTracks := inner["tracks"]
		if hasMeta || hasTracks {
			v.errorf(key, "the document must be sent bare, not wrapped in {%q: …}: send the object inside %q as the whole body", key, key)
			return true
		}
	}
	return false
}

// value checks x, found at path, against Go type t; f is the struct field it belongs to (nil for list items
// and the like) and parent the struct type holding that field.
func (v *validator) value(path string, t reflect.Type, x any, f *field, parent reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if check, ok := valueChecks[t]; ok {
		check(v, path, x, parent)
		return
	}
	if hasCustomJSON(t) {
		v.decodesAs(path, t, x)
		return
	}
	var r rules
	if f != nil {
		r = f.rules
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.objectValue(path, x)
		if ok {
			v.object(path, t, obj, nil)
		}
	case reflect.Slice, reflect.Array:
		v.list(path, t, x, r, parent)
	case reflect.Map:
		v.objectValue(path, x)
	case reflect.Interface:
		// anything goes
	case reflect.String:
		v.stringValue(path, t, x, r, f)
	case reflect.Bool:
		if _, ok := x.(bool); !ok {
			v.typeError(path, "true or false", x)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.number(path, x, r, true)
	case reflect.Float32, reflect.Float64:
		v.number(path, x, r, false)
	}
}

// objectValue returns x as a JSON object, or reports that it is not one.
func (v *validator) objectValue(path string, x any) (map[string]any, bool) {
	obj, ok := x.(map[string]any)
	if !ok {
		v.typeError(path, "an object", x)
	}
	return obj, ok
}

// object checks the members of obj against struct type t: required members, each known member's value,
// unknown members (warnings) and the rules of t that span several members. optional names required
// members that may be left out here.
func (v *validator) object(path string, t reflect.Type, obj map[string]any, optional func(name string) bool) {
	for _, f := range fieldsOf(t) {
		x, present := obj[f.name]
		p := joinPath(path, f.name)
		switch {
		case present && x != nil:
			v.value(p, f.typ, x, &f, t)
		case f.required && (optional == nil || !optional(f.name)):
			v.missing(p, f, present)
		}
	}
	for _, key := range sortedKeys(obj) {
		if _, known := lookupField(t, key); !known {
			v.unknownField(joinPath(path, shortName(key)), t, key)
			delete(obj, key)
		}
	}
	if check, ok := objectChecks[t]; ok {
		check(v, path, obj)
	}
}

// missing reports a required member that is absent or null.
func (v *validator) missing(path string, f field, null bool) {
	msg := "is required"
	if null {
		msg = "is required and must not be null"
	}
	if f.rules.description != "" {
		msg += " (" + f.rules.description + ")"
	}
	v.errorf(path, "%s", msg)
}

// unknownField warns about a member that t does not have, suggesting the closest name, or the nested
// object where the name belongs (a clip's "fontSize" belongs in its style).
func (v *validator) unknownField(path string, t reflect.Type, key string) {
	hint := didYouMean(key, fieldNames(t))
	if hint == "" {
		if alt, ok := fieldHints[t][key]; ok {
			hint = fmt.Sprintf(" — did you mean %q?", alt)
		}
	}
	if hint == "" {
		for _, f := range fieldsOf(t) {
			inner := f.typ
			for inner.Kind() == reflect.Pointer {
				inner = inner.Elem()
			}
			if inner.Kind() != reflect.Struct || hasCustomJSON(inner) {
				continue
			}
			if s := suggest(key, fieldNames(inner)); strings.EqualFold(s, key) {
				hint = fmt.Sprintf(" — did you mean %q?", f.name+"."+s)
				break
			}
		}
	}
	v.warnf(path, "unknown field %s%s; it is ignored", shortQuote(key), hint)
}

// list checks a JSON array against a slice or array type.
func (v *validator) list(path string, t reflect.Type, x any, r rules, parent reflect.Type) {
	items, ok := x.([]any)
	if !ok {
		v.typeError(path, "a list", x)
		return
	}
	if t.Kind() == reflect.Array && len(items) != t.Len() {
		v.errorf(path, "must have exactly %d items, not %d", t.Len(), len(items))
	}
	if len(items) < r.minItems {
		if r.minItems == 1 {
			v.errorf(path, "must not be empty")
		} else {
			v.errorf(path, "must have at least %d items, not %d", r.minItems, len(items))
		}
	}
	for i, item := range items {
		p := path + "[" + strconv.Itoa(i) + "]"
		if item == nil {
			v.errorf(p, "must not be null")
			continue
		}
		v.value(p, t.Elem(), item, nil, parent)
	}
}

// stringValue checks a string member, and its enumeration when t (or the field's tag) has one.
func (v *validator) stringValue(path string, t reflect.Type, x any, r rules, f *field) {
	s, ok := x.(string)
	if !ok {
		v.typeError(path, "a string", x)
		return
	}
	if len([]rune(s)) < r.minLength {
		v.errorf(path, "must not be empty")
		return
	}
	if names := enumOf(t); len(names) > 0 {
		if !containsString(names, s) {
			v.enum(path, typeNoun(t), s, names)
		}
	} else if len(r.enum) > 0 && f != nil {
		v.enum(path, f.name, s, r.enum)
	}
}

// enum reports s when it is not one of names.
func (v *validator) enum(path, noun, s string, names []string) bool {
	for _, n := range names {
		if n == s {
			return true
		}
	}
	if hint := didYouMean(s, names); hint != "" {
		v.errorf(path, "unknown %s %s%s", noun, shortQuote(s), hint)
	} else {
		v.errorf(path, "unknown %s %s; use one of %s", noun, shortQuote(s), quoteList(names, 25))
	}
	return false
}

// number checks a JSON number against the field's range.
func (v *validator) number(path string, x any, r rules, integer bool) (float64, bool) {
	n, ok := x.(json.Number)
	if !ok {
		v.typeError(path, "a number", x)
		return 0, false
	}
	f, err := strconv.ParseFloat(n.String(), 64)
	if err != nil || math.IsInf(f, 0) {
		v.errorf(path, "the number %s is out of range", n)
		return 0, false
	}
	if integer {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			v.errorf(path, "must be a whole number, not %s", n)
			return 0, false
		}
	}
	if msg := r.outOfRange(f); msg != "" {
		v.errorf(path, "%s (got %s)", msg, n)
		return f, false
	}
	return f, true
}

// outOfRange says how f breaks the rules' range, or returns "".
func (r rules) outOfRange(f float64) string {
	num := func(p *float64) string { return strconv.FormatFloat(*p, 'f', -1, 64) }
	switch {
	case r.minimum != nil && r.maximum != nil && (f < *r.minimum || f > *r.maximum):
		return "must be between " + num(r.minimum) + " and " + num(r.maximum)
	case r.minimum != nil && f < *r.minimum:
		return "must be at least " + num(r.minimum)
	case r.maximum != nil && f > *r.maximum:
		return "must be at most " + num(r.maximum)
	case r.exclusiveMinimum != nil && f <= *r.exclusiveMinimum:
		return "must be greater than " + num(r.exclusiveMinimum)
	case r.exclusiveMaximum != nil && f >= *r.exclusiveMaximum:
		return "must be less than " + num(r.exclusiveMaximum)
	}
	return ""
}

// decodesAs checks x with the UnmarshalJSON method of type t, which knows every JSON shape t accepts.
func (v *validator) decodesAs(path string, t reflect.Type, x any) {
	b, err := json.Marshal(x)
	if err == nil {
		err = json.Unmarshal(b, reflect.New(t).Interface())
	}
	if err != nil {
		v.errorf(path, "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

// typeError reports a value of the wrong JSON type.
func (v *validator) typeError(path, want string, x any) {
	got := jsonKind(x)
	if s, ok := x.(string); ok && len(s) <= 40 {
		got = fmt.Sprintf("the string %q", s)
	}
	v.errorf(path, "must be %s, not %s", want, got)
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case bool:
		return "true/false"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", x)
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// checkDucking checks that every ducking target names a clip id.
func (v *validator) checkDucking() {
	ids := sortedKeys(v.clipIDs)
	for _, t := range v.ducking {
		if _, ok := v.clipIDs[t.value]; ok {
			continue
		}
		if hint := didYouMean(t.value, ids); hint != "" {
			v.errorf(t.path, "unknown clip id %q%s", t.value, hint)
		} else if len(ids) == 0 {
			v.errorf(t.path, "unknown clip id %q: no clip has an id; give the clip to duck an \"id\"", t.value)
		} else {
			v.errorf(t.path, "unknown clip id %q; known clip ids: %s", t.value, quoteList(ids, 20))
		}
	}
}

// checkTotals applies the limits on the whole video: duration and number of clips.
func (v *validator) checkTotals() {
	if v.clipCount == 0 {
		v.errorf("tracks", "the document has no clips: add a clip with a start and a duration to a track (a video needs at least one)")
	}
	v.checkGlyphsPerFrame()
	if v.lim.MaxDuration > 0 && v.lastEnd > v.lim.MaxDuration {
		v.errorf(v.lastEndPath, "the video would last %g s (this clip ends last); the limit is %g s", v.lastEnd, v.lim.MaxDuration)
	}
	if v.lim.MaxClips > 0 && v.clipCount > v.lim.MaxClips {
		v.errorf("tracks", "the document has %d clips (layout children included); the limit is %d", v.clipCount, v.lim.MaxClips)
	}
}
