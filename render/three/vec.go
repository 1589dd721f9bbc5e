package three

import "math"

// vec3 is a point, a direction or an RGB color.
type vec3 [3]float64

func (a vec3) add(b vec3) vec3             { return vec3{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a vec3) sub(b vec3) vec3             { return vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func (a vec3) mul(b vec3) vec3             { return vec3{a[0] * b[0], a[1] * b[1], a[2] * b[2]} }
func (a vec3) scale(s float64) vec3        { return vec3{a[0] * s, a[1] * s, a[2] * s} }
func (a vec3) dot(b vec3) float64          { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a vec3) lerp(b vec3, t float64) vec3 { return a.add(b.sub(a).scale(t)) }
func (a vec3) cross(b vec3) vec3 {
	return vec3{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// unit returns a scaled to length 1, or a itself when it has no length.
func (a vec3) unit() vec3 {
	l := math.Sqrt(a.dot(a))
	if l == 0 {
		return a
	}
	return a.scale(1 / l)
}

// mat3 is a 3×3 matrix of rows.
type mat3 [3]vec3

func (m mat3) apply(v vec3) vec3 { return vec3{m[0].dot(v), m[1].dot(v), m[2].dot(v)} }

func (m mat3) mul(n mat3) mat3 {
	var out mat3
	for i := range 3 {
		for j := range 3 {
			out[i][j] = m[i][0]*n[0][j] + m[i][1]*n[1][j] + m[i][2]*n[2][j]
		}
	}
	return out
}

// eulerXYZ returns the rotation by angles (degrees) about x, then y, then z of the object's own axes, the
// order three.js calls "XYZ": the matrix Rx·Ry·Rz.
func eulerXYZ(deg vec3) mat3 {
	rad := deg.scale(math.Pi / 180)
	sx, cx := math.Sincos(rad[0])
	sy, cy := math.Sincos(rad[1])
	sz, cz := math.Sincos(rad[2])
	rx := mat3{{1, 0, 0}, {0, cx, -sx}, {0, sx, cx}}
	ry := mat3{{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}}
	rz := mat3{{cz, -sz, 0}, {sz, cz, 0}, {0, 0, 1}}
	return rx.mul(ry).mul(rz)
}
