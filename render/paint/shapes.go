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

// ShapeStyle is how a rect, circle or polygon is painted.
type ShapeStyle struct {
	// Fill and Stroke are the paints of the inside and of the outline; nil paints nothing.
	Fill, Stroke *schemas.Paint
	// FillColor and StrokeColor, when set, replace Fill and Stroke (keyframed colors arrive this way).
	FillColor, StrokeColor *color.NRGBA
	// StrokeWidth is the outline width in px, centered on the shape's edge; 0 draws no outline.
	StrokeWidth float64
	// Radius holds the corner radii of a rect: top-left, top-right, bottom-right, bottom-left.
	Radius schemas.Corners
	// LineCap and LineJoin shape the outline's ends and corners; empty means butt and miter (SVG defaults).
	LineCap  schemas.LineCap
	LineJoin schemas.LineJoin
}

// paintSource returns the image for an optional paint with an optional color override, laid out over the box
// (x0, y0, w, h); nil when there is nothing to paint.
func paintSource(p *schemas.Paint, override *color.NRGBA, x0, y0, w, h float64) (image.Image, error) {
	if override != nil {
		return image.NewUniform(premultiply(*override)), nil
	}
	if p == nil {
		return nil, nil
	}
	return Source(p, x0, y0, w, h)
}

func (s ShapeStyle) hasStroke() bool {
	return s.StrokeWidth > 0 && (s.Stroke != nil || s.StrokeColor != nil)
}

// capper and joiner translate the document's names to canvas's stroke shapes.
func capper(c schemas.LineCap) (canvas.Capper, error) {
	switch c {
	case "", schemas.LineCapButt:
		return canvas.ButtCap, nil
	case schemas.LineCapRound:
		return canvas.RoundCap, nil
	case schemas.LineCapSquare:
		return canvas.SquareCap, nil
	}
	return nil, fmt.Errorf("paint: unknown lineCap %q: want butt, round or square", c)
}

func joiner(j schemas.LineJoin) (canvas.Joiner, error) {
	switch j {
	case "", schemas.LineJoinMiter:
		return canvas.MiterJoin, nil
	case schemas.LineJoinRound:
		return canvas.RoundJoin, nil
	case schemas.LineJoinBevel:
		return canvas.BevelJoin, nil
	}
	return nil, fmt.Errorf("paint: unknown lineJoin %q: want miter, round or bevel", j)
}

// outline returns the area covered by a stroke of width w along p.
func outline(p *canvas.Path, w float64, c schemas.LineCap, j schemas.LineJoin) (*canvas.Path, error) {
	cr, err := capper(c)
	if err != nil {
		return nil, err
	}
	jr, err := joiner(j)
	if err != nil {
		return nil, err
	}
	return p.Stroke(w, cr, jr, flattenTolerance), nil
}

// drawShape paints a closed shape whose box is boxW×boxH at the origin. edge is the outline to fill and to
// stroke; strokeOnly, when not nil, replaces edge for the stroke (an arc has no closing edge to stroke). The
// layer grows on every side to hold the stroke, and keeps the box on whole pixels so straight edges stay crisp.
func drawShape(edge, strokeOnly *canvas.Path, boxW, boxH float64, s ShapeStyle) (layer raster.Layer, err error) {
	defer recoverAsError(&err, "shape")
	if err := checkSize(boxW, boxH); err != nil {
		return raster.Layer{}, err
	}
	if s.StrokeWidth > budget.MaxStrokeWidth || math.IsNaN(s.StrokeWidth) {
		return raster.Layer{}, fmt.Errorf("paint: stroke width %g is out of range (at most %g)", s.StrokeWidth, budget.MaxStrokeWidth)
	}
	var stroke *canvas.Path
	if s.hasStroke() {
		line := edge
		if strokeOnly != nil {
			line = strokeOnly
		}
		if stroke, err = outline(line, s.StrokeWidth, s.LineCap, s.LineJoin); err != nil {
			return raster.Layer{}, err
		}
	}
	pad := 1.0 // room for antialiasing
	if b, ok := boundsUnion(stroke); ok {
		pad += math.Ceil(math.Max(math.Max(-b.X0, -b.Y0), math.Max(b.X1-boxW, b.Y1-boxH)))
		pad = math.Max(pad, 1)
	}
	w, h := int(math.Ceil(boxW+2*pad)), int(math.Ceil(boxH+2*pad))
	layer = raster.Layer{Img: image.NewRGBA(image.Rect(0, 0, w, h)), BoxX: pad, BoxY: pad, BoxW: boxW, BoxH: boxH}
	move := canvas.Identity.Translate(pad, pad)

	fill, err := paintSource(s.Fill, s.FillColor, pad, pad, boxW, boxH)
	if err != nil {
		return raster.Layer{}, fmt.Errorf("fill: %w", err)
	}
	if fill != nil {
		fillPath(layer.Img, edge.Transform(move), fill)
	}
	if stroke != nil {
		src, err := paintSource(s.Stroke, s.StrokeColor, pad, pad, boxW, boxH)
		if err != nil {
			return raster.Layer{}, fmt.Errorf("stroke: %w", err)
		}
		fillPath(layer.Img, stroke.Transform(move), src)
	}
	return layer, nil
}

// Rect draws a w×h rectangle with the style's corner radii (scaled down together, as in CSS, when two radii
// would overlap), fill and stroke. The stroke is centered on the edge; the layer grows to hold it and
// BoxX/BoxY give where the rectangle's top-left corner lies.
func Rect(w, h float64, s ShapeStyle) (raster.Layer, error) {
	l, err := drawShape(roundedRect(0, 0, w, h, s.Radius), nil, w, h, s)
	if err != nil {
		return raster.Layer{}, fmt.Errorf("rect: %w", err)
	}
	return l, nil
}

// roundedRect returns the outline of a rectangle with corner radii r (top-left, top-right, bottom-right,
// bottom-left), clockwise on screen.
func roundedRect(x, y, w, h float64, r schemas.Corners) *canvas.Path {
	tl, tr, br, bl := math.Max(r[0], 0), math.Max(r[1], 0), math.Max(r[2], 0), math.Max(r[3], 0)
	f := 1.0
	for _, side := range [][3]float64{{w, tl, tr}, {w, bl, br}, {h, tl, bl}, {h, tr, br}} {
		if sum := side[1] + side[2]; sum > side[0] {
			f = math.Min(f, side[0]/sum)
		}
	}
	tl, tr, br, bl = tl*f, tr*f, br*f, bl*f
	p := &canvas.Path{}
	corner := func(rad, x, y float64) {
		if rad > 0 {
			p.ArcTo(rad, rad, 0, false, true, x, y)
		}
	}
	p.MoveTo(x+tl, y)
	p.LineTo(x+w-tr, y)
	corner(tr, x+w, y+tr)
	p.LineTo(x+w, y+h-br)
	corner(br, x+w-br, y+h)
	p.LineTo(x+bl, y+h)
	corner(bl, x, y+h-bl)
	p.LineTo(x, y+tl)
	corner(tl, x+tl, y)
	p.Close()
	return p
}

// Circle draws a circle of the given diameter in a diameter×diameter box. With startAngle and endAngle
// (degrees, 0 = 3 o'clock, clockwise; a missing one means 0 or 360) it draws the part from start clockwise to
// end: a pie when the style fills, an arc when it only strokes. A filled and stroked pie strokes its whole
// edge, the two radii included.
func Circle(diameter float64, startAngle, endAngle *float64, s ShapeStyle) (raster.Layer, error) {
	r := diameter / 2
	start, end := 0.0, 360.0
	if startAngle != nil {
		start = *startAngle
	}
	if endAngle != nil {
		end = *endAngle
	}
	sweep := end - start
	if startAngle == nil && endAngle == nil || math.Abs(sweep) >= 360 {
		l, err := drawShape(canvas.Circle(r).Translate(r, r), nil, diameter, diameter, s)
		if err != nil {
			return raster.Layer{}, fmt.Errorf("circle: %w", err)
		}
		return l, nil
	}
	sweep = math.Mod(sweep, 360)
	if sweep < 0 {
		sweep += 360
	}
	arc := &canvas.Path{}
	addArc(arc, r, r, r, start, sweep, false)
	pie := &canvas.Path{}
	pie.MoveTo(r, r)
	addArc(pie, r, r, r, start, sweep, true)
	pie.Close()
	var strokeOnly *canvas.Path
	if s.Fill == nil && s.FillColor == nil {
		strokeOnly = arc
	}
	l, err := drawShape(pie, strokeOnly, diameter, diameter, s)
	if err != nil {
		return raster.Layer{}, fmt.Errorf("circle: %w", err)
	}
	return l, nil
}

// addArc adds to p a circular arc around (cx, cy) of radius r from angle start, sweeping clockwise on screen
// by sweep degrees (0 ≤ sweep < 360). It starts with a line to the arc's start when connect is set, else with a
// move.
func addArc(p *canvas.Path, cx, cy, r, start, sweep float64, connect bool) {
	at := func(deg float64) (float64, float64) {
		a := deg * math.Pi / 180
		return cx + r*math.Cos(a), cy + r*math.Sin(a)
	}
	if connect {
		p.LineTo(at(start))
	} else {
		p.MoveTo(at(start))
	}
	const pieces = 4 // quarter turns at most, so no piece needs the large-arc flag
	for i := 1; i <= pieces; i++ {
		x, y := at(start + sweep*float64(i)/pieces)
		p.ArcTo(r, r, 0, false, true, x, y)
	}
}

// maxPolygonSides is the most sides Polygon accepts; far beyond it a polygon looks like a circle anyway.
var maxPolygonSides = budget.MaxPolygonSides

// Polygon draws a regular polygon with the given number of sides inscribed in a circle of the given diameter,
// in a diameter×diameter box, its first vertex at the top.
func Polygon(sides int, diameter float64, s ShapeStyle) (raster.Layer, error) {
	if sides < 3 || sides > maxPolygonSides {
		return raster.Layer{}, fmt.Errorf("polygon: %d sides: want 3 to %d", sides, maxPolygonSides)
	}
	r := diameter / 2
	p := &canvas.Path{}
	for i := range sides {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(sides)
		x, y := r+r*math.Cos(a), r+r*math.Sin(a)
		if i == 0 {
			p.MoveTo(x, y)
		} else {
			p.LineTo(x, y)
		}
	}
	p.Close()
	l, err := drawShape(p, nil, diameter, diameter, s)
	if err != nil {
		return raster.Layer{}, fmt.Errorf("polygon: %w", err)
	}
	return l, nil
}
