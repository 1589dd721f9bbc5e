package compose

import "math"

// affine is the 2×3 matrix mapping (x, y) to (a·x + b·y + c, d·x + e·y + f).
type affine struct{ a, b, c, d, e, f float64 }

// identity leaves every point where it is.
var identity = affine{a: 1, e: 1}

func translate(x, y float64) affine { return affine{a: 1, c: x, e: 1, f: y} }

func scale(sx, sy float64) affine { return affine{a: sx, e: sy} }

// rotate turns clockwise on screen (y grows downwards) by deg degrees.
func rotate(deg float64) affine {
	s, c := math.Sincos(deg * math.Pi / 180)
	return affine{a: c, b: -s, d: s, e: c}
}

// skew shears like the canvas and CSS skew(x, y): x moves by tan(x)·y and y by tan(y)·x.
func skew(xDeg, yDeg float64) affine {
	return affine{a: 1, b: math.Tan(xDeg * math.Pi / 180), d: math.Tan(yDeg * math.Pi / 180), e: 1}
}

// then returns the transform that applies m first and n second (n·m as matrices).
func (m affine) then(n affine) affine {
	return affine{
		a: n.a*m.a + n.b*m.d, b: n.a*m.b + n.b*m.e, c: n.a*m.c + n.b*m.f + n.c,
		d: n.d*m.a + n.e*m.d, e: n.d*m.b + n.e*m.e, f: n.d*m.c + n.e*m.f + n.f,
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.b*y + m.c, m.d*x + m.e*y + m.f
}

// invert returns the inverse transform, or false when m squashes the plane onto a line or a point (or holds
// a NaN or an infinity).
func (m affine) invert() (affine, bool) {
	det := m.a*m.e - m.b*m.d
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return affine{}, false
	}
	ia, ib, id, ie := m.e/det, -m.b/det, -m.d/det, m.a/det
	inv := affine{a: ia, b: ib, c: -(ia*m.c + ib*m.f), d: id, e: ie, f: -(id*m.c + ie*m.f)}
	for _, v := range [...]float64{inv.a, inv.b, inv.c, inv.d, inv.e, inv.f} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return affine{}, false
		}
	}
	return inv, true
}

// isTranslation reports whether m only moves points, without scaling, turning or shearing them.
func (m affine) isTranslation() bool { return m.a == 1 && m.b == 0 && m.d == 0 && m.e == 1 }
