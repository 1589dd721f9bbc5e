package compose

import (
	"encoding/binary"
	"math"
)

// fixShift is the number of fraction bits of the fixed-point sampling coordinates.
const fixShift = 32

// sampleRow fills buf with bilinear samples of the layer for destination row y, columns x0..x1-1, narrowed to
// the columns the layer reaches. It returns the narrowed range; buf[0:4] is then the pixel at the new x0.
//
// Outside the layer image the samples are transparent, which is what antialiases the layer's edges.
func (j *drawJob) sampleRow(buf []byte, y, x0, x1 int) (int, int) {
	src := j.src
	w, h := src.Rect.Dx(), src.Rect.Dy()
	m := j.inv
	// Sample coordinates of the centre of pixel x0 + t, in source pixel-index units (a pixel's centre is at
	// its index): (fx0 + m.a·t, fy0 + m.d·t).
	cx, cy := float64(x0)+0.5, float64(y)+0.5
	fx0 := m.a*cx + m.b*cy + m.c - 0.5
	fy0 := m.d*cx + m.e*cy + m.f - 0.5
	lo, hi := clipSpan(0, float64(x1-x0), fx0, m.a, -1, float64(w))
	lo, hi = clipSpan(lo, hi, fy0, m.d, -1, float64(h))
	if !(lo < hi) {
		return x0, x0
	}
	t0 := max(0, int(math.Floor(lo)))
	t1 := min(x1-x0, int(math.Ceil(hi))+1)
	if t0 >= t1 {
		return x0, x0
	}
	const one = 1 << fixShift
	fx := int64(math.Floor((fx0 + m.a*float64(t0)) * one))
	fy := int64(math.Floor((fy0 + m.d*float64(t0)) * one))
	stepX := int64(math.Round(m.a * one))
	stepY := int64(math.Round(m.d * one))

	pix, stride := src.Pix, src.Stride
	out := buf[:(t1-t0)*4]
	for i := 0; i+4 <= len(out); i += 4 {
		ix, iy := int(fx>>fixShift), int(fy>>fixShift)
		wx, wy := uint64(fx>>(fixShift-8))&0xFF, uint64(fy>>(fixShift-8))&0xFF
		fx += stepX
		fy += stepY
		var c uint32
		if uint(ix) < uint(w-1) && uint(iy) < uint(h-1) {
			off := iy*stride + ix*4
			if wx|wy == 0 {
				c = binary.LittleEndian.Uint32(pix[off:])
			} else {
				c = bilerp(
					binary.LittleEndian.Uint32(pix[off:]), binary.LittleEndian.Uint32(pix[off+4:]),
					binary.LittleEndian.Uint32(pix[off+stride:]), binary.LittleEndian.Uint32(pix[off+stride+4:]),
					wx, wy)
			}
		} else {
			c = bilerp(j.texel(ix, iy), j.texel(ix+1, iy), j.texel(ix, iy+1), j.texel(ix+1, iy+1), wx, wy)
		}
		binary.LittleEndian.PutUint32(out[i:], c)
	}
	return x0 + t0, x0 + t1
}

// texel returns the premultiplied pixel at source index (ix, iy), transparent outside the image.
func (j *drawJob) texel(ix, iy int) uint32 {
	src := j.src
	if uint(ix) >= uint(src.Rect.Dx()) || uint(iy) >= uint(src.Rect.Dy()) {
		return 0
	}
	return binary.LittleEndian.Uint32(src.Pix[iy*src.Stride+ix*4:])
}

// clipSpan narrows [lo, hi] to the t for which min < f0 + step·t < max.
func clipSpan(lo, hi, f0, step, min, max float64) (float64, float64) {
	if step == 0 {
		if f0 > min && f0 < max {
			return lo, hi
		}
		return 1, 0
	}
	a, b := (min-f0)/step, (max-f0)/step
	if a > b {
		a, b = b, a
	}
	return math.Max(lo, a), math.Min(hi, b)
}

// bilerp mixes four RGBA pixels (little-endian uint32, R in the low byte) with 8-bit weights wx, wy (0..255,
// the fraction towards p10 and p01). Red and blue, then green and alpha, travel together in the two 32-bit
// lanes of a uint64, which halves the multiplications.
func bilerp(p00, p10, p01, p11 uint32, wx, wy uint64) uint32 {
	w11 := wx * wy
	w10 := wx*256 - w11
	w01 := wy*256 - w11
	w00 := 65536 - w11 - w10 - w01
	rb := spread(p00)*w00 + spread(p10)*w10 + spread(p01)*w01 + spread(p11)*w11 + 0x0000_8000_0000_8000
	ga := spread(p00>>8)*w00 + spread(p10>>8)*w10 + spread(p01>>8)*w01 + spread(p11>>8)*w11 + 0x0000_8000_0000_8000
	return uint32(rb>>16)&0xFF | uint32(rb>>48)&0xFF<<16 | uint32(ga>>16)&0xFF<<8 | uint32(ga>>48)<<24
}

// spread moves bytes 0 and 2 of p into the low bytes of the two 32-bit lanes of a uint64.
func spread(p uint32) uint64 {
	x := uint64(p & 0x00FF00FF)
	return (x | x<<16) & 0x0000_00FF_0000_00FF
}
