package motion

import (
	"fmt"
	"sort"

	"github.com/framecast/framecast/schemas"
)

// DefaultSlideDistance is how far slideIn and slideOut travel when the animation gives no distance, in px.
const DefaultSlideDistance = 200

// DefaultSlideDirection is the direction slideIn and slideOut move toward when the animation gives none:
// a slideIn rises into place from below, a slideOut leaves upward.
const DefaultSlideDirection schemas.Direction = schemas.DirectionUp

// directions maps each direction to a unit vector in canvas coordinates (y grows downward).
var directions = map[schemas.Direction][2]float64{
	schemas.DirectionLeft: {-1, 0}, schemas.DirectionRight: {1, 0}, schemas.DirectionUp: {0, -1}, schemas.DirectionDown: {0, 1},
}

// effect is what a preset animation (other than move) does to the geometry.
type effect int

const (
	multiplyOpacity effect = iota // fadeIn, fadeOut
	multiplyScale                 // zoomIn, zoomOut, scale
	addOffset                     // slideIn, slideOut: px added to the position
	addRotation                   // rotate
	appendFilter                  // filter
)

// animation is a parsed preset animation other than move: an effect driven from `from` to `to`.
// Single numbers live in from[0] and to[0]; scales and offsets use both.
type animation struct {
	effect   effect
	timing   timing
	from, to [2]float64
	filter   schemas.FilterType
}

// apply adds the animation's effect at time t to st.
func (a *animation) apply(st *State, t float64) {
	p := a.timing.progress(t)
	x, y := lerp(a.from[0], a.to[0], p), lerp(a.from[1], a.to[1], p)
	switch a.effect {
	case multiplyOpacity:
		st.Opacity *= x
	case multiplyScale:
		st.ScaleX *= x
		st.ScaleY *= y
	case addOffset:
		st.X += x
		st.Y += y
	case addRotation:
		st.Rotation += x
	case appendFilter:
		st.Filters = append(st.Filters, schemas.Filter{Type: a.filter, Value: x})
	}
}

// point is a move animation's from or to: x and y each in px or percent of the reference box, each optional.
type point struct {
	x, y       schemas.Length
	hasX, hasY bool
}

// resolve returns the point on the canvas, taking a missing coordinate from (fallbackX, fallbackY).
func (pt point) resolve(ref Box, fallbackX, fallbackY float64) (x, y float64) {
	x, y = fallbackX, fallbackY
	if pt.hasX {
		x = ref.X + pt.x.Px(ref.W)
	}
	if pt.hasY {
		y = ref.Y + pt.y.Px(ref.H)
	}
	return x, y
}

// move is a parsed move animation: it sets the position from `from` to `to`.
type move struct {
	timing   timing
	from, to point
}

// apply sets st's position at time t. A coordinate missing from `from` or `to` is the position the clip would
// have without the move.
func (m *move) apply(st *State, ref Box, t float64) {
	p := m.timing.progress(t)
	x0, y0 := m.from.resolve(ref, st.X, st.Y)
	x1, y1 := m.to.resolve(ref, st.X, st.Y)
	st.X, st.Y = lerp(x0, x1, p), lerp(y0, y1, p)
}

// current returns the move that sets the position at time t: the latest-starting move that has started, or
// before any has started the first one (which holds its `from`). moves are sorted by delay.
func current(moves []move, t float64) *move {
	for i := len(moves) - 1; i > 0; i-- {
		if moves[i].timing.delay <= t {
			return &moves[i]
		}
	}
	return &moves[0]
}

// neutralFilter is the value at which each filter leaves the image unchanged: the default of a filter
// animation's from and to.
var neutralFilter = map[schemas.FilterType]float64{
	schemas.FilterBlur: 0, schemas.FilterBrightness: 1, schemas.FilterContrast: 1, schemas.FilterSaturate: 1, schemas.FilterHue: 0, schemas.FilterGrayscale: 0, schemas.FilterSepia: 0, schemas.FilterInvert: 0,
}

// preset is what an animation type does and the from and to it uses when the document gives none.
type preset struct {
	effect   effect
	from, to [2]float64
}

// presets covers every animation type but move (handled on its own) and filter (whose defaults depend on
// the filter). Slides get their from and to from direction and distance.
var presets = map[schemas.AnimationType]preset{
	schemas.AnimationFadeIn:   {multiplyOpacity, [2]float64{0, 0}, [2]float64{1, 1}},
	schemas.AnimationFadeOut:  {multiplyOpacity, [2]float64{1, 1}, [2]float64{0, 0}},
	schemas.AnimationZoomIn:   {multiplyScale, [2]float64{0, 0}, [2]float64{1, 1}},
	schemas.AnimationZoomOut:  {multiplyScale, [2]float64{1, 1}, [2]float64{0, 0}},
	schemas.AnimationScale:    {multiplyScale, [2]float64{1, 1}, [2]float64{1, 1}},
	schemas.AnimationRotate:   {addRotation, [2]float64{0, 0}, [2]float64{0, 0}},
	schemas.AnimationSlideIn:  {effect: addOffset},
	schemas.AnimationSlideOut: {effect: addOffset},
}

// compileAnimation parses preset animation a, at position path in the clip; it returns either a move or
// another animation.
func compileAnimation(a schemas.Animation, path string) (*move, *animation, error) {
	tm, err := compileTiming(a, path)
	if err != nil {
		return nil, nil, err
	}
	if a.Type == schemas.AnimationMove {
		from, err := pointValue(a.From, path+".from")
		if err != nil {
			return nil, nil, err
		}
		to, err := pointValue(a.To, path+".to")
		if err != nil {
			return nil, nil, err
		}
		return &move{timing: tm, from: from, to: to}, nil, nil
	}
	pre, ok := presets[a.Type]
	if a.Type == schemas.AnimationFilter {
		neutral, known := neutralFilter[a.Filter]
		if !known {
			return nil, nil, fmt.Errorf("%s.filter: a filter animation names the filter it drives, one of %v; got %q",
				path, schemas.Names(schemas.FilterTypes), a.Filter)
		}
		pre, ok = preset{appendFilter, [2]float64{neutral, neutral}, [2]float64{neutral, neutral}}, true
	}
	if !ok {
		return nil, nil, fmt.Errorf("%s.type: unknown animation %q: use one of %v",
			path, a.Type, schemas.Names(schemas.AnimationTypes))
	}
	an := &animation{effect: pre.effect, timing: tm, from: pre.from, to: pre.to, filter: a.Filter}
	switch pre.effect {
	case addOffset:
		an.from, an.to, err = slideOffsets(a, path)
	case multiplyScale:
		if an.from, err = pairValue(a.From, pre.from, path+".from"); err == nil {
			an.to, err = pairValue(a.To, pre.to, path+".to")
		}
	default:
		if an.from, err = numberValue(a.From, pre.from, path+".from"); err == nil {
			an.to, err = numberValue(a.To, pre.to, path+".to")
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return nil, an, nil
}

// slideOffsets returns the offsets a slideIn or slideOut goes between: a slideIn starts `distance` px back
// from where it moves toward and ends in place; a slideOut starts in place and ends `distance` px on.
func slideOffsets(a schemas.Animation, path string) (from, to [2]float64, err error) {
	dir := a.Direction
	if dir == "" {
		dir = DefaultSlideDirection
	}
	unit, ok := directions[dir]
	if !ok {
		return from, to, fmt.Errorf("%s.direction: unknown direction %q: use left, right, up or down", path, a.Direction)
	}
	distance := float64(DefaultSlideDistance)
	if a.Distance != nil {
		distance = *a.Distance
	}
	travel := [2]float64{unit[0] * distance, unit[1] * distance}
	if a.Type == schemas.AnimationSlideIn {
		return [2]float64{-travel[0], -travel[1]}, to, nil
	}
	return from, travel, nil
}

// compileTiming parses an animation's delay, duration, easing and loop.
func compileTiming(a schemas.Animation, path string) (timing, error) {
	ease, err := EaseFunc(a.Easing)
	if err != nil {
		return timing{}, fmt.Errorf("%s.easing: %w", path, err)
	}
	if a.Duration <= 0 {
		return timing{}, fmt.Errorf("%s.duration: must be greater than 0", path)
	}
	tm := timing{delay: a.Delay, duration: a.Duration, ease: ease, alternate: a.Alternate}
	if a.Loop != nil {
		if a.Loop.Count < 0 {
			return timing{}, fmt.Errorf("%s.loop: want true, false or a number of cycles >= 0", path)
		}
		tm.forever, tm.cycles = a.Loop.Forever, a.Loop.Count
	}
	return tm, nil
}

// numberValue reads a from/to that must be a single number, def when absent. The number fills both
// halves of the pair, so that single-number effects read it from either.
func numberValue(v *schemas.AnimValue, def [2]float64, path string) ([2]float64, error) {
	switch {
	case v == nil:
		return def, nil
	case v.Number != nil:
		return [2]float64{*v.Number, *v.Number}, nil
	}
	return [2]float64{}, fmt.Errorf("%s: want a number", path)
}

// pairValue reads a scale from/to: a number for both axes or [sx, sy], def when absent.
func pairValue(v *schemas.AnimValue, def [2]float64, path string) ([2]float64, error) {
	switch {
	case v == nil:
		return def, nil
	case v.Number != nil:
		return [2]float64{*v.Number, *v.Number}, nil
	case v.Pair != nil:
		return *v.Pair, nil
	}
	return [2]float64{}, fmt.Errorf("%s: want a number or [sx, sy]", path)
}

// pointValue reads a move from/to: {x, y} with lengths (either may be missing) or [x, y] in px.
func pointValue(v *schemas.AnimValue, path string) (point, error) {
	switch {
	case v == nil:
		return point{}, nil
	case v.Pair != nil:
		return point{x: schemas.Length{Value: v.Pair[0]}, y: schemas.Length{Value: v.Pair[1]}, hasX: true, hasY: true}, nil
	case v.Number != nil:
		return point{}, fmt.Errorf("%s: a move goes between points: want {\"x\": …, \"y\": …}", path)
	}
	var pt point
	if v.X != nil {
		pt.x, pt.hasX = *v.X, true
	}
	if v.Y != nil {
		pt.y, pt.hasY = *v.Y, true
	}
	return pt, nil
}

// sortMoves orders moves by delay, keeping the document order among equal delays.
func sortMoves(moves []move) {
	sort.SliceStable(moves, func(i, j int) bool { return moves[i].timing.delay < moves[j].timing.delay })
}
