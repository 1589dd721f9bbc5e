package text

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"path/filepath"
	"testing"

	"github.com/go-fonts/dejavu/dejavuserif"

	"github.com/framecast/framecast/internal/golden"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// goldenTolerance accepts a difference of at most 2 in any channel, on no pixel more.
var goldenTolerance = golden.Tolerance{Channel: 2}

// goldenCanvas is the size of every golden: the layer is centered on a dark background so that white text shows.
var goldenCanvas = image.Rect(0, 0, 320, 180)

// onCanvas composites the layer's box centered on a 320×180 dark canvas, as the engine would place it.
func onCanvas(l raster.Layer) *image.RGBA {
	dst := image.NewRGBA(goldenCanvas)
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.RGBA{0x20, 0x20, 0x40, 0xff}), image.Point{}, draw.Src)
	ox := int(math.Round((float64(goldenCanvas.Dx())-l.BoxW)/2 - l.BoxX))
	oy := int(math.Round((float64(goldenCanvas.Dy())-l.BoxH)/2 - l.BoxY))
	draw.Draw(dst, l.Img.Bounds().Add(image.Pt(ox, oy)), l.Img, l.Img.Bounds().Min, draw.Over)
	return dst
}

// checkGolden compares img with testdata/name.png within goldenTolerance, or rewrites it with -update.
func checkGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name+".png"), img, goldenTolerance)
}

func gradient(angle float64, stops ...string) *schemas.Paint {
	g := &schemas.Gradient{Type: "linear", Angle: &angle}
	for i, s := range stops {
		g.Stops = append(g.Stops, schemas.GradientStop{Offset: float64(i) / float64(len(stops)-1), Color: schemas.Color(s)})
	}
	return &schemas.Paint{Gradient: g}
}

func TestGoldens(t *testing.T) {
	r := NewRegistry()
	if err := r.Add("Custom Serif", 400, false, dejavuserif.TTF); err != nil {
		t.Fatal(err)
	}
	const wrapText = "The quick brown fox jumps over the lazy dog"
	wrap := func(align schemas.TextAlign) Style {
		return Style{Size: 24, WrapWidth: 200, BoxWidth: 200, Align: align}
	}
	cases := []struct {
		name string
		text string
		st   Style
	}{
		{"plain_centered", "Hello, Framecast", Style{Size: 36}},
		{"family_liberation_sans", "Quick AV 123", Style{Family: "Arial", Size: 32}},
		{"family_liberation_serif", "Quick AV 123", Style{Family: "Times New Roman", Size: 32}},
		{"family_liberation_mono", "Quick AV 123", Style{Family: "monospace", Size: 32}},
		{"family_dejavu_sans", "Quick AV 123", Style{Family: "DejaVu Sans", Size: 32}},
		{"family_dejavu_serif", "Quick AV 123", Style{Family: "DejaVu Serif", Size: 32}},
		{"family_dejavu_sans_mono", "Quick AV 123", Style{Family: "DejaVu Sans Mono", Size: 32}},
		{"bold", "Bold text", Style{Size: 36, Weight: 700}},
		{"italic", "Italic text", Style{Size: 36, Italic: true}},
		{"bold_italic", "Bold italic", Style{Size: 36, Weight: 700, Italic: true}},
		{"custom_font", "Custom font", Style{Family: "Custom Serif", Size: 36}},
		{"synthetic_bold_italic", "Faux bold it", Style{Family: "Custom Serif", Size: 32, Weight: 800, Italic: true}},
		{"letter_spacing", "SPACED", Style{Size: 32, LetterSpacing: 10}},
		{"line_height_3_lines", "one\ntwo\nthree", Style{Size: 28, LineHeight: 1.8}},
		{"wrap_left", wrapText, wrap("left")},
		{"wrap_center", wrapText, wrap("center")},
		{"wrap_right", wrapText, wrap("right")},
		{"gradient_fill", "Gradient", Style{Size: 56, Weight: 700, Fill: gradient(0, "#ff4080", "#40c0ff")}},
		{"stroke", "Outline", Style{Size: 56, Weight: 700, Fill: schemas.SolidPaint("#ffe040"), Stroke: schemas.SolidPaint("#e01010"), StrokeWidth: 6}},
		{"unicode_fallback", "A→★ж Ω", Style{Size: 48}},
		{"fill_color_override", "Keyframed", Style{Size: 40, Fill: schemas.SolidPaint("red"), FillColor: &color.NRGBA{0x40, 0xff, 0x80, 0xc0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			layer, warnings, err := r.Draw(c.text, c.st)
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) > 0 {
				t.Errorf("unexpected warnings %v", warnings)
			}
			checkGolden(t, c.name, onCanvas(layer))
		})
	}
	t.Run("code_selection", func(t *testing.T) {
		code := "// add returns the sum\nfunc add(a, b int) int {\n\treturn a + b*42 // \"x\"\n}\nvar s = `raw`"
		layer, err := r.DrawCode(code, "go", CodeStyle{Size: 16, Selection: []schemas.LineRange{{From: 2, To: 3}}})
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "code_selection", onCanvas(layer))
	})
}

// ExampleRegistry_Draw shows the usual call: draw one line and read the box the engine places.
func ExampleRegistry_Draw() {
	r := NewRegistry()
	layer, warnings, err := r.Draw("Hello", Style{Family: "Helvetica, sans-serif", Size: 72, Weight: 700})
	if err != nil {
		panic(err)
	}
	fmt.Printf("box %.0f×%.1f, warnings %d\n", layer.BoxW, layer.BoxH, len(warnings))
	// Output: box 176×86.4, warnings 0
}
