package paint

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// maxBlur bounds the blur standard deviation in px; larger values are clamped (a frame-wide smear anyway).
const maxBlur = 250

// ApplyFilters returns l with the filters applied in order, with CSS filter semantics: blur is a gaussian
// blur whose standard deviation is the value in px (three box blurs, error under 3 %), and the layer grows by
// the blur's reach on every side (BoxX/BoxY follow the box). The color filters use the matrices of the CSS
// Filter Effects spec on straight (unpremultiplied) colors, clamped after each filter: brightness and
// contrast and saturate are multipliers (1 = unchanged), hue a rotation in degrees, grayscale, sepia and invert
// amounts from 0 to 1. Alpha is left alone by every filter except blur, so an opaque layer (raster.Layer.Opaque)
// stays opaque through color filters and is not after a blur. Unknown types are skipped (the
// validator reports them). l itself is never modified, so a cached layer can be filtered frame after frame.
func ApplyFilters(l raster.Layer, filters []schemas.Filter) raster.Layer {
	if l.Empty() {
		return l
	}
	var pending []colorMatrix
	owned := false // whether l.Img is ours to change
	flush := func() {
		if len(pending) == 0 {
			return
		}
		if !owned {
			l.Img = cloneRGBA(l.Img)
			owned = true
		}
		applyColorMatrices(l.Img, pending)
		pending = pending[:0]
	}
	for _, f := range filters {
		if f.Type == schemas.FilterBlur {
			flush()
			if blurred := Blur(l, f.Value); blurred.Img != l.Img {
				l, owned = blurred, true
				l.Opaque = false // the blur spreads transparency in from the grown edges
			}
			continue
		}
		if m, ok := filterMatrix(f); ok {
			pending = append(pending, m)
		}
	}
	flush()
	return l
}

// cloneRGBA returns a copy of img with the same bounds.
func cloneRGBA(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	draw.Draw(out, out.Rect, img, img.Rect.Min, draw.Src)
	return out
}

// colorMatrix is an affine map of straight RGB in 0..1: out = m[i][0]*r + m[i][1]*g + m[i][2]*b + m[i][3].
type colorMatrix [3][4]float32

// filterMatrix returns the matrix of a color filter, and false for blur or unknown types.
func filterMatrix(f schemas.Filter) (colorMatrix, bool) {
	v := f.Value
	lin := func(slope, intercept float64) colorMatrix {
		s, i := float32(slope), float32(intercept)
		return colorMatrix{{s, 0, 0, i}, {0, s, 0, i}, {0, 0, s, i}}
	}
	// fromRows builds a matrix from three rows of coefficients without offsets.
	fromRows := func(r [3][3]float64) colorMatrix {
		var m colorMatrix
		for i := range r {
			for j := range r[i] {
				m[i][j] = float32(r[i][j])
			}
		}
		return m
	}
	switch f.Type {
	case schemas.FilterBrightness:
		return lin(math.Max(v, 0), 0), true
	case schemas.FilterContrast:
		v = math.Max(v, 0)
		return lin(v, 0.5-0.5*v), true
	case schemas.FilterInvert:
		a := clamp01(v)
		return lin(1-2*a, a), true
	case schemas.FilterGrayscale:
		s := 1 - clamp01(v)
		return fromRows([3][3]float64{
			{0.2126 + 0.7874*s, 0.7152 - 0.7152*s, 0.0722 - 0.0722*s},
			{0.2126 - 0.2126*s, 0.7152 + 0.2848*s, 0.0722 - 0.0722*s},
			{0.2126 - 0.2126*s, 0.7152 - 0.7152*s, 0.0722 + 0.9278*s},
		}), true
	case schemas.FilterSepia:
		s := 1 - clamp01(v)
		return fromRows([3][3]float64{
			{0.393 + 0.607*s, 0.769 - 0.769*s, 0.189 - 0.189*s},
			{0.349 - 0.349*s, 0.686 + 0.314*s, 0.168 - 0.168*s},
			{0.272 - 0.272*s, 0.534 - 0.534*s, 0.131 + 0.869*s},
		}), true
	case schemas.FilterSaturate:
		s := math.Max(v, 0)
		return fromRows([3][3]float64{
			{0.213 + 0.787*s, 0.715 - 0.715*s, 0.072 - 0.072*s},
			{0.213 - 0.213*s, 0.715 + 0.285*s, 0.072 - 0.072*s},
			{0.213 - 0.213*s, 0.715 - 0.715*s, 0.072 + 0.928*s},
		}), true
	case schemas.FilterHue:
		a := v * math.Pi / 180
		c, s := math.Cos(a), math.Sin(a)
		return fromRows([3][3]float64{
			{0.213 + 0.787*c - 0.213*s, 0.715 - 0.715*c - 0.715*s, 0.072 - 0.072*c + 0.928*s},
			{0.213 - 0.213*c + 0.143*s, 0.715 + 0.285*c + 0.140*s, 0.072 - 0.072*c - 0.283*s},
			{0.213 - 0.213*c - 0.787*s, 0.715 - 0.715*c + 0.715*s, 0.072 + 0.928*c + 0.072*s},
		}), true
	}
	return colorMatrix{}, false
}

// applyColorMatrices runs the matrices in order over every pixel of img, in place.
func applyColorMatrices(img *image.RGBA, ms []colorMatrix) {
	b := img.Rect
	parallelRows(b.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := img.Pix[y*img.Stride:][:4*b.Dx()]
			for i := 0; i < len(row); i += 4 {
				a := row[i+3]
				if a == 0 {
					continue
				}
				inv := 1 / float32(a)
				r, g, bl := float32(row[i])*inv, float32(row[i+1])*inv, float32(row[i+2])*inv
				for k := range ms {
					m := &ms[k]
					r, g, bl = clampF(m[0][0]*r+m[0][1]*g+m[0][2]*bl+m[0][3]),
						clampF(m[1][0]*r+m[1][1]*g+m[1][2]*bl+m[1][3]),
						clampF(m[2][0]*r+m[2][1]*g+m[2][2]*bl+m[2][3])
				}
				fa := float32(a)
				row[i], row[i+1], row[i+2] = uint8(r*fa+0.5), uint8(g*fa+0.5), uint8(bl*fa+0.5)
			}
		}
	})
}

func clampF(v float32) float32 { return min(1, max(0, v)) }

// boxSizes returns the widths of three successive box blurs whose result approximates a gaussian of standard
// deviation sigma (W. Jarosz / I. Kutskir).
func boxSizes(sigma float64) [3]int {
	const n = 3
	ideal := math.Sqrt(12*sigma*sigma/n + 1)
	wl := int(math.Floor(ideal))
	if wl%2 == 0 {
		wl--
	}
	wu := wl + 2
	m := int(math.Round((12*sigma*sigma - n*float64(wl*wl) - 4*n*float64(wl) - 3*n) / (-4*float64(wl) - 4)))
	var out [3]int
	for i := range out {
		if i < m {
			out[i] = wl
		} else {
			out[i] = wu
		}
	}
	return out
}

// Blur returns a gaussian blur of l with standard deviation sigma px, on premultiplied pixels so that
// transparent areas do not darken the edges. The layer grows on every side by the blur's reach; BoxX/BoxY keep
// the box where it was. sigma ≤ 0 returns l unchanged.
func Blur(l raster.Layer, sigma float64) raster.Layer {
	if l.Empty() || !(sigma > 0) {
		return l
	}
	sizes := boxSizes(math.Min(sigma, maxBlur))
	pad := 0
	for _, s := range sizes {
		pad += (s - 1) / 2
	}
	src := l.Img
	w, h := src.Rect.Dx()+2*pad, src.Rect.Dy()+2*pad
	grown := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(grown, image.Rect(pad, pad, w-pad, h-pad), src, src.Rect.Min, draw.Src)
	// Each pass blurs rows and writes them as columns, so two passes blur both ways with cache-friendly reads.
	tmp := image.NewRGBA(image.Rect(0, 0, h, w))
	blurRowsTransposed(grown, tmp, sizes)
	blurRowsTransposed(tmp, grown, sizes)
	return raster.Layer{Img: grown, BoxX: l.BoxX + float64(pad), BoxY: l.BoxY + float64(pad), BoxW: l.BoxW, BoxH: l.BoxH}
}

// blurRowsTransposed box-blurs each row of src with the successive box widths and writes row y of src as
// column y of dst (dst is src's size transposed).
func blurRowsTransposed(src, dst *image.RGBA, sizes [3]int) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	parallelRows(h, func(y0, y1 int) {
		a := make([]float32, 4*w)
		b := make([]float32, 4*w)
		for y := y0; y < y1; y++ {
			row := src.Pix[y*src.Stride:][:4*w]
			for i, v := range row {
				a[i] = float32(v)
			}
			for _, s := range sizes {
				boxBlurRow(a, b, (s-1)/2)
				a, b = b, a
			}
			for x := range w {
				o := x*dst.Stride + 4*y
				for c := range 4 {
					dst.Pix[o+c] = uint8(min(255, a[4*x+c]+0.5))
				}
			}
		}
	})
}

// boxBlurRow writes into out the mean of in over a window of 2r+1 pixels around each pixel, counting pixels
// outside the row as transparent.
func boxBlurRow(in, out []float32, r int) {
	n := len(in) / 4
	if r == 0 {
		copy(out, in)
		return
	}
	norm := 1 / float32(2*r+1)
	var sum [4]float32
	for x := 0; x < min(r, n); x++ {
		for c := range 4 {
			sum[c] += in[4*x+c]
		}
	}
	for x := range n {
		if add := x + r; add < n {
			for c := range 4 {
				sum[c] += in[4*add+c]
			}
		}
		if drop := x - r - 1; drop >= 0 {
			for c := range 4 {
				sum[c] -= in[4*drop+c]
			}
		}
		for c := range 4 {
			out[4*x+c] = max(0, sum[c]*norm)
		}
	}
}

// maxShadowOffset bounds a shadow's offset in px: farther than a 4K frame it would be off screen anyway.
const maxShadowOffset = 4096

// Shadow returns l over a shadow: a copy of l's alpha in color c, blurred with standard deviation blur px and
// moved by (dx, dy) px (rounded to whole pixels), as CSS drop-shadow does. The returned layer is large enough
// for both; its BoxX/BoxY keep the box over l's content.
func Shadow(l raster.Layer, c color.NRGBA, blur, dx, dy float64) raster.Layer {
	if l.Empty() || c.A == 0 {
		return l
	}
	dx = min(maxShadowOffset, max(-maxShadowOffset, finiteOr(dx, 0)))
	dy = min(maxShadowOffset, max(-maxShadowOffset, finiteOr(dy, 0)))
	src := l.Img
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	pc := premultiply(c)
	shade := raster.Layer{Img: image.NewRGBA(image.Rect(0, 0, sw, sh))}
	for y := range sh {
		in := src.Pix[y*src.Stride:][:4*sw]
		out := shade.Img.Pix[y*shade.Img.Stride:][:4*sw]
		for i := 3; i < len(in); i += 4 {
			a := uint32(in[i])
			out[i-3] = uint8((uint32(pc.R)*a + 127) / 255)
			out[i-2] = uint8((uint32(pc.G)*a + 127) / 255)
			out[i-1] = uint8((uint32(pc.B)*a + 127) / 255)
			out[i] = uint8((uint32(pc.A)*a + 127) / 255)
		}
	}
	shade = Blur(shade, blur)
	// Place both in one image: l at (lx, ly), the shadow at (lx + dx - grow, ly + dy - grow).
	grow := int(shade.BoxX)
	ox, oy := int(math.Round(dx))-grow, int(math.Round(dy))-grow
	minX, minY := min(0, ox), min(0, oy)
	maxX, maxY := max(sw, ox+shade.Img.Rect.Dx()), max(sh, oy+shade.Img.Rect.Dy())
	out := image.NewRGBA(image.Rect(0, 0, maxX-minX, maxY-minY))
	draw.Draw(out, shade.Img.Rect.Add(image.Pt(ox-minX, oy-minY)), shade.Img, image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(-minX, -minY, -minX+sw, -minY+sh), src, src.Rect.Min, draw.Over)
	return raster.Layer{Img: out, BoxX: l.BoxX - float64(minX), BoxY: l.BoxY - float64(minY), BoxW: l.BoxW, BoxH: l.BoxH}
}
