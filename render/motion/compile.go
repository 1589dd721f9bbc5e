package motion

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/framecast/framecast/schemas"
)

// Compiled is a clip's motion parsed once: keyframe tracks with their colors converted, animations with
// their defaults, the entrance transition. It is immutable, so one Compiled may be evaluated from several
// goroutines at once.
type Compiled struct {
	tracks      []track     // in property order, document order among equal properties
	moves       []move      // sorted by delay
	keyedX      bool        // a keyframe track drives x: moves add their travel to it on that axis
	keyedY      bool        // likewise for y
	animations  []animation // every animation but move, in document order
	filters     int         // how many animations drive filters
	transition  *transition // nil without a transition
	settledFrom float64
}

// Compile checks and parses the motion of clip c: its keyframes, animations and entrance transition. Every
// problem is reported at once (errors joined), each with the path of the field at fault, such as
// `keyframes[1].frames[0].value: unknown color "blu"`.
func Compile(c *schemas.BaseClip) (*Compiled, error) {
	if c == nil {
		return nil, errors.New("motion: no clip to compile")
	}
	cc, err := compile(c)
	if err != nil {
		return nil, err
	}
	return cc, nil
}

// compile parses what it can of c, leaving out each part at fault and reporting all of them in the error.
func compile(c *schemas.BaseClip) (*Compiled, error) {
	cc := &Compiled{}
	var errs []error
	for i, kt := range c.Keyframes {
		tr, err := compileTrack(kt, fmt.Sprintf("keyframes[%d]", i))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cc.tracks = append(cc.tracks, tr)
		cc.keyedX = cc.keyedX || tr.prop == propX
		cc.keyedY = cc.keyedY || tr.prop == propY
	}
	sort.SliceStable(cc.tracks, func(i, j int) bool { return cc.tracks[i].prop < cc.tracks[j].prop })
	for i, a := range c.Animations {
		mv, an, err := compileAnimation(a, fmt.Sprintf("animations[%d]", i))
		switch {
		case err != nil:
			errs = append(errs, err)
		case mv != nil:
			cc.moves = append(cc.moves, *mv)
		default:
			cc.animations = append(cc.animations, *an)
			if an.effect == appendFilter {
				cc.filters++
			}
		}
	}
	sortMoves(cc.moves)
	if c.Transition != nil && c.Type != "audio" {
		tr, err := compileTransition(c.Transition, true)
		if err != nil {
			errs = append(errs, err)
		}
		cc.transition = tr
	}
	cc.settledFrom = cc.settleTime()
	return cc, errors.Join(errs...)
}

// settleTime is the clip time from which nothing in cc changes any more.
func (cc *Compiled) settleTime() float64 {
	end := 0.0
	for i := range cc.tracks {
		end = math.Max(end, cc.tracks[i].end())
	}
	for i := range cc.moves {
		end = math.Max(end, cc.moves[i].timing.end())
	}
	for i := range cc.animations {
		end = math.Max(end, cc.animations[i].timing.end())
	}
	if cc.transition != nil {
		end = math.Max(end, cc.transition.timing.end())
	}
	return end
}

// SettledFrom returns the time (seconds from the clip start) from which Evaluate returns the same State for
// every later time: 0 for a clip without motion, +Inf when an animation loops until the clip ends. A renderer
// can draw a settled clip once and reuse the picture.
func (cc *Compiled) SettledFrom() float64 { return cc.settledFrom }

// Evaluate returns the clip's state at t seconds from the clip start, starting from its static geometry base
// (from Base, with Width and Height filled in) in reference box ref:
//
//   - keyframe tracks replace their property (x and y are px from ref's top-left corner, like transform);
//   - on an axis no keyframe track drives, the move animation that has started most recently sets the
//     position (before any has started, the first one holds its `from`; a coordinate missing from `from` or
//     `to` stays where it was);
//   - on an axis a keyframe track drives (x or y), moves add: every move adds its travel so far (its eased
//     position minus its `from`) to the keyframed position, so a move of +100 px rides along a keyframed path
//     instead of replacing it. A move without `from` starts at the keyframed position at its delay;
//   - every other animation applies on top: fades and zooms and scale multiply, slides and rotate add, filter
//     animations append to State.Filters. Before its delay an animation holds its start value and after its
//     last cycle its end value, so a delayed fadeIn keeps the clip invisible and a finished fadeOut leaves it
//     transparent;
//   - the entrance transition applies its geometric part and is described in State.Transition while it runs;
//   - the opacity is finally clamped to [0, 1].
//
// Evaluate does not allocate, except for State.Filters when the clip has filter animations.
func (cc *Compiled) Evaluate(base Geometry, ref Box, t float64) State {
	st := State{Geometry: base}
	for i := range cc.tracks {
		cc.tracks[i].apply(&st, ref, t)
	}
	if len(cc.moves) > 0 {
		cc.applyMoves(&st, base, ref, t)
	}
	if cc.filters > 0 {
		st.Filters = make([]schemas.Filter, 0, cc.filters)
	}
	for i := range cc.animations {
		cc.animations[i].apply(&st, t)
	}
	if cc.transition != nil {
		cc.transition.apply(&st, ref, t)
	}
	st.Opacity = clamp01(st.Opacity)
	return st
}

// Evaluate is Compile followed by (*Compiled).Evaluate, for a single use: a renderer evaluating a clip on
// every frame should compile it once. Parts of the clip that do not compile (a bad color, an unknown
// easing…) are left out; Compile reports them.
func Evaluate(c *schemas.BaseClip, base Geometry, ref Box, t float64) State {
	if c == nil {
		return State{Geometry: base}
	}
	cc, _ := compile(c)
	return cc.Evaluate(base, ref, t)
}

// applyMoves applies the moves to st (already keyframed) at time t: on a free axis the current move sets the
// position; on a keyframed axis every move adds its travel so far.
func (cc *Compiled) applyMoves(st *State, base Geometry, ref Box, t float64) {
	x, y := st.X, st.Y
	if !cc.keyedX || !cc.keyedY {
		current(cc.moves, t).apply(st, ref, t)
	}
	if !cc.keyedX && !cc.keyedY {
		return
	}
	dx, dy := 0.0, 0.0
	for i := range cc.moves {
		m := &cc.moves[i]
		start := State{Geometry: base}
		for j := range cc.tracks {
			if p := cc.tracks[j].prop; p == propX || p == propY {
				cc.tracks[j].apply(&start, ref, m.timing.delay)
			}
		}
		x0, y0 := m.from.resolve(ref, start.X, start.Y)
		x1, y1 := m.to.resolve(ref, x0, y0)
		if !m.to.hasX {
			x1 = x0
		}
		if !m.to.hasY {
			y1 = y0
		}
		p := m.timing.progress(t)
		dx += lerp(x0, x1, p) - x0
		dy += lerp(y0, y1, p) - y0
	}
	if cc.keyedX {
		st.X = x + dx
	}
	if cc.keyedY {
		st.Y = y + dy
	}
}
