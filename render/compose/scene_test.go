package compose

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/internal/golden"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// disc returns a layer holding an antialiased disc of diameter d in colour c (premultiplied), with a 4 px
// margin outside its box, as a clip's shadow or stroke would have.
func disc(d int, c color.RGBA) raster.Layer {
	const margin = 4
	l := raster.NewLayer(d+2*margin, d+2*margin)
	l.BoxX, l.BoxY, l.BoxW, l.BoxH = margin, margin, float64(d), float64(d)
	r := float64(d) / 2
	for y := range d + 2*margin {
		for x := range d + 2*margin {
			dist := math.Hypot(float64(x)+0.5-margin-r, float64(y)+0.5-margin-r)
			k := math.Max(0, math.Min(1, r-dist+0.5))
			l.Img.SetRGBA(x, y, color.RGBA{
				uint8(float64(c.R)*k + 0.5), uint8(float64(c.G)*k + 0.5), uint8(float64(c.B)*k + 0.5), uint8(float64(c.A)*k + 0.5)})
		}
	}
	return l
}

// scene composes a 320×180 frame using every feature of Draw once.
func scene() *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, 320, 180))
	bg := image.NewRGBA(dst.Rect)
	for y := range 180 {
		for x := range 320 {
			bg.SetRGBA(x, y, color.RGBA{uint8(20 + y/4), uint8(30 + x/8), 90, 255})
		}
	}
	Fill(dst, bg)
	photo := gradientLayer(120, 80)

	serial.Draw(dst, photo, PlaceAt(10, 10)) // integer offset
	p := rotated(PlaceAt(230, 60), 20, 0.8)  // rotated and scaled around its centre
	serial.Draw(dst, photo, p)
	p = PlaceAt(20, 100) // skewed, half transparent
	p.SkewX, p.Opacity = -20, 0.5
	serial.Draw(dst, photo, p)

	for i, op := range []string{"multiply", "screen", "difference", "lighter"} {
		p := PlaceAt(160+float64(i)*34, 150)
		p.AnchorX, p.AnchorY = 0.5, 0.5
		p.Blend = op2(op)
		serial.Draw(dst, disc(36, color.RGBA{200, 120, 40, 255}), p)
	}
	p = PlaceAt(150, 10) // wipe to the left, half way
	p.Mask = &Mask{Kind: MaskWipe, Progress: 0.5, Direction: "left", Feather: 6}
	serial.Draw(dst, solid(60, 40, color.RGBA{230, 230, 60, 255}), p)
	p = PlaceAt(110, 110) // iris at 0.6 on a rotated layer
	p.AnchorX, p.AnchorY, p.Rotation = 0.5, 0.5, 30
	p.Mask = &Mask{Kind: MaskIris, Progress: 0.6, Feather: 3}
	serial.Draw(dst, photo, p)
	p = PlaceAt(285, 120.3) // light sweep on a disc, fractional offset, clipped
	p.AnchorX, p.AnchorY = 0.5, 0.5
	p.Sweep = &Sweep{Progress: 0.45, Intensity: 0.9}
	clip := image.Rect(262, 80, 320, 140)
	p.Clip = &clip
	serial.Draw(dst, disc(60, color.RGBA{40, 90, 200, 255}), p)
	return dst
}

func op2(s string) schemas.CompositeOperation { return schemas.CompositeOperation(s) }

func TestComposedSceneMatchesGolden(t *testing.T) {
	golden.Check(t, filepath.Join("testdata", "scene.png"), scene(), golden.Tolerance{Channel: 2})
}
