// Package schemas holds the Go types of the Framecast video document (protocol 2.0.0, the RenderingVideo
// format), the JSON Schema generated from them, and the validator.
//
// Every enumerated name (clip types, animations, easings, transitions, keyframe properties, …) is defined
// once in this package; the JSON Schema, validation, the capabilities endpoint and the MCP server read
// those definitions.
package schemas

// Version is the document protocol version this package implements.
const Version = "2.0.0"

// DefaultFPS is the frame rate of a document whose meta.fps is missing.
const DefaultFPS = 30

// Document is a whole video: its format, its reusable assets and its tracks of clips.
type Document struct {
	Meta   Meta    `json:"meta" jsonschema:"description=Format of the video"`
	Assets *Assets `json:"assets,omitempty" jsonschema:"description=Reusable media referred to by {\"$ref\": id}"`
	Tracks []Track `json:"tracks" jsonschema:"minItems=1,description=Tracks of clips; later tracks paint above earlier ones at equal zIndex and start"`
}

// Meta is the format of the video.
type Meta struct {
	Version     string   `json:"version" jsonschema:"default=2.0.0,description=Protocol version: 2.0.0"`
	Width       int      `json:"width" jsonschema:"minimum=1,description=Width in px"`
	Height      int      `json:"height" jsonschema:"minimum=1,description=Height in px"`
	FPS         float64  `json:"fps,omitempty" jsonschema:"exclusiveMinimum=0,default=30,description=Frames per second (default 30)"`
	Background  *Paint   `json:"background,omitempty" jsonschema:"description=Color\\, \"transparent\" or a gradient (default #000000)"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Author      string   `json:"author,omitempty"`
	CreatedAt   string   `json:"createdAt,omitempty"`
	Tags        []string `json:"tags,omitempty"`
}

// FrameRate returns meta.fps, or DefaultFPS when it is missing.
func (m Meta) FrameRate() float64 {
	if m.FPS > 0 {
		return m.FPS
	}
	return DefaultFPS
}

// Assets is the pool of reusable media. Ids are unique across all groups.
type Assets struct {
	Fonts     []FontAsset     `json:"fonts,omitempty"`
	Images    []MediaAsset    `json:"images,omitempty"`
	Videos    []MediaAsset    `json:"videos,omitempty"`
	Audios    []MediaAsset    `json:"audios,omitempty"`
	Subtitles []SubtitleAsset `json:"subtitles,omitempty"`
	Svgs      []SVGAsset      `json:"svgs,omitempty"`
	Models    []MediaAsset    `json:"models,omitempty"`
}

// MediaAsset is an image, video, audio or 3D model by URL.
type MediaAsset struct {
	ID  string `json:"id" jsonschema:"minLength=1"`
	Src string `json:"src" jsonschema:"minLength=1,description=URL of the media"`
}

// FontAsset adds a font family (TTF, OTF, WOFF or WOFF2).
type FontAsset struct {
	ID     string      `json:"id" jsonschema:"minLength=1"`
	Src    string      `json:"src" jsonschema:"minLength=1,description=URL of a TTF\\, OTF\\, WOFF or WOFF2 file"`
	Family string      `json:"family" jsonschema:"minLength=1,description=Family name used by style.fontFamily"`
	Weight *FontWeight `json:"weight,omitempty"`
	Style  FontStyle   `json:"style,omitempty"`
}

// SubtitleAsset is a reusable word list.
type SubtitleAsset struct {
	ID    string `json:"id" jsonschema:"minLength=1"`
	Words Words  `json:"words"`
}

// SVGAsset is reusable SVG markup or an SVG by URL.
type SVGAsset struct {
	ID  string `json:"id" jsonschema:"minLength=1"`
	SVG string `json:"svg,omitempty" jsonschema:"description=SVG markup"`
	Src string `json:"src,omitempty" jsonschema:"description=URL of an SVG file"`
}

// Track is an ordered list of clips.
type Track struct {
	ID    string `json:"id,omitempty"`
	Clips []Clip `json:"clips"`
}

// BaseClip holds the fields every clip type has.
type BaseClip struct {
	Type       string          `json:"type" jsonschema:"description=Clip type"`
	ID         string          `json:"id,omitempty" jsonschema:"description=Optional id; needed to be a ducking target"`
	Start      float64         `json:"start" jsonschema:"minimum=0,description=Start on the timeline in seconds"`
	Duration   float64         `json:"duration" jsonschema:"exclusiveMinimum=0,description=Duration in seconds"`
	Transform  *Transform      `json:"transform,omitempty"`
	ZIndex     float64         `json:"zIndex,omitempty" jsonschema:"description=Higher paints on top (default 0)"`
	Opacity    *float64        `json:"opacity,omitempty" jsonschema:"minimum=0,maximum=1,default=1"`
	Style      *Style          `json:"style,omitempty"`
	Animations []Animation     `json:"animations,omitempty"`
	Keyframes  []KeyframeTrack `json:"keyframes,omitempty"`
	Transition *Transition     `json:"transition,omitempty"`
}

// Base returns the clip's common fields.
func (b *BaseClip) Base() *BaseClip { return b }

// End is the clip's end on the timeline.
func (b *BaseClip) End() float64 { return b.Start + b.Duration }

// Transform is the position, size and shape of a clip's box.
type Transform struct {
	X        *Length     `json:"x,omitempty" jsonschema:"description=Horizontal position of the anchor point (default \"50%\")"`
	Y        *Length     `json:"y,omitempty" jsonschema:"description=Vertical position of the anchor point (default \"50%\")"`
	Width    *Length     `json:"width,omitempty"`
	Height   *Length     `json:"height,omitempty"`
	Anchor   Anchor      `json:"anchor,omitempty"`
	Scale    *Scale      `json:"scale,omitempty" jsonschema:"description=Scale around the anchor point (default 1)"`
	Rotation float64     `json:"rotation,omitempty" jsonschema:"description=Degrees clockwise around the anchor point"`
	Skew     *[2]float64 `json:"skew,omitempty" jsonschema:"description=[x\\, y] degrees around the anchor point"`
}

// Style is how a clip looks.
type Style struct {
	Opacity            *float64           `json:"opacity,omitempty" jsonschema:"minimum=0,maximum=1,description=Wins over the clip's opacity"`
	ObjectFit          ObjectFit          `json:"objectFit,omitempty"`
	Fill               *Paint             `json:"fill,omitempty" jsonschema:"description=Fill color or gradient (text default #ffffff)"`
	Stroke             *Paint             `json:"stroke,omitempty"`
	StrokeWidth        *float64           `json:"strokeWidth,omitempty" jsonschema:"minimum=0"`
	FontFamily         string             `json:"fontFamily,omitempty" jsonschema:"description=Arial\\, Helvetica\\, Times New Roman\\, Courier New\\, sans-serif\\, serif\\, monospace\\, DejaVu Sans\\, or a family from assets.fonts"`
	FontSize           *float64           `json:"fontSize,omitempty" jsonschema:"exclusiveMinimum=0,default=48"`
	FontWeight         *FontWeight        `json:"fontWeight,omitempty"`
	FontStyle          FontStyle          `json:"fontStyle,omitempty"`
	LineHeight         *float64           `json:"lineHeight,omitempty" jsonschema:"exclusiveMinimum=0,default=1.2,description=Multiple of the font size"`
	LetterSpacing      *float64           `json:"letterSpacing,omitempty" jsonschema:"description=Extra px between letters"`
	TextAlign          TextAlign          `json:"textAlign,omitempty"`
	TextWrap           *bool              `json:"textWrap,omitempty" jsonschema:"description=Wrap lines at transform.width"`
	ShadowColor        *Color             `json:"shadowColor,omitempty"`
	ShadowBlur         *float64           `json:"shadowBlur,omitempty" jsonschema:"minimum=0"`
	ShadowOffset       *[2]float64        `json:"shadowOffset,omitempty" jsonschema:"description=[dx\\, dy] px"`
	BorderRadius       *Corners           `json:"borderRadius,omitempty"`
	Filters            []Filter           `json:"filters,omitempty"`
	CompositeOperation CompositeOperation `json:"compositeOperation,omitempty"`
	Cache              any                `json:"cache,omitempty" jsonschema:"description=Accepted; no visible effect"`
	CachePadding       any                `json:"cachePadding,omitempty" jsonschema:"description=Accepted; no visible effect"`
	Composite          any                `json:"composite,omitempty" jsonschema:"description=Accepted; no visible effect"`
}

// Filter is a style filter such as {"type": "blur", "value": 4}.
type Filter struct {
	Type  FilterType `json:"type"`
	Value float64    `json:"value"`
}

// Animation is a preset animation.
type Animation struct {
	Type      AnimationType `json:"type"`
	Duration  float64       `json:"duration" jsonschema:"exclusiveMinimum=0,description=Seconds"`
	Delay     float64       `json:"delay,omitempty" jsonschema:"minimum=0,description=Seconds from the clip start"`
	Easing    Easing        `json:"easing,omitempty"`
	Loop      *Loop         `json:"loop,omitempty"`
	From      *AnimValue    `json:"from,omitempty"`
	To        *AnimValue    `json:"to,omitempty"`
	Direction Direction     `json:"direction,omitempty" jsonschema:"description=slideIn/slideOut direction of motion (up = moves up)"`
	Distance  *float64      `json:"distance,omitempty" jsonschema:"default=200,description=slideIn/slideOut distance in px"`
	Filter    FilterType    `json:"filter,omitempty" jsonschema:"description=The filter a filter animation drives"`
}

// KeyframeTrack drives one property through keyframes.
type KeyframeTrack struct {
	Property KeyframeProperty `json:"property"`
	Frames   []Keyframe       `json:"frames" jsonschema:"minItems=1"`
}

// Keyframe is a value at a time in seconds from the clip start; its easing shapes the segment that arrives at it.
type Keyframe struct {
	Time   float64       `json:"time" jsonschema:"minimum=0,description=Seconds from the clip start"`
	Value  KeyframeValue `json:"value"`
	Easing Easing        `json:"easing,omitempty"`
}

// Transition is a clip's entrance over its first Duration seconds.
type Transition struct {
	Type      TransitionType `json:"type"`
	Duration  float64        `json:"duration" jsonschema:"exclusiveMinimum=0,description=Seconds"`
	Direction Direction      `json:"direction,omitempty"`
	Easing    Easing         `json:"easing,omitempty"`
	Blur      *float64       `json:"blur,omitempty" jsonschema:"minimum=0,description=blur: starting blur in px (default 20)"`
	Intensity *float64       `json:"intensity,omitempty" jsonschema:"minimum=0,description=lightSweep strength (default 1)"`
	Rotation  *float64       `json:"rotation,omitempty" jsonschema:"description=spin: starting rotation in degrees (default 180)"`
	Scale     *float64       `json:"scale,omitempty" jsonschema:"minimum=0,description=zoom: starting scale (default 0)"`
}
