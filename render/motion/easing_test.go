package motion

import (
	"math"
	"testing"

	"github.com/framecast/framecast/schemas"
)

func TestEveryEasingStartsAtZeroAndEndsAtOne(t *testing.T) {
	for _, name := range schemas.Names(schemas.Easings) {
		f, err := EaseFunc(schemas.Easing(name))
		if err != nil {
			t.Errorf("easing %q is not implemented: %v", name, err)
			continue
		}
		if got := f(0); math.Abs(got) > 1e-9 {
			t.Errorf("%s(0) = %g, want 0", name, got)
		}
		if got := f(1); math.Abs(got-1) > 1e-9 {
			t.Errorf("%s(1) = %g, want 1", name, got)
		}
	}
	if len(easings) != len(schemas.Easings)+1 { // + the empty name
		t.Errorf("%d easings implemented, schemas lists %d", len(easings)-1, len(schemas.Easings))
	}
}

func TestEasingKnownValues(t *testing.T) {
	cases := []struct {
		name schemas.Easing
		p    float64
		want float64
	}{
		{"", 0.3, 0.3},
		{"linear", 0.7, 0.7},
		{"easeInSine", 0.5, 1 - math.Sqrt2/2},
		{"easeOutSine", 0.5, math.Sqrt2 / 2},
		{"easeInQuad", 0.5, 0.25},
		{"easeOutQuad", 0.5, 0.75},
		{"easeInOutQuad", 0.25, 0.125},
		{"easeInCubic", 0.5, 0.125},
		{"easeOutCubic", 0.5, 0.875},
		{"easeInOutCubic", 0.75, 0.9375},
		{"easeInQuart", 0.5, 0.0625},
		{"easeOutQuart", 0.5, 0.9375},
		{"easeInOutQuart", 0.25, 0.03125},
		{"easeInBack", 0.5, 2.70158*0.125 - 1.70158*0.25}, // dips below 0
		{"easeOutBack", 0.5, 1 - (2.70158*0.125 - 1.70158*0.25)},
		{"easeOutElastic", 0.1, math.Pow(2, -1)*math.Sin((1-0.75)*2*math.Pi/3) + 1},
		{"easeInElastic", 0.9, -math.Pow(2, -1) * math.Sin((9-10.75)*2*math.Pi/3)},
		{"easeOutBounce", 0.5, 0.765625},
		{"easeInBounce", 0.5, 0.234375},
		{"easeOutBounce", 0.2, 7.5625 * 0.04},
	}
	for _, c := range cases {
		if got := Ease(c.name, c.p); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Ease(%q, %g) = %.9f, want %.9f", c.name, c.p, got, c.want)
		}
	}
}

func TestInOutEasingsPassThroughTheMiddle(t *testing.T) {
	for _, curve := range []string{"Sine", "Quad", "Cubic", "Quart", "Back", "Elastic", "Bounce"} {
		name := schemas.Easing("easeInOut" + curve)
		if got := Ease(name, 0.5); math.Abs(got-0.5) > 1e-9 {
			t.Errorf("Ease(%s, 0.5) = %g, want 0.5", name, got)
		}
		// In and Out are mirror images: out(p) = 1 - in(1 - p).
		in, out := schemas.Easing("easeIn"+curve), schemas.Easing("easeOut"+curve)
		for _, p := range []float64{0.1, 0.37, 0.8} {
			if a, b := Ease(out, p), 1-Ease(in, 1-p); math.Abs(a-b) > 1e-9 {
				t.Errorf("%s(%g) = %g but 1 - %s(%g) = %g", out, p, a, in, 1-p, b)
			}
		}
	}
}

func TestEaseClampsAndFallsBackToLinear(t *testing.T) {
	if got := Ease("easeInQuad", 2); got != 1 {
		t.Errorf("Ease(easeInQuad, 2) = %g, want 1 (p clamped)", got)
	}
	if got := Ease("easeInQuad", -1); got != 0 {
		t.Errorf("Ease(easeInQuad, -1) = %g, want 0 (p clamped)", got)
	}
	if got := Ease("wobbly", 0.4); got != 0.4 {
		t.Errorf("Ease(wobbly, 0.4) = %g, want linear 0.4", got)
	}
	if _, err := EaseFunc("easeinquad"); err == nil {
		t.Error("EaseFunc(easeinquad) succeeded; names are case-sensitive")
	}
}
