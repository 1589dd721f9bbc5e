package compose

import (
	"image"
	"math"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// Placement says where and how a layer lands on the canvas.
//
// The layer's anchor point, (AnchorX, AnchorY) as fractions of its box, goes to (X, Y) on the canvas; scale,
// skew and rotation act around that point, in that order (scale first, rotation last). Zero scale or zero
// opacity draws nothing, so start from [PlaceAt] rather than from the zero value.
type Placement struct {
	X, Y             float64 // canvas pixels where the anchor point goes
	AnchorX, AnchorY float64 // 0..1 inside the layer's box (the layer image may extend past the box)
	ScaleX, ScaleY   float64
	Rotation         float64 // degrees clockwise, around the anchor
	SkewX, SkewY     float64 // degrees, around the anchor
	Opacity          float64 // 0..1

	// Blend is the canvas composite operation; "" means source-over. Every name in
	// schemas.CompositeOperations is implemented; an unknown name falls back to source-over.
	Blend schemas.CompositeOperation

	Mask  *Mask            // optional reveal mask, for transitions
	Sweep *Sweep           // optional light sweep, for the lightSweep transition
	Clip  *image.Rectangle // optional canvas-space clip rectangle (a layout's clip)
}

// PlaceAt returns a placement that puts the layer's box top-left corner at (x, y), unscaled and fully opaque.
func PlaceAt(x, y float64) Placement {
	return Placement{X: x, Y: y, ScaleX: 1, ScaleY: 1, Opacity: 1}
}

// MaskKind selects the shape of a [Mask].
type MaskKind int

const (
	// MaskWipe reveals a half-plane whose edge sweeps across the box in the mask's Direction.
	MaskWipe MaskKind = iota
	// MaskIris reveals a circle centred on the box that grows until it covers the box's corners.
	MaskIris
)

// Mask hides part of a layer, for the wipe and iris transitions. It lives in the layer's box coordinates
// (0..BoxW, 0..BoxH), so it moves, turns and scales with the layer. Its edge is antialiased over Feather
// pixels. Progress 0 hides the whole box and progress 1 shows all of it: the edge lies at
// Progress × (extent + Feather) − Feather/2, where the extent is the box width or height for a wipe and the
// half diagonal for an iris, so the soft edge is entirely outside the box at both ends.
type Mask struct {
	Kind     MaskKind
	Progress float64 // 0..1
	// Direction is where a wipe's edge travels: "right" (the default) reveals from the left edge towards the
	// right, "left" from the right edge towards the left, "down" from the top and "up" from the bottom.
	Direction schemas.Direction
	Feather   float64 // width of the soft edge in box pixels; 0 means 1
}

// Sweep is the lightSweep transition: a soft diagonal white band crossing the layer's box from its top-left
// corner (Progress 0, band just outside) to its bottom-right corner (Progress 1, band just outside again).
// The light is added only where the layer has alpha, in proportion to it.
type Sweep struct {
	Progress  float64 // 0..1
	Intensity float64 // 0..1: how white the centre of the band gets
}

// ParallelThreshold is the destination area, in pixels, above which a [Drawer] with more than one worker
// splits a draw into row bands.
const ParallelThreshold = 200_000

// Drawer draws layers onto canvases. The zero value is ready to use and splits large draws over
// runtime.GOMAXPROCS goroutines.
type Drawer struct {
	// Workers is the number of goroutines a large draw is split over. 0 means runtime.GOMAXPROCS(0); 1 draws
	// on the calling goroutine only, the right choice when frames are already rendered in parallel.
	Workers int
}

// Draw places layer l on dst as p describes, using the zero [Drawer].
//
// l.Img must hold valid premultiplied RGBA (no colour channel above alpha). Degenerate input (an empty
// layer, a NaN coordinate, a zero scale, an image.RGBA whose Pix is too short for its Rect) draws nothing.
func Draw(dst *image.RGBA, l raster.Layer, p Placement) { Drawer{}.Draw(dst, l, p) }

// Draw places layer l on dst as p describes; see the package function [Draw]. It returns the pixels of dst
// it may have changed (empty when it drew nothing): every pixel outside stays as it was, whatever the blend.
func (d Drawer) Draw(dst *image.RGBA, l raster.Layer, p Placement) image.Rectangle {
	job, ok := newDrawJob(dst, l, p)
	if !ok {
		return image.Rectangle{}
	}
	forBands(job.bounds, d.Workers, job.drawRows)
	return job.bounds
}

// Covers returns the destination pixels that Draw(dst, l, p) replaces whatever lies under them, or an empty
// rectangle: an opaque layer (l.Opaque) placed at a whole-pixel offset, at full opacity, painted on top
// (source-over) without mask or sweep is copied there, so what was drawn there before does not matter.
func (d Drawer) Covers(dst *image.RGBA, l raster.Layer, p Placement) image.Rectangle {
	if !l.Opaque {
		return image.Rectangle{}
	}
	job, ok := newDrawJob(dst, l, p)
	if !ok || !job.copies {
		return image.Rectangle{}
	}
	return job.bounds
}

// drawJob holds everything a row of a draw needs, computed once per call.
type drawJob struct {
	dst *image.RGBA
	src *image.RGBA
	// srcWords holds the pixels of src as uint32 (see pixelWords); only the resampling path reads it.
	srcWords []uint32
	bounds   image.Rectangle // destination pixels that may change (already clipped)
	inv      affine          // destination point → layer image point (continuous coordinates)

	shifted    bool // pure translation by a whole pixel offset
	dx, dy     int  // that offset, destination minus layer image pixel index
	untouched  bool // shifted and nothing modifies the source pixels: blend straight from the layer
	copies     bool // untouched, an opaque layer and source-over: its rows are copied, not blended
	alpha      int  // opacity in 0..256
	boxX, boxY float64
	boxW, boxH float64
	mask       *Mask
	sweep      *Sweep
	blend      rowBlender
}

// roundTolerance is how close to a whole pixel a translation must be to be drawn without resampling.
const roundTolerance = 1.0 / 64

func newDrawJob(dst *image.RGBA, l raster.Layer, p Placement) (*drawJob, bool) {
	if dst == nil || l.Empty() || dst.Rect.Empty() || !(p.Opacity > 0) || !wellFormed(dst) || !wellFormed(l.Img) {
		return nil, false
	}
	if p.Mask != nil && !(p.Mask.Progress > 0) { // not started yet (or NaN)
		return nil, false
	}
	ax := l.BoxX + p.AnchorX*l.BoxW
	ay := l.BoxY + p.AnchorY*l.BoxH
	// Layer image coordinates start at the image's top-left corner whatever its Rect.Min.
	fwd := translate(-ax, -ay).
		then(scale(p.ScaleX, p.ScaleY)).
		then(skew(p.SkewX, p.SkewY)).
		then(rotate(p.Rotation)).
		then(translate(p.X, p.Y))
	inv, ok := fwd.invert()
	if !ok {
		return nil, false
	}
	src := l.Img
	w, h := float64(src.Rect.Dx()), float64(src.Rect.Dy())

	// Bounding box of the transformed image, one pixel wider for the bilinear footprint.
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, c := range [4][2]float64{{0, 0}, {w, 0}, {0, h}, {w, h}} {
		x, y := fwd.apply(c[0], c[1])
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	limit := dst.Rect
	if p.Clip != nil {
		limit = limit.Intersect(*p.Clip)
	}
	lim := func(v float64, lo, hi int) int { return int(math.Max(float64(lo), math.Min(float64(hi), v))) }
	bounds := image.Rect(
		lim(math.Floor(minX)-1, limit.Min.X, limit.Max.X), lim(math.Floor(minY)-1, limit.Min.Y, limit.Max.Y),
		lim(math.Ceil(maxX)+1, limit.Min.X, limit.Max.X), lim(math.Ceil(maxY)+1, limit.Min.Y, limit.Max.Y),
	)
	if bounds.Empty() {
		return nil, false
	}

	alpha := int(math.Round(math.Min(p.Opacity, 1) * 256))
	job := &drawJob{
		dst: dst, src: src, bounds: bounds, inv: inv, alpha: alpha,
		boxX: l.BoxX, boxY: l.BoxY, boxW: l.BoxW, boxH: l.BoxH,
		mask: p.Mask, sweep: p.Sweep, blend: blenderFor(p.Blend),
	}
	if job.mask != nil && job.mask.Progress >= 1 {
		job.mask = nil // fully revealed
	}
	if s := job.sweep; s != nil && (!(s.Intensity > 0) || math.IsNaN(s.Progress) || math.IsInf(s.Progress, 0)) {
		job.sweep = nil
	}
	if fwd.isTranslation() {
		rx, ry := math.Round(fwd.c), math.Round(fwd.f)
		if math.Abs(fwd.c-rx) <= roundTolerance && math.Abs(fwd.f-ry) <= roundTolerance &&
			math.Abs(rx) < 1<<30 && math.Abs(ry) < 1<<30 {
			job.shifted, job.dx, job.dy = true, int(rx), int(ry)
			// Exact pixel centres from here on, so masks agree with the rounded position.
			job.inv = translate(-rx, -ry)
			job.bounds = bounds.Intersect(image.Rect(0, 0, src.Rect.Dx(), src.Rect.Dy()).Add(image.Pt(job.dx, job.dy)))
			if job.bounds.Empty() {
				return nil, false
			}
		}
	}
	job.untouched = job.shifted && job.alpha == 256 && job.mask == nil && job.sweep == nil
	job.copies = job.untouched && l.Opaque && (p.Blend == "" || p.Blend == schemas.CompositeSourceOver)
	if !job.shifted {
		job.srcWords, _ = pixelWords(src.Pix)
	}
	return job, true
}

// drawRows draws destination rows y0..y1-1 (absolute coordinates) of the job.
func (j *drawJob) drawRows(y0, y1 int) {
	width := j.bounds.Dx()
	var buf []byte
	if !j.untouched {
		buf = getRowBuffer(width)
		defer putRowBuffer(buf)
	}
	dst, src := j.dst, j.src
	for y := y0; y < y1; y++ {
		x0, x1 := j.bounds.Min.X, j.bounds.Max.X
		var row []byte
		if j.shifted {
			sx, sy := x0-j.dx, y-j.dy
			off := sy*src.Stride + sx*4
			row = src.Pix[off : off+(x1-x0)*4]
			if j.copies { // what source-over of opaque pixels makes, without looking at each alpha
				doff := (y-dst.Rect.Min.Y)*dst.Stride + (x0-dst.Rect.Min.X)*4
				copy(dst.Pix[doff:doff+len(row)], row)
				continue
			}
			if !j.untouched {
				row = buf[:copy(buf, row)]
			}
		} else {
			x0, x1 = j.sampleRow(buf, y, x0, x1)
			if x0 >= x1 {
				continue
			}
			row = buf[:(x1-x0)*4]
		}
		j.applyEffects(row, x0, y)
		doff := (y-dst.Rect.Min.Y)*dst.Stride + (x0-dst.Rect.Min.X)*4
		j.blend(dst.Pix[doff:doff+len(row)], row)
	}
}
