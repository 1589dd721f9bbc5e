package render

import (
	"context"
	"fmt"
	"image"

	"github.com/framecast/framecast/render/compose"
	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/paint"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// background is the canvas under every clip, prepared once at the output size.
type background struct {
	img *image.RGBA // nil = transparent
}

func newBackground(p *schemas.Paint, w, h int) (background, error) {
	if p == nil {
		p = schemas.SolidPaint("#000000")
	}
	if p.Gradient == nil && (p.Color == "transparent" || p.Color == "") {
		return background{}, nil
	}
	src, err := paint.Source(p, 0, 0, float64(w), float64(h))
	if err != nil {
		return background{}, err
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	compose.Fill(img, src)
	return background{img: img}, nil
}

func (b background) fill(dst *image.RGBA) {
	if b.img == nil {
		clear(dst.Pix)
		return
	}
	copy(dst.Pix, b.img.Pix)
}

// fillRect puts the background back in the pixels of r only (counted from dst's top-left corner).
func (b background) fillRect(dst *image.RGBA, r image.Rectangle) {
	r = r.Intersect(image.Rect(0, 0, dst.Rect.Dx(), dst.Rect.Dy()))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[y*dst.Stride+4*r.Min.X : y*dst.Stride+4*r.Max.X]
		if b.img == nil {
			clear(row)
		} else {
			copy(row, b.img.Pix[y*b.img.Stride+4*r.Min.X:])
		}
	}
}

// Frame draws the frame at t seconds.
func (tl *Timeline) Frame(ctx context.Context, t float64) (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, tl.Width, tl.Height))
	if err := tl.drawFrame(ctx, img, t); err != nil {
		return nil, err
	}
	return img, nil
}

// FrameTime is the time of frame n: n / fps.
func (tl *Timeline) FrameTime(n int) float64 { return float64(n) / tl.FPS }

func (tl *Timeline) drawFrame(ctx context.Context, dst *image.RGBA, t float64) error {
	tl.bg.fill(dst)
	_, err := tl.drawClips(ctx, dst, t)
	return err
}

// drawClips draws the clips visible at t on dst, which holds the background, and returns the pixels it may
// have changed: outside them dst still holds the background.
func (tl *Timeline) drawClips(ctx context.Context, dst *image.RGBA, t float64) (changed image.Rectangle, err error) {
	videos := tl.prefetchVideos(ctx, t)
	defer func() {
		for _, f := range videos {
			<-f.done // nothing reads on after an early return
			if f.release != nil {
				f.release()
			}
		}
	}()
	glyphs := 0
	for i, it := range tl.items {
		if err := ctx.Err(); err != nil {
			return changed, err
		}
		st, local, ok := it.stateAt(t)
		if !ok || st.Opacity <= 0 {
			continue
		}
		if glyphs += it.glyphs; glyphs > budget.MaxGlyphsPerFrame {
			return changed, docErrorf("tracks", "at %g s more than %d characters of text and code are on screen, the limit: show less text at once", t, budget.MaxGlyphsPerFrame)
		}
		var l raster.Layer
		var release func()
		var err error
		if f, ok := videos[i]; ok {
			<-f.done
			l, release, err = f.layer, f.release, f.err
			f.release = nil // released here, not by the deferred clean-up
		} else {
			l, release, err = it.acquireLayer(ctx, it.look.key(&st, local), local)
		}
		if err != nil {
			release()
			return changed, err
		}
		changed = changed.Union(drawLayer(dst, l, &st, it.base.Style, tl.scaleX, tl.scaleY, 0, 0))
		release()
	}
	return changed, nil
}

// videoFrame is a video clip's layer being read for the frame being drawn.
type videoFrame struct {
	done    chan struct{}
	layer   raster.Layer
	release func()
	err     error
}

// prefetchVideos starts reading the layers of the video clips visible at t side by side when there are
// several (by item index; nil otherwise): a decoder that has to start (a first frame, a seek) waits for an
// FFmpeg launch and a seek, and several decoders starting one after another would add those waits up.
func (tl *Timeline) prefetchVideos(ctx context.Context, t float64) map[int]*videoFrame {
	var videos map[int]*videoFrame
	n := 0
	for _, it := range tl.items {
		if _, ok := it.look.(*videoLook); ok {
			n++
		}
	}
	if n < 2 {
		return nil
	}
	for i, it := range tl.items {
		if _, ok := it.look.(*videoLook); !ok {
			continue
		}
		st, local, ok := it.stateAt(t)
		if !ok || st.Opacity <= 0 {
			continue
		}
		if videos == nil {
			videos = map[int]*videoFrame{}
		}
		f := &videoFrame{done: make(chan struct{})}
		videos[i] = f
		go func() {
			defer close(f.done)
			f.layer, f.release, f.err = it.acquireLayer(ctx, it.look.key(&st, local), local)
		}()
	}
	if len(videos) < 2 {
		for _, f := range videos {
			<-f.done // one is not worth the goroutine, but it has started
		}
	}
	return videos
}

// drawLayer places a clip's layer on dst as its state says, applying what changes every frame: animated
// filters and the transition's blur, mask or light sweep. (ox, oy) shifts the placement (for layout children).
// It returns the pixels of dst it may have changed.
func drawLayer(dst *image.RGBA, l raster.Layer, st *motion.State, style *schemas.Style, sx, sy, ox, oy float64) image.Rectangle {
	if l.Empty() {
		return image.Rectangle{}
	}
	filters := st.Filters
	tr := st.Transition.Value
	inTransition := st.Transition.Set && tr.Progress < 1
	if inTransition && tr.Type == schemas.TransitionBlur {
		filters = append(filters[:len(filters):len(filters)], schemas.Filter{Type: schemas.FilterBlur, Value: tr.Blur * (1 - tr.Progress)})
	}
	g := st.Geometry
	if len(filters) > 0 {
		l = paint.ApplyFilters(l, scaleBlur(filters, layerScale(l, g.Width)))
	}
	p := compose.Placement{
		X: (g.X + ox) * sx, Y: (g.Y + oy) * sy,
		AnchorX: g.AnchorX, AnchorY: g.AnchorY,
		ScaleX: g.ScaleX * sx, ScaleY: g.ScaleY * sy,
		Rotation: g.Rotation, SkewX: g.SkewX, SkewY: g.SkewY,
		Opacity: g.Opacity,
	}
	// The layer was drawn at the box size the key named; a box resized without redrawing stretches.
	if l.BoxW > 0 && g.Width > 0 && l.BoxW != g.Width {
		p.ScaleX *= g.Width / l.BoxW
	}
	if l.BoxH > 0 && g.Height > 0 && l.BoxH != g.Height {
		p.ScaleY *= g.Height / l.BoxH
	}
	if style != nil {
		p.Blend = style.CompositeOperation
	}
	if inTransition && (l.BoxW <= 0 || l.BoxH <= 0) {
		// Lines and paths have a point for a box (their position); masks and sweeps need an area: use the
		// drawn image, anchored at the same point.
		b := l.Img.Bounds()
		p.AnchorX, p.AnchorY = l.BoxX/float64(b.Dx()), l.BoxY/float64(b.Dy())
		l.BoxX, l.BoxY, l.BoxW, l.BoxH = 0, 0, float64(b.Dx()), float64(b.Dy())
	}
	if inTransition {
		switch tr.Type {
		case schemas.TransitionWipe:
			p.Mask = &compose.Mask{Kind: compose.MaskWipe, Progress: tr.Progress, Direction: tr.Direction}
		case schemas.TransitionIris:
			p.Mask = &compose.Mask{Kind: compose.MaskIris, Progress: tr.Progress}
		case schemas.TransitionLightSweep:
			p.Sweep = &compose.Sweep{Progress: tr.Progress, Intensity: tr.Intensity}
		}
	}
	return drawer.Draw(dst, l, p)
}

// drawer composites on the calling goroutine: frames are already drawn in parallel, one per core.
var drawer = compose.Drawer{Workers: 1}

// signature appends what decides the look of frame t; two frames with equal signatures are equal.
func (tl *Timeline) signature(b []byte, t float64) []byte {
	for i, it := range tl.items {
		st, local, ok := it.stateAt(t)
		if !ok || st.Opacity <= 0 {
			continue
		}
		b = appendSignature(b, i, &st, it.look.key(&st, local))
	}
	return b
}

// frameErr wraps an engine error with the frame it happened at.
func frameErr(n int, err error) error { return fmt.Errorf("frame %d: %w", n, err) }
