package motion

import (
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/framecast/framecast/schemas"
)

func TestNumberKeyframes(t *testing.T) {
	// A ramp from 20 at 1 s to 120 at 3 s; the base value of every property differs from 20 and 120.
	ramp := func(prop, easing string) string {
		return `"keyframes": [{"property": "` + prop + `", "frames": [
			{"time": 1, "value": 20}, {"time": 3, "value": 120, "easing": "` + easing + `"}]}]`
	}
	cases := []struct {
		prop, easing string
		at           float64
		field        string
		want         float64
	}{
		{"x", "", 0, "x", 20}, // before the first frame the value holds
		{"x", "", 1, "x", 20},
		{"x", "", 2, "x", 70},
		{"x", "", 3, "x", 120},
		{"x", "", 4.5, "x", 120}, // after the last frame the value holds
		{"y", "", 2, "y", 70},
		{"width", "", 2, "width", 70},
		{"height", "", 2.5, "height", 95},
		{"scale", "", 2, "scaleX", 70},
		{"scale", "", 2, "scaleY", 70},
		{"scaleX", "", 2, "scaleX", 70},
		{"scaleX", "", 2, "scaleY", 1}, // the other axis keeps its static value
		{"scaleY", "", 2, "scaleY", 70},
		{"rotation", "", 2, "rotation", 70},
		{"opacity", "", 2, "opacity", 1}, // clamped to 0..1
		{"skewX", "", 2, "skewX", 70},
		{"skewY", "", 2, "skewY", 70},
		{"strokeWidth", "", 2, "strokeWidth", 70},
		{"fontSize", "", 2, "fontSize", 70},
		{"borderRadius", "", 2, "borderRadius", 70},
		{"volume", "", 2, "volume", 70},
		{"drawStart", "", 2, "drawStart", 70},
		{"drawEnd", "", 2, "drawEnd", 70},
		// The easing on the arriving frame shapes the segment: easeInQuad at half way = 25 %.
		{"x", "easeInQuad", 2, "x", 20 + 100*0.25},
		{"x", "easeOutQuad", 2, "x", 20 + 100*0.75},
	}
	for _, c := range cases {
		st := stateAt(t, ramp(c.prop, c.easing), c.at)
		if got := fields[c.field](st); !near(got, c.want) {
			t.Errorf("%s (%s) at %g s: %s = %g, want %g", c.prop, c.easing, c.at, c.field, got, c.want)
		}
	}
}

func TestEveryKeyframePropertyIsImplemented(t *testing.T) {
	for _, name := range schemas.Names(schemas.KeyframeProperties) {
		if _, ok := properties[schemas.KeyframeProperty(name)]; !ok {
			t.Errorf("keyframe property %q is not implemented", name)
		}
	}
}

func TestKeyframesOnlySetWhatTheyDrive(t *testing.T) {
	st := stateAt(t, `"keyframes": [{"property": "fontSize", "frames": [{"time": 0, "value": 30}]}]`, 1)
	if !st.FontSize.Set || st.FontSize.Value != 30 {
		t.Errorf("FontSize = %+v, want set to 30", st.FontSize)
	}
	if st.Fill.Set || st.Stroke.Set || st.StrokeWidth.Set || st.Volume.Set || st.DrawEnd.Set || st.Transition.Set {
		t.Errorf("values nothing drives are set: %+v", st)
	}
}

func TestKeyframeDetails(t *testing.T) {
	cases := []struct {
		name, members string
		at            float64
		field         string
		want          float64
	}{
		{"the easing of the first frame has no segment to shape",
			`"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 0, "easing": "easeInQuad"}, {"time": 2, "value": 100}]}]`,
			1, "x", 50},
		{"frames out of order are sorted by time",
			`"keyframes": [{"property": "x", "frames": [{"time": 2, "value": 100}, {"time": 0, "value": 0}]}]`,
			0.5, "x", 25},
		{"a single frame holds for the whole clip",
			`"keyframes": [{"property": "rotation", "frames": [{"time": 3, "value": 30}]}]`,
			0, "rotation", 30},
		{"three frames: the second segment",
			`"keyframes": [{"property": "y", "frames": [{"time": 0, "value": 0}, {"time": 1, "value": 100}, {"time": 3, "value": 0}]}]`,
			2, "y", 50},
		{"two frames at the same time jump",
			`"keyframes": [{"property": "y", "frames": [{"time": 0, "value": 0}, {"time": 1, "value": 100}, {"time": 1, "value": 200}, {"time": 2, "value": 200}]}]`,
			1, "y", 200},
		{"keyframed x is measured from the reference box like transform.x; it replaces the static x",
			`"transform": {"x": 500}, "keyframes": [{"property": "x", "frames": [{"time": 0, "value": 10}]}]`,
			1, "x", 10},
		{"scale sets both axes, then scaleX replaces one",
			`"keyframes": [{"property": "scaleX", "frames": [{"time": 0, "value": 3}]}, {"property": "scale", "frames": [{"time": 0, "value": 2}]}]`,
			1, "scaleX", 3},
		{"keyframed opacity replaces the static one",
			`"opacity": 0.2, "keyframes": [{"property": "opacity", "frames": [{"time": 0, "value": 0.6}]}]`,
			1, "opacity", 0.6},
	}
	for _, c := range cases {
		if got := fields[c.field](stateAt(t, c.members, c.at)); !near(got, c.want) {
			t.Errorf("%s: %s = %g, want %g", c.name, c.field, got, c.want)
		}
	}
}

func TestColorKeyframes(t *testing.T) {
	track := func(prop, from, to, easing string) string {
		return `"keyframes": [{"property": "` + prop + `", "frames": [
			{"time": 0, "value": "` + from + `"}, {"time": 2, "value": "` + to + `", "easing": "` + easing + `"}]}]`
	}
	cases := []struct {
		name, members string
		at            float64
		fill          bool // else stroke
		want          color.NRGBA
	}{
		{"start", track("fill", "#000000", "#ffffff", ""), 0, true, color.NRGBA{0, 0, 0, 255}},
		{"end", track("fill", "#000000", "#ffffff", ""), 2, true, color.NRGBA{255, 255, 255, 255}},
		{"holds after the last frame", track("fill", "#000000", "#ffffff", ""), 4, true, color.NRGBA{255, 255, 255, 255}},
		// Half way in linear light is 0.5, which is 188 in sRGB (a plain sRGB lerp would give 128).
		{"middle, in linear light", track("fill", "#000000", "#ffffff", ""), 1, true, color.NRGBA{188, 188, 188, 255}},
		{"red to blue", track("stroke", "#ff0000", "blue", ""), 1, false, color.NRGBA{188, 0, 188, 255}},
		{"easing on the arriving frame", track("fill", "#000000", "#ffffff", "easeInQuad"), 1, true, color.NRGBA{137, 137, 137, 255}},
		// Alpha is linear; from transparent the color does not darken on the way.
		{"from transparent", track("fill", "transparent", "#ff0000", ""), 1, true, color.NRGBA{255, 0, 0, 128}},
		{"alpha only", track("fill", "rgba(0,128,255,0)", "rgba(0,128,255,1)", ""), 0.5, true, color.NRGBA{0, 128, 255, 64}},
		{"hsl and names parse", track("fill", "hsl(120, 100%, 50%)", "lime", ""), 1, true, color.NRGBA{0, 255, 0, 255}},
	}
	for _, c := range cases {
		st := stateAt(t, c.members, c.at)
		got := st.Stroke
		if c.fill {
			got = st.Fill
		}
		if !got.Set || !closeColor(got.Value, c.want) {
			t.Errorf("%s: got %+v, want %v", c.name, got, c.want)
		}
	}
}

// closeColor allows one level of rounding per channel.
func closeColor(a, b color.NRGBA) bool {
	d := func(x, y uint8) bool { return math.Abs(float64(x)-float64(y)) <= 1 }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func TestKeyframeErrors(t *testing.T) {
	cases := []struct{ members, want string }{
		{`"keyframes": [{"property": "fill", "frames": [{"time": 0, "value": "blu"}]}]`,
			`keyframes[0].frames[0].value: unknown color "blu"`},
		{`"keyframes": [{"property": "x", "frames": []}, {"property": "stroke", "frames": [{"time": 0, "value": "#fff"}, {"time": 1, "value": 3}]}]`,
			`keyframes[1].frames[1].value: stroke takes a color`},
		{`"keyframes": [{"property": "x", "frames": [{"time": 0, "value": "red"}]}]`,
			`keyframes[0].frames[0].value: x takes a number, not "red"`},
		{`"keyframes": [{"property": "colour", "frames": [{"time": 0, "value": 1}]}]`,
			`keyframes[0].property: unknown property "colour"`},
		{`"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 1, "easing": "bouncy"}]}]`,
			`keyframes[0].frames[0].easing: unknown easing "bouncy"`},
		{`"keyframes": [{"property": "x", "frames": []}]`,
			`keyframes[0].frames: a keyframe track needs at least one frame`},
	}
	for _, c := range cases {
		cc, err := Compile(clipWith(t, c.members))
		if err == nil || cc != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compile(%s) = %v, %v; want an error containing %q", c.members, cc, err, c.want)
		}
	}
}

func TestNumericStringKeyframeValuesAreNumbers(t *testing.T) {
	st := stateAt(t, `"keyframes": [{"property": "x", "frames": [{"time": 0, "value": "42"}]}]`, 0)
	if st.X != 42 {
		t.Errorf("x = %g, want 42", st.X)
	}
}
