package compose

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"github.com/framecast/framecast/schemas"
)

// referenceBlend computes a blend on premultiplied colours in floating point, straight from the W3C
// Compositing and Blending formulas, as the expectation for the integer code.
func referenceBlend(op schemas.CompositeOperation, src, dst color.RGBA) color.RGBA {
	as, ab := float64(src.A)/255, float64(dst.A)/255
	channel := func(s8, b8 uint8) (float64, float64) { return float64(s8) / 255, float64(b8) / 255 }
	separable := map[schemas.CompositeOperation]func(s, b float64) float64{
		"multiply":    func(s, b float64) float64 { return s * b },
		"screen":      func(s, b float64) float64 { return s + b - s*b },
		"overlay":     func(s, b float64) float64 { return refHardLight(b, s) },
		"hard-light":  refHardLight,
		"darken":      math.Min,
		"lighten":     math.Max,
		"difference":  func(s, b float64) float64 { return math.Abs(s - b) },
		"exclusion":   func(s, b float64) float64 { return s + b - 2*s*b },
		"color-dodge": colorDodge,
		"color-burn":  colorBurn,
		"soft-light":  softLight,
	}
	out := [4]float64{}
	sc := [3]uint8{src.R, src.G, src.B}
	bc := [3]uint8{dst.R, dst.G, dst.B}
	if B, ok := separable[op]; ok {
		for i := range 3 {
			cs, cb := channel(sc[i], bc[i])
			out[i] = cs*(1-ab) + cb*(1-as) + as*ab*B(cs/as, cb/ab)
		}
		out[3] = as + ab - as*ab
	} else {
		pd := map[schemas.CompositeOperation]func(s, b float64) float64{
			"lighter":          func(s, b float64) float64 { return math.Min(1, s+b) },
			"destination-over": func(s, b float64) float64 { return s*(1-ab) + b },
			"source-atop":      func(s, b float64) float64 { return s*ab + b*(1-as) },
			"destination-out":  func(s, b float64) float64 { return b * (1 - as) },
			"xor":              func(s, b float64) float64 { return s*(1-ab) + b*(1-as) },
			"source-over":      func(s, b float64) float64 { return s + b*(1-as) },
		}[op]
		for i := range 3 {
			out[i] = pd(channel(sc[i], bc[i]))
		}
		out[3] = pd(as, ab)
	}
	b := func(v float64) uint8 { return uint8(math.Round(v * 255)) }
	return color.RGBA{b(out[0]), b(out[1]), b(out[2]), b(out[3])}
}

func refHardLight(s, b float64) float64 {
	if s <= 0.5 {
		return 2 * s * b
	}
	return 1 - 2*(1-s)*(1-b) // screen(b, 2s−1)
}

func TestBlendModesOnKnownColours(t *testing.T) {
	sources := []color.RGBA{{100, 150, 250, 255}, {60, 90, 150, 153}, {255, 20, 0, 255}} // the second is 60 % alpha
	backdrops := []color.RGBA{{200, 100, 50, 255}, {100, 50, 25, 128}, {0, 255, 128, 255}}
	for _, choice := range schemas.CompositeOperations {
		op := schemas.CompositeOperation(choice.Name)
		for _, src := range sources {
			for _, dst := range backdrops {
				t.Run(fmt.Sprintf("%s/%v-on-%v", op, src, dst), func(t *testing.T) {
					img := canvas(dst)
					p := PlaceAt(8, 8)
					p.Blend = op
					serial.Draw(img, solid(4, 4, src), p)
					wantPixel(t, img, 9, 9, referenceBlend(op, src, dst), 2)
					wantPixel(t, img, 2, 2, dst, 0)
				})
			}
		}
	}
}

func TestUnknownBlendFallsBackToSourceOver(t *testing.T) {
	src, dst := color.RGBA{60, 90, 150, 153}, color.RGBA{200, 100, 50, 255}
	img := canvas(dst)
	p := PlaceAt(8, 8)
	p.Blend = "luminosity"
	serial.Draw(img, solid(4, 4, src), p)
	wantPixel(t, img, 9, 9, referenceBlend("source-over", src, dst), 1)
}
