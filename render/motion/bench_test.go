package motion

import (
	"testing"

	"github.com/framecast/framecast/schemas"
)

// benchClip has 3 animations, 2 keyframe tracks (one of them a color) and a transition.
func benchClip(t testing.TB) *schemas.BaseClip {
	return clipWith(t, `"transform": {"width": 400, "height": 300},
		"animations": [{"type": "fadeIn", "duration": 1, "easing": "easeOutCubic"},
			{"type": "slideIn", "duration": 1.5, "direction": "left"},
			{"type": "rotate", "duration": 2, "to": 360, "loop": true}],
		"keyframes": [{"property": "x", "frames": [{"time": 0, "value": 100}, {"time": 1, "value": 500, "easing": "easeInOutQuad"}, {"time": 3, "value": 900}]},
			{"property": "fill", "frames": [{"time": 0, "value": "#ff0000"}, {"time": 2, "value": "#0000ff", "easing": "easeInSine"}]}],
		"transition": {"type": "zoom", "duration": 0.5, "scale": 0.5}`)
}

func BenchmarkEvaluate(b *testing.B) {
	c := benchClip(b)
	cc, err := Compile(c)
	if err != nil {
		b.Fatal(err)
	}
	base := Base(c, canvas)
	b.ReportAllocs()
	var sink State
	for i := 0; b.Loop(); i++ {
		sink = cc.Evaluate(base, canvas, float64(i%150)/30)
	}
	_ = sink
}

func BenchmarkEvaluateStaticClip(b *testing.B) {
	c := clipWith(b, `"transform": {"width": 400, "height": 300}`)
	cc, _ := Compile(c)
	base := Base(c, canvas)
	b.ReportAllocs()
	var sink State
	for i := 0; b.Loop(); i++ {
		sink = cc.Evaluate(base, canvas, float64(i%150)/30)
	}
	_ = sink
}

func BenchmarkCompile(b *testing.B) {
	c := benchClip(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(c); err != nil {
			b.Fatal(err)
		}
	}
}
