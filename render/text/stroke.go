package text

import "math"

// flattenTolerance is the largest distance, in pixels, between a curve and the polyline that replaces it.
const flattenTolerance = 0.15

// point is a position in pixels.
type point struct{ x, y float64 }

// flattener is a pathSink that turns curves into closed polylines.
type flattener struct {
	contours [][]point
	cur      []point
}

func (f *flattener) MoveTo(x, y float32) {
	f.ClosePath()
	f.cur = append(f.cur[:0:0], point{float64(x), float64(y)})
}

func (f *flattener) LineTo(x, y float32) {
	f.cur = append(f.cur, point{float64(x), float64(y)})
}

func (f *flattener) QuadTo(bx, by, cx, cy float32) {
	a := f.last()
	b, c := point{float64(bx), float64(by)}, point{float64(cx), float64(cy)}
	dd := math.Hypot(a.x-2*b.x+c.x, a.y-2*b.y+c.y)
	n := segmentsFor(dd / 4)
	for i := 1; i <= n; i++ {
		t := float64(i) / float64(n)
		u := 1 - t
		f.cur = append(f.cur, point{u*u*a.x + 2*u*t*b.x + t*t*c.x, u*u*a.y + 2*u*t*b.y + t*t*c.y})
	}
}

func (f *flattener) CubeTo(bx, by, cx, cy, dx, dy float32) {
	a := f.last()
	b, c, d := point{float64(bx), float64(by)}, point{float64(cx), float64(cy)}, point{float64(dx), float64(dy)}
	dd := math.Max(math.Hypot(a.x-2*b.x+c.x, a.y-2*b.y+c.y), math.Hypot(b.x-2*c.x+d.x, b.y-2*c.y+d.y))
	n := segmentsFor(dd * 3 / 4)
	for i := 1; i <= n; i++ {
		t := float64(i) / float64(n)
		u := 1 - t
		f.cur = append(f.cur, point{
			u*u*u*a.x + 3*u*u*t*b.x + 3*u*t*t*c.x + t*t*t*d.x,
			u*u*u*a.y + 3*u*u*t*b.y + 3*u*t*t*c.y + t*t*t*d.y,
		})
	}
}

func (f *flattener) ClosePath() {
	if len(f.cur) > 1 {
		f.contours = append(f.contours, f.cur)
	}
	f.cur = nil
}

func (f *flattener) last() point {
	if len(f.cur) == 0 {
		return point{}
	}
	return f.cur[len(f.cur)-1]
}

// segmentsFor returns how many chords keep a curve whose second difference measures dev within tolerance.
func segmentsFor(dev float64) int {
	n := int(math.Ceil(math.Sqrt(dev / flattenTolerance)))
	return min(max(n, 1), 64)
}

// signedArea returns the shoelace area of the contours (its sign tells their winding in pixel space).
func signedArea(contours [][]point) float64 {
	var a float64
	for _, c := range contours {
		for i := range c {
			p, q := c[i], c[(i+1)%len(c)]
			a += p.x*q.y - q.x*p.y
		}
	}
	return a / 2
}

// strokeContours adds to sink the area within half pixels of the closed polylines: one rectangle per
// segment plus round joins, each polygon wound with the sign of windingSign. The rasterizer sums coverage
// and clamps it, so polygons of one winding merge into their union, and with a fill of the same winding.
func strokeContours(sink pathSink, contours [][]point, half, windingSign float64) {
	if half <= 0 {
		return
	}
	poly := make([]point, 0, 64)
	for _, c := range contours {
		c = dedupe(c)
		n := len(c)
		if n < 2 {
			continue
		}
		for i := 0; i < n; i++ {
			a, b := c[i], c[(i+1)%n]
			nx, ny := normal(a, b, half)
			poly = append(poly[:0], point{a.x + nx, a.y + ny}, point{b.x + nx, b.y + ny},
				point{b.x - nx, b.y - ny}, point{a.x - nx, a.y - ny})
			addPolygon(sink, poly, windingSign)
			addJoin(sink, poly, a, b, c[(i+2)%n], half, windingSign)
		}
	}
}

// addJoin fills the gap at vertex b between segments a→b and b→c: with two bevel triangles when the turn is
// so slight that a bevel stays within a tenth of a pixel of the round join, else with a disc. scratch is
// reused storage.
func addJoin(sink pathSink, scratch []point, a, b, c point, half, windingSign float64) {
	ang1 := math.Atan2(b.y-a.y, b.x-a.x)
	ang2 := math.Atan2(c.y-b.y, c.x-b.x)
	turn := math.Abs(math.Remainder(ang2-ang1, 2*math.Pi))
	if half*(1-math.Cos(turn/2)) < 0.1 {
		n1x, n1y := normal(a, b, half)
		n2x, n2y := normal(b, c, half)
		addPolygon(sink, append(scratch[:0], b, point{b.x + n1x, b.y + n1y}, point{b.x + n2x, b.y + n2y}), windingSign)
		addPolygon(sink, append(scratch[:0], b, point{b.x - n1x, b.y - n1y}, point{b.x - n2x, b.y - n2y}), windingSign)
		return
	}
	steps := int(math.Ceil(2 * math.Pi / math.Acos(math.Max(-1, 1-flattenTolerance/half))))
	steps = min(max(steps, 8), 96)
	scratch = scratch[:0]
	for i := 0; i < steps; i++ {
		t := 2 * math.Pi * float64(i) / float64(steps)
		scratch = append(scratch, point{b.x + half*math.Cos(t), b.y + half*math.Sin(t)})
	}
	addPolygon(sink, scratch, windingSign)
}

// normal returns the vector of length half perpendicular to a→b.
func normal(a, b point, half float64) (float64, float64) {
	dx, dy := b.x-a.x, b.y-a.y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return 0, 0
	}
	return -dy / l * half, dx / l * half
}

// dedupe drops consecutive repeated points, including a closing point equal to the first.
func dedupe(c []point) []point {
	out := c[:0:0]
	for _, p := range c {
		if len(out) == 0 || math.Abs(p.x-out[len(out)-1].x)+math.Abs(p.y-out[len(out)-1].y) > 1e-6 {
			out = append(out, p)
		}
	}
	for len(out) > 1 && math.Abs(out[0].x-out[len(out)-1].x)+math.Abs(out[0].y-out[len(out)-1].y) <= 1e-6 {
		out = out[:len(out)-1]
	}
	return out
}

// addPolygon adds a closed polygon to sink, reversed if needed so its winding has the sign of windingSign.
func addPolygon(sink pathSink, poly []point, windingSign float64) {
	area := signedArea([][]point{poly})
	if area == 0 {
		return
	}
	if (area > 0) == (windingSign > 0) {
		sink.MoveTo(float32(poly[0].x), float32(poly[0].y))
		for _, p := range poly[1:] {
			sink.LineTo(float32(p.x), float32(p.y))
		}
	} else {
		last := len(poly) - 1
		sink.MoveTo(float32(poly[last].x), float32(poly[last].y))
		for i := last - 1; i >= 0; i-- {
			sink.LineTo(float32(poly[i].x), float32(poly[i].y))
		}
	}
	sink.ClosePath()
}
