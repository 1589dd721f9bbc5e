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
	Version    string  `json:"version" jsonschema:"default=2.0.0,description=Protocol version: 2.0.0"`
	Width      int     `json:"width" jsonschema:"minimum=1,description=Width in px"`
	Height     int     `json:"height" jsonschema:"minimum=1,description=Height in px"`
	FPS        float64 `json:"fps,omitempty" jsonschema:"exclusiveMinimum=0,default=30,description=Frames per second (default 30)"`
	Background *Paint  `json:"background,omitempty" jsonschema:"description=Color\\, \"transparent\" or a gradient (default #000000)"`
	// A title for the video; not drawn.
	Title string `json:"title,omitempty"`
	// A description of the video; not drawn.
	Description string `json:"description,omitempty"`
	// Who made the video; not drawn.
	Author string `json:"author,omitempty"`
	// When the document was made (ISO 8601); not drawn.
	CreatedAt string `json:"createdAt,omitempty"`
	// Free keywords; not drawn.
	Tags []string `json:"tags,omitempty"`
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
	// Font files, each adding a family that style.fontFamily can name.
	Fonts []FontAsset `json:"fonts,omitempty"`
	// Images that image clips (and 3D models' textures) refer to with {"$ref": id}.
	Images []MediaAsset `json:"images,omitempty"`
	// Videos that video clips refer to with {"$ref": id}.
	Videos []MediaAsset `json:"videos,omitempty"`
	// Sounds that audio clips refer to with {"$ref": id}.
	Audios []MediaAsset `json:"audios,omitempty"`
	// Word lists that subtitle clips refer to with {"$ref": id}.
	Subtitles []SubtitleAsset `json:"subtitles,omitempty"`
	// SVG graphics that svg clips refer to with {"$ref": id}.
	Svgs []SVGAsset `json:"svgs,omitempty"`
	// glTF models that three clips' objects refer to with {"$ref": id}.
	Models []MediaAsset `json:"models,omitempty"`
}

// MediaAsset is an image, video, audio or 3D model by URL.
type MediaAsset struct {
	// The id clips use to refer to this asset ({"$ref": id}); unique across all asset groups.
	ID  string `json:"id" jsonschema:"minLength=1"`
	Src string `json:"src" jsonschema:"minLength=1,description=URL of the media"`
}

// FontAsset adds a font family (TTF, OTF, WOFF or WOFF2).
type FontAsset struct {
	// The id of this asset; unique across all asset groups.
	ID     string `json:"id" jsonschema:"minLength=1"`
	Src    string `json:"src" jsonschema:"minLength=1,description=URL of a TTF\\, OTF\\, WOFF or WOFF2 file"`
	Family string `json:"family" jsonschema:"minLength=1,description=Family name used by style.fontFamily"`
	// The weight this file draws (100 to 900, normal or bold; default normal).
	Weight *FontWeight `json:"weight,omitempty"`
	// The style this file draws: normal or italic (default normal).
	Style FontStyle `json:"style,omitempty"`
}

// SubtitleAsset is a reusable word list.
type SubtitleAsset struct {
	// The id subtitle clips use to refer to this word list ({"$ref": id}).
	ID string `json:"id" jsonschema:"minLength=1"`
	// The timed words, in any of the forms a subtitle clip accepts.
	Words Words `json:"words"`
}

// SVGAsset is reusable SVG markup or an SVG by URL.
type SVGAsset struct {
	// The id svg clips use to refer to this graphic ({"$ref": id}).
	ID  string `json:"id" jsonschema:"minLength=1"`
	SVG string `json:"svg,omitempty" jsonschema:"description=SVG markup"`
	Src string `json:"src,omitempty" jsonschema:"description=URL of an SVG file"`
}

// Track is an ordered list of clips.
type Track struct {
	// An optional name for the track.
	ID string `json:"id,omitempty"`
	// The track's clips, each with a start and a duration in seconds on the timeline.
	Clips []Clip `json:"clips"`
}

// BaseClip holds the fields every clip type has.
type BaseClip struct {
	Type     string  `json:"type" jsonschema:"description=Clip type"`
	ID       string  `json:"id,omitempty" jsonschema:"description=Optional id; needed to be a ducking target"`
	Start    float64 `json:"start" jsonschema:"minimum=0,description=Start on the timeline in seconds"`
	Duration float64 `json:"duration" jsonschema:"exclusiveMinimum=0,description=Duration in seconds"`
	// Where the clip sits and how big it is: x, y, width, height, anchor, scale, rotation, skew (default: centered, natural size).
	Transform *Transform `json:"transform,omitempty"`
	ZIndex    float64    `json:"zIndex,omitempty" jsonschema:"description=Higher paints on top (default 0)"`
	// 0 (invisible) to 1 (opaque), multiplied with animations and keyframes (default 1).
	Opacity *float64 `json:"opacity,omitempty" jsonschema:"minimum=0,maximum=1,default=1"`
	// How the clip looks: fill, stroke, font, shadow, corners, filters, blend mode.
	Style *Style `json:"style,omitempty"`
	// Preset animations (fadeIn, fadeOut, zoomIn, slideIn, move, scale, rotate, filter, …), each over its own time window within the clip.
	Animations []Animation `json:"animations,omitempty"`
	// Properties (x, y, scale, rotation, opacity, width, height, fill, …) driven through timed values.
	Keyframes []KeyframeTrack `json:"keyframes,omitempty"`
	// How the clip enters over its first seconds (fade, wipe, slide, zoom, …), over what is below it.
	Transition *Transition `json:"transition,omitempty"`
}

// Base returns the clip's common fields.
func (b *BaseClip) Base() *BaseClip { return b }

// End is the clip's end on the timeline.
func (b *BaseClip) End() float64 { return b.Start + b.Duration }

// Transform is the position, size and shape of a clip's box.
type Transform struct {
	X *Length `json:"x,omitempty" jsonschema:"description=Horizontal position of the anchor point (default \"50%\")"`
	Y *Length `json:"y,omitempty" jsonschema:"description=Vertical position of the anchor point (default \"50%\")"`
	// Width of the clip's box in px or percent of the video (default: the content's natural width).
	Width *Length `json:"width,omitempty"`
	// Height of the clip's box in px or percent of the video (default: the content's natural height).
	Height *Length `json:"height,omitempty"`
	// Which point of the box x and y place, and that scale and rotation turn around (default center).
	Anchor   Anchor      `json:"anchor,omitempty"`
	Scale    *Scale      `json:"scale,omitempty" jsonschema:"description=Scale around the anchor point (default 1)"`
	Rotation float64     `json:"rotation,omitempty" jsonschema:"description=Degrees clockwise around the anchor point"`
	Skew     *[2]float64 `json:"skew,omitempty" jsonschema:"description=[x\\, y] degrees around the anchor point"`
}

// Style is how a clip looks.
type Style struct {
	Opacity *float64 `json:"opacity,omitempty" jsonschema:"minimum=0,maximum=1,description=Wins over the clip's opacity"`
	// How an image or video fills the box: cover, contain or fill (default cover).
	ObjectFit ObjectFit `json:"objectFit,omitempty"`
	Fill      *Paint    `json:"fill,omitempty" jsonschema:"description=Fill color or gradient (text default #ffffff)"`
	// Outline color or gradient of text and shapes.
	Stroke *Paint `json:"stroke,omitempty"`
	// Outline width in px (default 0: no outline).
	StrokeWidth *float64 `json:"strokeWidth,omitempty" jsonschema:"minimum=0"`
	FontFamily  string   `json:"fontFamily,omitempty" jsonschema:"description=Arial\\, Helvetica\\, Times New Roman\\, Courier New\\, sans-serif\\, serif\\, monospace\\, DejaVu Sans\\, or a family from assets.fonts"`
	// Font size in px (default 48).
	FontSize *float64 `json:"fontSize,omitempty" jsonschema:"exclusiveMinimum=0,default=48"`
	// 100 to 900, normal or bold (default normal).
	FontWeight *FontWeight `json:"fontWeight,omitempty"`
	// normal or italic (default normal).
	FontStyle     FontStyle `json:"fontStyle,omitempty"`
	LineHeight    *float64  `json:"lineHeight,omitempty" jsonschema:"exclusiveMinimum=0,default=1.2,description=Multiple of the font size"`
	LetterSpacing *float64  `json:"letterSpacing,omitempty" jsonschema:"description=Extra px between letters"`
	// Horizontal alignment of the lines of text in the box (default center).
	TextAlign TextAlign `json:"textAlign,omitempty"`
	TextWrap  *bool     `json:"textWrap,omitempty" jsonschema:"description=Wrap lines at transform.width"`
	// Color of the drop shadow; a shadow is drawn when this is set.
	ShadowColor *Color `json:"shadowColor,omitempty"`
	// Blur radius of the drop shadow in px (default 0: sharp).
	ShadowBlur   *float64    `json:"shadowBlur,omitempty" jsonschema:"minimum=0"`
	ShadowOffset *[2]float64 `json:"shadowOffset,omitempty" jsonschema:"description=[dx\\, dy] px"`
	// Rounded corners in px: one number for all, or one per corner.
	BorderRadius *Corners `json:"borderRadius,omitempty"`
	// Image filters applied in order: blur, brightness, contrast, saturate, hue, grayscale, sepia, invert.
	Filters []Filter `json:"filters,omitempty"`
	// How the clip blends with what is below it (default source-over: painted on top).
	CompositeOperation CompositeOperation `json:"compositeOperation,omitempty"`
	Cache              any                `json:"cache,omitempty" jsonschema:"description=Accepted; no visible effect"`
	CachePadding       any                `json:"cachePadding,omitempty" jsonschema:"description=Accepted; no visible effect"`
	Composite          any                `json:"composite,omitempty" jsonschema:"description=Accepted; no visible effect"`
}

// Filter is a style filter such as {"type": "blur", "value": 4}.
type Filter struct {
	// The filter.
	Type FilterType `json:"type"`
	// The filter's amount: px for blur, degrees for hue, a factor (1 = unchanged) or a fraction for the others.
	Value float64 `json:"value"`
}

// Animation is a preset animation.
type Animation struct {
	// The preset: what the animation changes (fadeIn, fadeOut, zoomIn, zoomOut, slideIn, slideOut, move, scale, rotate, filter).
	Type     AnimationType `json:"type"`
	Duration float64       `json:"duration" jsonschema:"exclusiveMinimum=0,description=Seconds"`
	Delay    float64       `json:"delay,omitempty" jsonschema:"minimum=0,description=Seconds from the clip start"`
	// How the change speeds up and slows down (default linear).
	Easing Easing `json:"easing,omitempty"`
	// Repeat the animation: a number of times, or true to repeat until the clip ends.
	Loop *Loop `json:"loop,omitempty"`
	// With loop, run every second cycle backwards (from to to from): a back-and-forth pulse instead of a restart.
	Alternate bool `json:"alternate,omitempty"`
	// Starting value (scale, degrees, opacity, filter amount, or {x, y} for move); each preset has a default.
	From *AnimValue `json:"from,omitempty"`
	// Ending value, in the same form as from; each preset has a default.
	To        *AnimValue `json:"to,omitempty"`
	Direction Direction  `json:"direction,omitempty" jsonschema:"description=slideIn/slideOut direction of motion (up = moves up)"`
	Distance  *float64   `json:"distance,omitempty" jsonschema:"default=200,description=slideIn/slideOut distance in px"`
	Filter    FilterType `json:"filter,omitempty" jsonschema:"description=The filter a filter animation drives"`
}

// KeyframeTrack drives one property through keyframes.
type KeyframeTrack struct {
	// The property the keyframes drive.
	Property KeyframeProperty `json:"property"`
	// The values at their times, in time order; between two, the value eases from one to the next.
	Frames []Keyframe `json:"frames" jsonschema:"minItems=1"`
}

// Keyframe is a value at a time in seconds from the clip start; its easing shapes the segment that arrives at it.
type Keyframe struct {
	Time float64 `json:"time" jsonschema:"minimum=0,description=Seconds from the clip start"`
	// The property's value at this time: a number (px, degrees, fraction) or a color for fill and stroke.
	Value KeyframeValue `json:"value"`
	// How the value eases from the previous keyframe to this one (default linear).
	Easing Easing `json:"easing,omitempty"`
}

// Transition is a clip's entrance over its first Duration seconds.
type Transition struct {
	// The entrance effect.
	Type     TransitionType `json:"type"`
	Duration float64        `json:"duration" jsonschema:"exclusiveMinimum=0,description=Seconds"`
	// The direction of wipe, slide and push transitions (default left).
	Direction Direction `json:"direction,omitempty"`
	// How the transition speeds up and slows down (default linear).
	Easing    Easing   `json:"easing,omitempty"`
	Blur      *float64 `json:"blur,omitempty" jsonschema:"minimum=0,description=blur: starting blur in px (default 20)"`
	Intensity *float64 `json:"intensity,omitempty" jsonschema:"minimum=0,description=lightSweep strength (default 1)"`
	Rotation  *float64 `json:"rotation,omitempty" jsonschema:"description=spin: starting rotation in degrees (default 180)"`
	Scale     *float64 `json:"scale,omitempty" jsonschema:"minimum=0,description=zoom: starting scale (default 0)"`
}
