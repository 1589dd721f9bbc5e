package three

import (
	"fmt"
	"math"

	"github.com/framecast/framecast/schemas"
)

// Tessellation detail of the round primitives.
const (
	roundSegments = 32 // around the axis of spheres, cylinders, cones and tori
	roundRings    = 16 // from pole to pole of a sphere, around the tube of a torus
)

// vertex is a mesh corner with the surface normal there.
type vertex struct{ pos, normal vec3 }

// mesh is a triangle mesh of a unit primitive, centered on the origin and fitting a 1×1×1 cube, wound
// either way (the renderer orients faces by their normals). A mesh that is not closed is lit and drawn
// from both sides.
type mesh struct {
	verts  []vertex
	tris   [][3]int32
	closed bool
}

// quad adds the two triangles of the quadrilateral a, b, c, d.
func (m *mesh) quad(a, b, c, d int) {
	m.tris = append(m.tris, [3]int32{int32(a), int32(b), int32(c)}, [3]int32{int32(a), int32(c), int32(d)})
}

// grid adds a (cols+1)×(rows+1) sheet of vertices made by at(u, v) with u, v in [0, 1] and its triangles.
func (m *mesh) grid(cols, rows int, at func(u, v float64) vertex) {
	base := len(m.verts)
	for j := 0; j <= rows; j++ {
		for i := 0; i <= cols; i++ {
			m.verts = append(m.verts, at(float64(i)/float64(cols), float64(j)/float64(rows)))
		}
	}
	for j := range rows {
		for i := range cols {
			a := base + j*(cols+1) + i
			m.quad(a, a+1, a+cols+2, a+cols+1)
		}
	}
}

// tessellate returns the mesh of the primitive called kind.
func tessellate(kind schemas.ThreeShape) (*mesh, error) {
	switch kind {
	case schemas.ShapeBox:
		return box(), nil
	case schemas.ShapeSphere:
		return sphere(), nil
	case schemas.ShapeCylinder:
		return cylinder(0.5), nil
	case schemas.ShapeCone:
		return cylinder(0), nil
	case schemas.ShapeTorus:
		return torus(), nil
	case schemas.ShapePlane:
		return plane(), nil
	}
	return nil, fmt.Errorf("unknown object type %q: use box, sphere, cylinder, cone, torus, plane or model", kind)
}

// box is the unit cube: 6 faces of 4 vertices each, with flat normals.
func box() *mesh {
	m := &mesh{closed: true}
	for axis := range 3 {
		for _, side := range []float64{-1, 1} {
			var n, u, v vec3
			n[axis], u[(axis+1)%3], v[(axis+2)%3] = side, 1, 1
			c := n.scale(0.5)
			base := len(m.verts)
			for _, corner := range [4][2]float64{{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}} {
				m.verts = append(m.verts, vertex{c.add(u.scale(corner[0])).add(v.scale(corner[1])), n})
			}
			m.quad(base, base+1, base+2, base+3)
		}
	}
	return m
}

// sphere is the unit-diameter sphere with smooth normals.
func sphere() *mesh {
	m := &mesh{closed: true}
	m.grid(roundSegments, roundRings, func(u, v float64) vertex {
		s, c := math.Sincos(2 * math.Pi * u)
		sv, cv := math.Sincos(math.Pi * v)
		n := vec3{sv * c, cv, sv * s}
		return vertex{n.scale(0.5), n}
	})
	return m
}

// cylinder is a unit-high frustum along y with bottom radius 0.5 and the given top radius (0 makes a cone),
// smooth around its side and capped by flat disks.
func cylinder(topRadius float64) *mesh {
	const bottomRadius = 0.5
	m := &mesh{closed: true}
	m.grid(roundSegments, 1, func(u, v float64) vertex {
		s, c := math.Sincos(2 * math.Pi * u)
		r := bottomRadius + (topRadius-bottomRadius)*v
		return vertex{vec3{r * c, v - 0.5, r * s}, vec3{c, bottomRadius - topRadius, s}.unit()}
	})
	for _, cap := range []struct{ y, r float64 }{{-0.5, bottomRadius}, {0.5, topRadius}} {
		if cap.r == 0 {
			continue
		}
		n := vec3{0, cap.y * 2, 0}
		center := len(m.verts)
		m.verts = append(m.verts, vertex{vec3{0, cap.y, 0}, n})
		for i := 0; i <= roundSegments; i++ {
			s, c := math.Sincos(2 * math.Pi * float64(i) / roundSegments)
			m.verts = append(m.verts, vertex{vec3{cap.r * c, cap.y, cap.r * s}, n})
			if i > 0 {
				m.tris = append(m.tris, [3]int32{int32(center), int32(center + i), int32(center + i + 1)})
			}
		}
	}
	return m
}

// torus is a ring in the xy plane (like three.js's), 1 wide and 0.3 thick, with smooth normals.
func torus() *mesh {
	const ringRadius, tubeRadius = 0.35, 0.15
	m := &mesh{closed: true}
	m.grid(roundSegments, roundRings, func(u, v float64) vertex {
		su, cu := math.Sincos(2 * math.Pi * u)
		sv, cv := math.Sincos(2 * math.Pi * v)
		n := vec3{cv * cu, cv * su, sv}
		center := vec3{ringRadius * cu, ringRadius * su, 0}
		return vertex{center.add(n.scale(tubeRadius)), n}
	})
	return m
}

// plane is the unit square in the xy plane facing +z, seen from both sides.
func plane() *mesh {
	m := &mesh{}
	m.grid(1, 1, func(u, v float64) vertex { return vertex{vec3{u - 0.5, v - 0.5, 0}, vec3{0, 0, 1}} })
	return m
}
