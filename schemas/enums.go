package schemas

import "github.com/invopop/jsonschema"

// Choice is one accepted value of an enumerated field, with what it means.
type Choice struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Names returns the names of choices, in order.
func Names(choices []Choice) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = c.Name
	}
	return out
}

// Has reports whether name is one of choices.
func Has(choices []Choice, name string) bool {
	for _, c := range choices {
		if c.Name == name {
			return true
		}
	}
	return false
}

func enumSchema(description string, choices []Choice) *jsonschema.Schema {
	values := make([]any, len(choices))
	for i, c := range choices {
		values[i] = c.Name
	}
	return &jsonschema.Schema{Type: "string", Enum: values, Description: description}
}

// These lists are the single definition of every enumerated name in the document. The JSON Schema, the
// validator (with its did-you-mean suggestions), the capabilities endpoint and the MCP server all read them.

// AnimationTypes are the preset animations.
var AnimationTypes = []Choice{
	{"fadeIn", "opacity from 0 to its value"},
	{"fadeOut", "opacity from its value to 0"},
	{"zoomIn", "scale from 0 to its value"},
	{"zoomOut", "scale from its value to 0"},
	{"slideIn", "arrives from `distance` px away, moving toward `direction` (up = from below)"},
	{"slideOut", "leaves by `distance` px toward `direction`"},
	{"move", "position from {x, y} to {x, y} (px or percent)"},
	{"scale", "scale from `from` to `to` (number or [sx, sy])"},
	{"rotate", "rotation from `from` to `to` degrees"},
	{"filter", "a style filter (named by `filter`) from `from` to `to`"},
}

// Easings are the easing functions: linear and the In/Out/InOut forms of seven curves.
var Easings = func() []Choice {
	out := []Choice{{"linear", "constant speed"}}
	for _, curve := range []string{"Sine", "Quad", "Cubic", "Quart", "Back", "Elastic", "Bounce"} {
		out = append(out,
			Choice{"easeIn" + curve, curve + " curve, slow start"},
			Choice{"easeOut" + curve, curve + " curve, slow end"},
			Choice{"easeInOut" + curve, curve + " curve, slow start and end"},
		)
	}
	return out
}()

// TransitionTypes are the entrance transitions.
var TransitionTypes = []Choice{
	{"fade", "fades in; over a clip that just ended on the same track it is a cross-dissolve"},
	{"slide", "slides in from `direction`"},
	{"zoom", "grows in from `scale` (default 0)"},
	{"wipe", "revealed by an edge moving toward `direction`"},
	{"blur", "comes into focus from `blur` px"},
	{"push", "pushes the previous clip on the same track out toward `direction`"},
	{"iris", "revealed by a growing circle from the center"},
	{"spin", "spins in from `rotation` degrees (default 180) while growing"},
	{"lightSweep", "a band of light sweeps across as it fades in; `intensity` sets its strength"},
}

// KeyframeProperties are the properties keyframes can drive.
var KeyframeProperties = []Choice{
	{"x", "px"}, {"y", "px"}, {"width", "px"}, {"height", "px"},
	{"scale", "factor"}, {"scaleX", "factor"}, {"scaleY", "factor"},
	{"rotation", "degrees"}, {"opacity", "0..1"}, {"skewX", "degrees"}, {"skewY", "degrees"},
	{"fill", "color, interpolated in linear RGB"}, {"stroke", "color, interpolated in linear RGB"},
	{"strokeWidth", "px"}, {"fontSize", "px"}, {"borderRadius", "px"},
	{"volume", "0..1 (audio and video)"}, {"drawStart", "0..1 of the path length"}, {"drawEnd", "0..1 of the path length"},
}

// FilterTypes are the style filters.
var FilterTypes = []Choice{
	{"blur", "px"}, {"brightness", "multiplier, 1 = unchanged"}, {"contrast", "multiplier, 1 = unchanged"},
	{"saturate", "multiplier, 1 = unchanged"}, {"hue", "rotation in degrees"}, {"grayscale", "0..1"},
	{"sepia", "0..1"}, {"invert", "0..1"},
}

// Anchors are the points of a clip's box that can be placed at (x, y).
var Anchors = []Choice{
	{"center", "the middle (default)"}, {"top-left", ""}, {"top", ""}, {"top-right", ""}, {"left", ""},
	{"right", ""}, {"bottom-left", ""}, {"bottom", ""}, {"bottom-right", ""},
}

// ObjectFits are the ways an image or video fills its box.
var ObjectFits = []Choice{
	{"cover", "fills the box, cropping what overflows (default when width and height are set)"},
	{"contain", "fits inside the box, letterboxed"},
	{"fill", "stretched to the box"},
}

// Directions are the directions of slides, wipes and pushes.
var Directions = []Choice{{"left", ""}, {"right", ""}, {"up", ""}, {"down", ""}}

// TextAligns are the horizontal text alignments.
var TextAligns = []Choice{{"left", ""}, {"center", "default"}, {"right", ""}}

// FontStyles are the font styles.
var FontStyles = []Choice{{"normal", ""}, {"italic", ""}}

// GradientTypes are the gradient shapes.
var GradientTypes = []Choice{{"linear", ""}, {"radial", ""}, {"conic", ""}}

// CompositeOperations are the canvas blend modes.
var CompositeOperations = []Choice{
	{"source-over", "normal painting (default)"}, {"multiply", ""}, {"screen", ""}, {"overlay", ""},
	{"darken", ""}, {"lighten", ""}, {"color-dodge", ""}, {"color-burn", ""}, {"hard-light", ""},
	{"soft-light", ""}, {"difference", ""}, {"exclusion", ""}, {"lighter", "additive"},
	{"destination-over", "paint behind what is there"}, {"source-atop", ""}, {"destination-out", "erase"},
	{"xor", ""},
}

// LineCaps and LineJoins are stroke shapes.
var (
	LineCaps  = []Choice{{"butt", ""}, {"round", ""}, {"square", ""}}
	LineJoins = []Choice{{"miter", ""}, {"round", ""}, {"bevel", ""}}
)

// LayoutDirections, AlignItems and JustifyContents configure layout clips.
var (
	LayoutDirections = []Choice{{"horizontal", "default"}, {"vertical", ""}}
	AlignItemsValues = []Choice{{"start", ""}, {"center", ""}, {"end", ""}, {"stretch", ""}}
	JustifyValues    = []Choice{{"start", ""}, {"center", ""}, {"end", ""}, {"space-between", ""}, {"space-around", ""}}
)

// CodeRevealModes are how a code clip's text appears.
var CodeRevealModes = []Choice{{"line", "one line after another"}, {"char", "typed, one character after another"}}

// SubtitleModes and SubtitlePositions configure subtitle clips.
var (
	SubtitleModes     = []Choice{{"batch", "shows wordsPerBatch words at a time, the spoken one highlighted (default)"}, {"stream", "words appear one by one"}, {"karaoke", "the whole batch shows; words stay highlighted once spoken"}}
	SubtitlePositions = []Choice{{"bottom", "default"}, {"top", ""}, {"center", ""}}
)

// ThreeLightTypes, ThreeShapes and ThreeProperties configure the 3D scene of a three clip.
var (
	ThreeLightTypes = []Choice{{"ambient", "lights everything evenly"}, {"directional", "shines from position toward the origin"},
		{"point", "shines from position in every direction"}}
	ThreeShapes = []Choice{{"box", ""}, {"sphere", ""}, {"cylinder", ""}, {"cone", ""}, {"torus", ""}, {"plane", ""},
		{"model", "the glTF model given in src"}}
	ThreeProperties = []Choice{{"rotation.x", "degrees"}, {"rotation.y", "degrees"}, {"rotation.z", "degrees"},
		{"position.x", "scene units"}, {"position.y", "scene units"}, {"position.z", "scene units"}}
)

// TemplateNames are the built-in templates' names and descriptions, read from Templates.
var TemplateNames = templateChoices()

// Named string types: each takes its JSON Schema enum from the list above.
type (
	AnimationType      string
	Easing             string
	TransitionType     string
	KeyframeProperty   string
	FilterType         string
	Anchor             string
	ObjectFit          string
	Direction          string
	TextAlign          string
	FontStyle          string
	GradientType       string
	CompositeOperation string
	LineCap            string
	LineJoin           string
	LayoutDirection    string
	AlignItems         string
	JustifyContent     string
	SubtitleMode       string
	CodeRevealMode     string
	SubtitlePosition   string
	ThreeLightType     string
	ThreeShape         string
	ThreeProperty      string
)

// JSONSchema methods: one line each, from the lists above.

func (AnimationType) JSONSchema() *jsonschema.Schema {
	return enumSchema("Preset animation", AnimationTypes)
}
func (Easing) JSONSchema() *jsonschema.Schema { return enumSchema("Easing (default linear)", Easings) }
func (TransitionType) JSONSchema() *jsonschema.Schema {
	return enumSchema("Entrance transition", TransitionTypes)
}
func (KeyframeProperty) JSONSchema() *jsonschema.Schema {
	return enumSchema("Property driven by keyframes", KeyframeProperties)
}
func (FilterType) JSONSchema() *jsonschema.Schema { return enumSchema("Style filter", FilterTypes) }
func (Anchor) JSONSchema() *jsonschema.Schema {
	return enumSchema("Point of the box placed at (x, y); default center", Anchors)
}
func (ObjectFit) JSONSchema() *jsonschema.Schema {
	return enumSchema("How media fills its box", ObjectFits)
}
func (Direction) JSONSchema() *jsonschema.Schema { return enumSchema("Direction", Directions) }
func (TextAlign) JSONSchema() *jsonschema.Schema {
	return enumSchema("Text alignment (default center)", TextAligns)
}
func (FontStyle) JSONSchema() *jsonschema.Schema { return enumSchema("Font style", FontStyles) }
func (GradientType) JSONSchema() *jsonschema.Schema {
	return enumSchema("Gradient shape", GradientTypes)
}
func (CompositeOperation) JSONSchema() *jsonschema.Schema {
	return enumSchema("Blend mode (canvas names)", CompositeOperations)
}
func (LineCap) JSONSchema() *jsonschema.Schema  { return enumSchema("Line cap", LineCaps) }
func (LineJoin) JSONSchema() *jsonschema.Schema { return enumSchema("Line join", LineJoins) }
func (LayoutDirection) JSONSchema() *jsonschema.Schema {
	return enumSchema("Layout direction", LayoutDirections)
}
func (AlignItems) JSONSchema() *jsonschema.Schema {
	return enumSchema("Cross-axis alignment", AlignItemsValues)
}
func (JustifyContent) JSONSchema() *jsonschema.Schema {
	return enumSchema("Main-axis distribution", JustifyValues)
}
func (CodeRevealMode) JSONSchema() *jsonschema.Schema {
	return enumSchema("Code reveal mode", CodeRevealModes)
}
func (SubtitleMode) JSONSchema() *jsonschema.Schema {
	return enumSchema("Subtitle mode", SubtitleModes)
}
func (SubtitlePosition) JSONSchema() *jsonschema.Schema {
	return enumSchema("Subtitle position", SubtitlePositions)
}
func (ThreeLightType) JSONSchema() *jsonschema.Schema {
	return enumSchema("3D light type", ThreeLightTypes)
}
func (ThreeShape) JSONSchema() *jsonschema.Schema {
	return enumSchema("3D object shape", ThreeShapes)
}
func (ThreeProperty) JSONSchema() *jsonschema.Schema {
	return enumSchema("3D object property an animation drives", ThreeProperties)
}
