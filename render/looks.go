package render

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/paint"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/render/text"
	"github.com/framecast/framecast/schemas"
)

// newItem prepares one clip: its motion, its look and its static geometry. It returns nil for clips that are
// heard, not seen (audio).
func (tl *Timeline) newItem(ctx context.Context, c schemas.Clip, ref motion.Box, path string) (*item, error) {
	base := c.Base()
	if _, ok := c.Spec.(*schemas.AudioClip); ok {
		return nil, nil
	}
	if n := keyframeCount(base); n > budget.MaxKeyframes {
		return nil, docErrorf(path+".keyframes", "the clip has %d keyframes; the limit is %d per clip", n, budget.MaxKeyframes)
	}
	m, err := motion.Compile(base)
	if err != nil {
		return nil, documentError(path, err)
	}
	it := &item{path: path, spec: c.Spec, base: base, motion: m, ref: ref, geo: motion.Base(base, ref)}
	style := base.Style
	if style == nil {
		style = &schemas.Style{}
	}
	g := &it.geo
	switch s := c.Spec.(type) {
	case *schemas.TextClip:
		it.look, err = tl.textLook(s.Text, style, g)
	case *schemas.ImageClip:
		it.look, err = tl.imageLook(ctx, s, style, g, path)
	case *schemas.VideoClip:
		it.look, err = tl.videoLook(ctx, s, style, g)
	case *schemas.RectClip:
		defaultSize(g, 100, 100)
		it.look = shapeLook{style: style, shape: func(k contentKey, ss paint.ShapeStyle) (raster.Layer, error) {
			return paint.Rect(k.w, k.h, ss)
		}}
	case *schemas.CircleClip:
		d := 100.0
		if s.Size != nil {
			d = *s.Size
		} else if g.Width > 0 {
			d = g.Width
		}
		g.Width, g.Height = d, d
		it.look = shapeLook{style: style, shape: func(k contentKey, ss paint.ShapeStyle) (raster.Layer, error) {
			return paint.Circle(math.Min(k.w, k.h), s.StartAngle, s.EndAngle, ss)
		}}
	case *schemas.PolygonClip:
		d := 100.0
		if s.Size != nil {
			d = *s.Size
		} else if g.Width > 0 {
			d = g.Width
		}
		sides := s.Sides
		if sides < 3 {
			sides = 6
		}
		g.Width, g.Height = d, d
		it.look = shapeLook{style: style, shape: func(k contentKey, ss paint.ShapeStyle) (raster.Layer, error) {
			return paint.Polygon(sides, math.Min(k.w, k.h), ss)
		}}
	case *schemas.LineClip:
		it.look, err = newStrokeLook(g, style, s.Stroked, paint.StrokePath{Points: s.Points, Radius: s.Radius})
	case *schemas.PathClip:
		it.look, err = newStrokeLook(g, style, s.Stroked, paint.StrokePath{Data: s.Data})
	case *schemas.SVGClip:
		it.look, err = tl.svgLook(ctx, s, g, path)
	case *schemas.CodeClip:
		it.look, err = tl.codeLook(s, g)
	case *schemas.IconClip:
		it.look, err = tl.iconLook(s, g)
	case *schemas.SubtitleClip:
		it.look, err = tl.subtitleLook(ctx, s, g)
	case *schemas.LayoutClip:
		it.look, err = tl.layoutLook(ctx, s, g, path)
	case *schemas.ThreeClip:
		it.look, err = tl.threeLook(s, g)
	case *schemas.TemplateClip:
		return nil, fmt.Errorf("%s: template %q was not expanded", path, s.Template)
	default:
		return nil, fmt.Errorf("%s: clip type %q cannot be drawn", path, base.Type)
	}
	if err != nil {
		return nil, clipError(path, base.Type, err)
	}
	switch s := c.Spec.(type) {
	case *schemas.TextClip:
		it.glyphs = utf8.RuneCountInString(s.Text)
	case *schemas.CodeClip:
		it.glyphs = utf8.RuneCountInString(s.Code)
	}
	if l, ok := it.look.(*layoutLook); ok {
		for _, child := range l.children {
			it.glyphs += child.glyphs
		}
	}
	tl.warnUncovered(it, style, path)
	return it, nil
}

// warnUncovered warns, naming the clip, about characters of a text, subtitle or code clip that no font draws
// (they would show as empty boxes).
func (tl *Timeline) warnUncovered(it *item, style *schemas.Style, path string) {
	var s string
	st := text.Style{Size: 32}
	switch spec := it.spec.(type) {
	case *schemas.TextClip:
		s, st = spec.Text, tl.textStyle(style)
		st.WrapWidth = 0
	case *schemas.CodeClip:
		s, st.Family = spec.Code, spec.FontFamily
		if st.Family == "" {
			st.Family = text.LiberationMono
		}
	case *schemas.SubtitleClip:
		if l, ok := it.look.(*subtitleLook); ok {
			var b strings.Builder
			for _, w := range l.words {
				b.WriteString(w.PunctuatedWord + " " + w.Word + " ")
			}
			s, st = b.String(), l.style
		}
	}
	if s == "" {
		return
	}
	if b, err := tl.fonts.Layout(s, st); err == nil && len(b.Missing) > 0 {
		tl.warn("%s: %s", path, text.MissingGlyphsWarning(b.Missing))
	}
}

// clipError classes an error met preparing or drawing the clip at path: the document's fault (a
// DocumentError at path) or the machine's (wrapped with the path, for logs).
func clipError(path, clipType string, err error) error {
	err = documentError(path, err)
	var de *DocumentError
	if errors.As(err, &de) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%s (%s): %w", path, clipType, err)
}

// keyframeCount counts the keyframes of a clip, all properties together.
func keyframeCount(base *schemas.BaseClip) int {
	n := 0
	for _, k := range base.Keyframes {
		n += len(k.Frames)
	}
	return n
}

func defaultSize(g *motion.Geometry, w, h float64) {
	if g.Width <= 0 {
		g.Width = w
	}
	if g.Height <= 0 {
		g.Height = h
	}
}

// fitAspect completes a box of which one side (or none) is given, keeping the content's aspect ratio.
func fitAspect(g *motion.Geometry, iw, ih float64) {
	switch {
	case g.Width <= 0 && g.Height <= 0:
		g.Width, g.Height = iw, ih
	case g.Width <= 0:
		g.Width = g.Height * iw / ih
	case g.Height <= 0:
		g.Height = g.Width * ih / iw
	}
}

// objectFit returns the style's fit, or cover. (When only one side of the box was given, fitAspect made
// the box the media's shape, so every fit draws the same.)
func objectFit(style *schemas.Style) schemas.ObjectFit {
	if style.ObjectFit != "" {
		return style.ObjectFit
	}
	return schemas.ObjectFitCover
}

func corners(style *schemas.Style, k contentKey) schemas.Corners {
	var r schemas.Corners
	if style.BorderRadius != nil {
		r = *style.BorderRadius
	}
	if k.radius >= 0 {
		r = schemas.Corners{k.radius, k.radius, k.radius, k.radius}
	}
	return r
}

// shapeLook draws rect, circle and polygon clips.
type shapeLook struct {
	style *schemas.Style
	shape func(k contentKey, ss paint.ShapeStyle) (raster.Layer, error)
}

func (l shapeLook) key(st *motion.State, _ float64) contentKey { return baseKey(st) }

func (l shapeLook) draw(_ context.Context, k contentKey, _ float64) (raster.Layer, error) {
	ss := paint.ShapeStyle{
		Fill: l.style.Fill, Stroke: l.style.Stroke,
		FillColor: k.fillOverride(), StrokeColor: k.strokeOverride(),
		Radius: corners(l.style, k),
	}
	if l.style.Fill == nil && !k.hasFill {
		ss.Fill = schemas.SolidPaint("#ffffff")
	}
	if l.style.StrokeWidth != nil {
		ss.StrokeWidth = *l.style.StrokeWidth
	} else if l.style.Stroke != nil || k.hasStroke {
		ss.StrokeWidth = 2
	}
	// Keyframes are checked against the budget; an easing that overshoots them is held at it.
	ss.StrokeWidth = min(orDefault(k.strokeWidth, ss.StrokeWidth), budget.MaxStrokeWidth)
	return l.shape(k, ss)
}

// textLook draws text clips.
type textLook struct {
	fonts *text.Registry
	text  string
	style text.Style
}

func (tl *Timeline) textStyle(style *schemas.Style) text.Style {
	st := text.Style{
		Family: style.FontFamily, Size: 48, Weight: 400, Italic: style.FontStyle == schemas.FontStyleItalic,
		LineHeight: 1.2, Align: style.TextAlign, Fill: style.Fill, Stroke: style.Stroke,
	}
	if style.FontSize != nil {
		st.Size = *style.FontSize
	}
	if style.FontWeight != nil {
		st.Weight = style.FontWeight.Value
	}
	if style.LineHeight != nil {
		st.LineHeight = *style.LineHeight
	}
	if style.LetterSpacing != nil {
		st.LetterSpacing = *style.LetterSpacing
	}
	if style.StrokeWidth != nil {
		st.StrokeWidth = *style.StrokeWidth
	} else if style.Stroke != nil {
		st.StrokeWidth = 2
	}
	return st
}

func (tl *Timeline) textLook(s string, style *schemas.Style, g *motion.Geometry) (look, error) {
	if err := checkTextLength("text", s); err != nil {
		return nil, err
	}
	st := tl.textStyle(style)
	if g.Width > 0 && (style.TextWrap == nil || *style.TextWrap) {
		st.WrapWidth = g.Width
	}
	block, err := tl.fonts.Layout(s, st)
	if err != nil {
		return nil, err
	}
	w, h := block.Size()
	if g.Width <= 0 {
		g.Width = math.Ceil(w)
	}
	if g.Height <= 0 {
		g.Height = math.Ceil(h)
	}
	return &textLook{fonts: tl.fonts, text: s, style: st}, nil
}

func (l *textLook) key(st *motion.State, _ float64) contentKey { return baseKey(st) }

func (l *textLook) draw(_ context.Context, k contentKey, _ float64) (raster.Layer, error) {
	st := l.style
	st.BoxWidth, st.BoxHeight = k.w, k.h
	st.FillColor, st.StrokeColor = k.fillOverride(), k.strokeOverride()
	// Keyframes are checked against the budget; an easing that overshoots them is held at it.
	st.Size = min(orDefault(k.fontSize, st.Size), budget.MaxFontSize)
	st.StrokeWidth = min(orDefault(k.strokeWidth, st.StrokeWidth), budget.MaxStrokeWidth)
	if st.WrapWidth > 0 {
		st.WrapWidth = k.w
	}
	layer, _, err := l.fonts.Draw(l.text, st)
	return layer, err
}

// imageLook draws image clips: decoded once, scaled once per box size. An animated GIF or WebP plays its
// frames at the file's own timing from the clip's start (paint.Animation).
type imageLook struct {
	img    image.Image
	anim   *paint.Animation
	svg    []byte // SVG sources are rasterized at the box size, for sharpness
	style  *schemas.Style
	isSVG  bool
	intrin [2]float64
}

func (tl *Timeline) imageLook(ctx context.Context, s *schemas.ImageClip, style *schemas.Style, g *motion.Geometry, clipPath string) (look, error) {
	path, err := tl.fetch(ctx, s.Src)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	l := &imageLook{style: style}
	if looksLikeSVG(data) {
		// The intrinsic size is read, not drawn: a 142-byte SVG may declare 16384 × 16384 px.
		w, h, err := paint.CheckSVG(data)
		if err != nil {
			return nil, &DocumentError{Message: fmt.Sprintf("the SVG %s cannot be drawn: %v", mediaName(s.Src), err), Cause: err}
		}
		l.svg, l.isSVG = tl.svgText(data, clipPath), true
		fitAspect(g, w, h)
		return l, nil
	}
	anim, err := paint.DecodeAnimation(data)
	if err != nil {
		return nil, &DocumentError{Message: fmt.Sprintf("the image %s cannot be used: %s", mediaName(s.Src), imageProblem(err)), Cause: err}
	}
	if anim != nil {
		l.anim = anim
		b := anim.Frames[0].Rect
		fitAspect(g, float64(b.Dx()), float64(b.Dy()))
		return l, nil
	}
	img, err := paint.DecodeImage(data)
	if errors.Is(err, paint.ErrNeedsFFmpeg) || errors.Is(err, image.ErrFormat) {
		// Formats Go cannot read (AVIF, HEIC) go through FFmpeg, their size checked before they are decoded.
		img, err = decodeWithFFmpeg(ctx, path)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The message names the document's src, never the cache file it was read from.
		return nil, &DocumentError{Message: fmt.Sprintf("the image %s cannot be used: %s", mediaName(s.Src), imageProblem(err)), Cause: err}
	}
	l.img = img
	b := img.Bounds()
	fitAspect(g, float64(b.Dx()), float64(b.Dy()))
	return l, nil
}

// decodeWithFFmpeg decodes the first frame of the image file at path with FFmpeg, after checking the size
// ffprobe reads from its header against the budget.
func decodeWithFFmpeg(ctx context.Context, path string) (image.Image, error) {
	probe, err := ffmpeg.Probe(ctx, path)
	if err != nil {
		return nil, err
	}
	vs, ok := probe.Video()
	if !ok {
		return nil, errors.New("no picture in the file")
	}
	if err := paint.CheckImageSize(vs.DisplaySize()); err != nil {
		return nil, err
	}
	return ffmpeg.FrameAt(ctx, path, 0, 0, 0)
}

func looksLikeSVG(data []byte) bool {
	head := strings.ToLower(string(data[:min(len(data), 512)]))
	return strings.Contains(head, "<svg") || (strings.HasPrefix(strings.TrimSpace(head), "<?xml") && strings.Contains(strings.ToLower(string(data)), "<svg"))
}

func (l *imageLook) key(st *motion.State, local float64) contentKey {
	k := baseKey(st)
	if l.anim != nil {
		k.frame = int64(l.anim.FrameAt(local))
	}
	k.fill, k.hasFill, k.stroke, k.hasStroke = color.NRGBA{}, false, color.NRGBA{}, false // images take no paint
	return k
}

func (l *imageLook) draw(ctx context.Context, k contentKey, _ float64) (raster.Layer, error) {
	if l.isSVG {
		layer, err := paint.SVGContext(ctx, l.svg, k.w, k.h)
		if err != nil {
			return raster.Layer{}, err
		}
		paint.RoundCorners(layer, corners(l.style, k))
		return layer, nil
	}
	img := l.img
	if l.anim != nil {
		img = l.anim.Frames[k.frame]
	}
	return paint.Fit(img, k.w, k.h, objectFit(l.style), corners(l.style, k)), nil
}

// strokeLook draws line and path clips. Their points are px relative to the clip's position: (0, 0) of the
// geometry goes where transform x/y put the anchor.
type strokeLook struct {
	style *schemas.Style
	path  paint.StrokePath
}

func newStrokeLook(g *motion.Geometry, style *schemas.Style, s schemas.Stroked, p paint.StrokePath) (look, error) {
	p.Closed, p.StartOffset, p.EndOffset = s.Closed, s.StartOffset, s.EndOffset
	p.StartArrow, p.EndArrow = s.StartArrow, s.EndArrow
	p.DrawStart, p.DrawEnd = s.DrawStart, s.DrawEnd
	p.Width = 4
	if s.LineWidth != nil {
		p.Width = *s.LineWidth
	} else if style.StrokeWidth != nil {
		p.Width = *style.StrokeWidth
	}
	if s.ArrowSize != nil {
		p.ArrowSize = *s.ArrowSize
	}
	p.Cap, p.Join = s.LineCap, s.LineJoin
	p.Color = style.Stroke
	if p.Color == nil {
		p.Color = schemas.SolidPaint("#ffffff")
	}
	if s.Closed {
		p.Fill = style.Fill
	}
	layer, err := paint.Stroke(p)
	if err != nil {
		return nil, err
	}
	// The box is the geometry's own coordinate frame: its origin (0, 0) is the clip's position.
	g.Width, g.Height = layer.BoxW, layer.BoxH
	g.AnchorX, g.AnchorY = 0, 0
	return &strokeLook{style: style, path: p}, nil
}

func (l *strokeLook) key(st *motion.State, _ float64) contentKey { return baseKey(st) }

func (l *strokeLook) draw(_ context.Context, k contentKey, _ float64) (raster.Layer, error) {
	p := l.path
	if k.drawS >= 0 {
		p.DrawStart = &k.drawS
	}
	if k.drawE >= 0 {
		p.DrawEnd = &k.drawE
	}
	p.Width = min(orDefault(k.strokeWidth, p.Width), budget.MaxStrokeWidth)
	p.ColorOverride = k.strokeOverride()
	p.FillOverride = k.fillOverride()
	return paint.Stroke(p)
}

// svgLook draws svg clips.
type svgLook struct {
	markup []byte
}

func (tl *Timeline) svgLook(ctx context.Context, s *schemas.SVGClip, g *motion.Geometry, clipPath string) (look, error) {
	var markup []byte
	switch {
	case s.SVG != nil:
		text, url, err := tl.Doc.ResolveSVG(*s.SVG)
		if err != nil {
			return nil, err
		}
		markup = []byte(text)
		if url != "" {
			path, err := tl.fetchURL(ctx, url)
			if err != nil {
				return nil, err
			}
			if markup, err = os.ReadFile(path); err != nil {
				return nil, err
			}
		}
	case s.Src != nil:
		path, err := tl.fetch(ctx, *s.Src)
		if err != nil {
			return nil, err
		}
		if markup, err = os.ReadFile(path); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("an svg clip needs svg markup or src")
	}
	w, h, err := paint.CheckSVG(markup) // read, not drawn: the size may be absurd
	if err != nil {
		return nil, err
	}
	fitAspect(g, w, h)
	return &svgLook{markup: tl.svgText(markup, clipPath)}, nil
}

// svgText returns SVG markup with its <text> elements turned into paths drawn with the engine's fonts (the
// SVG renderer draws no text), warning, with the clip's path, about characters no font draws and text over
// the budget. Markup that is not well-formed is returned as it is: drawing it reports the problem.
func (tl *Timeline) svgText(markup []byte, clipPath string) []byte {
	out, warnings, err := tl.fonts.SVGTextToPaths(markup)
	if err != nil {
		if strings.Contains(err.Error(), "the limit") {
			tl.warn("%s: %v", clipPath, err)
		}
		return markup
	}
	for _, w := range warnings {
		tl.warn("%s: %s", clipPath, w)
	}
	return out
}

func (l *svgLook) key(st *motion.State, _ float64) contentKey {
	return contentKey{w: st.Width, h: st.Height}
}

func (l *svgLook) draw(ctx context.Context, k contentKey, _ float64) (raster.Layer, error) {
	return paint.SVGContext(ctx, l.markup, k.w, k.h)
}
