package render

import (
	"context"
	"fmt"
	"image"
	"slices"

	"github.com/framecast/framecast/render/compose"
	"github.com/framecast/framecast/render/hugemem"
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
	img := hugemem.NewRGBA(image.Rect(0, 0, w, h))
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

// damage is where clips drew on a frame: the rectangles each draw may have changed, overlapping as the clips
// do. cover turns them into the pixels to put back and convert.
type damage []image.Rectangle

// maxDamageRects bounds the rectangles of a damage: beyond, they become their union.
const maxDamageRects = 64

// add records that the pixels of r changed.
func (d *damage) add(r image.Rectangle) {
	if r.Empty() {
		return
	}
	*d = append(*d, r)
	if len(*d) > maxDamageRects {
		u := image.Rectangle{}
		for _, e := range *d {
			u = u.Union(e)
		}
		*d = append((*d)[:0], u)
	}
}

// cover returns rectangles on even boundaries (yuv420p's 2×2 blocks, see compose.EvenRect) inside a w×h
// frame that cover every pixel of d and never overlap, so that no pixel is put back or converted twice: row
// pair by row pair, the union of the spans of d's rectangles, consecutive row pairs with the same spans
// merged. Clips apart or overlapping in part (a video, a title beside it, shapes along an edge) leave the
// background between them alone, which their bounding box would not.
func (d damage) cover(w, h int) []image.Rectangle {
	even := make([]image.Rectangle, 0, len(d))
	top, bottom := h, 0
	for _, r := range d {
		if e := compose.EvenRect(r, w, h); !e.Empty() {
			even = append(even, e)
			top, bottom = min(top, e.Min.Y), max(bottom, e.Max.Y)
		}
	}
	if len(even) <= 1 {
		return even
	}
	var bands rowBands
	var spans [][2]int
	for y := top; y < bottom; y += 2 {
		spans = spans[:0]
		for _, r := range even {
			if r.Min.Y <= y && y < r.Max.Y {
				spans = append(spans, [2]int{r.Min.X, r.Max.X})
			}
		}
		bands.add(y, min(y+2, h), mergeSpans(spans))
	}
	return bands.rects()
}

// outside returns rectangles that cover every pixel of rs that no rectangle of cut covers, and no other: band
// by band between the rectangles' top and bottom edges, the spans of rs minus the spans of cut. On even
// rectangles (cover's) its rectangles are even too. Rotating shapes leave a frame tens of rectangles, so this
// stays linear in the bands rather than subtracting rectangle from rectangle.
func outside(rs, cut []image.Rectangle) []image.Rectangle {
	if len(rs) == 0 || len(cut) == 0 {
		return rs
	}
	edges := make([]int, 0, 2*(len(rs)+len(cut)))
	for _, r := range rs {
		edges = append(edges, r.Min.Y, r.Max.Y)
	}
	for _, r := range cut {
		edges = append(edges, r.Min.Y, r.Max.Y)
	}
	slices.Sort(edges)
	edges = slices.Compact(edges)
	var bands rowBands
	var keep, drop, left [][2]int
	for i := 0; i+1 < len(edges); i++ {
		y0, y1 := edges[i], edges[i+1]
		keep, drop = spansAcross(keep[:0], rs, y0, y1), spansAcross(drop[:0], cut, y0, y1)
		left = subtractSpans(left[:0], keep, drop)
		bands.add(y0, y1, left)
	}
	return bands.rects()
}

// spansAcross appends to spans the union, as sorted disjoint [x0, x1) spans, of the rectangles of rs that
// span the whole band y0..y1 (the band lies between consecutive edges, so a rectangle spans it or misses it).
func spansAcross(spans [][2]int, rs []image.Rectangle, y0, y1 int) [][2]int {
	for _, r := range rs {
		if r.Min.Y <= y0 && y1 <= r.Max.Y && !r.Empty() {
			spans = append(spans, [2]int{r.Min.X, r.Max.X})
		}
	}
	return mergeSpans(spans)
}

// mergeSpans sorts the [x0, x1) spans and merges those that overlap or touch, in place.
func mergeSpans(spans [][2]int) [][2]int {
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	n := 0
	for _, s := range spans {
		if n > 0 && s[0] <= spans[n-1][1] {
			spans[n-1][1] = max(spans[n-1][1], s[1])
		} else {
			spans[n] = s
			n++
		}
	}
	return spans[:n]
}

// subtractSpans appends to out the parts of the sorted disjoint spans keep outside the sorted disjoint
// spans drop.
func subtractSpans(out, keep, drop [][2]int) [][2]int {
	j := 0
	for _, k := range keep {
		x := k[0]
		for j < len(drop) && drop[j][1] <= x {
			j++
		}
		for d := j; d < len(drop) && drop[d][0] < k[1]; d++ {
			if drop[d][0] > x {
				out = append(out, [2]int{x, drop[d][0]})
			}
			x = max(x, drop[d][1])
		}
		if x < k[1] {
			out = append(out, [2]int{x, k[1]})
		}
	}
	return out
}

// rowBands gathers rectangles band by band, top to bottom: a band whose spans are those of the band just
// above grows its rectangles down instead of starting new ones.
type rowBands struct {
	out  []image.Rectangle
	open []image.Rectangle // the band just above's, still growing down
}

// add records the spans of the band y0..y1.
func (b *rowBands) add(y0, y1 int, spans [][2]int) {
	same := len(spans) == len(b.open)
	for i := 0; same && i < len(spans); i++ {
		same = b.open[i].Min.X == spans[i][0] && b.open[i].Max.X == spans[i][1] && b.open[i].Max.Y == y0
	}
	if same {
		for i := range b.open {
			b.open[i].Max.Y = y1
		}
		return
	}
	b.out = append(b.out, b.open...)
	b.open = b.open[:0]
	for _, s := range spans {
		b.open = append(b.open, image.Rect(s[0], y0, s[1], y1))
	}
}

// rects returns every rectangle gathered.
func (b *rowBands) rects() []image.Rectangle { return append(b.out, b.open...) }

// Frame draws the frame at t seconds.
func (tl *Timeline) Frame(ctx context.Context, t float64) (*image.RGBA, error) {
	img := hugemem.NewRGBA(image.Rect(0, 0, tl.Width, tl.Height))
	if err := tl.drawFrame(ctx, img, t); err != nil {
		return nil, err
	}
	return img, nil
}

// FrameTime is the time of frame n: n / fps.
func (tl *Timeline) FrameTime(n int) float64 { return float64(n) / tl.FPS }

func (tl *Timeline) drawFrame(ctx context.Context, dst *image.RGBA, t float64) error {
	tl.bg.fill(dst)
	_, err := tl.drawClips(ctx, dst, t, nil)
	return err
}

// drawClips draws the clips visible at t on dst and returns the pixels it may have changed. dst holds the
// background except inside the rectangles of restore (what a reused canvas's last frame drew): the background
// is put back there first, but not where an opaque layer of this frame will be copied whole (compose's
// Covers: a video at its box size), since the copy replaces those pixels anyway. Outside the returned
// rectangles dst holds the background. On an error dst is as it was: every layer is acquired before
// anything is put back or drawn.
func (tl *Timeline) drawClips(ctx context.Context, dst *image.RGBA, t float64, restore []image.Rectangle) (changed damage, err error) {
	visible, err := tl.visibleAt(t)
	if err != nil {
		return changed, err
	}
	videos := tl.prefetchVideos(ctx, visible)
	if drawLayersAhead {
		tl.drawAhead(ctx, visible, videos)
	}
	// Every layer is acquired and placed before the first is drawn, so that the background is put back only
	// where no opaque layer covers; each is released once drawn (or on an early return).
	type placedLayer struct {
		layer   raster.Layer
		at      compose.Placement
		release func()
	}
	layers := make([]placedLayer, 0, len(visible))
	defer func() {
		for _, pl := range layers {
			if pl.release != nil {
				pl.release()
			}
		}
		for _, f := range videos {
			<-f.done // nothing reads on after an early return
			if f.release != nil {
				f.release()
			}
		}
	}()
	for k := range visible {
		v := &visible[k]
		if err := ctx.Err(); err != nil {
			return changed, err
		}
		var l raster.Layer
		var release func()
		var err error
		if f, ok := videos[v.index]; ok {
			<-f.done
			l, release, err = f.layer, f.release, f.err
			f.release = nil // released here, not by the deferred clean-up
		} else {
			l, release, err = v.item.acquireLayer(ctx, v.item.look.key(&v.st, v.local), v.local)
		}
		if err != nil {
			release()
			return changed, err
		}
		if l.Empty() {
			release()
			continue
		}
		l, at := placeLayer(l, &v.st, v.item.base.Style, tl.scaleX, tl.scaleY, 0, 0)
		layers = append(layers, placedLayer{layer: l, at: at, release: release})
	}
	if len(restore) > 0 {
		var covered []image.Rectangle
		for _, pl := range layers {
			if c := drawer.Covers(dst, pl.layer, pl.at); !c.Empty() {
				covered = append(covered, c)
			}
		}
		for _, r := range outside(restore, covered) {
			tl.bg.fillRect(dst, r)
		}
	}
	for i := range layers {
		pl := &layers[i]
		changed.add(drawer.Draw(dst, pl.layer, pl.at))
		pl.release()
		pl.release = nil
	}
	return changed, nil
}

// visibleItem is an item on screen at the time being drawn, with its state then (evaluated once a frame).
type visibleItem struct {
	index int // in tl.items
	item  *item
	st    motion.State
	local float64 // clip time
}

// visibleAt lists the items visible at t, bottom first, or fails when more text is on screen than the glyph
// budget allows.
func (tl *Timeline) visibleAt(t float64) ([]visibleItem, error) {
	var visible []visibleItem
	glyphs := 0
	for i, it := range tl.items {
		st, local, ok := it.stateAt(t)
		if !ok || st.Opacity <= 0 {
			continue
		}
		if glyphs += it.glyphs; glyphs > budget.MaxGlyphsPerFrame {
			return nil, docErrorf("tracks", "at %g s more than %d characters of text and code are on screen, the limit: show less text at once", t, budget.MaxGlyphsPerFrame)
		}
		visible = append(visible, visibleItem{index: i, item: it, st: st, local: local})
	}
	return visible, nil
}

// videoFrame is a video clip's layer being read for the frame being drawn, or another clip's drawn ahead
// (drawAhead).
type videoFrame struct {
	done    chan struct{}
	layer   raster.Layer
	release func()
	err     error
}

// prefetchVideos starts reading the layers of the visible video clips side by side when there are several
// (by item index; nil otherwise): a decoder that has to start (a first frame, a seek) waits for an FFmpeg
// launch and a seek, and several decoders starting one after another would add those waits up.
func (tl *Timeline) prefetchVideos(ctx context.Context, visible []visibleItem) map[int]*videoFrame {
	n := 0
	for _, v := range visible {
		if _, ok := v.item.look.(*videoLook); ok {
			n++
		}
	}
	if n < 2 {
		return nil
	}
	videos := make(map[int]*videoFrame, n)
	for k := range visible {
		v := &visible[k]
		if _, ok := v.item.look.(*videoLook); !ok {
			continue
		}
		f := &videoFrame{done: make(chan struct{})}
		videos[v.index] = f
		go func() {
			defer close(f.done)
			f.layer, f.release, f.err = v.item.acquireLayer(ctx, v.item.look.key(&v.st, v.local), v.local)
		}()
	}
	return videos
}

// drawLayersAhead turns drawAhead on; the test that it changes no pixel turns it off for its reference.
var drawLayersAhead = true

// drawAhead draws the layers of the other visible clips while the videos being read (by prefetchVideos)
// decode, and adds them to videos (already done), to be placed in order by drawClips: a clip above a video
// waited for that video's decoder before being drawn, and on a frame whose decoders have to start (a preview's
// cold frame) drawing the text and shapes cost as long again after the launches. A layer is the same whenever
// it is drawn (it depends on its key alone), so the pixels are too. It stops when ctx ends.
func (tl *Timeline) drawAhead(ctx context.Context, visible []visibleItem, videos map[int]*videoFrame) {
	if len(videos) == 0 {
		return
	}
	for k := range visible {
		v := &visible[k]
		if ctx.Err() != nil {
			return
		}
		if _, ok := videos[v.index]; ok {
			continue
		}
		f := &videoFrame{done: make(chan struct{})}
		f.layer, f.release, f.err = v.item.acquireLayer(ctx, v.item.look.key(&v.st, v.local), v.local)
		close(f.done)
		videos[v.index] = f
	}
}

// drawLayer places a clip's layer on dst as its state says, applying what changes every frame: animated
// filters and the transition's blur, mask or light sweep. (ox, oy) shifts the placement (for layout children).
// It returns the pixels of dst it may have changed.
func drawLayer(dst *image.RGBA, l raster.Layer, st *motion.State, style *schemas.Style, sx, sy, ox, oy float64) image.Rectangle {
	if l.Empty() {
		return image.Rectangle{}
	}
	l, p := placeLayer(l, st, style, sx, sy, ox, oy)
	return drawer.Draw(dst, l, p)
}

// placeLayer returns l as drawLayer draws it (with the state's filters and a transition's blur applied) and
// where: its placement on the canvas, scaled by sx, sy and offset by ox, oy.
func placeLayer(l raster.Layer, st *motion.State, style *schemas.Style, sx, sy, ox, oy float64) (raster.Layer, compose.Placement) {
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
	return l, p
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
