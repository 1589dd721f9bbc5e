package three

import (
	"image"
	"math"
	"sync"
)

// supersample is the number of samples per pixel along each axis; Draw averages them for antialiasing.
const supersample = 2

// screenVertex is a projected vertex: sample coordinates, 1/depth and its lit color.
type screenVertex struct {
	x, y, invZ float64
	color      vec3
}

// target is the supersampled frame being drawn: a color and a depth per sample.
type target struct {
	w, h  int
	rgb   []uint8         // 3 bytes per sample, meaningful where depth is not 0
	depth []float32       // 1/depth per sample; 0 means nothing drawn yet (infinitely far)
	dirty image.Rectangle // the samples drawn so far lie inside
}

// targets recycles the frames of Draw: a 1080p one holds 66 MB, too much to allocate and clear per frame.
var targets sync.Pool

// getTarget returns an empty w×h frame, recycled when one of that size is free.
func getTarget(w, h int) *target {
	if t, ok := targets.Get().(*target); ok && t.w == w && t.h == h {
		return t
	}
	return &target{w: w, h: h, rgb: make([]uint8, 3*w*h), depth: make([]float32, w*h)}
}

// release empties t, clearing only what was drawn and not yet resolved, and hands it back for reuse.
func (t *target) release() {
	for y := t.dirty.Min.Y; y < t.dirty.Max.Y; y++ {
		clear(t.depth[y*t.w+t.dirty.Min.X : y*t.w+t.dirty.Max.X])
	}
	t.dirty = image.Rectangle{}
	targets.Put(t)
}

// touch records that samples x0..x1 × y0..y1 (inclusive) may be drawn.
func (t *target) touch(x0, y0, x1, y1 int) {
	t.dirty = t.dirty.Union(image.Rect(x0, y0, x1+1, y1+1))
}

// plot writes color c at sample i when invZ is nearer than what is there.
func (t *target) plot(i int, invZ float64, c vec3) {
	if float32(invZ) < t.depth[i] {
		return
	}
	t.depth[i] = float32(invZ)
	p := t.rgb[3*i : 3*i+3 : 3*i+3]
	p[0], p[1], p[2] = channel(c[0]), channel(c[1]), channel(c[2])
}

// channel converts a color component in [0, 1] to a byte.
func channel(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 1:
		return 255
	}
	return uint8(v*255 + 0.5)
}

// edge is twice the signed area of the triangle a, b, (x, y).
func edge(a, b screenVertex, x, y float64) float64 { return (b.x-a.x)*(y-a.y) - (b.y-a.y)*(x-a.x) }

// fill rasterizes the triangle a, b, c at sample centers, interpolating 1/depth linearly and the color
// perspective-correctly, so that large faces close to the camera shade right.
func (t *target) fill(a, b, c screenVertex) {
	area := edge(a, b, c.x, c.y)
	if math.Abs(area) < 1e-12 {
		return
	}
	if area < 0 {
		b, c, area = c, b, -area
	}
	x0, x1 := max(0, int(math.Floor(min(a.x, b.x, c.x)))), min(t.w-1, int(math.Ceil(max(a.x, b.x, c.x))))
	y0, y1 := max(0, int(math.Floor(min(a.y, b.y, c.y)))), min(t.h-1, int(math.Ceil(max(a.y, b.y, c.y))))
	if x0 > x1 || y0 > y1 {
		return
	}
	t.touch(x0, y0, x1, y1)
	// Colors divided by depth interpolate linearly in screen space.
	ca, cb, cc := a.color.scale(a.invZ), b.color.scale(b.invZ), c.color.scale(c.invZ)
	inv := 1 / area
	for y := y0; y <= y1; y++ {
		py, px := float64(y)+0.5, float64(x0)+0.5
		// Barycentric weights at the row's first sample, and their steps per sample.
		wa, wb, wc := edge(b, c, px, py)*inv, edge(c, a, px, py)*inv, edge(a, b, px, py)*inv
		da, db, dc := (b.y-c.y)*inv, (c.y-a.y)*inv, (a.y-b.y)*inv
		// Skip straight to the samples inside all three edges; the test below still guards rounding.
		lo, hi := float64(x0), float64(x1)
		for _, e := range [3][2]float64{{wa, da}, {wb, db}, {wc, dc}} {
			switch {
			case e[1] > 0:
				lo = max(lo, float64(x0)+math.Ceil(-e[0]/e[1])-1)
			case e[1] < 0:
				hi = min(hi, float64(x0)+math.Floor(e[0]/-e[1])+1)
			case e[0] < 0:
				hi = lo - 1
			}
		}
		if lo > hi {
			continue
		}
		skip := lo - float64(x0)
		wa, wb, wc = wa+da*skip, wb+db*skip, wc+dc*skip
		row := y * t.w
		for x := int(lo); x <= int(hi); x, wa, wb, wc = x+1, wa+da, wb+db, wc+dc {
			if wa < 0 || wb < 0 || wc < 0 {
				continue
			}
			i := row + x
			invZ := wa*a.invZ + wb*b.invZ + wc*c.invZ
			if float32(invZ) < t.depth[i] {
				continue
			}
			t.depth[i] = float32(invZ)
			z := 1 / invZ
			p := t.rgb[3*i : 3*i+3 : 3*i+3]
			p[0] = channel((wa*ca[0] + wb*cb[0] + wc*cc[0]) * z)
			p[1] = channel((wa*ca[1] + wb*cb[1] + wc*cc[1]) * z)
			p[2] = channel((wa*ca[2] + wb*cb[2] + wc*cc[2]) * z)
		}
	}
}

// line draws the segment a–b about one output pixel wide (supersample samples), depth-tested.
func (t *target) line(a, b screenVertex) {
	steps := int(math.Ceil(max(math.Abs(b.x-a.x), math.Abs(b.y-a.y))))
	x0, y0 := max(0, int(min(a.x, b.x))), max(0, int(min(a.y, b.y)))
	x1, y1 := min(t.w-1, int(max(a.x, b.x))+supersample), min(t.h-1, int(max(a.y, b.y))+supersample)
	if x0 > x1 || y0 > y1 {
		return
	}
	t.touch(x0, y0, x1, y1)
	for i := 0; i <= steps; i++ {
		f := 0.0
		if steps > 0 {
			f = float64(i) / float64(steps)
		}
		x, y := int(a.x+(b.x-a.x)*f), int(a.y+(b.y-a.y)*f)
		invZ, col := a.invZ+(b.invZ-a.invZ)*f, a.color.lerp(b.color, f)
		for dy := range supersample {
			for dx := range supersample {
				if sx, sy := x+dx, y+dy; sx >= 0 && sy >= 0 && sx < t.w && sy < t.h {
					t.plot(sy*t.w+sx, invZ, col)
				}
			}
		}
	}
}

// resolve averages each supersample×supersample block into one premultiplied RGBA pixel of img, a
// transparent image at the origin: drawn samples count as opaque, empty ones as transparent, so edges fade
// smoothly. Only the pixels over drawn samples are written, and the frame is left empty.
func (t *target) resolve(img *image.RGBA) {
	const n = supersample * supersample
	for y := t.dirty.Min.Y / supersample; y < (t.dirty.Max.Y+supersample-1)/supersample; y++ {
		out := img.Pix[y*img.Stride:]
		for x := t.dirty.Min.X / supersample; x < (t.dirty.Max.X+supersample-1)/supersample; x++ {
			var sum [4]int
			for sy := y * supersample; sy < (y+1)*supersample; sy++ {
				for sx := x * supersample; sx < (x+1)*supersample; sx++ {
					i := sy*t.w + sx
					if t.depth[i] == 0 {
						continue
					}
					t.depth[i] = 0 // empty the frame for its next use while the sample is at hand
					sum[0] += int(t.rgb[3*i])
					sum[1] += int(t.rgb[3*i+1])
					sum[2] += int(t.rgb[3*i+2])
					sum[3] += 255
				}
			}
			for c := range 4 {
				out[4*x+c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	t.dirty = image.Rectangle{}
}
