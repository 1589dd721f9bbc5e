package motion

import (
	"math"
	"strings"
	"testing"
)

// The test clip is centered on the 1920 × 1080 canvas: x 960, y 540, scale 1, opacity 1, for 5 s.
func TestAnimations(t *testing.T) {
	cases := []struct {
		name, anims string // the animations list, JSON
		at          float64
		field       string
		want        float64
	}{
		{"fadeIn start", `{"type": "fadeIn", "duration": 1}`, 0, "opacity", 0},
		{"fadeIn middle", `{"type": "fadeIn", "duration": 1}`, 0.5, "opacity", 0.5},
		{"fadeIn end", `{"type": "fadeIn", "duration": 1}`, 1, "opacity", 1},
		{"fadeIn after", `{"type": "fadeIn", "duration": 1}`, 3, "opacity", 1},
		{"fadeIn before its delay: invisible", `{"type": "fadeIn", "duration": 1, "delay": 2}`, 1, "opacity", 0},
		{"fadeIn after its delay", `{"type": "fadeIn", "duration": 1, "delay": 2}`, 2.5, "opacity", 0.5},
		{"fadeIn eased", `{"type": "fadeIn", "duration": 1, "easing": "easeInQuad"}`, 0.5, "opacity", 0.25},
		{"fadeIn to a value", `{"type": "fadeIn", "duration": 1, "to": 0.5}`, 2, "opacity", 0.5},

		{"fadeOut as an exit: no effect before its delay", `{"type": "fadeOut", "duration": 1, "delay": 4}`, 3, "opacity", 1},
		{"fadeOut middle", `{"type": "fadeOut", "duration": 1, "delay": 4}`, 4.5, "opacity", 0.5},
		{"fadeOut end", `{"type": "fadeOut", "duration": 1, "delay": 4}`, 5, "opacity", 0},
		{"fadeOut that ended leaves the clip transparent", `{"type": "fadeOut", "duration": 1}`, 2, "opacity", 0},

		{"zoomIn start", `{"type": "zoomIn", "duration": 2}`, 0, "scaleX", 0},
		{"zoomIn middle", `{"type": "zoomIn", "duration": 2}`, 1, "scaleY", 0.5},
		{"zoomIn end", `{"type": "zoomIn", "duration": 2}`, 2, "scaleX", 1},
		{"zoomIn before its delay", `{"type": "zoomIn", "duration": 1, "delay": 1}`, 0.5, "scaleX", 0},
		{"zoomOut start", `{"type": "zoomOut", "duration": 2, "delay": 3}`, 3, "scaleX", 1},
		{"zoomOut middle", `{"type": "zoomOut", "duration": 2, "delay": 3}`, 4, "scaleY", 0.5},
		{"zoomOut end", `{"type": "zoomOut", "duration": 2, "delay": 3}`, 5, "scaleX", 0},

		{"slideIn defaults: from 200 px below, moving up", `{"type": "slideIn", "duration": 1}`, 0, "y", 740},
		{"slideIn middle", `{"type": "slideIn", "duration": 1}`, 0.5, "y", 640},
		{"slideIn end", `{"type": "slideIn", "duration": 1}`, 1, "y", 540},
		{"slideIn keeps the other axis", `{"type": "slideIn", "duration": 1}`, 0.5, "x", 960},
		{"slideIn toward the left comes from the right", `{"type": "slideIn", "duration": 1, "direction": "left", "distance": 100}`, 0, "x", 1060},
		{"slideIn down comes from above", `{"type": "slideIn", "duration": 1, "direction": "down"}`, 0.5, "y", 440},
		{"slideIn before its delay holds its start", `{"type": "slideIn", "duration": 1, "delay": 2, "direction": "right"}`, 1, "x", 760},
		{"slideOut start", `{"type": "slideOut", "duration": 1, "direction": "right"}`, 0, "x", 960},
		{"slideOut middle", `{"type": "slideOut", "duration": 1, "direction": "right"}`, 0.5, "x", 1060},
		{"slideOut end", `{"type": "slideOut", "duration": 1, "direction": "right"}`, 1, "x", 1160},
		{"slideOut as an exit: in place before its delay", `{"type": "slideOut", "duration": 1, "delay": 4, "direction": "down", "distance": 50}`, 3, "y", 540},
		{"slideOut as an exit: gone after", `{"type": "slideOut", "duration": 1, "delay": 4, "direction": "down", "distance": 50}`, 5, "y", 590},

		{"move start", `{"type": "move", "duration": 2, "from": {"x": 0, "y": 0}, "to": {"x": "50%", "y": "100%"}}`, 0, "x", 0},
		{"move middle x", `{"type": "move", "duration": 2, "from": {"x": 0, "y": 0}, "to": {"x": "50%", "y": "100%"}}`, 1, "x", 480},
		{"move middle y", `{"type": "move", "duration": 2, "from": {"x": 0, "y": 0}, "to": {"x": "50%", "y": "100%"}}`, 1, "y", 540},
		{"move end", `{"type": "move", "duration": 2, "from": {"x": 0, "y": 0}, "to": {"x": "50%", "y": "100%"}}`, 4, "y", 1080},
		{"move holds from before its delay", `{"type": "move", "duration": 1, "delay": 1, "from": {"x": 100}, "to": {"x": 200}}`, 0.5, "x", 100},
		{"move without from starts at the clip's position", `{"type": "move", "duration": 2, "to": {"x": 0}}`, 1, "x", 480},
		{"move without to.y keeps y", `{"type": "move", "duration": 2, "to": {"x": 0}}`, 1, "y", 540},
		{"move with [x, y] pixels", `{"type": "move", "duration": 2, "from": [0, 0], "to": [100, 200]}`, 1, "y", 100},

		{"scale middle", `{"type": "scale", "duration": 2, "from": 1, "to": 2}`, 1, "scaleX", 1.5},
		{"scale pairs", `{"type": "scale", "duration": 2, "from": [1, 2], "to": [3, 4]}`, 1, "scaleY", 3},
		{"scale before its delay holds from", `{"type": "scale", "duration": 1, "delay": 1, "from": 0.5, "to": 2}`, 0, "scaleX", 0.5},
		{"scale after", `{"type": "scale", "duration": 1, "from": 0.5, "to": 2}`, 3, "scaleY", 2},

		{"rotate middle", `{"type": "rotate", "duration": 1, "from": 0, "to": 90}`, 0.5, "rotation", 45},
		{"rotate end", `{"type": "rotate", "duration": 1, "from": 0, "to": 90}`, 1, "rotation", 90},
		{"rotate a full turn, eased", `{"type": "rotate", "duration": 2, "to": 360, "easing": "easeInOutCubic"}`, 1, "rotation", 180},

		{"filter blur start", `{"type": "filter", "filter": "blur", "duration": 1, "from": 10, "to": 0}`, 0, "filter0", 10},
		{"filter blur middle", `{"type": "filter", "filter": "blur", "duration": 1, "from": 10, "to": 0}`, 0.5, "filter0", 5},
		{"filter defaults to the neutral value", `{"type": "filter", "filter": "brightness", "duration": 1, "to": 2}`, 0.5, "filter0", 1.5},

		{"loop true repeats: second cycle", `{"type": "rotate", "duration": 1, "to": 100, "loop": true}`, 1.25, "rotation", 25},
		{"loop true repeats to the clip's end", `{"type": "rotate", "duration": 1, "to": 100, "loop": true}`, 4.5, "rotation", 50},
		{"loop true waits for its delay", `{"type": "rotate", "duration": 1, "to": 100, "loop": true, "delay": 2}`, 1.5, "rotation", 0},
		{"loop 2: in the second cycle", `{"type": "rotate", "duration": 1, "to": 100, "loop": 2}`, 1.5, "rotation", 50},
		{"loop 2: holds the end after two cycles", `{"type": "rotate", "duration": 1, "to": 100, "loop": 2}`, 3, "rotation", 100},
		{"loop 1.5 stops half way through the second cycle", `{"type": "rotate", "duration": 1, "to": 100, "loop": 1.5}`, 3, "rotation", 50},
		// Issue 10 item 13: loop keeps meaning repeat; alternate runs every second cycle backwards.
		{"loop restarts each cycle", `{"type": "rotate", "duration": 1, "to": 100, "loop": true}`, 1.25, "rotation", 25},
		{"alternate runs the second cycle backwards", `{"type": "rotate", "duration": 1, "to": 100, "loop": true, "alternate": true}`, 1.25, "rotation", 75},
		{"alternate's third cycle runs forwards again", `{"type": "rotate", "duration": 1, "to": 100, "loop": true, "alternate": true}`, 2.25, "rotation", 25},
		{"alternate with 2 cycles ends where it started", `{"type": "rotate", "duration": 1, "to": 100, "loop": 2, "alternate": true}`, 5, "rotation", 0},
		{"loop false is one cycle", `{"type": "rotate", "duration": 1, "to": 100, "loop": false}`, 1.5, "rotation", 100},

		{"in parallel: fadeIn and fadeOut multiply",
			`{"type": "fadeIn", "duration": 2}, {"type": "fadeOut", "duration": 2, "delay": 1}`, 1.5, "opacity", 0.75 * 0.75},
		{"in parallel: zoomIn and scale multiply",
			`{"type": "zoomIn", "duration": 1}, {"type": "scale", "duration": 1, "from": 2, "to": 2}`, 0.5, "scaleX", 1},
		{"in parallel: two slides add",
			`{"type": "slideIn", "duration": 1, "direction": "left", "distance": 100}, {"type": "slideOut", "duration": 1, "direction": "left", "distance": 100}`,
			0.5, "x", 960},
		{"slides add to a move",
			`{"type": "move", "duration": 1, "from": {"x": 0}, "to": {"x": 100}}, {"type": "slideIn", "duration": 1, "direction": "right"}`,
			0.5, "x", 50 - 100},
		{"sequential moves: the first, running", seqMoves, 0.5, "x", 50},
		{"sequential moves: between them the first holds its end", seqMoves, 1.5, "x", 100},
		{"sequential moves: the second, running", seqMoves, 2.5, "x", 150},
		{"sequential moves: the second holds its end", seqMoves, 4, "x", 200},
		{"sequential moves: before both, the first's from", `{"type": "move", "duration": 1, "delay": 1, "from": [10, 0], "to": [20, 0]}, {"type": "move", "duration": 1, "delay": 3, "from": [30, 0], "to": [40, 0]}`, 0, "x", 10},
	}
	for _, c := range cases {
		st := stateAt(t, `"animations": [`+c.anims+`]`, c.at)
		if got := fields[c.field](st); !near(got, c.want) {
			t.Errorf("%s: at %g s %s = %g, want %g", c.name, c.at, c.field, got, c.want)
		}
	}
}

const seqMoves = `{"type": "move", "duration": 1, "from": {"x": 0}, "to": {"x": 100}},
	{"type": "move", "duration": 1, "delay": 2, "from": {"x": 100}, "to": {"x": 200}}`

func TestAnimationsOnKeyframes(t *testing.T) {
	cases := []struct {
		name, members string
		at            float64
		field         string
		want          float64
	}{
		{"keyframed opacity × fadeIn",
			`"keyframes": [{"property": "opacity", "frames": [{"time": 0, "value": 1}, {"time": 2, "value": 0}]}],
			 "animations": [{"type": "fadeIn", "duration": 1}]`, 0.5, "opacity", 0.75 * 0.5},
		{"keyframed x + slideIn",
			`"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 100}]}],
			 "animations": [{"type": "slideIn", "duration": 1, "direction": "left", "distance": 100}]`, 0, "x", 200},
		{"keyframed scale × zoomIn",
			`"keyframes": [{"property": "scale", "frames": [{"time": 0, "value": 2}]}],
			 "animations": [{"type": "zoomIn", "duration": 1}]`, 0.5, "scaleY", 1},
		{"keyframed rotation + rotate",
			`"keyframes": [{"property": "rotation", "frames": [{"time": 0, "value": 0}, {"time": 1, "value": 90}]}],
			 "animations": [{"type": "rotate", "duration": 1, "to": 90}]`, 1, "rotation", 180},
		{"static opacity × fadeIn",
			`"opacity": 0.5, "animations": [{"type": "fadeIn", "duration": 1}]`, 0.5, "opacity", 0.25},
		{"a move without from starts at the keyframed position",
			`"keyframes": [{"property": "y", "frames": [{"time": 0, "value": 0}]}],
			 "animations": [{"type": "move", "duration": 1, "to": {"y": 100}}]`, 0.5, "y", 50},
		// Issue 10 item 10: moves add to a keyframed position instead of replacing it.
		{"a move adds its travel to keyframed x",
			`"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 0}, {"time": 2, "value": 200}]}],
			 "animations": [{"type": "move", "duration": 2, "from": {"x": 0}, "to": {"x": 100}}]`, 1, "x", 100 + 50},
		{"two moves on keyframed x both add",
			`"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 10}]}],
			 "animations": [{"type": "move", "duration": 1, "from": {"x": 0}, "to": {"x": 100}}, {"type": "move", "duration": 1, "delay": 1, "from": {"x": 0}, "to": {"x": 50}}]`, 3, "x", 10 + 150},
		{"a move on a free axis still sets it while x is keyframed",
			`"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 0}, {"time": 2, "value": 200}]}],
			 "animations": [{"type": "move", "duration": 2, "from": {"x": 0, "y": 100}, "to": {"x": 100, "y": 300}}]`, 1, "y", 200},
	}
	for _, c := range cases {
		if got := fields[c.field](stateAt(t, c.members, c.at)); !near(got, c.want) {
			t.Errorf("%s: %s = %g, want %g", c.name, c.field, got, c.want)
		}
	}
}

func TestFilterAnimationsListInOrder(t *testing.T) {
	st := stateAt(t, `"animations": [
		{"type": "filter", "filter": "blur", "duration": 1, "from": 8},
		{"type": "fadeIn", "duration": 1},
		{"type": "filter", "filter": "grayscale", "duration": 2, "from": 1}]`, 0.5)
	if len(st.Filters) != 2 || st.Filters[0].Type != "blur" || st.Filters[0].Value != 4 ||
		st.Filters[1].Type != "grayscale" || st.Filters[1].Value != 0.75 {
		t.Errorf("Filters = %+v, want [blur 4, grayscale 0.75]", st.Filters)
	}
	if st := stateAt(t, `"animations": [{"type": "fadeIn", "duration": 1}]`, 0.5); st.Filters != nil {
		t.Errorf("Filters = %+v without filter animations, want nil", st.Filters)
	}
}

func TestOvershootingEasingsKeepOpacityInRange(t *testing.T) {
	for at := 0.0; at <= 1; at += 0.05 {
		st := stateAt(t, `"animations": [{"type": "fadeIn", "duration": 1, "easing": "easeOutElastic"}]`, at)
		if st.Opacity < 0 || st.Opacity > 1 {
			t.Fatalf("opacity %g at %g s, outside 0..1", st.Opacity, at)
		}
	}
	// Scale may overshoot: that is the point of easeOutBack.
	if st := stateAt(t, `"animations": [{"type": "zoomIn", "duration": 1, "easing": "easeOutBack"}]`, 0.6); st.ScaleX <= 1 {
		t.Errorf("easeOutBack zoomIn at 60 %%: scale %g, want an overshoot above 1", st.ScaleX)
	}
}

func TestAnimationErrors(t *testing.T) {
	cases := []struct{ anims, want string }{
		{`{"type": "spinIn", "duration": 1}`, `animations[0].type: unknown animation "spinIn"`},
		{`{"type": "fadeIn", "duration": 0}`, `animations[0].duration: must be greater than 0`},
		{`{"type": "fadeIn", "duration": 1, "easing": "easeInQuint"}`, `animations[0].easing: unknown easing "easeInQuint"`},
		{`{"type": "fadeIn", "duration": 1}, {"type": "filter", "duration": 1, "to": 2}`, `animations[1].filter: a filter animation names the filter`},
		{`{"type": "slideIn", "duration": 1, "direction": "north"}`, `animations[0].direction: unknown direction "north"`},
		{`{"type": "move", "duration": 1, "to": 5}`, `animations[0].to: a move goes between points`},
		{`{"type": "rotate", "duration": 1, "from": [1, 2]}`, `animations[0].from: want a number`},
		{`{"type": "scale", "duration": 1, "to": {"x": 1}}`, `animations[0].to: want a number or [sx, sy]`},
		{`{"type": "fadeIn", "duration": 1, "loop": -2}`, `animations[0].loop: want true, false or a number of cycles`},
	}
	for _, c := range cases {
		cc, err := Compile(clipWith(t, `"animations": [`+c.anims+`]`))
		if err == nil || cc != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compile(%s) = %v, %v; want an error containing %q", c.anims, cc, err, c.want)
		}
	}
}

func TestCompileReportsEveryProblemAndEvaluateSkipsThem(t *testing.T) {
	members := `"keyframes": [{"property": "fill", "frames": [{"time": 0, "value": "nope"}]},
		{"property": "x", "frames": [{"time": 0, "value": 0}, {"time": 2, "value": 200}]}],
		"animations": [{"type": "wobble", "duration": 1}, {"type": "fadeIn", "duration": 2}],
		"transition": {"type": "dissolve", "duration": 1}`
	c := clipWith(t, members)
	_, err := Compile(c)
	if err == nil {
		t.Fatal("Compile succeeded on a clip with three problems")
	}
	for _, want := range []string{"keyframes[0].frames[0].value", "animations[0].type", "transition.type"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	// The free Evaluate keeps what is sound: the x track and the fadeIn.
	st := Evaluate(c, Base(c, canvas), canvas, 1)
	if st.X != 100 || st.Opacity != 0.5 || st.Fill.Set || st.Transition.Set {
		t.Errorf("Evaluate on a clip with problems: %+v; want x 100, opacity 0.5, no fill, no transition", st)
	}
	if _, err := Compile(nil); err == nil {
		t.Error("Compile(nil) succeeded")
	}
}

func TestSettledFrom(t *testing.T) {
	cases := []struct {
		members string
		want    float64
	}{
		{``, 0},
		{`"animations": [{"type": "fadeIn", "duration": 0.5}, {"type": "fadeOut", "duration": 1, "delay": 4}]`, 5},
		{`"animations": [{"type": "rotate", "duration": 1, "to": 90, "loop": 3, "delay": 0.5}]`, 3.5},
		{`"animations": [{"type": "rotate", "duration": 1, "to": 90, "loop": true}]`, math.Inf(1)},
		{`"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 0}, {"time": 2.5, "value": 9}]}]`, 2.5},
		{`"transition": {"type": "fade", "duration": 0.75}`, 0.75},
	}
	for _, c := range cases {
		cc, err := Compile(clipWith(t, c.members))
		if err != nil {
			t.Fatal(err)
		}
		if got := cc.SettledFrom(); got != c.want {
			t.Errorf("SettledFrom(%s) = %g, want %g", c.members, got, c.want)
		}
	}
}

func TestEvaluateDoesNotAllocate(t *testing.T) {
	c := benchClip(t)
	cc, err := Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	base := Base(c, canvas)
	var sink State
	allocs := testing.AllocsPerRun(100, func() { sink = cc.Evaluate(base, canvas, 0.7) })
	if allocs != 0 {
		t.Errorf("Evaluate allocates %g times per call, want 0", allocs)
	}
	_ = sink
}

func TestPositionsInsideALayoutAreMeasuredFromItsBox(t *testing.T) {
	box := Box{X: 100, Y: 200, W: 400, H: 300}
	c := clipWith(t, `"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 10}]}],
		"animations": [{"type": "move", "duration": 2, "to": {"y": "100%"}}]`)
	cc, err := Compile(c)
	if err != nil {
		t.Fatal(err)
	}
	st := cc.Evaluate(Base(c, box), box, 1)
	// x: keyframed 10 px from the box's left edge; y: half way from the box's center (350) to its bottom (500).
	if st.X != 110 || st.Y != 425 {
		t.Errorf("(x, y) = (%g, %g), want (110, 425)", st.X, st.Y)
	}
}
