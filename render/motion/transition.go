package motion

import (
	"fmt"
	"math"

	"github.com/framecast/framecast/schemas"
)

// Transition defaults, used when the document leaves the field out.
const (
	DefaultTransitionDirection schemas.Direction = schemas.DirectionLeft // moves toward the left: a slide comes in from the right
	DefaultTransitionBlur                        = 20                    // px, blur
	DefaultTransitionIntensity                   = 1                     // lightSweep
	DefaultTransitionRotation                    = 180                   // degrees, spin
	DefaultTransitionScale                       = 0                     // zoom
)

// transition is a parsed entrance transition.
type transition struct {
	timing timing
	state  TransitionState // with defaults; Progress is filled in per call
	unit   [2]float64      // unit vector toward state.Direction
}

// compileTransition parses the entrance transition tr. With strict false it never fails: unknown easings
// mean linear and unknown directions the default, as Outgoing needs for a transition it did not compile.
func compileTransition(tr *schemas.Transition, strict bool) (*transition, error) {
	if strict && !schemas.Has(schemas.TransitionTypes, string(tr.Type)) {
		return nil, fmt.Errorf("transition.type: unknown transition %q: use one of %v",
			tr.Type, schemas.Names(schemas.TransitionTypes))
	}
	if strict && tr.Duration <= 0 {
		return nil, fmt.Errorf("transition.duration: must be greater than 0")
	}
	ease, err := EaseFunc(tr.Easing)
	if err != nil {
		if strict {
			return nil, fmt.Errorf("transition.easing: %w", err)
		}
		ease = linear
	}
	dir := tr.Direction
	if dir == "" {
		dir = DefaultTransitionDirection
	}
	unit, ok := directions[dir]
	if !ok {
		if strict {
			return nil, fmt.Errorf("transition.direction: unknown direction %q: use left, right, up or down", tr.Direction)
		}
		dir, unit = DefaultTransitionDirection, directions[DefaultTransitionDirection]
	}
	return &transition{
		timing: timing{duration: tr.Duration, ease: ease},
		state: TransitionState{
			Type:      tr.Type,
			Direction: dir,
			Blur:      orDefault(tr.Blur, DefaultTransitionBlur),
			Intensity: orDefault(tr.Intensity, DefaultTransitionIntensity),
			Rotation:  orDefault(tr.Rotation, DefaultTransitionRotation),
			Scale:     orDefault(tr.Scale, DefaultTransitionScale),
		},
		unit: unit,
	}, nil
}

func orDefault(v *float64, def float64) float64 {
	if v != nil {
		return *v
	}
	return def
}

// running reports whether the transition is under way at t seconds from the clip start.
func (tr *transition) running(t float64) bool { return t >= 0 && t < tr.timing.duration }

// travel is the offset a slide or push covers in ref: one full width or height toward the direction.
func (tr *transition) travel(ref Box) (dx, dy float64) {
	return tr.unit[0] * ref.W, tr.unit[1] * ref.H
}

// apply records the transition in st while it runs and applies its geometric part: fade, blur and
// lightSweep multiply the opacity by the progress p; slide and push start one ref width (or height) back from the direction and move
// in; zoom scales from state.Scale to 1; spin turns from state.Rotation to 0 while scaling from 0 to 1.
func (tr *transition) apply(st *State, ref Box, t float64) {
	p := tr.timing.progress(t)
	if tr.running(t) {
		ts := tr.state
		ts.Progress = p
		st.Transition = some(ts)
	}
	switch tr.state.Type {
	case schemas.TransitionFade, schemas.TransitionBlur, schemas.TransitionLightSweep:
		// blur and lightSweep dissolve from the outgoing clip too (the blur shrinks, the sweep passes, while
		// the opacity rises): without it they began with a hard cut.
		st.Opacity *= p
	case schemas.TransitionSlide, schemas.TransitionPush:
		dx, dy := tr.travel(ref)
		st.X -= dx * (1 - p)
		st.Y -= dy * (1 - p)
	case schemas.TransitionZoom:
		s := lerp(tr.state.Scale, 1, p)
		st.ScaleX *= s
		st.ScaleY *= s
	case schemas.TransitionSpin:
		st.Rotation += (1 - p) * tr.state.Rotation
		st.ScaleX *= p
		st.ScaleY *= p
	}
}

// Adjoins reports whether clip prev ends where clip next starts, within one frame at fps frames per second
// (a non-positive fps means schemas.DefaultFPS). When it does and both are on the same track, prev stays
// visible under next during next's entrance transition: see Outgoing.
func Adjoins(prev, next *schemas.BaseClip, fps float64) bool {
	if prev == nil || next == nil {
		return false
	}
	if fps <= 0 {
		fps = schemas.DefaultFPS
	}
	return math.Abs(prev.End()-next.Start) <= 1/fps+1e-9
}

// Outgoing gives the geometry of the outgoing clip prev while the next clip on its track makes its entrance
// with transition next, tSinceNextStart seconds after next started. g is prev's geometry as the caller draws
// it (typically its State at its last frame). The boolean reports whether prev is visible at all: only while
// next's transition runs, and never for audio clips or without a transition. The caller checks Adjoins first.
//
// A push moves the outgoing clip on toward the transition's direction by the same distance the incoming one
// covers, so the two travel together; every other transition leaves the outgoing clip in place, underneath
// (a fade is then a cross-dissolve).
func Outgoing(prev *schemas.BaseClip, next *schemas.Transition, g Geometry, ref Box, tSinceNextStart float64) (Geometry, bool) {
	if prev == nil || next == nil || prev.Type == "audio" {
		return g, false
	}
	tr, _ := compileTransition(next, false)
	if !tr.running(tSinceNextStart) {
		return g, false
	}
	if next.Type == schemas.TransitionPush {
		p := tr.timing.progress(tSinceNextStart)
		dx, dy := tr.travel(ref)
		g.X += dx * p
		g.Y += dy * p
	}
	return g, true
}
