package motion

import (
	"testing"

	"github.com/framecast/framecast/schemas"
)

func TestBase(t *testing.T) {
	layout := Box{X: 100, Y: 50, W: 800, H: 400}
	cases := []struct {
		name    string
		members string
		ref     Box
		want    Geometry
	}{
		{"defaults: centered, anchor center, no size", ``, canvas,
			Geometry{X: 960, Y: 540, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: 1}},
		{"pixels and percentages of the canvas",
			`"transform": {"x": 100, "y": "25%", "width": "50%", "height": 200}`, canvas,
			Geometry{X: 100, Y: 270, Width: 960, Height: 200, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: 1}},
		{"inside a layout: percentages of its box, offset by its corner",
			`"transform": {"x": 10, "y": "50%", "width": "25%"}`, layout,
			Geometry{X: 110, Y: 250, Width: 200, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: 1}},
		{"missing x and y in a layout: its center", ``, layout,
			Geometry{X: 500, Y: 250, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: 1}},
		{"anchor, scale pair, rotation, skew",
			`"transform": {"anchor": "bottom-right", "scale": [2, 3], "rotation": 45, "skew": [10, -5]}`, canvas,
			Geometry{X: 960, Y: 540, AnchorX: 1, AnchorY: 1, ScaleX: 2, ScaleY: 3, Rotation: 45, SkewX: 10, SkewY: -5, Opacity: 1}},
		{"uniform scale", `"transform": {"scale": 0.5}`, canvas,
			Geometry{X: 960, Y: 540, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 0.5, ScaleY: 0.5, Opacity: 1}},
		{"clip opacity", `"opacity": 0.4`, canvas,
			Geometry{X: 960, Y: 540, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: 0.4}},
		{"style.opacity wins over the clip's", `"opacity": 0.4, "style": {"opacity": 0.8}`, canvas,
			Geometry{X: 960, Y: 540, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: 0.8}},
		{"style.opacity 0 is honored", `"opacity": 0.4, "style": {"opacity": 0}`, canvas,
			Geometry{X: 960, Y: 540, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: 0}},
	}
	for _, c := range cases {
		if got := Base(clipWith(t, c.members), c.ref); got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

func TestEveryAnchorIsPlaced(t *testing.T) {
	want := map[string][2]float64{
		"center": {0.5, 0.5}, "top-left": {0, 0}, "top": {0.5, 0}, "top-right": {1, 0}, "left": {0, 0.5},
		"right": {1, 0.5}, "bottom-left": {0, 1}, "bottom": {0.5, 1}, "bottom-right": {1, 1},
	}
	for _, name := range schemas.Names(schemas.Anchors) {
		g := Base(clipWith(t, `"transform": {"anchor": "`+name+`"}`), canvas)
		if w, ok := want[name]; !ok || g.AnchorX != w[0] || g.AnchorY != w[1] {
			t.Errorf("anchor %s: got (%g, %g), want %v", name, g.AnchorX, g.AnchorY, w)
		}
	}
}
