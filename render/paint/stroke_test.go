package paint

import (
	"image/color"
	"testing"

	"github.com/framecast/framecast/schemas"
)

func TestStrokeGoldens(t *testing.T) {
	zigzag := pts(10, 100, 50, 20, 90, 100, 140, 30)
	cases := map[string]StrokePath{
		"line_radius_arrows": {Points: zigzag, Radius: 20, Width: 5, Color: schemas.SolidPaint("#ff3366"),
			StartArrow: true, EndArrow: true, ArrowSize: 18, Cap: "round", Join: "round"},
		"line_sharp_gradient": {Points: zigzag, Width: 8, Color: gradientPaint("linear", ptr(0), "#00ffcc", "#ff00ff")},
		"path_draw_end_half": {Data: "M10 60 C40 0 80 0 100 60 S150 120 150 60", Width: 6,
			Color: schemas.SolidPaint("#ffffff"), DrawEnd: ptr(0.5), EndArrow: true, Cap: "round"},
		"path_closed_fill": {Data: "M20 20 h100 v40 q-50 60 -100 0 z", Width: 4, Closed: true,
			Color: schemas.SolidPaint("#000000"), Fill: schemas.SolidPaint("#ffcc00")},
		"path_arcs_relative": {Data: "m10 80 a40 40 0 0 1 80 0 a20 30 0 1 0 60 0 l-10 -10 t-20 -20 q 10 -20 -30 -30", Width: 3,
			ColorOverride: &color.NRGBA{40, 200, 255, 255}, Join: "bevel"},
		"path_offsets_draw_range": {Points: pts(0, 50, 150, 50), Width: 10, Color: schemas.SolidPaint("orange"),
			StartOffset: 20, EndOffset: 20, DrawStart: ptr(0.25), DrawEnd: ptr(0.75), StartArrow: true},
	}
	for name, sp := range cases {
		t.Run(name, func(t *testing.T) {
			l, err := Stroke(sp)
			if err != nil {
				t.Fatal(err)
			}
			checkLayerGolden(t, name, l)
		})
	}
}

func TestStrokeOriginAndRange(t *testing.T) {
	// A 100 px horizontal line at y = 10 starting at x = 0, width 4: only its second half is drawn.
	l, err := Stroke(StrokePath{Points: pts(0, 10, 100, 10), Width: 4, Color: schemas.SolidPaint("#ffffff"), DrawStart: ptr(0.5)})
	if err != nil {
		t.Fatal(err)
	}
	if l.BoxW != 0 || l.BoxH != 0 {
		t.Errorf("box size %gx%g, want 0x0 (the box is the point (0,0))", l.BoxW, l.BoxH)
	}
	ox, oy := int(l.BoxX), int(l.BoxY)
	if ox > -40 {
		t.Errorf("origin x %d in the layer: the layer should start near x = 50 of the line, so (0,0) lies left of it", ox)
	}
	if a := pixel(l, ox+75, oy+10).A; a != 255 {
		t.Errorf("alpha at x = 75 is %d, want the line", a)
	}
	if x := ox + 40; x >= 0 {
		if a := pixel(l, x, oy+10).A; a != 0 {
			t.Errorf("alpha at x = 40 is %d, want nothing (drawStart 0.5)", a)
		}
	}
}

func TestArrowPointsAlongThePath(t *testing.T) {
	// A line going right with an end arrow of 20 px: the head is wider than the line near its base.
	l, err := Stroke(StrokePath{Points: pts(0, 0, 100, 0), Width: 2, EndArrow: true, ArrowSize: 20, Color: schemas.SolidPaint("#ffffff")})
	if err != nil {
		t.Fatal(err)
	}
	ox, oy := int(l.BoxX), int(l.BoxY)
	if a := pixel(l, ox+83, oy+5).A; a < 200 {
		t.Errorf("alpha 5 px off the line near the head's base: %d, want the head", a)
	}
	if a := pixel(l, ox+50, oy+5).A; a != 0 {
		t.Errorf("alpha 5 px off the line's middle: %d, want nothing", a)
	}
	if a := pixel(l, ox+98, oy).A; a < 128 {
		t.Errorf("alpha near the tip: %d, want the head", a)
	}
}

func TestStrokeErrors(t *testing.T) {
	if _, err := Stroke(StrokePath{Points: pts(0, 0), Width: 2}); err == nil {
		t.Error("one point: no error")
	}
	if _, err := Stroke(StrokePath{Data: "M 0 0 L oops", Width: 2}); err == nil {
		t.Error("bad path data: no error")
	}
	if _, err := Stroke(StrokePath{Points: pts(0, 0, 9, 9), Width: 2, Color: schemas.SolidPaint("#zz")}); err == nil {
		t.Error("bad color: no error")
	}
	l, err := Stroke(StrokePath{Points: pts(0, 0, 9, 9), Width: 2, DrawEnd: ptr(0)})
	if err != nil || l.Empty() {
		t.Errorf("drawEnd 0: %v, empty=%v; want a blank layer", err, l.Empty())
	}
}

// pts builds a point list from x, y pairs.
func pts(xy ...float64) []schemas.Point {
	out := make([]schemas.Point, 0, len(xy)/2)
	for i := 0; i+1 < len(xy); i += 2 {
		out = append(out, schemas.Point{X: xy[i], Y: xy[i+1]})
	}
	return out
}
