// Package three draws the "three" clip type: a small 3D scene of primitive shapes, lit and seen through a
// perspective camera, rendered in pure Go.
//
// The renderer is a classic software rasterizer. Each primitive is tessellated into triangles, posed (scale,
// rotation about x then y then z in degrees, then position), lit per vertex with the Lambert model (ambient,
// directional and point lights; metalness and roughness are ignored), clipped against the near plane,
// projected, and filled with a z-buffer at 2×2 samples per pixel, which are averaged for antialiasing.
//
// The coordinate system is three.js's: right-handed, y up, the default camera at (0, 0, 5) looking at the
// origin. Every primitive fits a 1×1×1 cube centered on its position before its size (per axis) and scale
// apply: the box is that cube, the sphere has diameter 1, the cylinder and the cone stand 1 high along y with
// radius 0.5, the torus lies in the xy plane 1 wide and 0.3 thick, and the plane is a unit square in the xy
// plane facing +z.
package three

import (
	"fmt"
	"math"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// Scene defaults.
const (
	defaultFOV   = 50.0 // vertical field of view, degrees
	defaultColor = "#cccccc"
	nearPlane    = 0.05 // distance in front of the camera below which geometry is clipped
)

// Draw renders clip c at clip-local time t (seconds) into a transparent w×h layer whose box is the whole
// layer. Objects Draw cannot render (glTF models) are skipped and reported in the warnings; invalid values
// (an unknown type, property or easing, a bad color, a non-positive size) are errors.
func Draw(c *schemas.ThreeClip, w, h int, t float64) (raster.Layer, []string, error) {
	if c == nil {
		return raster.Layer{}, nil, fmt.Errorf("three: no clip")
	}
	if w < 1 || h < 1 {
		return raster.Layer{}, nil, fmt.Errorf("three: layer size %d×%d must be at least 1×1", w, h)
	}
	cam, err := newCamera(c.Camera, w*supersample, h*supersample)
	if err != nil {
		return raster.Layer{}, nil, fmt.Errorf("three: camera: %w", err)
	}
	lights, err := sceneLights(c.Lights)
	if err != nil {
		return raster.Layer{}, nil, fmt.Errorf("three: %w", err)
	}
	frame := getTarget(w*supersample, h*supersample)
	defer frame.release()
	var warnings []string
	for i, obj := range c.Objects {
		if obj.Type == schemas.ShapeModel {
			warnings = append(warnings, fmt.Sprintf("three: object %d: glTF models are not supported; skipped", i))
			continue
		}
		if err := drawObject(frame, cam, lights, &obj, t, c.Duration); err != nil {
			return raster.Layer{}, warnings, fmt.Errorf("three: object %d (%s): %w", i, obj.Type, err)
		}
	}
	layer := raster.NewLayer(w, h)
	frame.resolve(layer.Img)
	return layer, warnings, nil
}

// camera maps world points to view space (camera at the origin looking down -z) and on to samples.
type camera struct {
	eye    vec3
	view   mat3    // rows: right, up, backward
	focal  float64 // sample distance of the image plane, so that the FOV spans the height
	cx, cy float64 // image center in samples
}

func newCamera(c *schemas.ThreeCamera, w, h int) (*camera, error) {
	eye, target, fov := vec3{0, 0, 5}, vec3{}, defaultFOV
	if c != nil {
		eye, target, fov = orDefault(c.Position, eye), orDefault(c.LookAt, target), valueOr(c.FOV, fov)
	}
	if !(fov > 0 && fov < 180) {
		return nil, fmt.Errorf("fov %g must be between 0 and 180 degrees", fov)
	}
	forward := target.sub(eye).unit()
	if forward.dot(forward) == 0 {
		return nil, fmt.Errorf("position and lookAt are the same point %v", eye)
	}
	up := vec3{0, 1, 0}
	if math.Abs(forward[1]) > 0.9999 { // looking straight up or down: any horizontal "up" will do
		up = vec3{0, 0, -1}
	}
	right := forward.cross(up).unit()
	return &camera{
		eye:   eye,
		view:  mat3{right, right.cross(forward), forward.scale(-1)},
		focal: float64(h) / 2 / math.Tan(fov*math.Pi/360),
		cx:    float64(w) / 2, cy: float64(h) / 2,
	}, nil
}

// project maps a view-space point in front of the camera (z < 0) and its color to the screen.
func (c *camera) project(p, color vec3) screenVertex {
	invZ := 1 / -p[2]
	return screenVertex{x: c.cx + p[0]*c.focal*invZ, y: c.cy - p[1]*c.focal*invZ, invZ: invZ, color: color}
}

// light is a scene light with its color already scaled by its intensity.
type light struct {
	kind     schemas.ThreeLightType
	color    vec3
	position vec3 // a point light's position; for a directional light, the unit direction it comes from
}

// sceneLights converts the clip's lights, or returns the default rig (ambient 0.4 and a directional light
// of 0.8 from (1, 1, 1)) when there are none. Lights default to white at intensity 1; a directional light
// comes from (0, 1, 0) and a point light sits at the origin unless placed; light does not fade with distance.
func sceneLights(in []schemas.ThreeLight) ([]light, error) {
	if len(in) == 0 {
		return []light{
			{kind: schemas.LightAmbient, color: vec3{0.4, 0.4, 0.4}},
			{kind: schemas.LightDirectional, color: vec3{0.8, 0.8, 0.8}, position: vec3{1, 1, 1}.unit()},
		}, nil
	}
	out := make([]light, len(in))
	for i, l := range in {
		rgb, err := parseColor(l.Color, "#ffffff")
		if err != nil {
			return nil, fmt.Errorf("light %d: %w", i, err)
		}
		out[i] = light{kind: l.Type, color: rgb.scale(valueOr(l.Intensity, 1))}
		switch l.Type {
		case schemas.LightAmbient:
		case schemas.LightDirectional:
			out[i].position = orDefault(l.Position, vec3{0, 1, 0}).unit()
		case schemas.LightPoint:
			out[i].position = orDefault(l.Position, vec3{})
		default:
			return nil, fmt.Errorf("light %d: unknown type %q: use ambient, directional or point", i, l.Type)
		}
	}
	return out, nil
}

// shade returns the Lambert light arriving at point p of a surface with unit normal n.
func shade(lights []light, p, n vec3) vec3 {
	var sum vec3
	for _, l := range lights {
		switch l.kind {
		case schemas.LightAmbient:
			sum = sum.add(l.color)
		case schemas.LightDirectional:
			sum = sum.add(l.color.scale(max(0, n.dot(l.position))))
		case schemas.LightPoint:
			sum = sum.add(l.color.scale(max(0, n.dot(l.position.sub(p).unit()))))
		}
	}
	return sum
}

// pose is where an object is at one moment.
type pose struct {
	position, rotation vec3
	scale              float64
}

// objectPose returns o's pose at clip time t, its animations applied in order over its static values.
// An animation's progress runs from 0 to 1 over its duration, or over clipDuration when it has none.
func objectPose(o *schemas.ThreeObject, t, clipDuration float64) (pose, error) {
	p := pose{position: orDefault(o.Position, vec3{}), rotation: orDefault(o.Rotation, vec3{}), scale: valueOr(o.Scale, 1)}
	if p.scale < 0 {
		return p, fmt.Errorf("scale %g must not be negative", p.scale)
	}
	for i, a := range o.Animations {
		ease, err := motion.EaseFunc(a.Easing)
		if err != nil {
			return p, fmt.Errorf("animation %d: %w", i, err)
		}
		duration := a.Duration
		if duration <= 0 {
			duration = clipDuration
		}
		progress := 1.0
		if duration > 0 {
			progress = max(0, min(1, t/duration))
		}
		value := a.From + (a.To-a.From)*ease(progress)
		var axis int
		var target *vec3
		switch a.Property {
		case schemas.ThreePositionX, schemas.ThreePositionY, schemas.ThreePositionZ:
			target, axis = &p.position, int(a.Property[len("position.")]-'x')
		case schemas.ThreeRotationX, schemas.ThreeRotationY, schemas.ThreeRotationZ:
			target, axis = &p.rotation, int(a.Property[len("rotation.")]-'x')
		default:
			return p, fmt.Errorf("animation %d: unknown property %q: use rotation.x|y|z or position.x|y|z", i, a.Property)
		}
		target[axis] = value
	}
	return p, nil
}

// drawObject tessellates, poses, lights and rasterizes one primitive into frame.
func drawObject(frame *target, cam *camera, lights []light, o *schemas.ThreeObject, t, clipDuration float64) error {
	m, err := tessellate(o.Type)
	if err != nil {
		return err
	}
	p, err := objectPose(o, t, clipDuration)
	if err != nil {
		return err
	}
	size := orDefault(o.Size, vec3{1, 1, 1})
	if !(size[0] > 0 && size[1] > 0 && size[2] > 0) {
		return fmt.Errorf("size %v must be positive on every axis", size)
	}
	var colorValue *schemas.Color
	wireframe := false
	if o.Material != nil {
		colorValue, wireframe = o.Material.Color, o.Material.Wireframe
	}
	base, err := parseColor(colorValue, defaultColor)
	if err != nil {
		return fmt.Errorf("material: %w", err)
	}

	// Pose, light and move every vertex to view space. Normals scale inversely so they stay perpendicular.
	rot, stretch := eulerXYZ(p.rotation), size.scale(p.scale)
	world := make([]vec3, len(m.verts))
	normals := make([]vec3, len(m.verts))
	for i, v := range m.verts {
		world[i] = rot.apply(v.pos.mul(stretch)).add(p.position)
		normals[i] = rot.apply(vec3{v.normal[0] / stretch[0], v.normal[1] / stretch[1], v.normal[2] / stretch[2]}).unit()
	}
	view := make([]viewVertex, len(m.verts))
	for i := range m.verts {
		n := normals[i]
		if !m.closed && n.dot(cam.eye.sub(world[i])) < 0 {
			n = n.scale(-1) // light the side the camera sees
		}
		view[i] = viewVertex{cam.view.apply(world[i].sub(cam.eye)), base.mul(shade(lights, world[i], n))}
	}

	for _, tri := range m.tris {
		a, b, c := tri[0], tri[1], tri[2]
		if m.closed && backFacing(cam.eye, world[a], world[b], world[c], normals[a].add(normals[b]).add(normals[c])) {
			continue
		}
		poly := clipNear([3]viewVertex{view[a], view[b], view[c]})
		if wireframe {
			for i := range poly {
				frame.line(cam.project(poly[i].pos, poly[i].color), cam.project(poly[(i+1)%len(poly)].pos, poly[(i+1)%len(poly)].color))
			}
			continue
		}
		for i := 2; i < len(poly); i++ {
			frame.fill(cam.project(poly[0].pos, poly[0].color), cam.project(poly[i-1].pos, poly[i-1].color), cam.project(poly[i].pos, poly[i].color))
		}
	}
	return nil
}

// backFacing reports whether the triangle a, b, c of a closed surface faces away from the eye. Its outward
// side is the one its vertex normals (summed in outward) point to, so the mesh's winding does not matter.
func backFacing(eye, a, b, c, outward vec3) bool {
	n := b.sub(a).cross(c.sub(a))
	if n.dot(outward) < 0 {
		n = n.scale(-1)
	}
	return n.dot(eye.sub(a)) <= 0
}

// viewVertex is a vertex in view space with its lit color.
type viewVertex struct{ pos, color vec3 }

// clipNear cuts the triangle to the part in front of the near plane: 0, 3 or 4 vertices.
func clipNear(tri [3]viewVertex) []viewVertex {
	out := make([]viewVertex, 0, 4)
	for i := range tri {
		cur, next := tri[i], tri[(i+1)%3]
		curIn, nextIn := cur.pos[2] <= -nearPlane, next.pos[2] <= -nearPlane
		if curIn {
			out = append(out, cur)
		}
		if curIn != nextIn {
			f := (-nearPlane - cur.pos[2]) / (next.pos[2] - cur.pos[2])
			out = append(out, viewVertex{cur.pos.lerp(next.pos, f), cur.color.lerp(next.color, f)})
		}
	}
	return out
}

// parseColor parses c, or fallback when c is absent, into RGB components in [0, 1].
func parseColor(c *schemas.Color, fallback string) (vec3, error) {
	s := fallback
	if c != nil {
		s = string(*c)
	}
	rgba, err := schemas.ParseColor(s)
	if err != nil {
		return vec3{}, err
	}
	return vec3{float64(rgba.R) / 255, float64(rgba.G) / 255, float64(rgba.B) / 255}, nil
}

func orDefault(v *[3]float64, fallback vec3) vec3 {
	if v == nil {
		return fallback
	}
	return *v
}

func valueOr(v *float64, fallback float64) float64 {
	if v == nil {
		return fallback
	}
	return *v
}
