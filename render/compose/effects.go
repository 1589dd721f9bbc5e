package compose

import (
	"encoding/binary"
	"math"

	"github.com/framecast/framecast/schemas"
)

// applyEffects modifies a row of source pixels whose first pixel lands on destination (x0, y): the light
// sweep, then opacity and mask together.
func (j *drawJob) applyEffects(row []byte, x0, y int) {
	if j.sweep != nil {
		j.applySweep(row, x0, y)
	}
	switch {
	case j.mask != nil:
		j.applyMask(row, x0, y)
	case j.alpha < 256:
		pixels, shared := pixelWords(row)
		k := uint32(j.alpha)
		for i, p := range pixels {
			pixels[i] = scalePixel(p, k)
		}
		if !shared {
			storePixelWords(row, pixels)
		}
	}
}

// boxPoint returns the box coordinates of the centre of destination pixel (x, y), and their change per pixel
// to the right.
func (j *drawJob) boxPoint(x, y int) (bx, by, stepX, stepY float64) {
	u, v := j.inv.apply(float64(x)+0.5, float64(y)+0.5)
	return u - j.boxX, v - j.boxY, j.inv.a, j.inv.d
}

// applyMask multiplies each pixel by the opacity and the mask's coverage at its centre.
func (j *drawJob) applyMask(row []byte, x0, y int) {
	m := j.mask
	feather := m.Feather
	if !(feather > 0) {
		feather = 1
	}
	bx, by, sx, sy := j.boxPoint(x0, y)
	// pos(bx, by) is how far into the reveal a point lies; the reveal has reached `edge`.
	var extent float64
	var pos func(bx, by float64) float64
	switch {
	case m.Kind == MaskIris:
		cx, cy := j.boxW/2, j.boxH/2
		extent = math.Hypot(cx, cy)
		pos = func(bx, by float64) float64 { return math.Hypot(bx-cx, by-cy) }
	case m.Direction == schemas.DirectionLeft:
		extent = j.boxW
		pos = func(bx, _ float64) float64 { return j.boxW - bx }
	case m.Direction == schemas.DirectionDown:
		extent = j.boxH
		pos = func(_, by float64) float64 { return by }
	case m.Direction == schemas.DirectionUp:
		extent = j.boxH
		pos = func(_, by float64) float64 { return j.boxH - by }
	default: // "right"
		extent = j.boxW
		pos = func(bx, _ float64) float64 { return bx }
	}
	edge := m.Progress*(extent+feather) - feather/2
	alpha := float64(j.alpha)
	for i := 0; i+4 <= len(row); i += 4 {
		cover := (edge-pos(bx, by))/feather + 0.5
		bx += sx
		by += sy
		p := binary.LittleEndian.Uint32(row[i:])
		switch {
		case p == 0 || cover >= 1 && j.alpha == 256:
		case cover <= 0:
			binary.LittleEndian.PutUint32(row[i:], 0)
		default:
			k := uint32(alpha*math.Min(cover, 1) + 0.5)
			binary.LittleEndian.PutUint32(row[i:], scalePixel(p, k))
		}
	}
}

// sweepHalfWidth is the half width of the light band, as a fraction of the box diagonal's travel.
const sweepHalfWidth = 0.2

// applySweep adds the white band of the light sweep where the layer has alpha.
func (j *drawJob) applySweep(row []byte, x0, y int) {
	span := j.boxW + j.boxH
	if !(span > 0) {
		return
	}
	s := j.sweep
	centre := -sweepHalfWidth + s.Progress*(1+2*sweepHalfWidth)
	intensity := math.Min(s.Intensity, 1)
	bx, by, sx, sy := j.boxPoint(x0, y)
	for i := 0; i+4 <= len(row); i, bx, by = i+4, bx+sx, by+sy {
		a := uint32(row[i+3])
		if a == 0 {
			continue
		}
		d := 1 - math.Abs((bx+by)/span-centre)/sweepHalfWidth
		if d <= 0 {
			continue
		}
		k := uint32(intensity*d*d*(3-2*d)*256 + 0.5) // smoothstep profile
		add := (a*k + 128) >> 8
		for c := i; c < i+3; c++ {
			row[c] = byte(min(a, uint32(row[c])+add))
		}
	}
}

// scalePixel multiplies the four channels of a premultiplied pixel by k/256 (k in 0..256), rounding.
func scalePixel(p, k uint32) uint32 {
	rb := ((p&0x00FF00FF)*k + 0x00800080) >> 8 & 0x00FF00FF
	ga := (((p>>8)&0x00FF00FF)*k + 0x00800080) & 0xFF00FF00
	return rb | ga
}
