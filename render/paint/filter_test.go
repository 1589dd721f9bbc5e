package paint

import (
	"image/color"
	"testing"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// filterSubject is a colorful, partly transparent layer to run filters on.
func filterSubject(t *testing.T) raster.Layer {
	t.Helper()
	l, err := Rect(120, 90, ShapeStyle{
		Fill:   gradientPaint("linear", ptr(0), "#ff0000", "#ffff00", "#00c0ff", "rgba(0,0,255,0.4)"),
		Stroke: schemas.SolidPaint("#ffffff"), StrokeWidth: 4, Radius: schemas.Corners{20, 20, 20, 20},
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestFilterGoldens(t *testing.T) {
	cases := map[string][]schemas.Filter{
		"filter_blur":       {{Type: "blur", Value: 4}},
		"filter_brightness": {{Type: "brightness", Value: 1.6}},
		"filter_contrast":   {{Type: "contrast", Value: 0.4}},
		"filter_saturate":   {{Type: "saturate", Value: 0.2}},
		"filter_hue":        {{Type: "hue", Value: 120}},
		"filter_grayscale":  {{Type: "grayscale", Value: 1}},
		"filter_sepia":      {{Type: "sepia", Value: 1}},
		"filter_invert":     {{Type: "invert", Value: 1}},
		"filter_chain":      {{Type: "grayscale", Value: 0.5}, {Type: "blur", Value: 2}, {Type: "brightness", Value: 0.7}},
	}
	for name, fs := range cases {
		t.Run(name, func(t *testing.T) {
			checkLayerGolden(t, name, ApplyFilters(filterSubject(t), fs))
		})
	}
}

func TestFilterSemantics(t *testing.T) {
	orig := filterSubject(t)
	same := ApplyFilters(filterSubject(t), []schemas.Filter{{Type: "brightness", Value: 1}, {Type: "contrast", Value: 1}, {Type: "saturate", Value: 1}, {Type: "hue", Value: 0}})
	for i := range orig.Img.Pix {
		if d := int(orig.Img.Pix[i]) - int(same.Img.Pix[i]); d > 1 || d < -1 {
			t.Fatalf("identity filters changed byte %d: %d → %d", i, orig.Img.Pix[i], same.Img.Pix[i])
		}
	}
	gray := ApplyFilters(filterSubject(t), []schemas.Filter{{Type: "grayscale", Value: 1}})
	for i := 0; i < len(gray.Img.Pix); i += 4 {
		p := gray.Img.Pix[i : i+4]
		if d := int(p[0]) - int(p[2]); d > 1 || d < -1 || p[3] != orig.Img.Pix[i+3] {
			t.Fatalf("grayscale pixel %v (alpha was %d): want r = g = b and alpha unchanged", p, orig.Img.Pix[i+3])
		}
	}
	inv := ApplyFilters(filterSubject(t), []schemas.Filter{{Type: "invert", Value: 1}})
	bx, by := int(orig.BoxX), int(orig.BoxY)
	o := pixel(orig, bx+30, by+45)
	if got, want := pixel(inv, bx+30, by+45), (color.RGBA{255 - o.R, 255 - o.G, 255 - o.B, 255}); !near(got, want, 1) {
		t.Errorf("inverted %v = %v, want %v", o, got, want)
	}
	blurred := ApplyFilters(filterSubject(t), []schemas.Filter{{Type: "blur", Value: 6}})
	if blurred.Img.Rect.Dx() <= orig.Img.Rect.Dx() || blurred.BoxX <= orig.BoxX || blurred.BoxW != orig.BoxW {
		t.Errorf("blur: layer %v box at %g, want a larger layer with the box moved in (was %v at %g)", blurred.Img.Rect, blurred.BoxX, orig.Img.Rect, orig.BoxX)
	}
	sum := func(l raster.Layer) (s int) {
		for i := 3; i < len(l.Img.Pix); i += 4 {
			s += int(l.Img.Pix[i])
		}
		return s
	}
	if a, b := sum(orig), sum(blurred); b < a*97/100 || b > a*103/100 {
		t.Errorf("blur changed the total alpha from %d to %d, want it kept", a, b)
	}
}

func TestShadow(t *testing.T) {
	l, err := Circle(80, nil, nil, ShapeStyle{Fill: schemas.SolidPaint("#ffcc00")})
	if err != nil {
		t.Fatal(err)
	}
	s := Shadow(l, color.NRGBA{0, 0, 0, 200}, 6, 10, 14)
	checkLayerGolden(t, "shadow", s)
	if s.BoxW != l.BoxW || s.Img.Rect.Dx() <= l.Img.Rect.Dx() {
		t.Fatalf("shadow layer %v box %g, want larger than %v with the same box size", s.Img.Rect, s.BoxW, l.Img.Rect)
	}
	bx, by := int(s.BoxX), int(s.BoxY)
	if got := pixel(s, bx+40, by+40); got != (color.RGBA{255, 204, 0, 255}) {
		t.Errorf("center %v: the content should stay on top, where the box is", got)
	}
	// Just outside the circle toward the offset lies the shadow; the opposite side stays clear.
	if a := pixel(s, bx+40, by+83).A; a < 100 {
		t.Errorf("below the circle alpha %d, want the shadow", a)
	}
	if a := pixel(s, bx+40, by-8).A; a > 10 {
		t.Errorf("above the circle alpha %d, want almost nothing", a)
	}
}

func TestApplyFiltersLeavesTheInputAlone(t *testing.T) {
	l := filterSubject(t)
	before := append([]byte(nil), l.Img.Pix...)
	out := ApplyFilters(l, []schemas.Filter{{Type: "invert", Value: 1}, {Type: "blur", Value: 2}, {Type: "sepia", Value: 1}})
	if string(before) != string(l.Img.Pix) {
		t.Error("ApplyFilters changed its input layer")
	}
	if out.Img == l.Img {
		t.Error("ApplyFilters returned the input image")
	}
}

// An opaque layer (a video frame) stays opaque through color filters, every pixel still at alpha 255, and is
// no longer opaque after a blur, whose grown edges are transparent: the canvas then gets its background back
// under it.
func TestFiltersKeepOpaqueOnlyWhileAlphaIs255(t *testing.T) {
	l := raster.NewLayer(24, 16)
	for i := range l.Img.Pix {
		l.Img.Pix[i] = byte(40 + i%200)
		if i%4 == 3 {
			l.Img.Pix[i] = 255
		}
	}
	l.Opaque = true
	colored := ApplyFilters(l, []schemas.Filter{{Type: schemas.FilterGrayscale, Value: 1}, {Type: schemas.FilterHue, Value: 90}})
	if !colored.Opaque {
		t.Fatal("color filters dropped Opaque")
	}
	for i := 3; i < len(colored.Img.Pix); i += 4 {
		if colored.Img.Pix[i] != 255 {
			t.Fatalf("alpha %d after color filters on an opaque layer", colored.Img.Pix[i])
		}
	}
	if blurred := ApplyFilters(l, []schemas.Filter{{Type: schemas.FilterBlur, Value: 3}}); blurred.Opaque {
		t.Fatal("a blurred layer is still marked opaque")
	}
}
