package paint

import (
	"image"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// CornerMask is the coverage of a rectangle with rounded corners filling a w × h layer, computed once and
// applied to many pictures of that size (the frames of a video with a border radius): rasterizing the
// rounded outline and copying then masking each frame cost two passes and an allocation per frame; Apply
// does one pass. The result equals Fit's for a picture already at the box size.
type CornerMask struct {
	w, h  int
	alpha *image.Alpha
}

// NewCornerMask returns the mask of a w × h box with corner radii r (top-left, top-right, bottom-right,
// bottom-left).
func NewCornerMask(w, h int, r schemas.Corners) *CornerMask {
	w, h = max(1, w), max(1, h)
	return &CornerMask{w: w, h: h, alpha: coverage(roundedRect(0, 0, float64(w), float64(h), r), w, h)}
}

// Size returns the size of the pictures the mask applies to.
func (m *CornerMask) Size() (w, h int) { return m.w, m.h }

// Apply returns a new layer holding src (which must be w × h) multiplied by the mask.
func (m *CornerMask) Apply(src *image.RGBA) raster.Layer {
	return m.apply(raster.NewLayer(m.w, m.h), src, true)
}

// ApplyTo is Apply into dst, a w × h picture whose pixels are all overwritten (memory reused from frame to
// frame instead of a new layer each time).
func (m *CornerMask) ApplyTo(dst, src *image.RGBA) raster.Layer {
	return m.apply(raster.Layer{Img: dst, BoxW: float64(m.w), BoxH: float64(m.h)}, src, false)
}

// apply writes src multiplied by the mask into layer's picture; clean says it is transparent already.
func (m *CornerMask) apply(layer raster.Layer, src *image.RGBA, clean bool) raster.Layer {
	dst := layer.Img
	parallelRows(m.h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			mask := m.alpha.Pix[y*m.alpha.Stride:][:m.w]
			in := src.Pix[y*src.Stride:][:4*m.w]
			out := dst.Pix[y*dst.Stride:][:4*m.w]
			for x := 0; x < m.w; {
				switch a := mask[x]; a {
				case 255: // a run of full coverage: copied in one go
					end := x + 1
					for end < m.w && mask[end] == 255 {
						end++
					}
					copy(out[4*x:4*end], in[4*x:4*end])
					x = end
				case 0: // transparent (a new layer already is)
					if !clean {
						out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = 0, 0, 0, 0
					}
					x++
				default:
					for i := 4 * x; i < 4*x+4; i++ {
						out[i] = uint8((uint32(in[i])*uint32(a) + 127) / 255)
					}
					x++
				}
			}
		}
	})
	return layer
}
