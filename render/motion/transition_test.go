package motion

import (
	"testing"

	"github.com/framecast/framecast/schemas"
)

// The test clip is centered on the 1920 × 1080 canvas: x 960, y 540, scale 1, opacity 1.
func TestTransitionGeometry(t *testing.T) {
	cases := []struct {
		name, transition string
		at               float64
		field            string
		want             float64
	}{
		{"fade start", `{"type": "fade", "duration": 1}`, 0, "opacity", 0},
		{"fade middle", `{"type": "fade", "duration": 1}`, 0.5, "opacity", 0.5},
		{"fade end", `{"type": "fade", "duration": 1}`, 1, "opacity", 1},
		{"fade eased", `{"type": "fade", "duration": 1, "easing": "easeInQuad"}`, 0.5, "opacity", 0.25},

		{"slide default: moving left, it starts one canvas width to the right", `{"type": "slide", "duration": 1}`, 0, "x", 960 + 1920},
		{"slide middle", `{"type": "slide", "duration": 1}`, 0.5, "x", 960 + 960},
		{"slide end", `{"type": "slide", "duration": 1}`, 1, "x", 960},
		{"slide right starts on the left", `{"type": "slide", "duration": 1, "direction": "right"}`, 0, "x", 960 - 1920},
		{"slide up starts one canvas height below", `{"type": "slide", "duration": 1, "direction": "up"}`, 0.5, "y", 540 + 540},
		{"slide down starts above", `{"type": "slide", "duration": 2, "direction": "down"}`, 0, "y", 540 - 1080},
		{"push moves like slide", `{"type": "push", "duration": 1, "direction": "left"}`, 0.25, "x", 960 + 1440},

		{"zoom default: from nothing", `{"type": "zoom", "duration": 1}`, 0, "scaleX", 0},
		{"zoom middle", `{"type": "zoom", "duration": 1}`, 0.5, "scaleY", 0.5},
		{"zoom from a scale", `{"type": "zoom", "duration": 1, "scale": 0.5}`, 0.5, "scaleX", 0.75},
		{"zoom down from a larger scale", `{"type": "zoom", "duration": 1, "scale": 3}`, 0, "scaleX", 3},
		{"zoom end", `{"type": "zoom", "duration": 1, "scale": 3}`, 1, "scaleX", 1},

		{"spin start: turned 180°", `{"type": "spin", "duration": 1}`, 0, "rotation", 180},
		{"spin start: scale 0", `{"type": "spin", "duration": 1}`, 0, "scaleX", 0},
		{"spin middle: rotation", `{"type": "spin", "duration": 1, "rotation": 360}`, 0.5, "rotation", 180},
		{"spin middle: scale", `{"type": "spin", "duration": 1}`, 0.5, "scaleY", 0.5},
		{"spin end", `{"type": "spin", "duration": 1}`, 1, "rotation", 0},

		{"wipe leaves the geometry alone", `{"type": "wipe", "duration": 1}`, 0.5, "x", 960},
		{"blur dissolves in: opacity follows the progress", `{"type": "blur", "duration": 1}`, 0.5, "opacity", 0.5},
		{"iris leaves the geometry alone", `{"type": "iris", "duration": 1}`, 0.5, "scaleX", 1},
		{"lightSweep dissolves in: opacity follows the progress", `{"type": "lightSweep", "duration": 1}`, 0.5, "opacity", 0.5},
	}
	for _, c := range cases {
		st := stateAt(t, `"transition": `+c.transition, c.at)
		if got := fields[c.field](st); !near(got, c.want) {
			t.Errorf("%s: at %g s %s = %g, want %g", c.name, c.at, c.field, got, c.want)
		}
	}
}

func TestTransitionState(t *testing.T) {
	for _, typ := range schemas.Names(schemas.TransitionTypes) {
		tr := `"transition": {"type": "` + typ + `", "duration": 2, "easing": "easeInQuad"}`
		st := stateAt(t, tr, 1)
		want := TransitionState{
			Type: schemas.TransitionType(typ), Progress: 0.25, Direction: "left",
			Blur: 20, Intensity: 1, Rotation: 180, Scale: 0,
		}
		if !st.Transition.Set || st.Transition.Value != want {
			t.Errorf("%s half way: Transition = %+v, want set to %+v", typ, st.Transition, want)
		}
		if st := stateAt(t, tr, 0); !st.Transition.Set || st.Transition.Value.Progress != 0 {
			t.Errorf("%s at the clip start: Transition = %+v, want set with progress 0", typ, st.Transition)
		}
		if st := stateAt(t, tr, 2); st.Transition.Set {
			t.Errorf("%s after its duration: Transition = %+v, want unset", typ, st.Transition)
		}
	}
	st := stateAt(t, `"transition": {"type": "lightSweep", "duration": 1, "direction": "up", "blur": 5,
		"intensity": 0.3, "rotation": 90, "scale": 0.2}`, 0.5)
	want := TransitionState{Type: "lightSweep", Progress: 0.5, Direction: "up", Blur: 5, Intensity: 0.3, Rotation: 90, Scale: 0.2}
	if st.Transition.Value != want {
		t.Errorf("given fields: Transition = %+v, want %+v", st.Transition.Value, want)
	}
}

func TestTransitionWithAnimations(t *testing.T) {
	// A fade transition and a fadeIn animation multiply, on top of the static opacity.
	st := stateAt(t, `"opacity": 0.8, "transition": {"type": "fade", "duration": 1},
		"animations": [{"type": "fadeIn", "duration": 2}]`, 0.5)
	if !near(st.Opacity, 0.8*0.5*0.25) {
		t.Errorf("opacity = %g, want %g", st.Opacity, 0.8*0.5*0.25)
	}
	// A slide transition adds to a keyframed position.
	st = stateAt(t, `"transition": {"type": "slide", "duration": 1, "direction": "down"},
		"keyframes": [{"property": "y", "frames": [{"time": 0, "value": 100}]}]`, 0.5)
	if !near(st.Y, 100-540) {
		t.Errorf("y = %g, want %g", st.Y, 100.0-540)
	}
}

func TestTransitionInsideALayoutTravelsItsBox(t *testing.T) {
	c := clipWith(t, `"transition": {"type": "slide", "duration": 1}`)
	box := Box{X: 100, Y: 100, W: 400, H: 300}
	cc, err := Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	if st := cc.Evaluate(Base(c, box), box, 0); st.X != 300+400 {
		t.Errorf("x = %g, want %d (layout center + layout width)", st.X, 300+400)
	}
}

func TestTransitionErrors(t *testing.T) {
	cases := []struct{ transition, want string }{
		{`{"type": "dissolve", "duration": 1}`, `transition.type: unknown transition "dissolve"`},
		{`{"type": "fade", "duration": 0}`, `transition.duration: must be greater than 0`},
		{`{"type": "fade", "duration": 1, "easing": "smooth"}`, `transition.easing: unknown easing "smooth"`},
		{`{"type": "wipe", "duration": 1, "direction": "sideways"}`, `transition.direction: unknown direction "sideways"`},
	}
	for _, c := range cases {
		if _, err := Compile(clipWith(t, `"transition": `+c.transition)); err == nil || !contains(err, c.want) {
			t.Errorf("Compile(%s) error = %v, want one containing %q", c.transition, err, c.want)
		}
	}
}

func TestAudioClipsTakeNoTransition(t *testing.T) {
	c := clipWith(t, `"transition": {"type": "fade", "duration": 1}`)
	c.Type = "audio"
	cc, err := Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	if st := cc.Evaluate(Base(c, canvas), canvas, 0.5); st.Opacity != 1 || st.Transition.Set {
		t.Errorf("audio clip with a transition: %+v, want it untouched", st)
	}
}

func TestOutgoing(t *testing.T) {
	prev := clipWith(t, ``) // starts at 10, ends at 15
	g := Base(prev, canvas)
	tr := func(js string) *schemas.Transition { return clipWith(t, `"transition": `+js).Transition }
	cases := []struct {
		name       string
		next       *schemas.Transition
		at         float64
		wantX      float64
		wantY      float64
		wantVisble bool
	}{
		{"push left: the outgoing clip leaves to the left", tr(`{"type": "push", "duration": 1}`), 0.5, 960 - 960, 540, true},
		{"push up: it leaves upward", tr(`{"type": "push", "duration": 2, "direction": "up"}`), 1, 960, 540 - 540, true},
		{"push eased", tr(`{"type": "push", "duration": 1, "direction": "right", "easing": "easeInQuad"}`), 0.5, 960 + 480, 540, true},
		{"push at its start: in place", tr(`{"type": "push", "duration": 1}`), 0, 960, 540, true},
		{"fade: in place underneath, a cross-dissolve", tr(`{"type": "fade", "duration": 1}`), 0.5, 960, 540, true},
		{"slide: in place underneath", tr(`{"type": "slide", "duration": 1}`), 0.5, 960, 540, true},
		{"after the transition: gone", tr(`{"type": "fade", "duration": 1}`), 1, 960, 540, false},
		{"before the next clip starts: not Outgoing's business", tr(`{"type": "fade", "duration": 1}`), -0.1, 960, 540, false},
		{"no transition: gone", nil, 0.5, 960, 540, false},
	}
	for _, c := range cases {
		got, visible := Outgoing(prev, c.next, g, canvas, c.at)
		if visible != c.wantVisble || (visible && (!near(got.X, c.wantX) || !near(got.Y, c.wantY))) {
			t.Errorf("%s: (%g, %g) visible %v; want (%g, %g) visible %v",
				c.name, got.X, got.Y, visible, c.wantX, c.wantY, c.wantVisble)
		}
	}
	audio := clipWith(t, ``)
	audio.Type = "audio"
	if _, visible := Outgoing(audio, tr(`{"type": "fade", "duration": 1}`), g, canvas, 0.5); visible {
		t.Error("an outgoing audio clip is visible")
	}
}

func TestAdjoins(t *testing.T) {
	prev := clipWith(t, ``) // 10 .. 15
	at := func(start float64) *schemas.BaseClip { c := clipWith(t, ``); c.Start = start; return c }
	cases := []struct {
		next *schemas.BaseClip
		fps  float64
		want bool
	}{
		{at(15), 30, true},
		{at(15.03), 30, true}, // within one frame
		{at(14.97), 30, true},
		{at(15.05), 30, false},
		{at(15.05), 10, true},
		{at(15.03), 0, true}, // fps 0 means the default 30
		{at(16), 30, false},
		{nil, 30, false},
	}
	for _, c := range cases {
		if got := Adjoins(prev, c.next, c.fps); got != c.want {
			start := -1.0
			if c.next != nil {
				start = c.next.Start
			}
			t.Errorf("Adjoins(ends 15, starts %g, %g fps) = %v, want %v", start, c.fps, got, c.want)
		}
	}
}
