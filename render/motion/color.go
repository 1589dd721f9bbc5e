package motion

import (
	"image/color"
	"math"
)

// Colors interpolate in linear light with premultiplied alpha: a lerp between two colors of the same alpha is
// a plain lerp of linear RGB, and a fade from "transparent" to red stays red instead of passing through a
// dark, half-transparent red.

// linearColor is premultiplied linear-light red, green, blue and alpha, each 0..1.
type linearColor = [4]float64

// toLinear converts an sRGB color to premultiplied linear light.
func toLinear(c color.NRGBA) linearColor {
	a := float64(c.A) / 255
	return linearColor{srgbToLinear(c.R) * a, srgbToLinear(c.G) * a, srgbToLinear(c.B) * a, a}
}

// fromLinear converts premultiplied linear light back to an sRGB color.
func fromLinear(v linearColor) color.NRGBA {
	a := clamp01(v[3])
	if a == 0 {
		return color.NRGBA{}
	}
	return color.NRGBA{linearToSRGB(v[0] / a), linearToSRGB(v[1] / a), linearToSRGB(v[2] / a), uint8(math.Round(a * 255))}
}

func srgbToLinear(c uint8) float64 {
	s := float64(c) / 255
	if s <= 0.04045 {
		return s / 12.92
	}
	return math.Pow((s+0.055)/1.055, 2.4)
}

// linearToSRGB converts linear light to an 8-bit sRGB level, rounded to the nearest level. It looks the answer
// up in srgbThresholds instead of calling math.Pow: the result is the same, several times faster.
func linearToSRGB(l float64) uint8 {
	lo, hi := 0, 255 // the answer is the largest level whose threshold is <= l
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if srgbThresholds[mid] <= l {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return uint8(lo)
}

// srgbThresholds[v] is the linear light at which rounding to sRGB level v begins: the level half way
// between v-1 and v.
var srgbThresholds = func() (t [256]float64) {
	t[0] = math.Inf(-1)
	for v := 1; v < 256; v++ {
		s := (float64(v) - 0.5) / 255
		if s <= 0.04045 {
			t[v] = s / 12.92
		} else {
			t[v] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return t
}()
