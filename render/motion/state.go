package motion

import (
	"image/color"

	"github.com/framecast/framecast/schemas"
)

// Optional is a value that is present only when something animates it. When Set is false the caller keeps
// its own static value (the style's fill, the clip's volume…).
//
// State uses Optional rather than pointers so that evaluating a clip does not allocate.
type Optional[T any] struct {
	Value T
	Set   bool
}

// Or returns the value when it is set, else fallback.
func (o Optional[T]) Or(fallback T) T {
	if o.Set {
		return o.Value
	}
	return fallback
}

// some returns a set Optional.
func some[T any](v T) Optional[T] { return Optional[T]{Value: v, Set: true} }

// State is everything about a clip that changes with time, at one moment.
type State struct {
	Geometry

	// Keyframed style values; each is Set only when a keyframe track drives it.
	Fill, Stroke                        Optional[color.NRGBA]
	StrokeWidth, FontSize, BorderRadius Optional[float64]
	DrawStart, DrawEnd, Volume          Optional[float64]

	// Filters are the filters driven by `filter` animations at this time, their values already
	// interpolated, in animation order; style.filters are not included. The caller applies them after
	// the style's own filters.
	Filters []schemas.Filter

	// Transition is Set while the entrance transition runs (0 <= t < its duration). Its geometric part
	// (fade, slide, zoom, spin, push) is already applied to Geometry; the rest is for the drawing code.
	Transition Optional[TransitionState]
}

// TransitionState describes an entrance transition in progress, with every default filled in.
type TransitionState struct {
	Type      schemas.TransitionType
	Progress  float64           // eased: 0 at the clip start, 1 at the end of the transition
	Direction schemas.Direction // where the motion goes (wipe edge, slide, push); default "left"
	Blur      float64           // blur: starting blur radius in px (default 20); the current radius is Blur × (1 - Progress)
	Intensity float64           // lightSweep: strength of the band of light (default 1)
	Rotation  float64           // spin: starting rotation in degrees (default 180)
	Scale     float64           // zoom: starting scale (default 0)
}
