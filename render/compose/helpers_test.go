package compose

import (
	"image"
	"image/color"
	"testing"

	"github.com/framecast/framecast/render/raster"
)

var (
	red   = color.RGBA{255, 0, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}
	black = color.RGBA{0, 0, 0, 255}
	grey  = color.RGBA{128, 128, 128, 255}
)

// canvas returns a 64×48 frame filled with bg.
func canvas(bg color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	FillColor(img, bg)
	return img
}

// solid returns a w×h layer of one premultiplied colour whose box is the whole image.
func solid(w, h int, c color.RGBA) raster.Layer {
	l := raster.NewLayer(w, h)
	FillColor(l.Img, c)
	return l
}

// wantPixel fails the test unless every channel of the pixel at (x, y) is within tol of want.
func wantPixel(t *testing.T, img *image.RGBA, x, y int, want color.RGBA, tol int) {
	t.Helper()
	got := img.RGBAAt(x, y)
	if !near(got, want, tol) {
		t.Errorf("pixel (%d, %d) = %v, want %v (±%d)", x, y, got, want, tol)
	}
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { v := int(x) - int(y); return v <= tol && -v <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// mix is the straight-alpha interpolation a + (b − a)·t, rounded, for expected values.
func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), f(a.A, b.A)}
}

// painted counts the pixels of img that differ from bg.
func painted(img *image.RGBA, bg color.RGBA) int {
	n := 0
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if img.RGBAAt(x, y) != bg {
				n++
			}
		}
	}
	return n
}

// serial draws on the test goroutine only.
var serial = Drawer{Workers: 1}
