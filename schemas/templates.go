package schemas

import (
	"sort"
	"strings"
)

// TemplateField is one entry of a template's data: its name, the JSON it takes, its default and what it
// does. The validator warns about data keys no field names (with a did-you-mean), the capabilities and
// the MCP resource framecast://templates list the fields, and the engine's templates read them.
type TemplateField struct {
	// Name is the key in the template clip's data.
	Name string `json:"name"`
	// Type is the JSON the field takes: string, number, color, media (a URL or {"$ref": id}), or a list
	// or object shape written out, such as "string[]".
	Type string `json:"type"`
	// Default is the value used when the field is missing (nil: nothing is drawn for it).
	Default any `json:"default,omitempty"`
	// Description says what the field shows.
	Description string `json:"description"`
}

// TemplateSpec is one built-in template as users see it: what it draws, its data fields and a sample
// data object that shows it well.
type TemplateSpec struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Fields      []TemplateField `json:"fields"`
	// Sample is a data object to start from; its media URLs are placeholders to replace.
	Sample map[string]any `json:"sample"`
	// Overlay is true for templates drawn over the clips below them (no background of their own).
	Overlay bool `json:"overlay,omitempty"`
}

// Field returns the field named name.
func (t TemplateSpec) Field(name string) (TemplateField, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return TemplateField{}, false
}

// FieldNames returns the names of the template's data fields, sorted.
func (t TemplateSpec) FieldNames() []string {
	names := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		names[i] = f.Name
	}
	sort.Strings(names)
	return names
}

// TemplateSpecOf returns the built-in template named name.
func TemplateSpecOf(name string) (TemplateSpec, bool) {
	for _, t := range Templates {
		if t.Name == name {
			return t, true
		}
	}
	return TemplateSpec{}, false
}

// Templates is the single list of built-in templates: TemplateNames, the validator's data check, the
// capabilities and the engine's render/templates all read it.
var Templates = []TemplateSpec{
	{Name: "product-intro", Description: "product name, tagline, image and price",
		Fields: []TemplateField{
			{"name", "string", "Product", "The product's name, large."},
			{"tagline", "string", nil, "One line under the name."},
			{"image", "media", nil, "The product image (URL or {\"$ref\": id}); the text moves right when it is given."},
			{"price", "string", nil, "The price in a pill, such as $49."},
		},
		Sample: map[string]any{"name": "Aurora Lamp", "tagline": "Light that follows the sun", "price": "$89"}},
	{Name: "slideshow", Description: "images with captions and transitions",
		Fields: []TemplateField{
			{"images", "(media | {src, caption})[]", nil, "The slides in order, sharing the clip's duration: image URLs, or {src, caption}."},
			{"transition", "string", "fade", "The transition type between slides."},
		},
		Sample: map[string]any{"images": []any{"https://example.com/1.jpg", map[string]any{"src": "https://example.com/2.jpg", "caption": "Day two"}}}},
	{Name: "subtitle-video", Description: "a video with word-timed subtitles",
		Fields: []TemplateField{
			{"video", "media", nil, "The video (URL or {\"$ref\": id})."},
			{"words", "words", nil, "The timed words: a list, {\"srt\": text}, {\"vtt\": text}, {\"src\": url} or {\"$ref\": id}."},
			{"config", "object", nil, "How the subtitles look (the subtitle clip's config)."},
		},
		Sample: map[string]any{"video": "https://example.com/talk.mp4", "words": map[string]any{"srt": "1\n00:00:00,000 --> 00:00:02,000\nHello there\n"}}},
	{Name: "talking-head", Description: "a speaker video with name and title lower third; without video it frames the clips below",
		Fields: []TemplateField{
			{"video", "media", nil, "The speaker video (URL or {\"$ref\": id}), full frame; leave out to put the lower third over the clips below."},
			{"name", "string", nil, "The speaker's name."},
			{"title", "string", nil, "The speaker's role, under the name."},
		},
		Sample: map[string]any{"name": "Ada Lovelace", "title": "Chief Engineer"}},
	{Name: "comparison", Description: "two sides compared, left and right",
		Fields: []TemplateField{
			{"title", "string", nil, "The heading."},
			{"left", "{title, image?, points: string[]}", nil, "The left side: its title, an optional image and its points."},
			{"right", "{title, image?, points: string[]}", nil, "The right side, like left."},
		},
		Sample: map[string]any{"title": "Before vs After", "left": map[string]any{"title": "Before", "points": []any{"Slow", "Manual"}}, "right": map[string]any{"title": "After", "points": []any{"Fast", "Automatic"}}}},
	{Name: "countdown", Description: "a number counting down",
		Fields: []TemplateField{
			{"from", "number", 5, "The first number."},
			{"to", "number", 1, "The last number."},
			{"label", "string", nil, "Text above the numbers."},
		},
		Sample: map[string]any{"from": 3, "label": "Launching in"}},
	{Name: "text-reveal", Description: "lines of text revealed one after another",
		Fields: []TemplateField{
			{"lines", "string[]", nil, "The lines, revealed one after another."},
			{"color", "color", nil, "The text color (default: the variant's text color)."},
		},
		Sample: map[string]any{"lines": []any{"Design.", "Build.", "Ship."}}},
	{Name: "news", Description: "headline, ticker and image",
		Fields: []TemplateField{
			{"headline", "string", nil, "The main headline on the lower band."},
			{"ticker", "string", nil, "Text scrolling along the bottom."},
			{"image", "media", nil, "A full-frame background image (URL or {\"$ref\": id})."},
			{"label", "string", "BREAKING", "The red tag above the headline."},
		},
		Sample: map[string]any{"headline": "Framecast ships 1.0", "ticker": "Self-hosted video rendering is here", "label": "BREAKING"}},
	{Name: "quote", Description: "a quotation with its author",
		Fields: []TemplateField{
			{"quote", "string", nil, "The quotation, in quotation marks."},
			{"author", "string", nil, "Who said it, under the quotation."},
		},
		Sample: map[string]any{"quote": "Simplicity is prerequisite for reliability.", "author": "Edsger W. Dijkstra"}},
	{Name: "list", Description: "a title and items appearing one by one",
		Fields: []TemplateField{
			{"title", "string", nil, "The heading."},
			{"items", "string[]", nil, "The items, appearing one by one."},
		},
		Sample: map[string]any{"title": "Why Framecast", "items": []any{"Self-hosted", "One binary", "Fast"}}},
	{Name: "lower-third", Description: "a name and a line of text in a bar over the lower left of the clips below", Overlay: true,
		Fields: []TemplateField{
			{"name", "string", nil, "The main line, such as a person's name."},
			{"title", "string", nil, "The second line, such as a role or a place."},
			{"color", "color", nil, "The color of the accent stripe (default: the variant's accent color)."},
			{"position", "string", "left", "left or right: the side of the frame the bar sits on."},
		},
		Sample: map[string]any{"name": "Grace Hopper", "title": "Rear Admiral, US Navy"}},
	{Name: "title-card", Description: "a full-frame title with a subtitle and an accent line",
		Fields: []TemplateField{
			{"title", "string", "Title", "The title, large and centered."},
			{"subtitle", "string", nil, "A line under the title."},
			{"kicker", "string", nil, "A small line above the title, such as a chapter number."},
		},
		Sample: map[string]any{"kicker": "Chapter 1", "title": "The Beginning", "subtitle": "Where it all started"}},
	{Name: "logo-sting", Description: "a logo that pops in with a burst ring, then a tagline",
		Fields: []TemplateField{
			{"logo", "media", nil, "The logo image (URL or {\"$ref\": id}); without it, text is shown in a circle."},
			{"text", "string", nil, "The brand name shown in the circle when there is no logo."},
			{"tagline", "string", nil, "A line under the logo."},
		},
		Sample: map[string]any{"text": "FC", "tagline": "Video from JSON"}},
}

// templateChoices returns the names and descriptions of Templates.
func templateChoices() []Choice {
	out := make([]Choice, len(Templates))
	for i, t := range Templates {
		out[i] = Choice{t.Name, t.Description}
	}
	return out
}

// checkTemplateData warns about the keys of a template clip's data (and overrides.data) that the
// template does not read, with a did-you-mean when one is close, so that a misspelled field is not
// silently left blank.
func checkTemplateData(v *validator, path string, obj map[string]any) {
	name, _ := obj["template"].(string)
	spec, ok := TemplateSpecOf(name)
	if !ok {
		return
	}
	check := func(dataPath string, data map[string]any) {
		keys := make([]string, 0, len(data))
		for k := range data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, known := spec.Field(k); known {
				continue
			}
			v.warnf(joinPath(dataPath, k), "template %q has no data field %q, so it is ignored%s (fields: %s)",
				name, k, didYouMean(k, spec.FieldNames()), strings.Join(spec.FieldNames(), ", "))
		}
	}
	if data, ok := obj["data"].(map[string]any); ok {
		check(joinPath(path, "data"), data)
	}
	if ov, ok := obj["overrides"].(map[string]any); ok {
		if data, ok := ov["data"].(map[string]any); ok {
			check(joinPath(joinPath(path, "overrides"), "data"), data)
		}
	}
}
