package schemas

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/colornames"
)

// ParseColor reads a CSS color: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla(), a CSS named
// color, or "transparent". The result is not premultiplied.
func ParseColor(s string) (color.NRGBA, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	switch {
	case in == "":
		return color.NRGBA{}, fmt.Errorf("empty color: use #rrggbb, rgb(), hsl() or a CSS color name")
	case in == "transparent":
		return color.NRGBA{}, nil
	case strings.HasPrefix(in, "#"):
		return parseHex(in[1:], s)
	case strings.HasPrefix(in, "rgb"):
		return parseFunc(in, s, false)
	case strings.HasPrefix(in, "hsl"):
		return parseFunc(in, s, true)
	}
	if c, ok := colornames.Map[in]; ok {
		return color.NRGBA{c.R, c.G, c.B, c.A}, nil
	}
	return color.NRGBA{}, fmt.Errorf("unknown color %q: use #rrggbb, rgb(), hsl() or a CSS color name", s)
}

// ColorNames returns the CSS color names ParseColor accepts, for did-you-mean suggestions.
func ColorNames() []string {
	return append(sortedKeys(colornames.Map), "transparent")
}

func parseHex(h, orig string) (color.NRGBA, error) {
	bad := fmt.Errorf("color %q: a hex color has 3, 4, 6 or 8 hex digits after #", orig)
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return color.NRGBA{}, bad
	}
	nib := func(shift uint) uint8 { n := uint8(v>>shift) & 0xf; return n<<4 | n }
	byt := func(shift uint) uint8 { return uint8(v >> shift) }
	switch len(h) {
	case 3:
		return color.NRGBA{nib(8), nib(4), nib(0), 255}, nil
	case 4:
		return color.NRGBA{nib(12), nib(8), nib(4), nib(0)}, nil
	case 6:
		return color.NRGBA{byt(16), byt(8), byt(0), 255}, nil
	case 8:
		return color.NRGBA{byt(24), byt(16), byt(8), byt(0)}, nil
	}
	return color.NRGBA{}, bad
}

// parseFunc reads rgb(), rgba(), hsl() and hsla(), with commas or spaces and an optional "/ alpha".
func parseFunc(in, orig string, hsl bool) (color.NRGBA, error) {
	open, end := strings.IndexByte(in, '('), strings.LastIndexByte(in, ')')
	bad := fmt.Errorf("color %q: write rgb(r, g, b), rgba(r, g, b, a), hsl(h, s%%, l%%) or hsla(h, s%%, l%%, a)", orig)
	if open < 0 || end < open {
		return color.NRGBA{}, bad
	}
	name := in[:open]
	if name != "rgb" && name != "rgba" && name != "hsl" && name != "hsla" {
		return color.NRGBA{}, bad
	}
	args := strings.FieldsFunc(in[open+1:end], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
	if len(args) != 3 && len(args) != 4 {
		return color.NRGBA{}, bad
	}
	nums := make([]float64, len(args))
	for i, a := range args {
		pct := strings.HasSuffix(a, "%")
		a = strings.TrimSuffix(strings.TrimSuffix(a, "%"), "deg")
		v, err := strconv.ParseFloat(a, 64)
		if err != nil {
			return color.NRGBA{}, bad
		}
		switch {
		case i == 3 && pct:
			v /= 100
		case !hsl && pct:
			v = v * 255 / 100
		case hsl && i > 0 && i < 3:
			v /= 100 // saturation and lightness, with or without %
		}
		nums[i] = v
	}
	alpha := 1.0
	if len(nums) == 4 {
		alpha = nums[3]
	}
	r, g, b := nums[0], nums[1], nums[2]
	if hsl {
		r, g, b = hslToRGB(nums[0], nums[1], nums[2])
	}
	return color.NRGBA{clamp8(r), clamp8(g), clamp8(b), clamp8(alpha * 255)}, nil
}

func hslToRGB(h, s, l float64) (r, g, b float64) {
	h = math.Mod(math.Mod(h, 360)+360, 360) / 360
	s, l = math.Max(0, math.Min(1, s)), math.Max(0, math.Min(1, l))
	var q float64
	if l < 0.5 {
		q = l * (1 + s)
	} else {
		q = l + s - l*s
	}
	p := 2*l - q
	hue := func(t float64) float64 {
		t = math.Mod(t+1, 1)
		switch {
		case t < 1.0/6:
			return p + (q-p)*6*t
		case t < 0.5:
			return q
		case t < 2.0/3:
			return p + (q-p)*(2.0/3-t)*6
		}
		return p
	}
	return hue(h+1.0/3) * 255, hue(h) * 255, hue(h-1.0/3) * 255
}

func clamp8(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v))))
}
