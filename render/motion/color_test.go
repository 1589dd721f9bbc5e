package motion

import (
	"image/color"
	"math"
	"testing"
)

func TestLinearToSRGBMatchesTheFormula(t *testing.T) {
	exact := func(l float64) uint8 {
		var s float64
		if l <= 0.0031308 {
			s = l * 12.92
		} else {
			s = 1.055*math.Pow(l, 1/2.4) - 0.055
		}
		return uint8(math.Round(math.Max(0, math.Min(1, s)) * 255))
	}
	for i := -10; i <= 100010; i++ {
		l := float64(i) / 100000
		if got, want := linearToSRGB(l), exact(l); got != want {
			t.Fatalf("linearToSRGB(%g) = %d, want %d", l, got, want)
		}
	}
}

func TestColorsSurviveTheRoundTrip(t *testing.T) {
	for v := 0; v < 256; v++ {
		c := color.NRGBA{uint8(v), uint8(255 - v), uint8(v / 2), uint8(v | 1)}
		if got := fromLinear(toLinear(c)); got != c {
			t.Fatalf("round trip of %v gave %v", c, got)
		}
	}
}
