package schemas

// Named constants for every enumerated value of the document, one block per named type, as
// rivertype.JobState has its JobStateAvailable…: code that means a value writes its constant, so a
// misspelling does not compile and a search finds every use. The lists in enums.go (with the
// descriptions) remain what the JSON Schema, the validator and the MCP tools read; TestEnumConstants
// fails when a constant here and the list of its type in the generated JSON Schema disagree.

// The preset animations (AnimationTypes).
const (
	AnimationFadeIn   AnimationType = "fadeIn"
	AnimationFadeOut  AnimationType = "fadeOut"
	AnimationZoomIn   AnimationType = "zoomIn"
	AnimationZoomOut  AnimationType = "zoomOut"
	AnimationSlideIn  AnimationType = "slideIn"
	AnimationSlideOut AnimationType = "slideOut"
	AnimationMove     AnimationType = "move"
	AnimationScale    AnimationType = "scale"
	AnimationRotate   AnimationType = "rotate"
	AnimationFilter   AnimationType = "filter"
)

// The easings (Easings).
const (
	EaseLinear       Easing = "linear"
	EaseInSine       Easing = "easeInSine"
	EaseOutSine      Easing = "easeOutSine"
	EaseInOutSine    Easing = "easeInOutSine"
	EaseInQuad       Easing = "easeInQuad"
	EaseOutQuad      Easing = "easeOutQuad"
	EaseInOutQuad    Easing = "easeInOutQuad"
	EaseInCubic      Easing = "easeInCubic"
	EaseOutCubic     Easing = "easeOutCubic"
	EaseInOutCubic   Easing = "easeInOutCubic"
	EaseInQuart      Easing = "easeInQuart"
	EaseOutQuart     Easing = "easeOutQuart"
	EaseInOutQuart   Easing = "easeInOutQuart"
	EaseInBack       Easing = "easeInBack"
	EaseOutBack      Easing = "easeOutBack"
	EaseInOutBack    Easing = "easeInOutBack"
	EaseInElastic    Easing = "easeInElastic"
	EaseOutElastic   Easing = "easeOutElastic"
	EaseInOutElastic Easing = "easeInOutElastic"
	EaseInBounce     Easing = "easeInBounce"
	EaseOutBounce    Easing = "easeOutBounce"
	EaseInOutBounce  Easing = "easeInOutBounce"
)

// The entrance transitions (TransitionTypes).
const (
	TransitionFade       TransitionType = "fade"
	TransitionSlide      TransitionType = "slide"
	TransitionZoom       TransitionType = "zoom"
	TransitionWipe       TransitionType = "wipe"
	TransitionBlur       TransitionType = "blur"
	TransitionPush       TransitionType = "push"
	TransitionIris       TransitionType = "iris"
	TransitionSpin       TransitionType = "spin"
	TransitionLightSweep TransitionType = "lightSweep"
)

// The properties keyframes drive (KeyframeProperties).
const (
	KeyframeX            KeyframeProperty = "x"
	KeyframeY            KeyframeProperty = "y"
	KeyframeWidth        KeyframeProperty = "width"
	KeyframeHeight       KeyframeProperty = "height"
	KeyframeScale        KeyframeProperty = "scale"
	KeyframeScaleX       KeyframeProperty = "scaleX"
	KeyframeScaleY       KeyframeProperty = "scaleY"
	KeyframeRotation     KeyframeProperty = "rotation"
	KeyframeOpacity      KeyframeProperty = "opacity"
	KeyframeSkewX        KeyframeProperty = "skewX"
	KeyframeSkewY        KeyframeProperty = "skewY"
	KeyframeFill         KeyframeProperty = "fill"
	KeyframeStroke       KeyframeProperty = "stroke"
	KeyframeStrokeWidth  KeyframeProperty = "strokeWidth"
	KeyframeFontSize     KeyframeProperty = "fontSize"
	KeyframeBorderRadius KeyframeProperty = "borderRadius"
	KeyframeVolume       KeyframeProperty = "volume"
	KeyframeDrawStart    KeyframeProperty = "drawStart"
	KeyframeDrawEnd      KeyframeProperty = "drawEnd"
)

// The style filters (FilterTypes).
const (
	FilterBlur       FilterType = "blur"
	FilterBrightness FilterType = "brightness"
	FilterContrast   FilterType = "contrast"
	FilterSaturate   FilterType = "saturate"
	FilterHue        FilterType = "hue"
	FilterGrayscale  FilterType = "grayscale"
	FilterSepia      FilterType = "sepia"
	FilterInvert     FilterType = "invert"
)

// The anchors (Anchors).
const (
	AnchorCenter      Anchor = "center"
	AnchorTopLeft     Anchor = "top-left"
	AnchorTop         Anchor = "top"
	AnchorTopRight    Anchor = "top-right"
	AnchorLeft        Anchor = "left"
	AnchorRight       Anchor = "right"
	AnchorBottomLeft  Anchor = "bottom-left"
	AnchorBottom      Anchor = "bottom"
	AnchorBottomRight Anchor = "bottom-right"
)

// The ways media fills its box (ObjectFits).
const (
	ObjectFitCover   ObjectFit = "cover"
	ObjectFitContain ObjectFit = "contain"
	ObjectFitFill    ObjectFit = "fill"
)

// The directions (Directions).
const (
	DirectionLeft  Direction = "left"
	DirectionRight Direction = "right"
	DirectionUp    Direction = "up"
	DirectionDown  Direction = "down"
)

// The text alignments (TextAligns).
const (
	TextAlignLeft   TextAlign = "left"
	TextAlignCenter TextAlign = "center"
	TextAlignRight  TextAlign = "right"
)

// The font styles (FontStyles).
const (
	FontStyleNormal FontStyle = "normal"
	FontStyleItalic FontStyle = "italic"
)

// The gradient shapes (GradientTypes).
const (
	GradientLinear GradientType = "linear"
	GradientRadial GradientType = "radial"
	GradientConic  GradientType = "conic"
)

// The blend modes (CompositeOperations).
const (
	CompositeSourceOver      CompositeOperation = "source-over"
	CompositeMultiply        CompositeOperation = "multiply"
	CompositeScreen          CompositeOperation = "screen"
	CompositeOverlay         CompositeOperation = "overlay"
	CompositeDarken          CompositeOperation = "darken"
	CompositeLighten         CompositeOperation = "lighten"
	CompositeColorDodge      CompositeOperation = "color-dodge"
	CompositeColorBurn       CompositeOperation = "color-burn"
	CompositeHardLight       CompositeOperation = "hard-light"
	CompositeSoftLight       CompositeOperation = "soft-light"
	CompositeDifference      CompositeOperation = "difference"
	CompositeExclusion       CompositeOperation = "exclusion"
	CompositeLighter         CompositeOperation = "lighter"
	CompositeDestinationOver CompositeOperation = "destination-over"
	CompositeSourceAtop      CompositeOperation = "source-atop"
	CompositeDestinationOut  CompositeOperation = "destination-out"
	CompositeXor             CompositeOperation = "xor"
)

// The line caps (LineCaps).
const (
	LineCapButt   LineCap = "butt"
	LineCapRound  LineCap = "round"
	LineCapSquare LineCap = "square"
)

// The line joins (LineJoins).
const (
	LineJoinMiter LineJoin = "miter"
	LineJoinRound LineJoin = "round"
	LineJoinBevel LineJoin = "bevel"
)

// The layout directions (LayoutDirections).
const (
	LayoutHorizontal LayoutDirection = "horizontal"
	LayoutVertical   LayoutDirection = "vertical"
)

// The cross-axis alignments (AlignItemsValues).
const (
	AlignItemsStart   AlignItems = "start"
	AlignItemsCenter  AlignItems = "center"
	AlignItemsEnd     AlignItems = "end"
	AlignItemsStretch AlignItems = "stretch"
)

// The main-axis distributions (JustifyValues).
const (
	JustifyStart        JustifyContent = "start"
	JustifyCenter       JustifyContent = "center"
	JustifyEnd          JustifyContent = "end"
	JustifySpaceBetween JustifyContent = "space-between"
	JustifySpaceAround  JustifyContent = "space-around"
)

// The subtitle modes (SubtitleModes).
const (
	SubtitleModeBatch   SubtitleMode = "batch"
	SubtitleModeStream  SubtitleMode = "stream"
	SubtitleModeKaraoke SubtitleMode = "karaoke"
)

// The subtitle positions (SubtitlePositions).
const (
	SubtitlePositionBottom SubtitlePosition = "bottom"
	SubtitlePositionTop    SubtitlePosition = "top"
	SubtitlePositionCenter SubtitlePosition = "center"
)

// The code reveal modes (CodeRevealModes).
const (
	CodeRevealLine CodeRevealMode = "line"
	CodeRevealChar CodeRevealMode = "char"
)

// The 3D lights (ThreeLightTypes).
const (
	LightAmbient     ThreeLightType = "ambient"
	LightDirectional ThreeLightType = "directional"
	LightPoint       ThreeLightType = "point"
)

// The 3D shapes (ThreeShapes).
const (
	ShapeBox      ThreeShape = "box"
	ShapeSphere   ThreeShape = "sphere"
	ShapeCylinder ThreeShape = "cylinder"
	ShapeCone     ThreeShape = "cone"
	ShapeTorus    ThreeShape = "torus"
	ShapePlane    ThreeShape = "plane"
	ShapeModel    ThreeShape = "model"
)

// The properties a 3D animation drives (ThreeProperties).
const (
	ThreeRotationX ThreeProperty = "rotation.x"
	ThreeRotationY ThreeProperty = "rotation.y"
	ThreeRotationZ ThreeProperty = "rotation.z"
	ThreePositionX ThreeProperty = "position.x"
	ThreePositionY ThreeProperty = "position.y"
	ThreePositionZ ThreeProperty = "position.z"
)
