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
	Src          MediaRef     `json:"src"`
	Source       *SourceRange `json:"source,omitempty"`
	Volume       *float64     `json:"volume,omitempty" jsonschema:"minimum=0,maximum=1,default=1"`
	Muted        bool         `json:"muted,omitempty"`
	PlaybackRate *float64     `json:"playbackRate,omitempty" jsonschema:"exclusiveMinimum=0,default=1"`
}

// ImageClip shows an image.
type ImageClip struct {
	BaseClip
	Src MediaRef `json:"src"`
}

// TextClip shows text; "\n" breaks lines.
type TextClip struct {
	BaseClip
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
	Sides int      `json:"sides,omitempty" jsonschema:"minimum=3,default=6"`
	Size  *float64 `json:"size,omitempty" jsonschema:"exclusiveMinimum=0,description=Diameter of the circumscribed circle in px (default 100)"`
}

// Stroked holds the fields line and path clips share.
type Stroked struct {
	Closed      bool     `json:"closed,omitempty"`
	DrawStart   *float64 `json:"drawStart,omitempty" jsonschema:"minimum=0,maximum=1,description=Fraction of the length where drawing starts (default 0)"`
	DrawEnd     *float64 `json:"drawEnd,omitempty" jsonschema:"minimum=0,maximum=1,description=Fraction of the length where drawing ends (default 1)"`
	StartOffset float64  `json:"startOffset,omitempty" jsonschema:"description=px cut from the start"`
	EndOffset   float64  `json:"endOffset,omitempty" jsonschema:"description=px cut from the end"`
	StartArrow  bool     `json:"startArrow,omitempty"`
	EndArrow    bool     `json:"endArrow,omitempty"`
	ArrowSize   *float64 `json:"arrowSize,omitempty" jsonschema:"exclusiveMinimum=0,description=px (default 4 × lineWidth)"`
	LineWidth   *float64 `json:"lineWidth,omitempty" jsonschema:"minimum=0,default=4"`
	LineCap     LineCap  `json:"lineCap,omitempty"`
	LineJoin    LineJoin `json:"lineJoin,omitempty"`
}

// LineClip is a polyline.
type LineClip struct {
	BaseClip
	Stroked
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
	SVG *SVGSource `json:"svg,omitempty"`
	Src *MediaRef  `json:"src,omitempty"`
}

// IconClip shows an Iconify icon.
type IconClip struct {
	BaseClip
	Icon  string `json:"icon" jsonschema:"minLength=1,description=Iconify name set:name\\, e.g. mdi:rocket-launch"`
	Color *Color `json:"color,omitempty"`
}

// CodeClip shows a code listing.
type CodeClip struct {
	BaseClip
	Code       string      `json:"code"`
	Language   string      `json:"language,omitempty"`
	FontFamily string      `json:"fontFamily,omitempty"`
	FontSize   *float64    `json:"fontSize,omitempty" jsonschema:"exclusiveMinimum=0,default=32"`
	LineHeight *float64    `json:"lineHeight,omitempty" jsonschema:"exclusiveMinimum=0,default=1.4"`
	Selection  []LineRange `json:"selection,omitempty" jsonschema:"description=Line ranges kept bright; the rest is dimmed"`
}

// GainPoint is a point of an audio clip's gain envelope.
type GainPoint struct {
	Time   float64 `json:"time" jsonschema:"minimum=0,description=Seconds from the clip start"`
	Volume float64 `json:"volume" jsonschema:"minimum=0"`
	Easing Easing  `json:"easing,omitempty"`
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
	Src          MediaRef     `json:"src"`
	Source       *SourceRange `json:"source,omitempty"`
	Volume       *float64     `json:"volume,omitempty" jsonschema:"minimum=0,default=1"`
	Loop         bool         `json:"loop,omitempty" jsonschema:"description=Repeat to fill the duration"`
	PlaybackRate *float64     `json:"playbackRate,omitempty" jsonschema:"exclusiveMinimum=0,default=1"`
	FadeIn       float64      `json:"fadeIn,omitempty" jsonschema:"minimum=0,description=Seconds"`
	FadeOut      float64      `json:"fadeOut,omitempty" jsonschema:"minimum=0,description=Seconds"`
	Pan          float64      `json:"pan,omitempty" jsonschema:"minimum=-1,maximum=1"`
	Detune       float64      `json:"detune,omitempty" jsonschema:"description=Cents"`
	GainEnvelope []GainPoint  `json:"gainEnvelope,omitempty"`
	Ducking      *Ducking     `json:"ducking,omitempty"`
}

// Word is one timed subtitle word; times are relative to the clip start.
type Word struct {
	Word           string   `json:"word"`
	PunctuatedWord string   `json:"punctuated_word,omitempty"`
	Start          float64  `json:"start" jsonschema:"minimum=0"`
	End            float64  `json:"end" jsonschema:"minimum=0"`
	Confidence     *float64 `json:"confidence,omitempty"`
}

// SubtitleConfig is how subtitles look.
type SubtitleConfig struct {
	Mode            SubtitleMode     `json:"mode,omitempty"`
	WordsPerBatch   int              `json:"wordsPerBatch,omitempty" jsonschema:"minimum=1,default=4"`
	FontSize        *float64         `json:"fontSize,omitempty" jsonschema:"exclusiveMinimum=0,default=80"`
	FontFamily      string           `json:"fontFamily,omitempty"`
	FontWeight      *FontWeight      `json:"fontWeight,omitempty"`
	TextAlign       TextAlign        `json:"textAlign,omitempty"`
	TextBoxWidth    *Length          `json:"textBoxWidth,omitempty" jsonschema:"description=default \"70%\""`
	TextColor       *Color           `json:"textColor,omitempty" jsonschema:"description=default #ffffff"`
	HighlightColor  *Color           `json:"highlightColor,omitempty" jsonschema:"description=default #00ffff"`
	BackgroundColor *Color           `json:"backgroundColor,omitempty"`
	ShadowColor     *Color           `json:"shadowColor,omitempty"`
	ShadowBlur      *float64         `json:"shadowBlur,omitempty"`
	BorderColor     *Color           `json:"borderColor,omitempty"`
	BorderWidth     *float64         `json:"borderWidth,omitempty"`
	FadeInAnimation *bool            `json:"fadeInAnimation,omitempty" jsonschema:"default=true"`
	Position        SubtitlePosition `json:"position,omitempty"`
	PaddingBottom   *float64         `json:"paddingBottom,omitempty" jsonschema:"default=150"`
}

// SubtitleClip shows word-timed captions.
type SubtitleClip struct {
	BaseClip
	Words  *Words          `json:"words,omitempty"`
	Config *SubtitleConfig `json:"config,omitempty"`
}

// LayoutClip lays out its children in its box. Children share its time window.
type LayoutClip struct {
	BaseClip
	Direction      LayoutDirection `json:"direction,omitempty"`
	Gap            float64         `json:"gap,omitempty" jsonschema:"minimum=0"`
	Padding        *Box            `json:"padding,omitempty"`
	AlignItems     AlignItems      `json:"alignItems,omitempty"`
	JustifyContent JustifyContent  `json:"justifyContent,omitempty"`
	Clip           bool            `json:"clip,omitempty" jsonschema:"description=Hide what overflows the box"`
	Children       []Clip          `json:"children,omitempty"`
}

// TemplateOverrides adjust what a template generates.
type TemplateOverrides struct {
	Data         map[string]any `json:"data,omitempty"`
	Style        *Style         `json:"style,omitempty"`
	Transition   *Transition    `json:"transition,omitempty"`
	ZIndexOffset float64        `json:"zIndexOffset,omitempty"`
}

// TemplateClip expands into ordinary clips before rendering.
type TemplateClip struct {
	BaseClip
	Template  string             `json:"template" jsonschema:"description=Template name"`
	Variant   string             `json:"variant,omitempty"`
	Version   string             `json:"version,omitempty"`
	Data      map[string]any     `json:"data,omitempty"`
	Overrides *TemplateOverrides `json:"overrides,omitempty"`
}

// ThreeCamera places the 3D camera.
type ThreeCamera struct {
	Position *[3]float64 `json:"position,omitempty" jsonschema:"description=default [0\\, 0\\, 5]"`
	LookAt   *[3]float64 `json:"lookAt,omitempty"`
	FOV      *float64    `json:"fov,omitempty" jsonschema:"description=Vertical field of view in degrees (default 50)"`
}

// ThreeLight lights the 3D scene.
type ThreeLight struct {
	Type      string      `json:"type" jsonschema:"enum=ambient,enum=directional,enum=point"`
	Color     *Color      `json:"color,omitempty"`
	Intensity *float64    `json:"intensity,omitempty"`
	Position  *[3]float64 `json:"position,omitempty"`
}

// ThreeMaterial colors a 3D object.
type ThreeMaterial struct {
	Color     *Color   `json:"color,omitempty"`
	Metalness *float64 `json:"metalness,omitempty"`
	Roughness *float64 `json:"roughness,omitempty"`
	Wireframe bool     `json:"wireframe,omitempty"`
}

// ThreeAnimation spins or moves a 3D object.
type ThreeAnimation struct {
	Property string  `json:"property" jsonschema:"enum=rotation.x,enum=rotation.y,enum=rotation.z,enum=position.x,enum=position.y,enum=position.z"`
	From     float64 `json:"from"`
	To       float64 `json:"to"`
	Duration float64 `json:"duration,omitempty"`
	Easing   Easing  `json:"easing,omitempty"`
}

// ThreeObject is a primitive shape or a glTF model.
type ThreeObject struct {
	Type       string           `json:"type" jsonschema:"enum=box,enum=sphere,enum=cylinder,enum=cone,enum=torus,enum=plane,enum=model"`
	Src        *MediaRef        `json:"src,omitempty" jsonschema:"description=glTF model (type model)"`
	Size       *[3]float64      `json:"size,omitempty"`
	Position   *[3]float64      `json:"position,omitempty"`
	Rotation   *[3]float64      `json:"rotation,omitempty" jsonschema:"description=Degrees"`
	Scale      *float64         `json:"scale,omitempty"`
	Material   *ThreeMaterial   `json:"material,omitempty"`
	Animations []ThreeAnimation `json:"animations,omitempty"`
}

// ThreeClip is a small 3D scene.
type ThreeClip struct {
	BaseClip
	Camera  *ThreeCamera  `json:"camera,omitempty"`
	Lights  []ThreeLight  `json:"lights,omitempty"`
	Objects []ThreeObject `json:"objects,omitempty"`
}
