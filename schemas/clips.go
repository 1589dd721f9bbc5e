package schemas

import (
	"encoding/json"
	"fmt"
)

// ClipSpec is implemented by every clip type: a pointer to a struct that embeds BaseClip.
type ClipSpec interface {
	Base() *BaseClip
}

// ClipKind describes one clip type: its name, what it is, and how to make an empty one.
type ClipKind struct {
	Name        string
	Description string
	New         func() ClipSpec
}

// ClipKinds is the single list of clip types.
var ClipKinds = []ClipKind{
	{"video", "a video file, trimmed with source and played at playbackRate, with its sound", func() ClipSpec { return &VideoClip{} }},
	{"image", "a png, jpeg, webp, gif, svg or avif image", func() ClipSpec { return &ImageClip{} }},
	{"text", "text in a font, with fill, stroke, shadow, wrapping and alignment", func() ClipSpec { return &TextClip{} }},
	{"rect", "a rectangle of transform width × height with fill, stroke and borderRadius", func() ClipSpec { return &RectClip{} }},
	{"circle", "a circle of diameter size, or an arc or pie between startAngle and endAngle", func() ClipSpec { return &CircleClip{} }},
	{"polygon", "a regular polygon with sides, inscribed in a circle of diameter size", func() ClipSpec { return &PolygonClip{} }},
	{"code", "a code listing in a monospace font; selection keeps lines bright and dims the rest", func() ClipSpec { return &CodeClip{} }},
	{"svg", "SVG markup, an assets.svgs entry, or an SVG by URL", func() ClipSpec { return &SVGClip{} }},
	{"icon", "an Iconify icon by name (set:name) in a color", func() ClipSpec { return &IconClip{} }},
	{"line", "a polyline through points, with rounding, arrows and draw-on", func() ClipSpec { return &LineClip{} }},
	{"path", "an SVG path (data), with arrows and draw-on", func() ClipSpec { return &PathClip{} }},
	{"three", "a small 3D scene of primitive shapes and glTF models", func() ClipSpec { return &ThreeClip{} }},
	{"audio", "a sound: trimmed, looped, faded, panned, with a gain envelope and ducking of other clips", func() ClipSpec { return &AudioClip{} }},
	{"subtitle", "word-timed captions, in batches or as a stream", func() ClipSpec { return &SubtitleClip{} }},
	{"layout", "a box that lays out its children in a row or a column", func() ClipSpec { return &LayoutClip{} }},
	{"template", "a named template that expands into ordinary clips", func() ClipSpec { return &TemplateClip{} }},
}

// ClipTypes returns the clip type names, in order.
func ClipTypes() []Choice {
	out := make([]Choice, len(ClipKinds))
	for i, k := range ClipKinds {
		out[i] = Choice{k.Name, k.Description}
	}
	return out
}

// KindOf returns the ClipKind named name.
func KindOf(name string) (ClipKind, bool) {
	for _, k := range ClipKinds {
		if k.Name == name {
			return k, true
		}
	}
	return ClipKind{}, false
}

// Clip is one clip of any type. Spec holds a *VideoClip, *TextClip, … chosen by the JSON "type".
type Clip struct {
	Spec ClipSpec
}

// Base returns the clip's common fields.
func (c Clip) Base() *BaseClip { return c.Spec.Base() }

// UnmarshalJSON decodes the clip type named by "type".
func (c *Clip) UnmarshalJSON(b []byte) error {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	kind, ok := KindOf(head.Type)
	if !ok {
		return fmt.Errorf("unknown clip type %q", head.Type)
	}
	spec := kind.New()
	if err := json.Unmarshal(b, spec); err != nil {
		return err
	}
	c.Spec = spec
	return nil
}

// MarshalJSON encodes the clip with its type.
func (c Clip) MarshalJSON() ([]byte, error) { return json.Marshal(c.Spec) }

// NewClip wraps a clip spec, setting its type name from the Go type.
func NewClip(spec ClipSpec) Clip {
	for _, k := range ClipKinds {
		if fmt.Sprintf("%T", k.New()) == fmt.Sprintf("%T", spec) {
			spec.Base().Type = k.Name
		}
	}
	return Clip{Spec: spec}
}

// SourceRange trims media: seconds of the source.
type SourceRange struct {
	Start *float64 `json:"start,omitempty" jsonschema:"minimum=0,description=Seconds of the source where playing starts"`
	End   *float64 `json:"end,omitempty" jsonschema:"minimum=0,description=Seconds of the source where playing stops"`
}

// VideoClip plays a video file.
type VideoClip struct {
	BaseClip
	// URL of the video file, or {"$ref": id} of assets.videos.
	Src MediaRef `json:"src"`
	// The part of the file to play (seconds of the source); default from the start.
	Source *SourceRange `json:"source,omitempty"`
	// Volume of the video's sound, 0 to 1 (default 1).
	Volume *float64 `json:"volume,omitempty" jsonschema:"minimum=0,maximum=1,default=1"`
	// Play without sound.
	Muted bool `json:"muted,omitempty"`
	// Speed: 2 plays twice as fast, 0.5 half as fast (default 1).
	PlaybackRate *float64 `json:"playbackRate,omitempty" jsonschema:"exclusiveMinimum=0,default=1"`
}

// ImageClip shows an image.
type ImageClip struct {
	BaseClip
	// URL of the image (png, jpeg, webp, gif, svg, avif), or {"$ref": id} of assets.images.
	Src MediaRef `json:"src"`
}

// TextClip shows text; "\n" breaks lines.
type TextClip struct {
	BaseClip
	// The text to show; \n breaks lines.
	Text string `json:"text"`
}

// RectClip is a rectangle sized by transform width and height.
type RectClip struct {
	BaseClip
}

// CircleClip is a circle, arc or pie.
type CircleClip struct {
	BaseClip
	Size       *float64 `json:"size,omitempty" jsonschema:"exclusiveMinimum=0,description=Diameter in px (default: transform width\\, else 100)"`
	StartAngle *float64 `json:"startAngle,omitempty" jsonschema:"description=Degrees\\, 0 = 3 o'clock\\, clockwise"`
	EndAngle   *float64 `json:"endAngle,omitempty" jsonschema:"description=Degrees\\, 0 = 3 o'clock\\, clockwise"`
}

// PolygonClip is a regular polygon.
type PolygonClip struct {
	BaseClip
	// Number of sides (default 6).
	Sides int      `json:"sides,omitempty" jsonschema:"minimum=3,default=6"`
	Size  *float64 `json:"size,omitempty" jsonschema:"exclusiveMinimum=0,description=Diameter of the circumscribed circle in px (default 100)"`
}

// Stroked holds the fields line and path clips share.
type Stroked struct {
	// Join the last point back to the first.
	Closed      bool     `json:"closed,omitempty"`
	DrawStart   *float64 `json:"drawStart,omitempty" jsonschema:"minimum=0,maximum=1,description=Fraction of the length where drawing starts (default 0)"`
	DrawEnd     *float64 `json:"drawEnd,omitempty" jsonschema:"minimum=0,maximum=1,description=Fraction of the length where drawing ends (default 1)"`
	StartOffset float64  `json:"startOffset,omitempty" jsonschema:"description=px cut from the start"`
	EndOffset   float64  `json:"endOffset,omitempty" jsonschema:"description=px cut from the end"`
	// Draw an arrowhead at the start.
	StartArrow bool `json:"startArrow,omitempty"`
	// Draw an arrowhead at the end.
	EndArrow  bool     `json:"endArrow,omitempty"`
	ArrowSize *float64 `json:"arrowSize,omitempty" jsonschema:"exclusiveMinimum=0,description=px (default 4 × lineWidth)"`
	// Width of the line in px (default 4); its color is style.stroke.
	LineWidth *float64 `json:"lineWidth,omitempty" jsonschema:"minimum=0,default=4"`
	// Shape of the line's ends: butt, round or square (default round).
	LineCap LineCap `json:"lineCap,omitempty"`
	// Shape of the line's corners: miter, round or bevel (default round).
	LineJoin LineJoin `json:"lineJoin,omitempty"`
}

// LineClip is a polyline.
type LineClip struct {
	BaseClip
	Stroked
	// The points the line goes through, in px relative to the clip's position: [[x, y], …] (at least two).
	Points []Point `json:"points" jsonschema:"minItems=2"`
	Radius float64 `json:"radius,omitempty" jsonschema:"minimum=0,description=Corner rounding in px"`
}

// PathClip is an SVG path.
type PathClip struct {
	BaseClip
	Stroked
	Data string `json:"data" jsonschema:"minLength=1,description=SVG path data (M\\, L\\, H\\, V\\, C\\, S\\, Q\\, T\\, A\\, Z)"`
}

// SVGClip shows SVG markup or an SVG by URL.
type SVGClip struct {
	BaseClip
	// SVG markup, or {"$ref": id} of assets.svgs. Give this or src.
	SVG *SVGSource `json:"svg,omitempty"`
	// URL of an SVG file, or {"$ref": id} of assets.svgs. Give this or svg.
	Src *MediaRef `json:"src,omitempty"`
}

// IconClip shows an Iconify icon.
type IconClip struct {
	BaseClip
	Icon string `json:"icon" jsonschema:"minLength=1,description=Iconify name set:name\\, e.g. mdi:rocket-launch"`
	// The icon's color (default #ffffff).
	Color *Color `json:"color,omitempty"`
}

// CodeClip shows a code listing.
type CodeClip struct {
	BaseClip
	// The source code to show; \n breaks lines.
	Code string `json:"code"`
	// The language that colors the syntax: go, js, ts, python, rust, c, cpp, java, kotlin, swift, sh, ruby, sql, json, yaml, html, xml and more (default: generic C-like rules).
	Language string `json:"language,omitempty"`
	// A monospace family (default the bundled monospace font).
	FontFamily string `json:"fontFamily,omitempty"`
	// Font size in px (default 32).
	FontSize *float64 `json:"fontSize,omitempty" jsonschema:"exclusiveMinimum=0,default=32"`
	// Line height as a multiple of the font size (default 1.4).
	LineHeight *float64    `json:"lineHeight,omitempty" jsonschema:"exclusiveMinimum=0,default=1.4"`
	Selection  []LineRange `json:"selection,omitempty" jsonschema:"description=Line ranges kept bright; the rest is dimmed"`
	// Make the code appear line by line or typed character by character.
	Reveal *CodeReveal `json:"reveal,omitempty"`
}

// CodeReveal makes a code clip's text appear progressively, from the clip start (plus delay).
type CodeReveal struct {
	// line: one line after another; char: typed, one character after another.
	Mode CodeRevealMode `json:"mode"`
	// Seconds the whole reveal takes (default: at speed).
	Duration *float64 `json:"duration,omitempty" jsonschema:"exclusiveMinimum=0"`
	// Lines (mode line) or characters (mode char) per second, when no duration is given (default 2 lines or 30 characters).
	Speed *float64 `json:"speed,omitempty" jsonschema:"exclusiveMinimum=0"`
	// Seconds from the clip start before the reveal begins (default 0).
	Delay float64 `json:"delay,omitempty" jsonschema:"minimum=0"`
}

// GainPoint is a point of an audio clip's gain envelope.
type GainPoint struct {
	Time float64 `json:"time" jsonschema:"minimum=0,description=Seconds from the clip start"`
	// Volume at this time: 0 (silent) to 1 (as recorded) or more.
	Volume float64 `json:"volume" jsonschema:"minimum=0"`
	// How the volume moves from the previous point to this one (default linear).
	Easing Easing `json:"easing,omitempty"`
}

// Ducking lowers the volume of target clips while this clip sounds.
type Ducking struct {
	Targets []string `json:"targets" jsonschema:"minItems=1,description=Ids of the clips to lower"`
	Amount  *float64 `json:"amount,omitempty" jsonschema:"minimum=0,maximum=1,default=0.5,description=How much to lower them"`
	Attack  *float64 `json:"attack,omitempty" jsonschema:"minimum=0,description=Seconds to go down (default 0.2)"`
	Release *float64 `json:"release,omitempty" jsonschema:"minimum=0,description=Seconds to come back (default 0.5)"`
}

// AudioClip plays a sound.
type AudioClip struct {
	BaseClip
	// URL of the sound file, or {"$ref": id} of assets.audios.
	Src MediaRef `json:"src"`
	// The part of the file to play (seconds of the source); default from the start.
	Source *SourceRange `json:"source,omitempty"`
	// Volume, 0 (silent) to 1 (as recorded) or more (default 1).
	Volume *float64 `json:"volume,omitempty" jsonschema:"minimum=0,default=1"`
	Loop   bool     `json:"loop,omitempty" jsonschema:"description=Repeat to fill the duration"`
	// Speed: 2 plays twice as fast (and higher), 0.5 half as fast (default 1).
	PlaybackRate *float64 `json:"playbackRate,omitempty" jsonschema:"exclusiveMinimum=0,default=1"`
	FadeIn       float64  `json:"fadeIn,omitempty" jsonschema:"minimum=0,description=Seconds"`
	FadeOut      float64  `json:"fadeOut,omitempty" jsonschema:"minimum=0,description=Seconds"`
	// Stereo position: -1 left, 0 center, 1 right (default 0).
	Pan    float64 `json:"pan,omitempty" jsonschema:"minimum=-1,maximum=1"`
	Detune float64 `json:"detune,omitempty" jsonschema:"description=Cents"`
	// Volume over time: points {time, volume} the volume moves through, times in seconds from the clip start.
	GainEnvelope []GainPoint `json:"gainEnvelope,omitempty"`
	// Lower the volume of other clips (by id) while this one sounds, such as music under a voice.
	Ducking *Ducking `json:"ducking,omitempty"`
}

// Word is one timed subtitle word; times are relative to the clip start.
type Word struct {
	// The word as spoken.
	Word string `json:"word"`
	// The word as shown, with its punctuation and capitals (default: word).
	PunctuatedWord string `json:"punctuated_word,omitempty"`
	// When the word starts, in seconds from the clip start.
	Start float64 `json:"start" jsonschema:"minimum=0"`
	// When the word ends, in seconds from the clip start.
	End float64 `json:"end" jsonschema:"minimum=0"`
	// How sure the transcription was, 0 to 1; not drawn.
	Confidence *float64 `json:"confidence,omitempty"`
}

// SubtitleConfig is how subtitles look.
type SubtitleConfig struct {
	// How words appear: batch shows wordsPerBatch words at a time (a subtitle cue is one batch) with the spoken one highlighted, stream adds words one by one, karaoke shows the batch with every word spoken so far highlighted (default batch).
	Mode SubtitleMode `json:"mode,omitempty"`
	// Words shown at a time in batch mode (default 4).
	WordsPerBatch int `json:"wordsPerBatch,omitempty" jsonschema:"minimum=1,default=4"`
	// Font size in px (default 5% of the frame's short edge: 54 at 1080p, 36 at 720p).
	FontSize *float64 `json:"fontSize,omitempty" jsonschema:"exclusiveMinimum=0"`
	// Font family (default the bundled sans-serif, Arial metrics).
	FontFamily string `json:"fontFamily,omitempty"`
	// 100 to 900, normal or bold (default 800).
	FontWeight *FontWeight `json:"fontWeight,omitempty"`
	// Alignment of the lines (default center).
	TextAlign      TextAlign `json:"textAlign,omitempty"`
	TextBoxWidth   *Length   `json:"textBoxWidth,omitempty" jsonschema:"description=default \"70%\""`
	TextColor      *Color    `json:"textColor,omitempty" jsonschema:"description=default #ffffff"`
	HighlightColor *Color    `json:"highlightColor,omitempty" jsonschema:"description=default #00ffff"`
	// Color of a box behind the text (default none).
	BackgroundColor *Color `json:"backgroundColor,omitempty"`
	// Color of the text's shadow (default none).
	ShadowColor *Color `json:"shadowColor,omitempty"`
	// Blur of the text's shadow in px.
	ShadowBlur *float64 `json:"shadowBlur,omitempty"`
	// Color of the text's outline (default none).
	BorderColor *Color `json:"borderColor,omitempty"`
	// Width of the text's outline in px.
	BorderWidth *float64 `json:"borderWidth,omitempty"`
	// Fade each batch in (default true).
	FadeInAnimation *bool `json:"fadeInAnimation,omitempty" jsonschema:"default=true"`
	// Where the captions sit: top, center or bottom (default bottom).
	Position SubtitlePosition `json:"position,omitempty"`
	// Distance in px from the bottom edge when position is bottom (default 150 at 1080 px high, scaled with the height).
	PaddingBottom *float64 `json:"paddingBottom,omitempty"`
	// Keep the last batch on screen until the clip ends (default false: it goes when its cue or last word ends).
	Hold *bool `json:"hold,omitempty" jsonschema:"default=false"`
}

// SubtitleClip shows word-timed captions.
type SubtitleClip struct {
	BaseClip
	// The timed words: an inline list, {"$ref": id} of assets.subtitles, {"src": url}, {"srt": text} or {"vtt": text}.
	Words *Words `json:"words,omitempty"`
	// How the captions look and appear.
	Config *SubtitleConfig `json:"config,omitempty"`
}

// LayoutClip lays out its children in its box. Children share its time window.
type LayoutClip struct {
	BaseClip
	// Lay the children out in a row (horizontal, the default) or a column (vertical).
	Direction LayoutDirection `json:"direction,omitempty"`
	// Space between children in px.
	Gap float64 `json:"gap,omitempty" jsonschema:"minimum=0"`
	// Space inside the box's edges in px: one number, or per side.
	Padding *Box `json:"padding,omitempty"`
	// How children line up across the direction: start, center, end or stretch (default center).
	AlignItems AlignItems `json:"alignItems,omitempty"`
	// How children spread along the direction: start, center, end, space-between or space-around (default start).
	JustifyContent JustifyContent `json:"justifyContent,omitempty"`
	Clip           bool           `json:"clip,omitempty" jsonschema:"description=Hide what overflows the box"`
	// The clips laid out in the box; they share its time window (no start or duration of their own needed).
	Children []Clip `json:"children,omitempty"`
}

// TemplateOverrides adjust what a template generates.
type TemplateOverrides struct {
	// Data merged over the template clip's data.
	Data map[string]any `json:"data,omitempty"`
	// Style merged into the clips the template generates.
	Style *Style `json:"style,omitempty"`
	// The entrance given to the clips the template generates.
	Transition *Transition `json:"transition,omitempty"`
	// Added to the zIndex of every generated clip.
	ZIndexOffset float64 `json:"zIndexOffset,omitempty"`
}

// TemplateClip expands into ordinary clips before rendering.
type TemplateClip struct {
	BaseClip
	Template string `json:"template" jsonschema:"description=Template name"`
	// A variant of the template, where it has several (see get_capabilities).
	Variant string `json:"variant,omitempty"`
	// The template version asked for; accepted and ignored.
	Version string `json:"version,omitempty"`
	// The template's inputs (texts, colors, media URLs); each template lists its data fields with their types and defaults in framecast://templates and get_capabilities.
	Data map[string]any `json:"data,omitempty"`
	// Adjustments to the clips the template generates.
	Overrides *TemplateOverrides `json:"overrides,omitempty"`
}

// ThreeCamera places the 3D camera.
type ThreeCamera struct {
	Position *[3]float64 `json:"position,omitempty" jsonschema:"description=default [0\\, 0\\, 5]"`
	// The point the camera looks at (default [0, 0, 0]).
	LookAt *[3]float64 `json:"lookAt,omitempty"`
	FOV    *float64    `json:"fov,omitempty" jsonschema:"description=Vertical field of view in degrees (default 50)"`
}

// ThreeLight lights the 3D scene.
type ThreeLight struct {
	// ambient lights everything evenly; directional shines from position toward the origin; point shines from position.
	Type ThreeLightType `json:"type"`
	// The light's color (default #ffffff).
	Color *Color `json:"color,omitempty"`
	// The light's strength (default 1).
	Intensity *float64 `json:"intensity,omitempty"`
	// [x, y, z] of a directional or point light.
	Position *[3]float64 `json:"position,omitempty"`
}

// ThreeMaterial colors a 3D object.
type ThreeMaterial struct {
	// The surface color (default #cccccc).
	Color *Color `json:"color,omitempty"`
	// 0 (plastic) to 1 (metal) (default 0).
	Metalness *float64 `json:"metalness,omitempty"`
	// 0 (mirror) to 1 (matte) (default 0.5).
	Roughness *float64 `json:"roughness,omitempty"`
	// Draw only the edges.
	Wireframe bool `json:"wireframe,omitempty"`
}

// ThreeAnimation spins or moves a 3D object.
type ThreeAnimation struct {
	// What the animation changes: a rotation (degrees) or position (units) axis.
	Property ThreeProperty `json:"property"`
	// Starting value.
	From float64 `json:"from"`
	// Ending value.
	To float64 `json:"to"`
	// Seconds (default: the clip's duration).
	Duration float64 `json:"duration,omitempty"`
	// How the change speeds up and slows down (default linear).
	Easing Easing `json:"easing,omitempty"`
}

// ThreeObject is a primitive shape or a glTF model.
type ThreeObject struct {
	// The shape, or model for a glTF file given in src.
	Type ThreeShape `json:"type"`
	Src  *MediaRef  `json:"src,omitempty" jsonschema:"description=glTF model (type model)"`
	// [width, height, depth] in scene units (default [1, 1, 1]).
	Size *[3]float64 `json:"size,omitempty"`
	// [x, y, z] in scene units (default [0, 0, 0]).
	Position *[3]float64 `json:"position,omitempty"`
	Rotation *[3]float64 `json:"rotation,omitempty" jsonschema:"description=Degrees"`
	// Uniform scale (default 1).
	Scale *float64 `json:"scale,omitempty"`
	// The object's surface.
	Material *ThreeMaterial `json:"material,omitempty"`
	// Rotations and moves over time.
	Animations []ThreeAnimation `json:"animations,omitempty"`
}

// ThreeClip is a small 3D scene.
type ThreeClip struct {
	BaseClip
	// Where the camera is and what it looks at.
	Camera *ThreeCamera `json:"camera,omitempty"`
	// The scene's lights (default: an ambient and a directional light).
	Lights []ThreeLight `json:"lights,omitempty"`
	// The shapes and models of the scene.
	Objects []ThreeObject `json:"objects,omitempty"`
}
