package render

import (
	"context"
	"math"
	"strings"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/render/text"
	"github.com/framecast/framecast/render/three"
	"github.com/framecast/framecast/schemas"
)

// codeLook draws code clips: a listing in a monospace font with simple syntax colours, on a panel the size
// of the clip's box (the text keeps its font size: a box of another size is more or less panel, never
// stretched glyphs), optionally revealed line by line or typed.
type codeLook struct {
	fonts *text.Registry
	clip  *schemas.CodeClip
	style text.CodeStyle
	// reveal: units (lines or characters) shown per second after revealDelay; total units; 0 rate = no reveal
	revealRate, revealDelay float64
	revealTotal             int
}

// Default reveal speeds, when a reveal gives neither duration nor speed.
const (
	defaultRevealLinesPerSecond = 2
	defaultRevealCharsPerSecond = 30
)

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
	if r := s.Reveal; r != nil {
		code := strings.TrimRight(strings.ReplaceAll(s.Code, "\r\n", "\n"), "\n")
		l.style.RevealChars = r.Mode == schemas.CodeRevealChar
		l.revealTotal = strings.Count(code, "\n") + 1
		speed := float64(defaultRevealLinesPerSecond)
		if l.style.RevealChars {
			l.revealTotal = len([]rune(code))
			speed = defaultRevealCharsPerSecond
		}
		if r.Speed != nil && *r.Speed > 0 {
			speed = *r.Speed
		}
		if r.Duration != nil && *r.Duration > 0 {
			speed = float64(l.revealTotal) / *r.Duration
		}
		l.revealRate, l.revealDelay = speed, r.Delay
	}
	return l, nil
}

// revealed is how many lines or characters show at local time t (-1: all).
func (l *codeLook) revealed(t float64) int {
	if l.revealRate <= 0 {
		return -1
	}
	n := int(math.Floor((t-l.revealDelay)*l.revealRate + 1e-9))
	if n >= l.revealTotal {
		return -1
	}
	return max(n, 0)
}

// The panel is drawn at the box size; while revealing, once per newly shown line or character.
func (l *codeLook) key(st *motion.State, local float64) contentKey {
	return contentKey{w: st.Width, h: st.Height, frame: int64(l.revealed(local) + 1)}
}

func (l *codeLook) draw(_ context.Context, k contentKey, _ float64) (raster.Layer, error) {
	st := l.style
	st.BoxWidth, st.BoxHeight = k.w, k.h
	if n := int(k.frame) - 1; n >= 0 {
		st.Revealing, st.Reveal = true, n
	}
	layer, err := l.fonts.DrawCode(l.clip.Code, l.clip.Language, st)
	if err != nil {
		return raster.Layer{}, err
	}
	layer.BoxW, layer.BoxH = k.w, k.h
	return layer, nil
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
