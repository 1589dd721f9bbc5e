package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// This file holds the small value types of the document that accept more than one JSON shape
// (a number or a percent string, a color or a gradient, a URL or a $ref). Each one decodes every
// accepted shape, encodes back to the shape it came from, and describes itself in the JSON Schema.

func isNull(b []byte) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }

func firstByte(b []byte) byte {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// Length is a distance in pixels (a JSON number) or in percent of a reference box (a string such as "50%").
type Length struct {
	Value   float64
	Percent bool
}

// Px returns the length in pixels, taking percentages of ref.
func (l Length) Px(ref float64) float64 {
	if l.Percent {
		return l.Value / 100 * ref
	}
	return l.Value
}

// Pixels returns a pixel Length.
func Pixels(v float64) *Length { return &Length{Value: v} }

// Percent returns a percent Length.
func Percent(v float64) *Length { return &Length{Value: v, Percent: true} }

// UnmarshalJSON accepts 120, "120", "120px" and "50%".
func (l *Length) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		pct := strings.HasSuffix(s, "%")
		s = strings.TrimSuffix(strings.TrimSuffix(s, "%"), "px")
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return fmt.Errorf("length %q: want a number of pixels or a percentage such as \"50%%\"", s)
		}
		*l = Length{Value: v, Percent: pct}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("length: want a number of pixels or a percentage such as \"50%%\"")
	}
	*l = Length{Value: v}
	return nil
}

// MarshalJSON writes a number, or a percent string.
func (l Length) MarshalJSON() ([]byte, error) {
	if l.Percent {
		return json.Marshal(strconv.FormatFloat(l.Value, 'f', -1, 64) + "%")
	}
	return json.Marshal(l.Value)
}

// JSONSchema describes a Length.
func (Length) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "Pixels (a number) or percent of the canvas or of the enclosing layout box (a string such as \"50%\").",
		OneOf: []*jsonschema.Schema{
			{Type: "number"},
			{Type: "string", Pattern: `^\s*-?[0-9]+(\.[0-9]+)?\s*(%|px)?\s*$`},
		},
	}
}

// Color is a CSS color string: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla(), a named color or
// "transparent". Parsing into channels lives in the render package; the validator checks the syntax.
type Color string

// JSONSchema describes a Color.
func (Color) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type:        "string",
		Description: "CSS color: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla(), a CSS named color, or \"transparent\".",
		Examples:    []any{"#ffffff", "rgba(0,0,0,0.5)", "tomato"},
	}
}

// GradientStop is one color of a gradient at an offset from 0 to 1.
type GradientStop struct {
	// Where this color sits along the gradient, 0 to 1.
	Offset float64 `json:"offset" jsonschema:"minimum=0,maximum=1"`
	// The color at this offset.
	Color Color `json:"color"`
}

// Gradient is a linear, radial or conic gradient.
type Gradient struct {
	// linear, radial or conic.
	Type  GradientType `json:"type"`
	Angle *float64     `json:"angle,omitempty" jsonschema:"description=Direction in degrees (linear: 0 = left to right; 90 = top to bottom; conic: start angle)"`
	// The colors along the gradient (at least two).
	Stops []GradientStop `json:"stops" jsonschema:"minItems=2"`
}

// Paint is a solid Color or a Gradient.
type Paint struct {
	Color    Color
	Gradient *Gradient
}

// SolidPaint returns a Paint of one color.
func SolidPaint(c string) *Paint { return &Paint{Color: Color(c)} }

// UnmarshalJSON accepts a color string or a gradient object.
func (p *Paint) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '{' {
		var g Gradient
		if err := json.Unmarshal(b, &g); err != nil {
			return err
		}
		*p = Paint{Gradient: &g}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("paint: want a color string or a gradient object")
	}
	*p = Paint{Color: Color(s)}
	return nil
}

// MarshalJSON writes the color string or the gradient object.
func (p Paint) MarshalJSON() ([]byte, error) {
	if p.Gradient != nil {
		return json.Marshal(p.Gradient)
	}
	return json.Marshal(p.Color)
}

// JSONSchema describes a Paint.
func (Paint) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "A CSS color string, or a gradient {type: linear|radial|conic, angle?, stops: [{offset, color}]}.",
		OneOf: []*jsonschema.Schema{
			{Ref: "#/$defs/Color"},
			{Ref: "#/$defs/Gradient"},
		},
	}
}

// Scale is a uniform factor (a number) or separate factors [sx, sy].
type Scale struct {
	X, Y float64
}

// UnmarshalJSON accepts 1.5 or [1.5, 2].
func (s *Scale) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '[' {
		var xy []float64
		if err := json.Unmarshal(b, &xy); err != nil || len(xy) != 2 {
			return fmt.Errorf("scale: want a number or [sx, sy]")
		}
		*s = Scale{xy[0], xy[1]}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("scale: want a number or [sx, sy]")
	}
	*s = Scale{v, v}
	return nil
}

// MarshalJSON writes a number when uniform, else [sx, sy].
func (s Scale) MarshalJSON() ([]byte, error) {
	if s.X == s.Y {
		return json.Marshal(s.X)
	}
	return json.Marshal([]float64{s.X, s.Y})
}

// JSONSchema describes a Scale.
func (Scale) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "A uniform scale factor, or [sx, sy].",
		OneOf: []*jsonschema.Schema{
			{Type: "number"},
			{Type: "array", Items: &jsonschema.Schema{Type: "number"}, MinItems: ptrU(2), MaxItems: ptrU(2)},
		},
	}
}

func ptrU(v uint64) *uint64 { return &v }

// FontWeight is 100..900 or a name (normal, bold, ...). Value holds the number.
type FontWeight struct {
	Value int
	Name  string
}

// FontWeightNames maps the accepted weight names to numbers.
var FontWeightNames = map[string]int{
	"thin": 100, "hairline": 100, "extralight": 200, "extra-light": 200, "ultralight": 200, "light": 300,
	"normal": 400, "regular": 400, "medium": 500, "semibold": 600, "semi-bold": 600, "demibold": 600,
	"bold": 700, "extrabold": 800, "extra-bold": 800, "ultrabold": 800, "black": 900, "heavy": 900,
}

// UnmarshalJSON accepts 700, "700" or "bold".
func (w *FontWeight) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if v, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			*w = FontWeight{Value: v}
			return nil
		}
		v, ok := FontWeightNames[strings.ToLower(strings.TrimSpace(s))]
		if !ok {
			return fmt.Errorf("fontWeight %q: want 100..900 or a name such as \"bold\"", s)
		}
		*w = FontWeight{Value: v, Name: s}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("fontWeight: want 100..900 or a name such as \"bold\"")
	}
	*w = FontWeight{Value: int(v)}
	return nil
}

// MarshalJSON writes the name or the number it came as.
func (w FontWeight) MarshalJSON() ([]byte, error) {
	if w.Name != "" {
		return json.Marshal(w.Name)
	}
	return json.Marshal(w.Value)
}

// JSONSchema describes a FontWeight.
func (FontWeight) JSONSchema() *jsonschema.Schema {
	names := make([]any, 0, len(FontWeightNames))
	for _, n := range sortedKeys(FontWeightNames) {
		names = append(names, n)
	}
	return &jsonschema.Schema{
		Description: "100..900 or a name (normal = 400, bold = 700). Default 400.",
		OneOf: []*jsonschema.Schema{
			{Type: "number", Minimum: json.Number("1"), Maximum: json.Number("1000")},
			{Type: "string", Enum: names},
			{Type: "string", Pattern: "^[1-9]00$"},
		},
	}
}

// Corners is one radius for every corner, or four radii [top-left, top-right, bottom-right, bottom-left].
type Corners [4]float64

// UnmarshalJSON accepts 12 or [12, 12, 0, 0].
func (c *Corners) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '[' {
		var v []float64
		if err := json.Unmarshal(b, &v); err != nil || (len(v) != 4 && len(v) != 1 && len(v) != 2) {
			return fmt.Errorf("borderRadius: want a number or four numbers [tl, tr, br, bl]")
		}
		switch len(v) {
		case 1:
			*c = Corners{v[0], v[0], v[0], v[0]}
		case 2:
			*c = Corners{v[0], v[1], v[0], v[1]}
		default:
			*c = Corners{v[0], v[1], v[2], v[3]}
		}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("borderRadius: want a number or four numbers [tl, tr, br, bl]")
	}
	*c = Corners{v, v, v, v}
	return nil
}

// MarshalJSON writes one number when all corners agree.
func (c Corners) MarshalJSON() ([]byte, error) {
	if c[0] == c[1] && c[1] == c[2] && c[2] == c[3] {
		return json.Marshal(c[0])
	}
	return json.Marshal([4]float64(c))
}

// JSONSchema describes Corners.
func (Corners) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "Corner radius in px: one number, or [top-left, top-right, bottom-right, bottom-left].",
		OneOf: []*jsonschema.Schema{
			{Type: "number", Minimum: json.Number("0")},
			{Type: "array", Items: &jsonschema.Schema{Type: "number", Minimum: json.Number("0")}, MinItems: ptrU(1), MaxItems: ptrU(4)},
		},
	}
}

// Box is padding in CSS order: top, right, bottom, left.
type Box [4]float64

// UnmarshalJSON accepts 10, [10, 20], [10, 20, 30] or [10, 20, 30, 40] as in CSS.
func (p *Box) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '[' {
		var v []float64
		if err := json.Unmarshal(b, &v); err != nil || len(v) < 1 || len(v) > 4 {
			return fmt.Errorf("padding: want a number or 1 to 4 numbers in CSS order")
		}
		switch len(v) {
		case 1:
			*p = Box{v[0], v[0], v[0], v[0]}
		case 2:
			*p = Box{v[0], v[1], v[0], v[1]}
		case 3:
			*p = Box{v[0], v[1], v[2], v[1]}
		default:
			*p = Box{v[0], v[1], v[2], v[3]}
		}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("padding: want a number or 1 to 4 numbers in CSS order")
	}
	*p = Box{v, v, v, v}
	return nil
}

// MarshalJSON writes the four sides.
func (p Box) MarshalJSON() ([]byte, error) { return json.Marshal([4]float64(p)) }

// JSONSchema describes a Box.
func (Box) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "Padding in px: one number, or 1 to 4 numbers in CSS order (top, right, bottom, left).",
		OneOf: []*jsonschema.Schema{
			{Type: "number"},
			{Type: "array", Items: &jsonschema.Schema{Type: "number"}, MinItems: ptrU(1), MaxItems: ptrU(4)},
		},
	}
}

// MediaRef is a media source: a URL string, or {"$ref": "<asset id>"} naming an entry of assets.
type MediaRef struct {
	URL string
	Ref string
}

// UnmarshalJSON accepts "https://..." or {"$ref": "logo"}.
func (m *MediaRef) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '{' {
		var r struct {
			Ref string `json:"$ref"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		*m = MediaRef{Ref: r.Ref}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("media source: want a URL string or {\"$ref\": \"<asset id>\"}")
	}
	*m = MediaRef{URL: s}
	return nil
}

// MarshalJSON writes the shape it came as.
func (m MediaRef) MarshalJSON() ([]byte, error) {
	if m.Ref != "" {
		return json.Marshal(map[string]string{"$ref": m.Ref})
	}
	return json.Marshal(m.URL)
}

// IsZero reports whether no source was given.
func (m MediaRef) IsZero() bool { return m.URL == "" && m.Ref == "" }

// JSONSchema describes a MediaRef.
func (MediaRef) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "A URL (https://…, or the url of an uploaded file), or {\"$ref\": \"<id>\"} naming an entry of assets.",
		OneOf: []*jsonschema.Schema{
			{Type: "string", MinLength: ptrU(1)},
			{Ref: "#/$defs/AssetRef"},
		},
	}
}

// AssetRef is the {"$ref": id} object form; it exists for the schema.
type AssetRef struct {
	Ref string `json:"$ref" jsonschema:"minLength=1,description=The id of an entry of assets"`
}

// Loop is an animation's repetition: true fills the clip, a number gives that many cycles.
type Loop struct {
	Forever bool
	Count   float64
}

// UnmarshalJSON accepts true, false or a number.
func (l *Loop) UnmarshalJSON(b []byte) error {
	switch strings.TrimSpace(string(b)) {
	case "true":
		*l = Loop{Forever: true}
		return nil
	case "false":
		*l = Loop{}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("loop: want true, false or a number of cycles")
	}
	*l = Loop{Count: v}
	return nil
}

// MarshalJSON writes true or the count.
func (l Loop) MarshalJSON() ([]byte, error) {
	if l.Forever {
		return []byte("true"), nil
	}
	if l.Count == 0 {
		return []byte("false"), nil
	}
	return json.Marshal(l.Count)
}

// JSONSchema describes a Loop.
func (Loop) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "true repeats the animation to fill the clip; a number n runs n cycles.",
		OneOf:       []*jsonschema.Schema{{Type: "boolean"}, {Type: "number", Minimum: json.Number("0")}},
	}
}

// AnimValue is an animation's from/to value: a number, [a, b], or {x, y} with lengths.
type AnimValue struct {
	Number *float64
	Pair   *[2]float64
	X, Y   *Length
}

// UnmarshalJSON accepts 0.5, [1, 2] or {"x": 100, "y": "50%"}.
func (v *AnimValue) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case '[':
		var p []float64
		if err := json.Unmarshal(b, &p); err != nil || len(p) != 2 {
			return fmt.Errorf("animation value: want a number, [a, b] or {x, y}")
		}
		*v = AnimValue{Pair: &[2]float64{p[0], p[1]}}
	case '{':
		var xy struct {
			X *Length `json:"x"`
			Y *Length `json:"y"`
		}
		if err := json.Unmarshal(b, &xy); err != nil {
			return err
		}
		*v = AnimValue{X: xy.X, Y: xy.Y}
	default:
		var n float64
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("animation value: want a number, [a, b] or {x, y}")
		}
		*v = AnimValue{Number: &n}
	}
	return nil
}

// MarshalJSON writes the shape it came as.
func (v AnimValue) MarshalJSON() ([]byte, error) {
	switch {
	case v.Number != nil:
		return json.Marshal(*v.Number)
	case v.Pair != nil:
		return json.Marshal(*v.Pair)
	default:
		m := map[string]*Length{}
		if v.X != nil {
			m["x"] = v.X
		}
		if v.Y != nil {
			m["y"] = v.Y
		}
		return json.Marshal(m)
	}
}

// JSONSchema describes an AnimValue.
func (AnimValue) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "A number (scale, degrees, opacity, filter amount), [sx, sy] for scale, or {x, y} (px or percent) for move.",
		OneOf: []*jsonschema.Schema{
			{Type: "number"},
			{Type: "array", Items: &jsonschema.Schema{Type: "number"}, MinItems: ptrU(2), MaxItems: ptrU(2)},
			{Type: "object", Properties: pointProps(), AdditionalProperties: jsonschema.FalseSchema},
		},
	}
}

func pointProps() *orderedProps {
	p := newProps()
	p.Set("x", &jsonschema.Schema{Ref: "#/$defs/Length", Description: "Horizontal position of the anchor point, px or percent of the video"})
	p.Set("y", &jsonschema.Schema{Ref: "#/$defs/Length", Description: "Vertical position of the anchor point, px or percent of the video"})
	return p
}

// KeyframeValue is a number, or a color for the fill and stroke properties.
type KeyframeValue struct {
	Number float64
	Color  Color
}

// IsColor reports whether the value is a color.
func (v KeyframeValue) IsColor() bool { return v.Color != "" }

// UnmarshalJSON accepts a number, a numeric string or a color string.
func (v *KeyframeValue) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if n, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			*v = KeyframeValue{Number: n}
			return nil
		}
		*v = KeyframeValue{Color: Color(s)}
		return nil
	}
	var n float64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("keyframe value: want a number or a color string")
	}
	*v = KeyframeValue{Number: n}
	return nil
}

// MarshalJSON writes the number or the color.
func (v KeyframeValue) MarshalJSON() ([]byte, error) {
	if v.Color != "" {
		return json.Marshal(v.Color)
	}
	return json.Marshal(v.Number)
}

// JSONSchema describes a KeyframeValue.
func (KeyframeValue) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "A number, or a color for fill and stroke.",
		OneOf:       []*jsonschema.Schema{{Type: "number"}, {Type: "string"}},
	}
}

// Point is a line vertex, written [x, y] or {"x": x, "y": y}, in px relative to the clip's position.
type Point struct {
	X, Y float64
}

// UnmarshalJSON accepts [x, y] or {x, y}.
func (p *Point) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '[' {
		var v []float64
		if err := json.Unmarshal(b, &v); err != nil || len(v) != 2 {
			return fmt.Errorf("point: want [x, y] or {\"x\", \"y\"}")
		}
		*p = Point{v[0], v[1]}
		return nil
	}
	var xy struct{ X, Y float64 }
	if err := json.Unmarshal(b, &xy); err != nil {
		return fmt.Errorf("point: want [x, y] or {\"x\", \"y\"}")
	}
	*p = Point{xy.X, xy.Y}
	return nil
}

// MarshalJSON writes [x, y].
func (p Point) MarshalJSON() ([]byte, error) { return json.Marshal([2]float64{p.X, p.Y}) }

// JSONSchema describes a Point.
func (Point) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "[x, y] or {x, y} in px, relative to the clip's position.",
		OneOf: []*jsonschema.Schema{
			{Type: "array", Items: &jsonschema.Schema{Type: "number"}, MinItems: ptrU(2), MaxItems: ptrU(2)},
			{Type: "object", Properties: func() *orderedProps {
				p := newProps()
				p.Set("x", &jsonschema.Schema{Type: "number", Description: "Horizontal offset in px"})
				p.Set("y", &jsonschema.Schema{Type: "number", Description: "Vertical offset in px"})
				return p
			}(), Required: []string{"x", "y"}},
		},
	}
}

// LineRange is an inclusive range of 1-based line numbers, written 3, [2, 5] or "2-5".
type LineRange struct {
	From, To int
}

// UnmarshalJSON accepts 3, [2, 5] or "2-5".
func (r *LineRange) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case '[':
		var v []int
		if err := json.Unmarshal(b, &v); err != nil || len(v) < 1 || len(v) > 2 {
			return fmt.Errorf("selection: want a line number, [from, to] or \"from-to\"")
		}
		*r = LineRange{v[0], v[len(v)-1]}
	case '"':
		var s string
		_ = json.Unmarshal(b, &s)
		a, z, found := strings.Cut(s, "-")
		from, err1 := strconv.Atoi(strings.TrimSpace(a))
		to := from
		var err2 error
		if found {
			to, err2 = strconv.Atoi(strings.TrimSpace(z))
		}
		if err1 != nil || err2 != nil {
			return fmt.Errorf("selection %q: want a line number, [from, to] or \"from-to\"", s)
		}
		*r = LineRange{from, to}
	default:
		var n int
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("selection: want a line number, [from, to] or \"from-to\"")
		}
		*r = LineRange{n, n}
	}
	return nil
}

// MarshalJSON writes [from, to].
func (r LineRange) MarshalJSON() ([]byte, error) { return json.Marshal([2]int{r.From, r.To}) }

// JSONSchema describes a LineRange.
func (LineRange) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "A 1-based line number, [from, to], or \"from-to\".",
		OneOf: []*jsonschema.Schema{
			{Type: "integer", Minimum: json.Number("1")},
			{Type: "array", Items: &jsonschema.Schema{Type: "integer"}, MinItems: ptrU(1), MaxItems: ptrU(2)},
			{Type: "string", Pattern: `^\s*[0-9]+\s*(-\s*[0-9]+\s*)?$`},
		},
	}
}

// Words is a subtitle word list: inline, {"$ref": id} to assets.subtitles, {"src": url} fetched when rendering,
// or (ours) {"srt": text} / {"vtt": text}.
type Words struct {
	List []Word
	Ref  string
	Src  string
	SRT  string
	VTT  string
}

// UnmarshalJSON accepts every form of Words.
func (w *Words) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '[' {
		var list []Word
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*w = Words{List: list}
		return nil
	}
	var o struct {
		Ref string `json:"$ref"`
		Src string `json:"src"`
		SRT string `json:"srt"`
		VTT string `json:"vtt"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return fmt.Errorf("words: want a list of words, {\"$ref\"}, {\"src\"}, {\"srt\"} or {\"vtt\"}")
	}
	*w = Words{Ref: o.Ref, Src: o.Src, SRT: o.SRT, VTT: o.VTT}
	return nil
}

// MarshalJSON writes the form it came as.
func (w Words) MarshalJSON() ([]byte, error) {
	switch {
	case w.Ref != "":
		return json.Marshal(map[string]string{"$ref": w.Ref})
	case w.Src != "":
		return json.Marshal(map[string]string{"src": w.Src})
	case w.SRT != "":
		return json.Marshal(map[string]string{"srt": w.SRT})
	case w.VTT != "":
		return json.Marshal(map[string]string{"vtt": w.VTT})
	}
	if w.List == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(w.List)
}

// JSONSchema describes Words.
func (Words) JSONSchema() *jsonschema.Schema {
	one := func(key, desc string) *jsonschema.Schema {
		p := newProps()
		p.Set(key, &jsonschema.Schema{Type: "string", Description: desc})
		return &jsonschema.Schema{Type: "object", Properties: p, Required: []string{key}}
	}
	return &jsonschema.Schema{
		Description: "The words with times relative to the clip start: an inline list, {\"$ref\": id} of assets.subtitles, {\"src\": url} (JSON word list, .srt or .vtt), {\"srt\": text} or {\"vtt\": text}.",
		OneOf: []*jsonschema.Schema{
			{Type: "array", Items: &jsonschema.Schema{Ref: "#/$defs/Word"}},
			{Ref: "#/$defs/AssetRef"},
			one("src", "URL of a JSON word list, an .srt or a .vtt file"),
			one("srt", "SubRip text"),
			one("vtt", "WebVTT text"),
		},
	}
}

// SVGSource is svg markup, or {"$ref": id} to assets.svgs.
type SVGSource struct {
	Markup string
	Ref    string
}

// UnmarshalJSON accepts markup or {"$ref": id}.
func (s *SVGSource) UnmarshalJSON(b []byte) error {
	if firstByte(b) == '{' {
		var r AssetRef
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		*s = SVGSource{Ref: r.Ref}
		return nil
	}
	var m string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("svg: want svg markup or {\"$ref\": \"<id>\"}")
	}
	*s = SVGSource{Markup: m}
	return nil
}

// MarshalJSON writes the form it came as.
func (s SVGSource) MarshalJSON() ([]byte, error) {
	if s.Ref != "" {
		return json.Marshal(AssetRef{Ref: s.Ref})
	}
	return json.Marshal(s.Markup)
}

// JSONSchema describes an SVGSource.
func (SVGSource) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Description: "SVG markup (\"<svg …>…</svg>\"), or {\"$ref\": id} of assets.svgs.",
		OneOf:       []*jsonschema.Schema{{Type: "string"}, {Ref: "#/$defs/AssetRef"}},
	}
}
