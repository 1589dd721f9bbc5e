package compose

import (
	"encoding/binary"
	"math"

	"github.com/framecast/framecast/schemas"
)

// rowBlender composites a row of premultiplied source pixels onto the destination row of the same length.
type rowBlender func(dst, src []byte)

// blenderFor returns the row blender of a canvas composite operation; unknown names get source-over.
func blenderFor(op schemas.CompositeOperation) rowBlender {
	switch op {
	case schemas.CompositeMultiply:
		return separable(func(cs, cb, as, ab int32) int32 { return cs * cb })
	case schemas.CompositeScreen:
		return separable(func(cs, cb, as, ab int32) int32 { return cs*ab + cb*as - cs*cb })
	case schemas.CompositeOverlay:
		return separable(func(cs, cb, as, ab int32) int32 { return hardLight(cb, cs, ab, as) })
	case schemas.CompositeHardLight:
		return separable(hardLight)
	case schemas.CompositeDarken:
		return separable(func(cs, cb, as, ab int32) int32 { return min(cs*ab, cb*as) })
	case schemas.CompositeLighten:
		return separable(func(cs, cb, as, ab int32) int32 { return max(cs*ab, cb*as) })
	case schemas.CompositeDifference:
		return separable(func(cs, cb, as, ab int32) int32 { d := cs*ab - cb*as; return max(d, -d) })
	case schemas.CompositeExclusion:
		return separable(func(cs, cb, as, ab int32) int32 { return cs*ab + cb*as - 2*cs*cb })
	case schemas.CompositeColorDodge:
		return separable(unpremultiplied(colorDodge))
	case schemas.CompositeColorBurn:
		return separable(unpremultiplied(colorBurn))
	case schemas.CompositeSoftLight:
		return separable(unpremultiplied(softLight))
	case schemas.CompositeLighter:
		return porterDuff(func(s, d, as, ad int32) int32 { return min(255*255, s*255+d*255) })
	case schemas.CompositeDestinationOver:
		return porterDuff(func(s, d, as, ad int32) int32 { return s*(255-ad) + d*255 })
	case schemas.CompositeSourceAtop:
		return porterDuff(func(s, d, as, ad int32) int32 { return s*ad + d*(255-as) })
	case schemas.CompositeDestinationOut:
		return porterDuff(func(s, d, as, ad int32) int32 { return d * (255 - as) })
	case schemas.CompositeXor:
		return porterDuff(func(s, d, as, ad int32) int32 { return s*(255-ad) + d*(255-as) })
	default:
		return blendOver
	}
}

// blendOver is Porter-Duff source-over: dst = src + dst·(1 − src alpha), on rows of whole pixels.
func blendOver(dst, src []byte) {
	n := min(len(dst), len(src)) &^ 3
	dst, src = dst[:n], src[:n]
	if fastWords {
		overWords(words64(dst), words64(src))
	} else {
		var d, s [64]uint64
		for i := 0; i+8 <= n; i += 8 * len(d) {
			chunk := min(len(d), (n-i)/8)
			for j := range chunk {
				d[j] = binary.LittleEndian.Uint64(dst[i+8*j:])
				s[j] = binary.LittleEndian.Uint64(src[i+8*j:])
			}
			overWords(d[:chunk], s[:chunk])
			for j := range chunk {
				binary.LittleEndian.PutUint64(dst[i+8*j:], d[j])
			}
		}
	}
	if i := n &^ 7; i < n { // an odd last pixel
		d := []uint64{uint64(binary.LittleEndian.Uint32(dst[i:]))}
		overWords(d, []uint64{uint64(binary.LittleEndian.Uint32(src[i:]))})
		binary.LittleEndian.PutUint32(dst[i:], uint32(d[0]))
	}
}

// overWords composites source pixels over destination pixels, two per little-endian uint64. Pairs of
// transparent source pixels are skipped, runs of opaque pairs copied, and anything else blended without
// branches. The destination is scaled by (255 − α)/255 approximated as k/256 with k = ia + ia>>7
// (ia = 255 − α), which is exact at both ends (k = 256 and 0) and off by at most one in between.
func overWords(dst, src []uint64) {
	const (
		alphas = 0xFF000000_FF000000
		even   = 0x00FF00FF
		round  = 0x00800080
	)
	dst = dst[:len(src)]
	for i := 0; i < len(src); i++ {
		s := src[i]
		switch s & alphas {
		case 0:
		case alphas:
			j := i + 1
			for j < len(src) && src[j]&alphas == alphas {
				j++
			}
			copy(dst[i:j], src[i:j])
			i = j - 1
		default:
			d := dst[i]
			ia := 0xFF_000000FF - (s >> 24 & 0xFF_000000FF) // 255 − α of both pixels, one per 32-bit lane
			k := ia + (ia >> 7 & 0x1_00000001)
			k0, k1 := k&0x1FF, k>>32
			rb := (d&even*k0+round)>>8&even | ((d>>32&even*k1+round)>>8&even)<<32
			ga := (d>>8&even*k0+round)>>8&even | ((d>>40&even*k1+round)>>8&even)<<32
			dst[i] = s + (rb | ga<<8)
		}
	}
}

// div255 divides x in 0..255·255 by 255, rounding to nearest.
func div255(x int32) int32 {
	x += 128
	return (x + x>>8) >> 8
}

// separable builds the blender of a W3C separable blend mode. mix returns αs·αb·B(Cs, Cb) in units of
// 1/(255·255), given premultiplied source and backdrop channels cs, cb and alphas as, ab (0..255); the result
// is cs·(1−αb) + cb·(1−αs) + mix, with source-over alpha.
func separable(mix func(cs, cb, as, ab int32) int32) rowBlender {
	return func(dst, src []byte) {
		n := min(len(dst), len(src)) &^ 3
		for i := 0; i < n; i += 4 {
			as := int32(src[i+3])
			if as == 0 {
				continue
			}
			ab := int32(dst[i+3])
			for c := i; c < i+3; c++ {
				cs, cb := int32(src[c]), int32(dst[c])
				v := cs*(255-ab) + cb*(255-as) + mix(cs, cb, as, ab)
				dst[c] = byte(div255(min(max(v, 0), 255*255)))
			}
			dst[i+3] = byte(as + ab - div255(as*ab))
		}
	}
}

// porterDuff builds the blender of a Porter-Duff operator; op returns a channel of the result (alpha
// included) in units of 1/(255·255), given premultiplied source and destination values and alphas.
func porterDuff(op func(s, d, as, ad int32) int32) rowBlender {
	return func(dst, src []byte) {
		n := min(len(dst), len(src)) &^ 3
		for i := 0; i < n; i += 4 {
			as, ad := int32(src[i+3]), int32(dst[i+3])
			for c := i; c < i+4; c++ {
				dst[c] = byte(div255(min(max(op(int32(src[c]), int32(dst[c]), as, ad), 0), 255*255)))
			}
		}
	}
}

// hardLight is the hard-light mix in premultiplied form: multiply where the source is dark, screen where it
// is light.
func hardLight(cs, cb, as, ab int32) int32 {
	if 2*cs <= as {
		return 2 * cs * cb
	}
	return as*ab - 2*(ab-cb)*(as-cs)
}

// unpremultiplied adapts a blend function B(Cs, Cb) on straight colours in 0..1 to the premultiplied mix
// form used by separable. It is slow (floating point) and serves the rarely used modes only.
func unpremultiplied(blend func(s, b float64) float64) func(cs, cb, as, ab int32) int32 {
	return func(cs, cb, as, ab int32) int32 {
		if as == 0 || ab == 0 {
			return 0
		}
		s, b := float64(cs)/float64(as), float64(cb)/float64(ab)
		return int32(math.Round(float64(as*ab) * blend(math.Min(s, 1), math.Min(b, 1))))
	}
}

func colorDodge(s, b float64) float64 {
	switch {
	case b == 0:
		return 0
	case s >= 1:
		return 1
	}
	return math.Min(1, b/(1-s))
}

func colorBurn(s, b float64) float64 {
	switch {
	case b >= 1:
		return 1
	case s <= 0:
		return 0
	}
	return 1 - math.Min(1, (1-b)/s)
}

func softLight(s, b float64) float64 {
	if s <= 0.5 {
		return b - (1-2*s)*b*(1-b)
	}
	var d float64
	if b <= 0.25 {
		d = ((16*b-12)*b + 4) * b
	} else {
		d = math.Sqrt(b)
	}
	return b + (2*s-1)*(d-b)
}
