package text

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	"golang.org/x/image/vector"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// Defaults of a CodeStyle.
const (
	DefaultCodeFamily     = LiberationMono
	DefaultCodeSize       = 32
	DefaultCodeLineHeight = 1.4
	// DimmedOpacity is the opacity of lines outside CodeStyle.Selection.
	DimmedOpacity = 0.35
	// codeTabWidth is how many spaces a tab stands for.
	codeTabWidth = 4
)

// CodePalette gives the colours of a code listing.
type CodePalette struct {
	Background, Plain, Keyword, String, Comment, Number color.NRGBA
}

// DefaultCodePalette is a dark theme in the spirit of One Dark.
var DefaultCodePalette = CodePalette{
	Background: color.NRGBA{0x28, 0x2c, 0x34, 0xff},
	Plain:      color.NRGBA{0xab, 0xb2, 0xbf, 0xff},
	Keyword:    color.NRGBA{0xc6, 0x78, 0xdd, 0xff},
	String:     color.NRGBA{0x98, 0xc3, 0x79, 0xff},
	Comment:    color.NRGBA{0x7f, 0x84, 0x8e, 0xff},
	Number:     color.NRGBA{0xd1, 0x9a, 0x66, 0xff},
}

func (p *CodePalette) color(k tokenKind) color.NRGBA {
	switch k {
	case keywordToken:
		return p.Keyword
	case stringToken:
		return p.String
	case commentToken:
		return p.Comment
	case numberToken:
		return p.Number
	}
	return p.Plain
}

// CodeStyle describes a code listing. Zero fields take the documented defaults.
type CodeStyle struct {
	// Family is a CSS font-family list (default Liberation Mono); a proportional family works but looks odd.
	Family string
	// Size is the font size in pixels (default 32).
	Size float64
	// LineHeight is the distance between baselines as a multiple of Size (default 1.4).
	LineHeight float64
	// Selection lists the 1-based line ranges kept bright; the other lines are drawn at DimmedOpacity.
	// Empty keeps every line bright.
	Selection []schemas.LineRange
	// Padding is the space between the panel's edge and the text (default Size × 0.75).
	Padding float64
	// Radius rounds the panel's corners (default Size × 0.4; negative for square corners).
	Radius float64
	// Palette gives the colours; nil means DefaultCodePalette.
	Palette *CodePalette
	// BoxWidth and BoxHeight, when positive, are the panel's size: the text keeps its font size inside it
	// (a smaller box cuts the listing off at its edge, a larger one leaves room). Zero fits the listing.
	BoxWidth, BoxHeight float64
	// Revealing limits what is drawn, for code that appears line by line or typed: with RevealChars false
	// the first Reveal lines, with RevealChars true the first Reveal characters (each line break counts as
	// one). Without Revealing everything is drawn.
	Revealing   bool
	Reveal      int
	RevealChars bool
}

func (st CodeStyle) withDefaults() (CodeStyle, error) {
	if st.Family == "" {
		st.Family = DefaultCodeFamily
	}
	if st.Size == 0 {
		st.Size = DefaultCodeSize
	}
	if st.LineHeight == 0 {
		st.LineHeight = DefaultCodeLineHeight
	}
	if st.Padding == 0 {
		st.Padding = st.Size * 0.75
	}
	if st.Radius == 0 {
		st.Radius = st.Size * 0.4
	}
	if st.Palette == nil {
		st.Palette = &DefaultCodePalette
	}
	if !(st.Size > 0 && st.Size <= 1000) || !(st.LineHeight > 0 && st.LineHeight <= 100) ||
		!(st.Padding >= 0 && st.Padding <= 10000) || math.IsNaN(st.Radius) {
		return st, fmt.Errorf("code style: size %v, line height %v, padding %v or radius %v is out of range",
			st.Size, st.LineHeight, st.Padding, st.Radius)
	}
	return st, nil
}

// selected reports whether 1-based line n is kept bright.
func (st *CodeStyle) selected(n int) bool {
	if len(st.Selection) == 0 {
		return true
	}
	for _, r := range st.Selection {
		if n >= min(r.From, r.To) && n <= max(r.From, r.To) {
			return true
		}
	}
	return false
}

// codeLine is one laid-out line of a listing with the token kind of each of its glyphs.
type codeLine struct {
	line  Line
	kinds []tokenKind // per glyph of line.glyphs
	size  float64
	runes int // characters of the line, without its line break
}

// DrawCode draws a code listing on a dark rounded panel: monospace text coloured by a small tokenizer for
// language (go, js/ts, python, rust, c/c++/c#, java/kotlin, shell, ruby, sql, json/yaml, html/xml; other names
// get generic C-like rules), with lines outside st.Selection dimmed. Tabs count as four spaces. The layer's
// box is the whole panel.
func (r *Registry) DrawCode(code, lang string, st CodeStyle) (raster.Layer, error) {
	st, err := st.withDefaults()
	if err != nil {
		return raster.Layer{}, err
	}
	code = strings.TrimRight(strings.ReplaceAll(strings.ReplaceAll(code, "\r\n", "\n"), "\t", strings.Repeat(" ", codeTabWidth)), "\n")
	textStyle := Style{Family: st.Family, Size: st.Size, LineHeight: st.LineHeight, Align: schemas.TextAlignLeft}
	lines, err := r.layoutCode(code, languageFor(lang), textStyle)
	if err != nil {
		return raster.Layer{}, err
	}
	lineHeight := st.Size * st.LineHeight
	var textW float64
	for _, l := range lines {
		textW = math.Max(textW, l.line.Width)
	}
	w := int(math.Ceil(textW + 2*st.Padding))
	h := int(math.Ceil(float64(len(lines))*lineHeight + 2*st.Padding))
	if st.BoxWidth > 0 && st.BoxHeight > 0 {
		w, h = int(math.Ceil(st.BoxWidth)), int(math.Ceil(st.BoxHeight))
	}
	w, h = clampLayer(w, h) // a listing beyond the budget is cut: it reaches far past any frame
	layer := raster.NewLayer(w, h)
	fillRoundedRect(layer.Img, st.Palette.Background, math.Max(0, st.Radius))

	// Each line is rasterized in a strip a little taller than the line (for accents and descenders), one
	// pass per token kind present, so every kind gets its own colour.
	margin := math.Ceil(st.Size * 0.3)
	chars := st.Reveal // characters still to reveal, when revealing by character
	for i, cl := range lines {
		limit := -1 // glyphs of this line drawn: those whose character index is below limit (-1: all)
		if st.Revealing {
			if !st.RevealChars && i >= st.Reveal {
				break
			}
			if st.RevealChars {
				if chars <= 0 {
					break
				}
				limit = chars
				chars -= cl.runes + 1
			}
		}
		top := st.Padding + float64(i)*lineHeight
		strip := image.Rect(0, int(math.Floor(top-margin)), w, int(math.Ceil(top+lineHeight+margin))).Intersect(layer.Img.Rect)
		if strip.Empty() {
			continue
		}
		opacity := 1.0
		if !st.selected(i + 1) {
			opacity = DimmedOpacity
		}
		for k := tokenKind(0); k < tokenKinds; k++ {
			c := st.Palette.color(k)
			c.A = uint8(math.Round(float64(c.A) * opacity))
			cl.draw(layer.Img, strip, k, st.Padding, top, image.NewUniform(c), limit)
		}
	}
	return layer, nil
}

// layoutCode tokenizes code and lays out each line, remembering each glyph's token kind.
func (r *Registry) layoutCode(code string, lang *syntax, st Style) ([]codeLine, error) {
	var lines []codeLine
	var kinds []tokenKind // per rune of the current line
	flush := func(text string) error {
		b, err := r.Layout(text, st)
		if err != nil {
			return fmt.Errorf("draw code: %w", err)
		}
		l := b.Lines[0]
		l.Baseline -= (b.BoxHeight - b.Height) / 2 // relative to the line's top
		cl := codeLine{line: l, kinds: make([]tokenKind, len(l.glyphs)), size: st.Size, runes: len([]rune(text))}
		for i, g := range l.glyphs {
			if g.start < len(kinds) {
				cl.kinds[i] = kinds[g.start]
			}
		}
		lines = append(lines, cl)
		kinds = kinds[:0]
		return nil
	}
	var text strings.Builder
	for _, tok := range tokenize(code, lang) {
		for _, r := range tok.text {
			if r == '\n' {
				if err := flush(text.String()); err != nil {
					return nil, err
				}
				text.Reset()
				continue
			}
			text.WriteRune(r)
			kinds = append(kinds, tok.kind)
		}
	}
	if err := flush(text.String()); err != nil {
		return nil, err
	}
	return lines, nil
}

// draw paints the line's glyphs of kind k, with the line's top at y = top and its left end at x = left,
// into the strip of dst.
func (cl *codeLine) draw(dst *image.RGBA, strip image.Rectangle, k tokenKind, left, top float64, src image.Image, limit int) {
	z := rasterizers.Get().(*vector.Rasterizer)
	defer rasterizers.Put(z)
	z.Reset(strip.Dx(), strip.Dy())
	drawn := false
	for i, g := range cl.line.glyphs {
		o := g.face.outline(g.id)
		if cl.kinds[i] != k || o.empty() || (limit >= 0 && g.start >= limit) {
			continue
		}
		p := placement{
			ox:   left + cl.line.X + g.x - float64(strip.Min.X),
			oy:   top + cl.line.Baseline + g.y - float64(strip.Min.Y),
			size: cl.size,
		}
		if len(o.layers) > 0 { // an emoji in a comment or string: in its own colours
			abs := p
			abs.ox += float64(strip.Min.X)
			abs.oy += float64(strip.Min.Y)
			drawColorGlyph(dst, strip, o, abs, src)
			continue
		}
		o.emit(z, p)
		drawn = true
	}
	if drawn {
		z.DrawOp = draw.Over
		z.Draw(dst, strip, src, image.Point{})
	}
}

// fillRoundedRect fills the whole of dst with c, its corners rounded to radius r.
func fillRoundedRect(dst *image.RGBA, c color.NRGBA, r float64) {
	b := dst.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	r = math.Min(r, math.Min(w, h)/2)
	k := r * (1 - 0.5523) // distance from the corner to a cubic control point of a quarter circle
	z := rasterizers.Get().(*vector.Rasterizer)
	defer rasterizers.Put(z)
	z.Reset(b.Dx(), b.Dy())
	f := func(v float64) float32 { return float32(v) }
	z.MoveTo(f(r), 0)
	z.LineTo(f(w-r), 0)
	z.CubeTo(f(w-k), 0, f(w), f(k), f(w), f(r))
	z.LineTo(f(w), f(h-r))
	z.CubeTo(f(w), f(h-k), f(w-k), f(h), f(w-r), f(h))
	z.LineTo(f(r), f(h))
	z.CubeTo(f(k), f(h), 0, f(h-k), 0, f(h-r))
	z.LineTo(0, f(r))
	z.CubeTo(0, f(k), f(k), 0, f(r), 0)
	z.ClosePath()
	z.DrawOp = draw.Over
	z.Draw(dst, b, image.NewUniform(c), image.Point{})
}
