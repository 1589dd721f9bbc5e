package paint

import (
	"image/color"
	"strings"
	"testing"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

func ptr(v float64) *float64 { return &v }

func gradientPaint(kind string, angle *float64, colors ...string) *schemas.Paint {
	g := &schemas.Gradient{Type: schemas.GradientType(kind), Angle: angle}
	for i, c := range colors {
		g.Stops = append(g.Stops, schemas.GradientStop{Offset: float64(i) / float64(len(colors)-1), Color: schemas.Color(c)})
	}
	return &schemas.Paint{Gradient: g}
}

// pixel returns the premultiplied color at (x, y) of the layer's image.
func pixel(l raster.Layer, x, y int) color.RGBA { return l.Img.RGBAAt(x, y) }

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func TestRectGoldens(t *testing.T) {
	cases := []struct {
		name string
		w, h float64
		s    ShapeStyle
	}{
		{"rect_plain", 160, 120, ShapeStyle{Fill: schemas.SolidPaint("#3366cc")}},
		{"rect_radius_stroke_gradient", 150, 110, ShapeStyle{
			Fill:   gradientPaint("linear", ptr(0), "#ff0000", "#0000ff"),
			Stroke: schemas.SolidPaint("#ffffff"), StrokeWidth: 6,
			Radius: schemas.Corners{24, 8, 40, 0},
		}},
		{"rect_stroke_only_round_join", 150, 110, ShapeStyle{
			StrokeColor: &color.NRGBA{255, 200, 0, 255}, StrokeWidth: 10, LineJoin: "round",
		}},
		{"rect_translucent", 160, 120, ShapeStyle{Fill: schemas.SolidPaint("rgba(0,128,0,0.5)"), Radius: schemas.Corners{60, 60, 60, 60}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := Rect(c.w, c.h, c.s)
			if err != nil {
				t.Fatal(err)
			}
			checkLayerGolden(t, c.name, l)
		})
	}
}

func TestRectBoxAndColors(t *testing.T) {
	l, err := Rect(100, 50, ShapeStyle{Fill: schemas.SolidPaint("#ff0000"), Stroke: schemas.SolidPaint("#0000ff"), StrokeWidth: 8})
	if err != nil {
		t.Fatal(err)
	}
	if l.BoxW != 100 || l.BoxH != 50 {
		t.Errorf("box %gx%g, want 100x50", l.BoxW, l.BoxH)
	}
	if l.BoxX < 4 || l.BoxY < 4 || float64(l.Img.Rect.Dx()) < 108 || float64(l.Img.Rect.Dy()) < 58 {
		t.Errorf("layer %v with box at (%g,%g) does not hold a stroke of 8 centered on the edge", l.Img.Rect, l.BoxX, l.BoxY)
	}
	bx, by := int(l.BoxX), int(l.BoxY)
	if got := pixel(l, bx+50, by+25); got != (color.RGBA{255, 0, 0, 255}) {
		t.Errorf("center %v, want red fill", got)
	}
	if got := pixel(l, bx+50, by); got != (color.RGBA{0, 0, 255, 255}) {
		t.Errorf("top edge %v, want blue stroke", got)
	}
	if got := pixel(l, bx+50, by-3); got != (color.RGBA{0, 0, 255, 255}) {
		t.Errorf("outside the top edge %v, want the stroke's outer half", got)
	}
}

func TestCircleGoldens(t *testing.T) {
	cases := []struct {
		name       string
		start, end *float64
		s          ShapeStyle
	}{
		{"circle_full", nil, nil, ShapeStyle{Fill: gradientPaint("radial", nil, "#ffffff", "#ff8800"), Stroke: schemas.SolidPaint("#000000"), StrokeWidth: 4}},
		{"circle_pie", ptr(-90), ptr(45), ShapeStyle{Fill: schemas.SolidPaint("#22aa44")}},
		{"circle_arc", ptr(0), ptr(270), ShapeStyle{Stroke: schemas.SolidPaint("#2266ff"), StrokeWidth: 12, LineCap: "round"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := Circle(110, c.start, c.end, c.s)
			if err != nil {
				t.Fatal(err)
			}
			checkLayerGolden(t, c.name, l)
		})
	}
}

func TestPieCoversTheRightQuarter(t *testing.T) {
	// 0° → 90° clockwise from 3 o'clock is the bottom-right quarter on screen.
	l, err := Circle(100, ptr(0), ptr(90), ShapeStyle{Fill: schemas.SolidPaint("#ffffff")})
	if err != nil {
		t.Fatal(err)
	}
	cx, cy := int(l.BoxX)+50, int(l.BoxY)+50
	if a := pixel(l, cx+20, cy+20).A; a != 255 {
		t.Errorf("bottom-right alpha %d, want 255", a)
	}
	for _, p := range [][2]int{{-20, -20}, {20, -20}, {-20, 20}} {
		if a := pixel(l, cx+p[0], cy+p[1]).A; a != 0 {
			t.Errorf("alpha at %v from the center = %d, want 0", p, a)
		}
	}
}

func TestPolygonGoldens(t *testing.T) {
	for _, sides := range []int{3, 5, 6} {
		name := "polygon_" + string(rune('0'+sides))
		t.Run(name, func(t *testing.T) {
			l, err := Polygon(sides, 110, ShapeStyle{Fill: schemas.SolidPaint("#8844cc"), Stroke: schemas.SolidPaint("#ffffff"), StrokeWidth: 3, LineJoin: "round"})
			if err != nil {
				t.Fatal(err)
			}
			checkLayerGolden(t, name, l)
		})
	}
}

func TestPolygonFirstVertexOnTop(t *testing.T) {
	l, err := Polygon(3, 100, ShapeStyle{Fill: schemas.SolidPaint("#ffffff")})
	if err != nil {
		t.Fatal(err)
	}
	bx, by := int(l.BoxX), int(l.BoxY)
	if a := pixel(l, bx+50, by+3).A; a < 200 {
		t.Errorf("alpha just under the top vertex %d, want the triangle there", a)
	}
	if a := pixel(l, bx+50, by+73).A; a < 200 {
		t.Errorf("alpha just above the base (y = 75) %d, want the triangle there", a)
	}
	if a := pixel(l, bx+5, by+5).A; a != 0 {
		t.Errorf("alpha at the top-left corner %d, want empty", a)
	}
}

func TestShapeErrors(t *testing.T) {
	cases := map[string]func() error{
		"polygon with 2 sides": func() error { _, err := Polygon(2, 100, ShapeStyle{}); return err },
		"zero-width rect":      func() error { _, err := Rect(0, 10, ShapeStyle{}); return err },
		"bad fill color": func() error {
			_, err := Rect(10, 10, ShapeStyle{Fill: schemas.SolidPaint("nocolor")})
			return err
		},
		"bad gradient type": func() error {
			_, err := Rect(10, 10, ShapeStyle{Fill: gradientPaint("spiral", nil, "red", "blue")})
			return err
		},
		"bad line cap": func() error {
			_, err := Rect(10, 10, ShapeStyle{StrokeColor: &color.NRGBA{A: 255}, StrokeWidth: 2, LineCap: "pointy"})
			return err
		},
	}
	for name, f := range cases {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%s: empty error text", name)
		}
	}
}

func TestGradientGoldens(t *testing.T) {
	cases := map[string]*schemas.Paint{
		"gradient_linear_0":   gradientPaint("linear", ptr(0), "#ff0000", "#ffff00", "#0000ff"),
		"gradient_linear_45":  gradientPaint("linear", ptr(45), "#000000", "#ffffff"),
		"gradient_linear_def": gradientPaint("linear", nil, "#00ff00", "rgba(0,0,255,0)"),
		"gradient_radial":     gradientPaint("radial", nil, "#ffffff", "#000080"),
		"gradient_conic":      gradientPaint("conic", ptr(0), "#ff0000", "#00ff00", "#0000ff", "#ff0000"),
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			l, err := Rect(160, 120, ShapeStyle{Fill: p})
			if err != nil {
				t.Fatal(err)
			}
			checkLayerGolden(t, name, l)
		})
	}
}

func TestGradientDirections(t *testing.T) {
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	at := func(p *schemas.Paint, x, y int) color.RGBA {
		src, err := Source(p, 0, 0, 100, 100)
		if err != nil {
			t.Fatal(err)
		}
		r, g, b, a := src.At(x, y).RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
	}
	if got := at(gradientPaint("linear", ptr(0), "red", "blue"), 0, 50); !near(got, red, 3) {
		t.Errorf("linear 0°: left is %v, want red", got)
	}
	if got := at(gradientPaint("linear", ptr(90), "red", "blue"), 50, 99); !near(got, blue, 3) {
		t.Errorf("linear 90°: bottom is %v, want blue", got)
	}
	if got := at(gradientPaint("linear", nil, "red", "blue"), 50, 0); !near(got, red, 3) {
		t.Errorf("linear default: top is %v, want red", got)
	}
	if got := at(gradientPaint("radial", nil, "red", "blue"), 50, 50); !near(got, red, 3) {
		t.Errorf("radial: center is %v, want red", got)
	}
	// Conic from 0° clockwise: just below 3 o'clock is the start, just above it the end.
	if got := at(gradientPaint("conic", nil, "red", "blue"), 99, 51); !near(got, red, 8) {
		t.Errorf("conic: just below 3 o'clock is %v, want red", got)
	}
	if got := at(gradientPaint("conic", nil, "red", "blue"), 99, 48); !near(got, blue, 8) {
		t.Errorf("conic: just above 3 o'clock is %v, want blue", got)
	}
	src, err := Source(schemas.SolidPaint("rgba(255,0,0,0.5)"), 0, 0, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, a := src.At(0, 0).RGBA(); r>>8 != 128 || a>>8 != 128 {
		t.Errorf("half-transparent red: r=%d a=%d, want premultiplied 128, 128", r>>8, a>>8)
	}
}

// TestDiagonalEdgeCoverage guards the antialiasing precision: a pixel cut in half by a 45° edge must be half
// covered. (x/image/vector's fixed-point accumulator, used for small rasterizers, drifted up to 138/255 here.)
func TestDiagonalEdgeCoverage(t *testing.T) {
	l, err := Circle(110, ptr(-90), ptr(45), ShapeStyle{Fill: schemas.SolidPaint("#ffffff")})
	if err != nil {
		t.Fatal(err)
	}
	c := int(l.BoxX) + 55 // the center lies on a pixel corner
	for k := 6; k < 38; k += 4 {
		if a := pixel(l, c+k, c+k).A; a < 126 || a > 130 {
			t.Errorf("alpha of the pixel halved by the 45° edge, %d px from the center: %d, want 128 ± 2", k, a)
		}
	}
}
