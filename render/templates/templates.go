// Package templates expands template clips into the ordinary clips they stand for.
//
// A template clip names one of schemas.TemplateNames and carries `data`; Expand turns it into text, image,
// video, shape and subtitle clips inside the template clip's time window. Generated clips do not inherit the
// template clip's transform, animations or keyframes; `overrides` adjust them: `data` is merged over `data`,
// `style` is merged into every generated clip's style, `transition` replaces their transitions and
// `zIndexOffset` is added to their zIndex.
package templates

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/framecast/framecast/schemas"
)

// Canvas is the size of the video the template fills.
type Canvas struct{ W, H float64 }

// Template generates clips from data. Times in the result are relative to the template clip's start; Expand
// shifts them.
type Template struct {
	Name     string
	Variants map[string]Palette
	// Build draws the template; its data fields, their defaults and a sample are documented once, in
	// schemas.Templates.
	Build func(d Data, p Palette, c Canvas, duration float64) []schemas.Clip
}

// Palette is a variant's colors.
type Palette struct {
	Background, Text, Accent, Muted string
}

var defaultPalettes = map[string]Palette{
	"default": {Background: "#0f172a", Text: "#ffffff", Accent: "#38bdf8", Muted: "#94a3b8"},
	"dark":    {Background: "#000000", Text: "#f5f5f5", Accent: "#f59e0b", Muted: "#a3a3a3"},
	"light":   {Background: "#f8fafc", Text: "#0f172a", Accent: "#2563eb", Muted: "#475569"},
}

// All is the registry of templates, in the order of schemas.TemplateNames.
var All = map[string]*Template{}

func register(t *Template) {
	if t.Variants == nil {
		t.Variants = defaultPalettes
	}
	All[t.Name] = t
}

// VariantNames returns a template's variants, sorted.
func (t *Template) VariantNames() []string {
	names := make([]string, 0, len(t.Variants))
	for n := range t.Variants {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Expand returns the clips a template clip stands for, on the timeline, with warnings (an unknown variant
// falls back to "default").
func Expand(tc *schemas.TemplateClip, c Canvas) ([]schemas.Clip, []string, error) {
	t, ok := All[tc.Template]
	if !ok {
		return nil, nil, fmt.Errorf("unknown template %q", tc.Template)
	}
	var warnings []string
	variant := tc.Variant
	if variant == "" {
		variant = "default"
	}
	pal, ok := t.Variants[variant]
	if !ok {
		warnings = append(warnings, fmt.Sprintf("template %q has no variant %q; using \"default\" (variants: %v)", t.Name, tc.Variant, t.VariantNames()))
		pal = t.Variants["default"]
	}
	data := Data{}
	for k, v := range tc.Data {
		data[k] = v
	}
	ov := tc.Overrides
	if ov != nil {
		for k, v := range ov.Data {
			data[k] = v
		}
	}
	clips := t.Build(data, pal, c, tc.Duration)
	for _, cl := range clips {
		b := cl.Base()
		b.Start += tc.Start
		b.ZIndex += tc.ZIndex
		if ov == nil {
			continue
		}
		b.ZIndex += ov.ZIndexOffset
		if ov.Transition != nil {
			tr := *ov.Transition
			b.Transition = &tr
		}
		if ov.Style != nil && restyled(cl) {
			b.Style = mergeStyle(b.Style, ov.Style)
		}
	}
	return clips, warnings, nil
}

// ExpandDocument returns doc with every top-level template clip replaced by its clips. doc is not changed.
func ExpandDocument(doc *schemas.Document) (*schemas.Document, []string, error) {
	has := false
	for _, tr := range doc.Tracks {
		for _, c := range tr.Clips {
			if _, ok := c.Spec.(*schemas.TemplateClip); ok {
				has = true
			}
		}
	}
	if !has {
		return doc, nil, nil
	}
	out := *doc
	out.Tracks = make([]schemas.Track, len(doc.Tracks))
	canvas := Canvas{W: float64(doc.Meta.Width), H: float64(doc.Meta.Height)}
	var warnings []string
	for ti, tr := range doc.Tracks {
		nt := schemas.Track{ID: tr.ID}
		for ci, c := range tr.Clips {
			tc, ok := c.Spec.(*schemas.TemplateClip)
			if !ok {
				nt.Clips = append(nt.Clips, c)
				continue
			}
			clips, w, err := Expand(tc, canvas)
			if err != nil {
				return nil, nil, fmt.Errorf("tracks[%d].clips[%d]: %w", ti, ci, err)
			}
			warnings = append(warnings, w...)
			nt.Clips = append(nt.Clips, clips...)
		}
		out.Tracks[ti] = nt
	}
	return &out, warnings, nil
}

// mergeStyle returns base with every field set in over replacing base's (through JSON, so no field list is
// written twice).
// restyled reports whether overrides.style applies to generated clip cl: only to the template's text (its
// font, fill, stroke, shadow…). Backgrounds, shapes and images keep the template's own style — a
// `"fill": "#ff0000"` meant for the words would otherwise paint the whole frame red.
func restyled(cl schemas.Clip) bool {
	_, text := cl.Spec.(*schemas.TextClip)
	return text
}

func mergeStyle(base, over *schemas.Style) *schemas.Style {
	m := map[string]any{}
	if base != nil {
		b, _ := json.Marshal(base)
		_ = json.Unmarshal(b, &m)
	}
	var o map[string]any
	b, _ := json.Marshal(over)
	_ = json.Unmarshal(b, &o)
	for k, v := range o {
		m[k] = v
	}
	var out schemas.Style
	b, _ = json.Marshal(m)
	if err := json.Unmarshal(b, &out); err != nil {
		return base
	}
	return &out
}

// Data is a template's data with typed accessors that fall back to defaults.
type Data map[string]any

// Str returns a string field.
func (d Data) Str(key, def string) string {
	if s, ok := d[key].(string); ok && s != "" {
		return s
	}
	return def
}

// Num returns a number field.
func (d Data) Num(key string, def float64) float64 {
	switch v := d[key].(type) {
	case float64:
		return v
	case json.Number:
		f, err := v.Float64()
		if err == nil {
			return f
		}
	case int:
		return float64(v)
	}
	return def
}

// List returns a list field.
func (d Data) List(key string) []any {
	l, _ := d[key].([]any)
	return l
}

// Media returns a media field: a URL string or {"$ref": id}.
func (d Data) Media(key string) (schemas.MediaRef, bool) {
	return mediaOf(d[key])
}

func mediaOf(v any) (schemas.MediaRef, bool) {
	switch m := v.(type) {
	case string:
		return schemas.MediaRef{URL: m}, m != ""
	case map[string]any:
		if r, ok := m["$ref"].(string); ok {
			return schemas.MediaRef{Ref: r}, true
		}
		if s, ok := m["src"].(string); ok {
			return schemas.MediaRef{URL: s}, true
		}
	}
	return schemas.MediaRef{}, false
}
