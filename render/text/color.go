package text

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	gofont "github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype/tables"
	"golang.org/x/image/vector"
)

// Colour glyphs. A COLR version 0 glyph (the format of the bundled Twemoji) is a stack of ordinary outlines,
// each filled with one colour of the font's palette (CPAL), bottom first. The engine draws them after the
// text's own fill, each layer rasterized only over the glyph's own box, so a colour emoji costs a few small
// fills and Latin text in the same line costs nothing more. Palette index 0xFFFF means "the text colour": such
// a layer is painted with the text's fill (colour or gradient). COLR version 1 glyphs (gradients and
// transforms in the font) are not drawn in colour: their plain outline is used, as for any other glyph.

// foregroundPalette is the palette index COLR uses for the text's own colour.
const foregroundPalette = 0xFFFF

// colorLayer is one layer of a colour glyph: an outline filled with one colour.
type colorLayer struct {
	outline    *glyphOutline
	color      color.NRGBA
	foreground bool // painted with the text's fill instead of color
}

// colorLayers returns the COLR v0 layers of glyph id in ft (default palette), or nil for a plain glyph.
func colorLayers(ft *gofont.Font, id gofont.GID) []colorLayer {
	if ft.COLR == nil || len(ft.CPAL) == 0 {
		return nil
	}
	fc := gofont.NewFace(ft)
	data, ok := fc.GlyphDataColor(id)
	if !ok {
		return nil
	}
	records, ok := data.Paint.(tables.PaintColrLayersResolved)
	if !ok || len(records) == 0 {
		return nil
	}
	palette := ft.CPAL[0]
	scale := 1 / float32(ft.Upem())
	layers := make([]colorLayer, 0, len(records))
	for _, rec := range records {
		o, ok := fc.GlyphDataOutline(gofont.GID(rec.GlyphID))
		if !ok || len(o.Segments) == 0 {
			continue
		}
		l := colorLayer{outline: newGlyphOutline(o.Segments, scale)}
		switch {
		case rec.PaletteIndex == foregroundPalette:
			l.foreground = true
		case int(rec.PaletteIndex) < len(palette):
			c := palette[rec.PaletteIndex]
			l.color = color.NRGBA{R: c.Red, G: c.Green, B: c.Blue, A: c.Alpha}
		default:
			continue // a broken palette reference: leave the layer out rather than guess its colour
		}
		layers = append(layers, l)
	}
	return layers
}

// withLayers makes g a colour glyph: its box becomes the union of the layers' boxes.
func (g *glyphOutline) withLayers(layers []colorLayer) *glyphOutline {
	if len(layers) == 0 {
		return g
	}
	g.layers = layers
	g.minX, g.minY, g.maxX, g.maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, l := range layers {
		g.minX, g.minY = math.Min(g.minX, l.outline.minX), math.Min(g.minY, l.outline.minY)
		g.maxX, g.maxY = math.Max(g.maxX, l.outline.maxX), math.Max(g.maxY, l.outline.maxY)
	}
	return g
}

// drawColorGlyph paints the layers of colour glyph o, placed by p in dst's coordinates, source-over into the
// part of clip the glyph covers. fg paints the foreground layers (in dst's coordinates); nil leaves them out.
func drawColorGlyph(dst *image.RGBA, clip image.Rectangle, o *glyphOutline, p placement, fg image.Image) {
	x0, y0, x1, y1 := o.bounds(p)
	r := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1))).Intersect(clip)
	if r.Empty() {
		return
	}
	local := p
	local.ox -= float64(r.Min.X)
	local.oy -= float64(r.Min.Y)
	z := rasterizers.Get().(*vector.Rasterizer)
	defer rasterizers.Put(z)
	for _, l := range o.layers {
		src := fg
		if !l.foreground {
			if l.color.A == 0 {
				continue
			}
			src = image.NewUniform(l.color)
		}
		if src == nil {
			continue
		}
		z.Reset(r.Dx(), r.Dy())
		l.outline.emit(z, local)
		z.DrawOp = draw.Over
		z.Draw(dst, r, src, r.Min)
	}
}

// emitLayers sends every layer's contours to sink (the silhouette a stroke goes around).
func (g *glyphOutline) emitLayers(sink pathSink, p placement) {
	for _, l := range g.layers {
		l.outline.emit(sink, p)
	}
}

// emojiFirst reports whether r should be drawn from the emoji font before the rest of the chain: characters
// outside the Basic Multilingual Plane from U+1F000 (emoji, flags, skin tones), the BMP characters whose
// default presentation is emoji (Unicode's Emoji_Presentation property), and those the text asks to show as
// emoji with U+FE0F (presented).
func emojiFirst(r rune, presented map[rune]bool) bool {
	if r >= 0x1F000 && r <= 0x1FAFF {
		return true
	}
	if r < 0x231A {
		return presented[r]
	}
	for _, rg := range emojiPresentationBMP {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return presented[r]
}

// emojiPresentationBMP lists the BMP ranges with Emoji_Presentation=Yes (Unicode 15 emoji-data.txt).
var emojiPresentationBMP = [][2]rune{
	{0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE},
	{0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
	{0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4},
	{0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
	{0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E},
	{0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
	{0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
}

// presentedAsEmoji returns the characters of runes followed by U+FE0F (emoji presentation selector), or nil.
func presentedAsEmoji(runes []rune) map[rune]bool {
	var m map[rune]bool
	for i := 1; i < len(runes); i++ {
		if runes[i] == 0xFE0F {
			if m == nil {
				m = map[rune]bool{}
			}
			m[runes[i-1]] = true
		}
	}
	return m
}
