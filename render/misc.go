package render

import (
	"context"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/render/text"
	"github.com/framecast/framecast/schemas"
)

// codeLook draws code clips: a listing in a monospace font with simple syntax colours.
type codeLook struct {
	fonts *text.Registry
	clip  *schemas.CodeClip
	style text.CodeStyle
}

func (tl *Timeline) codeLook(s *schemas.CodeClip, g *motion.Geometry) (look, error) {
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

func (tl *Timeline) threeLook(s *schemas.ThreeClip, g *motion.Geometry) (look, error) {
	tl.warn("three clips are not drawn yet: the 3D scene at %.2fs is left out", s.Start)
	defaultSize(g, 1, 1)
	return emptyLook{}, nil
}
