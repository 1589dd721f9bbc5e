package paint

import (
	"image"
	"image/draw"
	"math"

	"github.com/tdewolff/canvas"
	"golang.org/x/image/vector"
)

// flattenTolerance is the largest distance, in pixels, between a curve and the line segments drawn for it.
const flattenTolerance = 0.05

// coverage rasterizes the filled area of p (pixel coordinates, y down, nonzero winding) into an antialiased
// alpha mask of w×h pixels.
func coverage(p *canvas.Path, w, h int) *image.Alpha {
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	if p == nil || p.Empty() {
		return mask
	}
	var z vector.Rasterizer
	z.Reset(w, h)
	d := p.Flatten(flattenTolerance).Data()
	for i := 0; i+3 < len(d); i += 4 { // a flattened path holds only MoveTo, LineTo and Close, 4 values each
		x, y := float32(d[i+1]), float32(d[i+2])
		switch d[i] {
		case canvas.MoveToCmd:
			z.MoveTo(x, y)
		case canvas.LineToCmd:
			z.LineTo(x, y)
		case canvas.CloseCmd:
			z.ClosePath()
		}
	}
	z.ClosePath()
	z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
	return mask
}

// fillPath paints src through the coverage of p onto dst (source-over). src is an image.Uniform or a gradient
// from Source, in dst's coordinates.
func fillPath(dst *image.RGBA, p *canvas.Path, src image.Image) {
	if src == nil || p == nil || p.Empty() {
		return
	}
	mask := coverage(p, dst.Rect.Dx(), dst.Rect.Dy())
	if g, ok := src.(*gradient); ok {
		fillGradient(dst, mask, g)
		return
	}
	draw.DrawMask(dst, dst.Rect, src, dst.Rect.Min, mask, image.Point{}, draw.Over)
}

// fillGradient composites g through mask onto dst (source-over, premultiplied), reading the gradient only
// where the mask covers: one pass, no intermediate image.
func fillGradient(dst *image.RGBA, mask *image.Alpha, g *gradient) {
	r := dst.Rect
	parallelRows(r.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			m := mask.Pix[y*mask.Stride:][:r.Dx()]
			row := dst.Pix[y*dst.Stride:][:4*r.Dx()]
			for x, cov := range m {
				if cov == 0 {
					continue
				}
				c := g.RGBAAt(r.Min.X+x, r.Min.Y+y)
				ma := uint32(cov) * 0x101
				sa := uint32(c.A) * 0x101 * ma / 0xffff // source alpha after the mask, 16 bits
				keep := 0xffff - sa
				px := row[4*x : 4*x+4 : 4*x+4]
				px[0] = uint8((uint32(px[0])*0x101*keep/0xffff + uint32(c.R)*0x101*ma/0xffff) >> 8)
				px[1] = uint8((uint32(px[1])*0x101*keep/0xffff + uint32(c.G)*0x101*ma/0xffff) >> 8)
				px[2] = uint8((uint32(px[2])*0x101*keep/0xffff + uint32(c.B)*0x101*ma/0xffff) >> 8)
				px[3] = uint8((uint32(px[3])*0x101*keep/0xffff + sa) >> 8)
			}
		}
	})
}

// boundsUnion returns the union of the bounds of the non-empty paths, and false when all are empty.
func boundsUnion(paths ...*canvas.Path) (canvas.Rect, bool) {
	var out canvas.Rect
	found := false
	for _, p := range paths {
		if p == nil || p.Empty() {
			continue
		}
		b := p.Bounds()
		if !found {
			out, found = b, true
			continue
		}
		out = canvas.Rect{X0: math.Min(out.X0, b.X0), Y0: math.Min(out.Y0, b.Y0), X1: math.Max(out.X1, b.X1), Y1: math.Max(out.Y1, b.Y1)}
	}
	return out, found
}
