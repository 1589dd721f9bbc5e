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

// minRasterizerWidth makes x/image/vector use its floating-point accumulator, which it only does for rasterizers
// wider or taller than 512 px. Its fixed-point one, used below that, was measured off by up to 16/255 along a
// 45° edge lying some 20 px from the rasterizer's left side (a pie's radius): visible, so we pay for the
// wider buffer. Only the rectangle returned by scanPath is drawn.
const minRasterizerWidth = 513

// scanPath loads the filled area of p (pixel coordinates, y down, nonzero winding) into a rasterizer that
// covers only the part of area p touches, and returns that part (empty, with a nil rasterizer, when p misses
// area). The rasterizer's (0, 0) is the part's top-left corner.
func scanPath(p *canvas.Path, area image.Rectangle) (*vector.Rasterizer, image.Rectangle) {
	if p == nil || p.Empty() {
		return nil, image.Rectangle{}
	}
	d := p.Flatten(flattenTolerance).Data()
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := 0; i+3 < len(d); i += 4 { // a flattened path holds only MoveTo, LineTo and Close, 4 values each
		minX, maxX = min(minX, d[i+1]), max(maxX, d[i+1])
		minY, maxY = min(minY, d[i+2]), max(maxY, d[i+2])
	}
	if !(minX <= maxX && minY <= maxY) { // no points, or NaN
		return nil, image.Rectangle{}
	}
	// One pixel of margin: x/image/vector loses coverage on points lying exactly on its right or bottom edge.
	lo := func(v float64) int { return int(max(-2, min(math.Floor(v)-1, maxLayerSide+2))) }
	hi := func(v float64) int { return int(max(-2, min(math.Ceil(v)+1, maxLayerSide+2))) }
	r := image.Rect(lo(minX), lo(minY), hi(maxX), hi(maxY)).Intersect(area)
	if r.Empty() {
		return nil, r
	}
	z := vector.NewRasterizer(max(r.Dx(), minRasterizerWidth), r.Dy())
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	for i := 0; i+3 < len(d); i += 4 {
		x, y := float32(d[i+1]-ox), float32(d[i+2]-oy)
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
	return z, r
}

// coverage rasterizes the filled area of p into an antialiased alpha mask of w×h pixels.
func coverage(p *canvas.Path, w, h int) *image.Alpha {
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	if z, r := scanPath(p, mask.Rect); z != nil {
		z.Draw(mask, r, image.Opaque, image.Point{})
	}
	return mask
}

// fillPath paints src through the coverage of p onto dst (source-over). src is an image.Uniform or a gradient
// from Source, in dst's coordinates. Only the pixels p touches are visited.
func fillPath(dst *image.RGBA, p *canvas.Path, src image.Image) {
	if src == nil {
		return
	}
	z, r := scanPath(p, dst.Rect)
	if z == nil {
		return
	}
	if u, ok := src.(*image.Uniform); ok {
		z.Draw(dst, r, u, image.Point{}) // x/image/vector's fast path: straight into the RGBA pixels
		return
	}
	mask := image.NewAlpha(r)
	z.Draw(mask, r, image.Opaque, image.Point{})
	if g, ok := src.(*gradient); ok {
		fillGradient(dst, mask, g)
		return
	}
	draw.DrawMask(dst, r, src, r.Min, mask, r.Min, draw.Over)
}

// fillGradient composites g through mask onto dst (source-over, premultiplied) over mask's bounds, reading the
// gradient only where the mask covers: one pass, no intermediate image.
func fillGradient(dst *image.RGBA, mask *image.Alpha, g *gradient) {
	r := mask.Rect
	parallelRows(r.Dy(), func(y0, y1 int) {
		for y := r.Min.Y + y0; y < r.Min.Y+y1; y++ {
			m := mask.Pix[mask.PixOffset(r.Min.X, y):][:r.Dx()]
			row := dst.Pix[dst.PixOffset(r.Min.X, y):][:4*r.Dx()]
			for x, cov := range m {
				if cov == 0 {
					continue
				}
				c := g.RGBAAt(r.Min.X+x, y)
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
