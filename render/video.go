package render

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os/exec"
	"sync"

	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/render/hugemem"
	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/paint"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// videoLook draws video clips. Each source is decoded once, in order, by one FFmpeg process that also scales
// it to the size the clip shows it at.
type videoLook struct {
	dec   *ffmpeg.Decoder
	src   string // the document's name for the source, for errors
	fps   float64
	style *schemas.Style
	// mediaScale < 1 when the output is smaller than the document: frames are decoded and fitted at that
	// scale, and the layer's smaller box is stretched back by drawLayer, which the output scale undoes.
	mediaScale float64

	maskMu sync.Mutex
	mask   *paint.CornerMask // the rounded corners of the last box size drawn
	radii  schemas.Corners
	masked pictures // reused memory of the rounded copies
}

func (tl *Timeline) videoLook(ctx context.Context, s *schemas.VideoClip, style *schemas.Style, g *motion.Geometry) (look, error) {
	path, err := tl.fetch(ctx, s.Src)
	if err != nil {
		return nil, err
	}
	probe, err := tl.probes.probe(ctx, path)
	if err != nil {
		return nil, videoError(ctx, s.Src, err)
	}
	vs, ok := probe.Video()
	iw, ih := vs.DisplaySize() // phone videos carry a rotation: the decoder turns them upright
	if !ok || iw == 0 || ih == 0 {
		return nil, &DocumentError{Message: fmt.Sprintf("the video %s has no video stream", mediaName(s.Src))}
	}
	fitAspect(g, float64(iw), float64(ih))
	if !budget.LayerFits(g.Width, g.Height) { // frames are decoded at the box size
		return nil, &DocumentError{Message: fmt.Sprintf("the clip's box is %.0f×%.0f px; the limit is %d px a side and %.1f million pixels in all",
			g.Width, g.Height, budget.MaxLayerSide, float64(budget.MaxLayerPixels)/1e6)}
	}
	// Decode at the size the fit needs, so the per-frame work is a copy, not a rescale.
	sx, sy := g.Width/float64(iw), g.Height/float64(ih)
	switch objectFit(style) {
	case schemas.ObjectFitCover:
		sx = math.Max(sx, sy)
		sy = sx
	case schemas.ObjectFitContain:
		sx = math.Min(sx, sy)
		sy = sx
	}
	o := ffmpeg.DecodeOptions{
		Width:  evenCeil(float64(iw) * sx * tl.scaleForMedia()),
		Height: evenCeil(float64(ih) * sy * tl.scaleForMedia()),
		FPS:    tl.FPS,
		Rate:   1,
		// Frames are drawn out of order by up to two per worker: keep them all in the window.
		Window:       2*tl.opts.workers() + 4,
		Probe:        probe,
		RandomAccess: tl.opts.RandomAccess,
	}
	if s.PlaybackRate != nil {
		o.Rate = *s.PlaybackRate
	}
	if s.Source != nil {
		if s.Source.Start != nil {
			o.Start = *s.Source.Start
		}
		if s.Source.End != nil {
			o.End = *s.Source.End
		}
	}
	// The decoder lives as long as the timeline, not as the request that loaded it: its ffmpeg serves every
	// later frame (a preview's cached timeline draws for many requests).
	dec, err := ffmpeg.OpenDecoder(tl.life, path, o)
	if err != nil {
		return nil, videoError(ctx, s.Src, err)
	}
	tl.onClose(dec.Close)
	return &videoLook{dec: dec, src: mediaName(s.Src), fps: tl.FPS, style: style, mediaScale: tl.scaleForMedia()}, nil
}

// scaleForMedia is how much smaller than the document the output is; media is decoded no larger than needed.
func (tl *Timeline) scaleForMedia() float64 { return math.Min(1, math.Max(tl.scaleX, tl.scaleY)) }

// videoError classes a failure to read the video src: FFmpeg missing or a cancelled context are not the
// document's fault; anything else is (the file is not a video FFmpeg can read), named by src, not by the
// cache file FFmpeg was given.
func videoError(ctx context.Context, src schemas.MediaRef, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, exec.ErrNotFound) {
		return err
	}
	return &DocumentError{Message: fmt.Sprintf("the video %s cannot be read: is it a video file (mp4, webm, mov)?", mediaName(src)), Cause: err}
}

func evenCeil(v float64) int {
	n := int(math.Ceil(v))
	if n < 2 {
		n = 2
	}
	return n + n%2
}

func (l *videoLook) key(st *motion.State, local float64) contentKey {
	k := contentKey{w: st.Width, h: st.Height, radius: st.BorderRadius.Or(-1)}
	k.frame = int64(math.Floor(local*l.fps + 1e-6))
	return k
}

func (l *videoLook) draw(_ context.Context, k contentKey, _ float64) (raster.Layer, error) {
	frame, err := l.dec.Frame(int(k.frame))
	if err != nil {
		return raster.Layer{}, l.decodeError(k, err)
	}
	return l.layerOf(frame, k, nil), nil
}

// drawTransient is draw for a frame drawn now (see transientLook): the decoder reads into reused memory, and
// the rounded copy is made into a reused picture too; both are handed back by release.
func (l *videoLook) drawTransient(_ context.Context, k contentKey, _ float64) (raster.Layer, func(), error) {
	frame, release, err := l.dec.Acquire(int(k.frame))
	if err != nil {
		return raster.Layer{}, nil, l.decodeError(k, err)
	}
	var masked *image.RGBA
	layer := l.layerOf(frame, k, &masked)
	if masked != nil { // the layer is a copy: the decoded frame is free at once
		release()
		return layer, func() { l.masked.put(masked) }, nil
	}
	return layer, release, nil
}

// decodeError classes a decoder's failure; io.EOF (the source ran out: the clip ends here) is none.
func (l *videoLook) decodeError(k contentKey, err error) error {
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, exec.ErrNotFound):
		return err
	}
	return &DocumentError{Message: fmt.Sprintf("the video %s could not be decoded at frame %d", l.src, k.frame), Cause: err}
}

// layerOf makes the layer of a decoded frame (nil: the source ran out). With reuse set, a rounded copy is made
// into a picture of the free list l.masked, returned in *reuse.
func (l *videoLook) layerOf(frame *image.RGBA, k contentKey, reuse **image.RGBA) raster.Layer {
	if frame == nil {
		return raster.Layer{}
	}
	r := corners(l.style, k)
	for i := range r {
		r[i] *= l.mediaScale
	}
	// The decoder scales to the box: then the frame is the layer as it is (frames are never written to), or
	// one masked copy with rounded corners, instead of Fit's copy (and mask pass).
	w, h := int(math.Round(k.w*l.mediaScale)), int(math.Round(k.h*l.mediaScale))
	if b := frame.Rect; b.Min == (image.Point{}) && b.Dx() == w && b.Dy() == h {
		if r == (schemas.Corners{}) {
			return raster.Layer{Img: frame, BoxW: float64(w), BoxH: float64(h), Opaque: l.dec.Opaque()}
		}
		mask := l.cornerMask(w, h, r)
		if reuse == nil {
			return mask.Apply(frame)
		}
		dst := l.masked.get(w, h)
		*reuse = dst
		return mask.ApplyTo(dst, frame)
	}
	return paint.Fit(frame, k.w*l.mediaScale, k.h*l.mediaScale, objectFit(l.style), r)
}

// pictures is a small free list of pictures of one size (a rounded video's masked copies).
type pictures struct {
	mu   sync.Mutex
	free []*image.RGBA
}

// get returns a w × h picture with unspecified pixels.
func (p *pictures) get(w, h int) *image.RGBA {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) > 0 {
		img := p.free[len(p.free)-1]
		p.free = p.free[:len(p.free)-1]
		if img.Rect.Dx() == w && img.Rect.Dy() == h {
			return img
		}
	}
	return hugemem.NewRGBA(image.Rect(0, 0, w, h))
}

func (p *pictures) put(img *image.RGBA) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < 4 {
		p.free = append(p.free, img)
	}
}

// cornerMask returns the rounded-corner mask of a w × h box, made again only when the box or radii change.
func (l *videoLook) cornerMask(w, h int, r schemas.Corners) *paint.CornerMask {
	l.maskMu.Lock()
	defer l.maskMu.Unlock()
	if l.mask != nil && l.radii == r {
		if mw, mh := l.mask.Size(); mw == w && mh == h {
			return l.mask
		}
	}
	l.mask, l.radii = paint.NewCornerMask(w, h, r), r
	return l.mask
}
