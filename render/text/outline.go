package text

import (
	"math"
	"sync"

	gofont "github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
)

// glyphOutline is a glyph's path in ems (y grows up) with its bounding box.
type glyphOutline struct {
	segs                   []ot.Segment
	minX, minY, maxX, maxY float64
	layers                 []colorLayer // a colour glyph's layers (color.go), drawn instead of segs
}

// empty reports a glyph with nothing to draw (a space).
func (g *glyphOutline) empty() bool { return len(g.segs) == 0 && len(g.layers) == 0 }

// glyphCache keeps a face's glyph outlines, converted to ems, by glyph id.
type glyphCache struct {
	mu sync.Mutex
	m  map[gofont.GID]*glyphOutline
}

// outline returns the outline of glyph id in f, loading it on first use. Glyphs without an outline (spaces,
// bitmap-only glyphs) have no segments.
func (f *face) outline(id gofont.GID) *glyphOutline {
	f.glyphs.mu.Lock()
	defer f.glyphs.mu.Unlock()
	if g, ok := f.glyphs.m[id]; ok {
		return g
	}
	g := &glyphOutline{}
	if ft, err := f.parsed(); err == nil {
		if data, ok := gofont.NewFace(ft).GlyphDataOutline(id); ok {
			g = newGlyphOutline(data.Segments, 1/float32(ft.Upem()))
		}
		g = g.withLayers(colorLayers(ft, id))
	}
	if f.glyphs.m == nil {
		f.glyphs.m = map[gofont.GID]*glyphOutline{}
	}
	f.glyphs.m[id] = g
	return g
}

func newGlyphOutline(segs []ot.Segment, scale float32) *glyphOutline {
	g := &glyphOutline{segs: make([]ot.Segment, len(segs))}
	g.minX, g.minY = math.Inf(1), math.Inf(1)
	g.maxX, g.maxY = math.Inf(-1), math.Inf(-1)
	for i, s := range segs {
		for j := range s.ArgsSlice() {
			p := &s.Args[j]
			p.X *= scale
			p.Y *= scale
			g.minX, g.maxX = math.Min(g.minX, float64(p.X)), math.Max(g.maxX, float64(p.X))
			g.minY, g.maxY = math.Min(g.minY, float64(p.Y)), math.Max(g.maxY, float64(p.Y))
		}
		g.segs[i] = s
	}
	if len(segs) == 0 {
		g.minX, g.minY, g.maxX, g.maxY = 0, 0, 0, 0
	}
	return g
}

// pathSink receives a path. *vector.Rasterizer is one; so is the flattener used for strokes.
type pathSink interface {
	MoveTo(x, y float32)
	LineTo(x, y float32)
	QuadTo(bx, by, cx, cy float32)
	CubeTo(bx, by, cx, cy, dx, dy float32)
	ClosePath()
}

// placement maps a glyph's em coordinates to pixels: x' = ox + size·(x + skew·y), y' = oy − size·y.
type placement struct {
	ox, oy, size, skew float64
}

func (p placement) apply(pt ot.SegmentPoint) (float32, float32) {
	x, y := float64(pt.X), float64(pt.Y)
	return float32(p.ox + p.size*(x+p.skew*y)), float32(p.oy - p.size*y)
}

// emit sends the glyph's contours, placed by p, to sink. Every contour is closed.
func (g *glyphOutline) emit(sink pathSink, p placement) {
	open := false
	for i := range g.segs {
		s := &g.segs[i]
		switch s.Op {
		case ot.SegmentOpMoveTo:
			if open {
				sink.ClosePath()
			}
			sink.MoveTo(p.apply(s.Args[0]))
			open = true
		case ot.SegmentOpLineTo:
			sink.LineTo(p.apply(s.Args[0]))
		case ot.SegmentOpQuadTo:
			bx, by := p.apply(s.Args[0])
			cx, cy := p.apply(s.Args[1])
			sink.QuadTo(bx, by, cx, cy)
		case ot.SegmentOpCubeTo:
			bx, by := p.apply(s.Args[0])
			cx, cy := p.apply(s.Args[1])
			dx, dy := p.apply(s.Args[2])
			sink.CubeTo(bx, by, cx, cy, dx, dy)
		}
	}
	if open {
		sink.ClosePath()
	}
}

// bounds returns the glyph's ink box in pixels once placed by p.
func (g *glyphOutline) bounds(p placement) (x0, y0, x1, y1 float64) {
	x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range [4][2]float64{{g.minX, g.minY}, {g.minX, g.maxY}, {g.maxX, g.minY}, {g.maxX, g.maxY}} {
		x, y := p.apply(ot.SegmentPoint{X: float32(c[0]), Y: float32(c[1])})
		x0, x1 = math.Min(x0, float64(x)), math.Max(x1, float64(x))
		y0, y1 = math.Min(y0, float64(y)), math.Max(y1, float64(y))
	}
	return x0, y0, x1, y1
}
