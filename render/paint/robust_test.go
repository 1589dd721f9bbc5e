package paint

import (
	"image/color"
	"math"
	"testing"

	"github.com/framecast/framecast/schemas"
)

// TestBadInputGivesErrors feeds absurd numbers to every entry point: each must return an error or a usable
// layer, never panic or try to allocate a gigantic image.
func TestBadInputGivesErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	fill := ShapeStyle{Fill: schemas.SolidPaint("red")}
	errCases := map[string]func() error{
		"rect NaN":          func() error { _, err := Rect(nan, 10, fill); return err },
		"rect huge":         func() error { _, err := Rect(1e9, 10, fill); return err },
		"circle infinite":   func() error { _, err := Circle(inf, nil, nil, fill); return err },
		"polygon 1e9 sides": func() error { _, err := Polygon(1e9, 100, fill); return err },
		"line far away": func() error {
			_, err := Stroke(StrokePath{Points: pts(0, 0, 1e9, 1e9), Width: 2})
			return err
		},
		"svg huge": func() error { _, err := SVG([]byte(testSVG), 1e7, 1e7); return err },
	}
	for name, f := range errCases {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// These must simply not panic.
	l, err := Rect(10, 10, fill)
	if err != nil {
		t.Fatal(err)
	}
	ApplyFilters(l, []schemas.Filter{{Type: "blur", Value: nan}, {Type: "hue", Value: inf}, {Type: "nope", Value: 1}})
	Shadow(l, color.NRGBA{A: 255}, inf, nan, inf)
	Fit(l.Img, nan, inf, "cover", schemas.Corners{nan, 1, 2, 3})
}
