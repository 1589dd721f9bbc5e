package render

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image/color"
	"math"
	"sync"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/paint"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// item is one drawable clip of the timeline (a layout is one item whose content is its children).
type item struct {
	path   string // JSON path, for errors
	spec   schemas.ClipSpec
	base   *schemas.BaseClip
	motion *motion.Compiled
	ref    motion.Box      // box percentages refer to
	geo    motion.Geometry // static geometry with the intrinsic size filled in
	track  int
	index  int
	next   *item // the adjoining clip whose transition keeps this one visible underneath
	look   look
	glyphs int // characters of text and code it draws (layout children included), against the per-frame budget

	cacheMu sync.Mutex
	cache   []cached                     // most recent first
	drawing map[contentKey]*pendingLayer // layers being drawn now, by key
}

// pendingLayer is a layer one frame's worker is drawing: workers that need the same layer meanwhile wait for
// it instead of drawing it again (the first frames are drawn side by side and miss the cache together; a
// picture resized for a 2160p frame costs 0.15 s of CPU).
type pendingLayer struct {
	done  chan struct{}
	layer raster.Layer
	err   error
}

// look draws one clip type. key names the look at a state and clip-local time; draw draws it. Equal keys must
// draw equal layers whatever the local time passed with them.
type look interface {
	key(st *motion.State, local float64) contentKey
	draw(ctx context.Context, k contentKey, local float64) (raster.Layer, error)
}

// contentKey identifies a clip's content: size, keyframed paint and shape properties, and a frame or state
// number for content that changes by itself (video frames, subtitle words, layout children).
type contentKey struct {
	w, h                                        float64
	fill, stroke                                color.NRGBA
	hasFill, hasStroke                          bool
	strokeWidth, fontSize, radius, drawS, drawE float64
	frame                                       int64
}

type cached struct {
	key   contentKey
	layer raster.Layer
}

const cacheSize = 6

func baseKey(st *motion.State) contentKey {
	k := contentKey{w: st.Width, h: st.Height, strokeWidth: -1, fontSize: -1, radius: -1, drawS: -1, drawE: -1}
	k.fill, k.hasFill = st.Fill.Value, st.Fill.Set
	k.stroke, k.hasStroke = st.Stroke.Value, st.Stroke.Set
	k.strokeWidth = st.StrokeWidth.Or(-1)
	k.fontSize = st.FontSize.Or(-1)
	k.radius = st.BorderRadius.Or(-1)
	k.drawS = st.DrawStart.Or(-1)
	k.drawE = st.DrawEnd.Or(-1)
	return k
}

func (k contentKey) fillOverride() *color.NRGBA {
	if k.hasFill {
		c := k.fill
		return &c
	}
	return nil
}

func (k contentKey) strokeOverride() *color.NRGBA {
	if k.hasStroke {
		c := k.stroke
		return &c
	}
	return nil
}

func orDefault(v, def float64) float64 {
	if v >= 0 {
		return v
	}
	return def
}

// transientLook is a look whose layers are valid only until their release (video frames read into reused
// memory): they are drawn for one frame and never cached. Their content changes every frame anyway.
type transientLook interface {
	drawTransient(ctx context.Context, k contentKey, local float64) (raster.Layer, func(), error)
}

// acquireLayer is layer for drawing now: the caller calls release (never nil) once the layer is drawn.
func (it *item) acquireLayer(ctx context.Context, k contentKey, local float64) (l raster.Layer, release func(), err error) {
	tl, ok := it.look.(transientLook)
	if !ok || !(k.w > 0 && k.h > 0) || !budget.LayerFits(k.w, k.h) {
		l, err = it.layer(ctx, k, local) // cached, or refused by layer's own checks
		return l, func() {}, err
	}
	l, release, err = tl.drawTransient(ctx, k, local)
	if err != nil {
		return raster.Layer{}, func() {}, clipError(it.path, it.base.Type, err)
	}
	if release == nil {
		release = func() {}
	}
	l, err = it.styled(l, k)
	if err != nil {
		release()
		return raster.Layer{}, func() {}, err
	}
	return l, release, nil
}

// layer returns the clip's content for key k, with the style's static filters and shadow applied, drawing
// it only when it is not cached.
func (it *item) layer(ctx context.Context, k contentKey, local float64) (raster.Layer, error) {
	it.cacheMu.Lock()
	for i, c := range it.cache {
		if c.key == k {
			if i > 0 { // move to front
				copy(it.cache[1:i+1], it.cache[:i])
				it.cache[0] = c
			}
			it.cacheMu.Unlock()
			return c.layer, nil
		}
	}
	if p, ok := it.drawing[k]; ok {
		it.cacheMu.Unlock()
		select {
		case <-p.done:
		case <-ctx.Done():
			return raster.Layer{}, ctx.Err()
		}
		if p.err != nil && ctx.Err() == nil && (errors.Is(p.err, context.Canceled) || errors.Is(p.err, context.DeadlineExceeded)) {
			return it.layer(ctx, k, local) // the drawer's caller left (another request of a preview): draw it here
		}
		return p.layer, p.err
	}
	p := &pendingLayer{done: make(chan struct{})}
	if it.drawing == nil {
		it.drawing = map[contentKey]*pendingLayer{}
	}
	it.drawing[k] = p
	it.cacheMu.Unlock()
	l, err := it.drawContent(ctx, k, local)
	p.layer, p.err = l, err
	it.cacheMu.Lock()
	delete(it.drawing, k)
	if err == nil {
		it.cache = append([]cached{{k, l}}, it.cache...)
		if len(it.cache) > cacheSize {
			it.cache = it.cache[:cacheSize]
		}
	}
	it.cacheMu.Unlock()
	close(p.done)
	return l, err
}

// drawContent draws the clip's content for key k with the style's static filters and shadow (not cached).
func (it *item) drawContent(ctx context.Context, k contentKey, local float64) (raster.Layer, error) {
	var l raster.Layer
	var err error
	switch {
	case !drawsAtBoxSize(it.look):
		l, err = it.look.draw(ctx, k, local)
	case !(k.w > 0 && k.h > 0):
		// A box keyframed or animated to no width or height is simply invisible (NaN too: nothing to draw).
	case !budget.LayerFits(k.w, k.h):
		err = fmt.Errorf("the clip's box is %.0f×%.0f px; the limit is %d px a side and %.1f million pixels in all",
			k.w, k.h, budget.MaxLayerSide, float64(budget.MaxLayerPixels)/1e6)
	default:
		l, err = it.look.draw(ctx, k, local)
	}
	if err != nil {
		return raster.Layer{}, clipError(it.path, it.base.Type, err)
	}
	return it.styled(l, k)
}

// styled returns l with the style's static filters and shadow applied (new pictures; l is not changed).
func (it *item) styled(l raster.Layer, k contentKey) (raster.Layer, error) {
	if st := it.base.Style; st != nil && !l.Empty() {
		// Lengths are in box units; a layer drawn at another resolution (a video decoded for a proxy) scales them.
		f := layerScale(l, k.w)
		if len(st.Filters) > 0 {
			l = paint.ApplyFilters(l, scaleBlur(st.Filters, f))
		}
		if st.ShadowColor != nil {
			c, err := schemas.ParseColor(string(*st.ShadowColor))
			if err != nil {
				return raster.Layer{}, fmt.Errorf("%s: style.shadowColor: %w", it.path, err)
			}
			var dx, dy, blur float64
			if st.ShadowOffset != nil {
				dx, dy = st.ShadowOffset[0], st.ShadowOffset[1]
			}
			if st.ShadowBlur != nil {
				blur = *st.ShadowBlur
			}
			if c.A > 0 {
				l = paint.Shadow(l, c, blur*f, dx*f, dy*f)
			}
		}
	}
	return l, nil
}

// drawsAtBoxSize reports a look whose layer is its box (k.w × k.h): the box alone says what drawing costs.
// Text, code, lines, paths and subtitles size their layers by their content and check it themselves.
func drawsAtBoxSize(l look) bool {
	switch l.(type) {
	case shapeLook, *imageLook, *svgLook, *videoLook, *threeLook, *layoutLook:
		return true
	}
	return false
}

// layerScale is how many layer pixels one box unit takes (1 unless the layer was drawn at another
// resolution than its box, as video frames decoded for a smaller output are).
func layerScale(l raster.Layer, boxW float64) float64 {
	if boxW > 0 && l.BoxW > 0 {
		return l.BoxW / boxW
	}
	return 1
}

// scaleBlur returns filters with blur radii multiplied by f (the other filters have no length).
func scaleBlur(filters []schemas.Filter, f float64) []schemas.Filter {
	if f == 1 {
		return filters
	}
	out := append([]schemas.Filter(nil), filters...)
	for i := range out {
		if out[i].Type == schemas.FilterBlur {
			out[i].Value *= f
		}
	}
	return out
}

// stateAt evaluates the clip at timeline time t. ok is false when the clip is not visible at t.
func (it *item) stateAt(t float64) (st motion.State, local float64, ok bool) {
	start, end := it.base.Start, it.base.End()
	if t >= start && t < end {
		local = t - start
		return it.motion.Evaluate(it.geo, it.ref, local), local, true
	}
	// Kept visible under the next clip's entrance transition (and over a gap shorter than a frame before it).
	if n := it.next; n != nil && t >= end && t < n.base.Start+n.base.Transition.Duration {
		local = math.Max(0, it.base.Duration-1e-6)
		st = it.motion.Evaluate(it.geo, it.ref, local)
		g, visible := motion.Outgoing(it.base, n.base.Transition, st.Geometry, it.ref, math.Max(0, t-n.base.Start))
		if !visible {
			return st, local, false
		}
		st.Geometry = g
		return st, local, true
	}
	return st, 0, false
}

// appendSignature writes everything that decides how this item looks at t; equal signatures draw equal pixels.
func appendSignature(b []byte, id int, st *motion.State, k contentKey) []byte {
	f := func(v float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }
	b = binary.LittleEndian.AppendUint32(b, uint32(id))
	g := st.Geometry
	for _, v := range [...]float64{g.X, g.Y, g.Width, g.Height, g.AnchorX, g.AnchorY, g.ScaleX, g.ScaleY, g.Rotation, g.SkewX, g.SkewY, g.Opacity} {
		f(v)
	}
	for _, fl := range st.Filters {
		b = append(b, fl.Type...)
		f(fl.Value)
	}
	if tr := st.Transition; tr.Set {
		b = append(b, tr.Value.Type...)
		f(tr.Value.Progress)
	}
	for _, v := range [...]float64{k.w, k.h, k.strokeWidth, k.fontSize, k.radius, k.drawS, k.drawE, float64(k.frame)} {
		f(v)
	}
	b = append(b, k.fill.R, k.fill.G, k.fill.B, k.fill.A, k.stroke.R, k.stroke.G, k.stroke.B, k.stroke.A)
	return b
}
