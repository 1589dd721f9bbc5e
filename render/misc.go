package render

import (
	"context"
	"math"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/render/text"
	"github.com/framecast/framecast/render/three"
	"github.com/framecast/framecast/schemas"
)

// codeLook draws code clips: a listing in a monospace font with simple syntax colours.
type codeLook struct {
	fonts *text.Registry
	clip  *schemas.CodeClip
	style text.CodeStyle
}

func (tl *Timeline) codeLook(s *schemas.CodeClip, g *motion.Geometry) (look, error) {
	if err := checkTextLength("code", s.Code); err != nil {
		return nil, err
	}
	st := text.CodeStyle{Family: s.FontFamily, Size: 32, LineHeight: 1.4, Selection: s.Selection}
	if s.FontSize != nil {
		st.Size = *s.FontSize
	}
	if s.LineHeight != nil {
		st.LineHeight = *s.LineHeight
	}
	l := &codeLook{fonts: tl.fonts, clip: s, style: st}
	layer, err := tl.fonts.DrawCode(s.Code, s.Language, st)
	if err != nil {
		return nil, err
	}
	fitAspect(g, layer.BoxW, layer.BoxH)
	return l, nil
}

// The listing is drawn once at its own size; a box of another size stretches it (drawLayer).
func (l *codeLook) key(*motion.State, float64) contentKey { return contentKey{} }

func (l *codeLook) draw(context.Context, contentKey, float64) (raster.Layer, error) {
	return l.fonts.DrawCode(l.clip.Code, l.clip.Language, l.style)
}

// emptyLook draws nothing; clip types the engine cannot draw yet use it after a warning.
type emptyLook struct{}

func (emptyLook) key(*motion.State, float64) contentKey { return contentKey{} }

func (emptyLook) draw(context.Context, contentKey, float64) (raster.Layer, error) {
	return raster.Layer{}, nil
}

// threeLook draws three clips: a small 3D scene rendered in software at the box size (the canvas when the
// transform gives none). A scene with animations changes every frame; one without is drawn once.
type threeLook struct {
	tl       *Timeline
	clip     *schemas.ThreeClip
	animated bool
	fps      float64
}

func (tl *Timeline) threeLook(s *schemas.ThreeClip, g *motion.Geometry) (look, error) {
	defaultSize(g, tl.docW, tl.docH)
	l := &threeLook{tl: tl, clip: s, fps: tl.FPS}
	for _, o := range s.Objects {
		l.animated = l.animated || len(o.Animations) > 0
	}
	return l, nil
}

func (l *threeLook) key(st *motion.State, local float64) contentKey {
	k := contentKey{w: st.Width, h: st.Height}
	if l.animated {
		k.frame = int64(math.Floor(local*l.fps + 1e-6))
	}
	return k
}

func (l *threeLook) draw(_ context.Context, k contentKey, local float64) (raster.Layer, error) {
	layer, warnings, err := three.Draw(l.clip, int(math.Ceil(k.w)), int(math.Ceil(k.h)), local)
	for _, w := range warnings {
		l.tl.warn("%s", w)
	}
	return layer, err
}
