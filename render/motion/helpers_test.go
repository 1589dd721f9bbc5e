package motion

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/framecast/framecast/schemas"
)

// canvas is the reference box of the tests: a 1920 × 1080 video.
var canvas = Box{W: 1920, H: 1080}

// clipWith decodes a 5 s rect clip whose other fields are given as JSON object members.
func clipWith(t testing.TB, members string) *schemas.BaseClip {
	t.Helper()
	js := `{"type": "rect", "start": 10, "duration": 5`
	if members != "" {
		js += ", " + members
	}
	var c schemas.BaseClip
	if err := json.Unmarshal([]byte(js+"}"), &c); err != nil {
		t.Fatalf("decoding test clip %s: %v", js, err)
	}
	return &c
}

// stateAt compiles the clip described by members and evaluates it at t, centered on the canvas.
func stateAt(t testing.TB, members string, at float64) State {
	t.Helper()
	c := clipWith(t, members)
	cc, err := Compile(c)
	if err != nil {
		t.Fatalf("Compile(%s): %v", members, err)
	}
	return cc.Evaluate(Base(c, canvas), canvas, at)
}

// fields reads a named number out of a State, so tables can say which value they check.
var fields = map[string]func(State) float64{
	"x": func(s State) float64 { return s.X }, "y": func(s State) float64 { return s.Y },
	"width": func(s State) float64 { return s.Width }, "height": func(s State) float64 { return s.Height },
	"scaleX": func(s State) float64 { return s.ScaleX }, "scaleY": func(s State) float64 { return s.ScaleY },
	"rotation": func(s State) float64 { return s.Rotation }, "opacity": func(s State) float64 { return s.Opacity },
	"skewX": func(s State) float64 { return s.SkewX }, "skewY": func(s State) float64 { return s.SkewY },
	"strokeWidth":  func(s State) float64 { return s.StrokeWidth.Or(math.NaN()) },
	"fontSize":     func(s State) float64 { return s.FontSize.Or(math.NaN()) },
	"borderRadius": func(s State) float64 { return s.BorderRadius.Or(math.NaN()) },
	"volume":       func(s State) float64 { return s.Volume.Or(math.NaN()) },
	"drawStart":    func(s State) float64 { return s.DrawStart.Or(math.NaN()) },
	"drawEnd":      func(s State) float64 { return s.DrawEnd.Or(math.NaN()) },
	"filter0": func(s State) float64 {
		if len(s.Filters) == 0 {
			return math.NaN()
		}
		return s.Filters[0].Value
	},
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func contains(err error, s string) bool { return err != nil && strings.Contains(err.Error(), s) }
