package paint

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
	"github.com/tdewolff/canvas"
)

// StrokePath describes a line clip (Points) or a path clip (Data).
//
// Coordinates are px relative to the clip's position. The visible part is chosen in two steps: StartOffset and
// EndOffset cut that many px off the ends, then DrawStart and DrawEnd (fractions of what remains) keep the part
// between them, so a draw-on effect animates DrawEnd from 0 to 1 while offsets stay put.
type StrokePath struct {
	// Points is a polyline (a line clip); Radius rounds its corners, cut at most half-way along each segment.
	Points []schemas.Point
	Radius float64
	// Data is SVG path data (M L H V C S Q T A Z and their relative forms); it wins over Points.
	Data string
	// Closed joins the last point to the first (for Data: closes the last subpath).
	Closed bool
	// DrawStart and DrawEnd are fractions 0..1 of the length; nil means 0 and 1.
	DrawStart, DrawEnd *float64
	// StartOffset and EndOffset are px cut off the start and the end.
	StartOffset, EndOffset float64
	// StartArrow and EndArrow put a filled triangular head, ArrowSize px long and as wide, at the visible ends,
	// pointing along the path; ArrowSize 0 means 4 × Width.
	StartArrow, EndArrow bool
	ArrowSize            float64
	// Width is the line width in px; 0 draws no line (a fill may still be drawn).
	Width float64
	// Color paints the line and the arrows (white when both are nil, like the default text color on the
	// default black background); ColorOverride, when set, replaces it.
	Color         *schemas.Paint
	ColorOverride *color.NRGBA
	// Cap and Join shape the line's ends and corners; empty means butt and miter (SVG defaults).
	Cap  schemas.LineCap
	Join schemas.LineJoin
	// Fill paints the inside of the whole geometry (whatever DrawStart/DrawEnd say); FillOverride replaces it.
	Fill         *schemas.Paint
	FillOverride *color.NRGBA
}

// Stroke draws a line or a path. The layer is the bounding box of what is drawn, plus a pixel for
// antialiasing. BoxX/BoxY give where the point (0, 0) of the coordinates lies in the layer, and the box is
// empty (BoxW = BoxH = 0): the clip's position is that point, and rotation and scale turn around it. Gradients
// are laid out over the bounding box of the geometry.
func Stroke(sp StrokePath) (layer raster.Layer, err error) {
	defer recoverAsError(&err, "stroke")
	shape, err := sp.geometry()
	if err != nil {
		return raster.Layer{}, err
	}
	visible := visiblePart(shape, sp)
	var line, heads *canvas.Path
	if sp.Width > 0 && visible != nil {
		size := sp.ArrowSize
		if size <= 0 {
			size = 4 * sp.Width
		}
		// Each head takes half its length off the line, so the line's end hides inside the head.
		body := visible
		if sp.StartArrow || sp.EndArrow {
			heads = &canvas.Path{}
			if sp.StartArrow {
				heads = heads.Append(arrowHead(visible.Reverse(), size))
			}
			if sp.EndArrow {
				heads = heads.Append(arrowHead(visible, size))
			}
			cutStart, cutEnd := 0.0, 0.0
			if sp.StartArrow {
				cutStart = size / 2
			}
			if sp.EndArrow {
				cutEnd = size / 2
			}
			body = between(visible, cutStart, visible.Length()-cutEnd)
		}
		if body != nil {
			if line, err = outline(body, sp.Width, sp.Cap, sp.Join); err != nil {
				return raster.Layer{}, fmt.Errorf("stroke: %w", err)
			}
		}
	}
	fill := sp.Fill != nil || sp.FillOverride != nil
	var filled *canvas.Path
	if fill {
		filled = shape
	}
	b, ok := boundsUnion(filled, line, heads)
	if !ok {
		return raster.Layer{Img: image.NewRGBA(image.Rect(0, 0, 1, 1))}, nil
	}
	if err := checkSize(b.X1-b.X0+3, b.Y1-b.Y0+3); err != nil {
		return raster.Layer{}, fmt.Errorf("stroke: %w", err)
	}
	ox, oy := 1-math.Floor(b.X0), 1-math.Floor(b.Y0)
	w, h := int(math.Ceil(b.X1+ox))+1, int(math.Ceil(b.Y1+oy))+1
	layer = raster.Layer{Img: image.NewRGBA(image.Rect(0, 0, w, h)), BoxX: ox, BoxY: oy}
	move := canvas.Identity.Translate(ox, oy)
	gx, gy, gw, gh := b.X0+ox, b.Y0+oy, b.X1-b.X0, b.Y1-b.Y0
	if fill {
		src, err := paintSource(sp.Fill, sp.FillOverride, gx, gy, gw, gh)
		if err != nil {
			return raster.Layer{}, fmt.Errorf("stroke fill: %w", err)
		}
		fillPath(layer.Img, shape.Transform(move), src)
	}
	if line != nil || heads != nil {
		src, err := paintSource(sp.Color, sp.ColorOverride, gx, gy, gw, gh)
		if err != nil {
			return raster.Layer{}, fmt.Errorf("stroke color: %w", err)
		}
		if src == nil {
			src = image.NewUniform(color.RGBA{255, 255, 255, 255})
		}
		all := &canvas.Path{}
		if line != nil {
			all = all.Append(line)
		}
		if heads != nil {
			all = all.Append(heads)
		}
		fillPath(layer.Img, all.Transform(move), src) // one pass: no seam where a head overlaps the line
	}
	return layer, nil
}

// geometry returns the whole path the clip describes.
func (sp StrokePath) geometry() (*canvas.Path, error) {
	if sp.Data != "" {
		p, err := canvas.ParseSVGPath(sp.Data)
		if err != nil {
			return nil, fmt.Errorf("path data: %w", err)
		}
		if sp.Closed && !p.Closed() {
			p.Close()
		}
		return p, nil
	}
	if len(sp.Points) < 2 {
		return nil, fmt.Errorf("line: %d points: want at least 2", len(sp.Points))
	}
	return roundedPolyline(sp.Points, sp.Radius, sp.Closed), nil
}

// roundedPolyline joins the points with straight segments; with a radius, each corner is replaced by a
// quadratic curve starting and ending radius px (at most half a segment) away from the vertex.
func roundedPolyline(pts []schemas.Point, radius float64, closed bool) *canvas.Path {
	p := &canvas.Path{}
	n := len(pts)
	if radius <= 0 {
		for i, pt := range pts {
			if i == 0 {
				p.MoveTo(pt.X, pt.Y)
			} else {
				p.LineTo(pt.X, pt.Y)
			}
		}
		if closed {
			p.Close()
		}
		return p
	}
	// toward returns the point d px from a toward b, at most half-way.
	toward := func(a, b schemas.Point, d float64) (float64, float64) {
		l := math.Hypot(b.X-a.X, b.Y-a.Y)
		if l == 0 {
			return a.X, a.Y
		}
		f := math.Min(d, l/2) / l
		return a.X + (b.X-a.X)*f, a.Y + (b.Y-a.Y)*f
	}
	started := false
	corner := func(i int) {
		prev, at, next := pts[(i+n-1)%n], pts[i], pts[(i+1)%n]
		x0, y0 := toward(at, prev, radius)
		x1, y1 := toward(at, next, radius)
		if started {
			p.LineTo(x0, y0)
		} else {
			p.MoveTo(x0, y0)
			started = true
		}
		p.QuadTo(at.X, at.Y, x1, y1)
	}
	if closed {
		for i := range n {
			corner(i)
		}
		p.Close()
		return p
	}
	p.MoveTo(pts[0].X, pts[0].Y)
	started = true
	for i := 1; i < n-1; i++ {
		corner(i)
	}
	p.LineTo(pts[n-1].X, pts[n-1].Y)
	return p
}

// visiblePart applies the offsets and the draw range; nil when nothing is left.
func visiblePart(p *canvas.Path, sp StrokePath) *canvas.Path {
	length := p.Length()
	from, to := sp.StartOffset, length-sp.EndOffset
	ds, de := 0.0, 1.0
	if sp.DrawStart != nil {
		ds = clamp01(*sp.DrawStart)
	}
	if sp.DrawEnd != nil {
		de = clamp01(*sp.DrawEnd)
	}
	span := to - from
	return between(p, from+ds*span, from+de*span)
}

// between returns the part of p from length a to length b along it; nil when it is empty.
func between(p *canvas.Path, a, b float64) *canvas.Path {
	const eps = 1e-6
	length := p.Length()
	a, b = math.Max(a, 0), math.Min(b, length)
	if b-a <= eps {
		return nil
	}
	if a <= eps && b >= length-eps {
		return p
	}
	var cuts []float64
	if a > eps {
		cuts = append(cuts, a)
	}
	if b < length-eps {
		cuts = append(cuts, b)
	}
	pieces := p.SplitAt(cuts...)
	if a > eps {
		if len(pieces) < 2 {
			return nil
		}
		return pieces[1]
	}
	return pieces[0]
}

// arrowHead returns a filled isosceles triangle, size px long and as wide, whose tip is the end of p and which
// points along p's direction there.
func arrowHead(p *canvas.Path, size float64) *canvas.Path {
	d := p.Flatten(flattenTolerance).Data()
	var pts [][2]float64
	for i := 0; i+3 < len(d); i += 4 {
		if d[i] != canvas.CloseCmd {
			pts = append(pts, [2]float64{d[i+1], d[i+2]})
		}
	}
	if len(pts) < 2 {
		return &canvas.Path{}
	}
	tip := pts[len(pts)-1]
	var dx, dy float64
	for i := len(pts) - 2; i >= 0; i-- {
		dx, dy = tip[0]-pts[i][0], tip[1]-pts[i][1]
		if math.Hypot(dx, dy) > 1e-9 {
			break
		}
	}
	l := math.Hypot(dx, dy)
	if l <= 1e-9 {
		return &canvas.Path{}
	}
	dx, dy = dx/l, dy/l
	bx, by := tip[0]-dx*size, tip[1]-dy*size
	nx, ny := -dy*size/2, dx*size/2
	// Wind it the way canvas winds stroke outlines (positive area), so that where the head and the line overlap
	// the nonzero rule adds them instead of cancelling them out.
	if nx*dy-ny*dx < 0 {
		nx, ny = -nx, -ny
	}
	h := &canvas.Path{}
	h.MoveTo(tip[0], tip[1])
	h.LineTo(bx-nx, by-ny)
	h.LineTo(bx+nx, by+ny)
	h.Close()
	return h
}

func clamp01(v float64) float64 { return min(1, max(0, v)) }
