package text

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/framecast/framecast/schemas"
	gofont "github.com/go-text/typesetting/font"
)

// Defaults applied to zero fields of a Style.
const (
	DefaultSize       = 48
	DefaultWeight     = 400
	DefaultLineHeight = 1.2
)

// Synthesized faces: used when a family lacks the wanted weight or style.
const (
	// syntheticItalicSkew slants upright glyphs (x += skew·y), about 14°, as browsers do.
	syntheticItalicSkew = 0.25
	// syntheticBoldStroke is the extra outline width, as a fraction of the font size, that thickens a face
	// lighter than 600 when a weight of 600 or more is asked for (between Skia's 1/24 and 1/32).
	syntheticBoldStroke = 1.0 / 28
)

// Style describes how text is set and painted. Zero fields take the documented defaults.
type Style struct {
	// Family is a CSS font-family list, e.g. `"Helvetica Neue", Arial, sans-serif`; the first entry that
	// resolves is used (see Registry.Resolve). Empty means DefaultFamily.
	Family string
	// Size is the font size in pixels (default 48).
	Size float64
	// Weight is the CSS weight, 100..900 (default 400).
	Weight int
	// Italic asks for an italic face; an upright face is slanted when the family has none.
	Italic bool
	// LineHeight is the distance between baselines as a multiple of Size (default 1.2).
	LineHeight float64
	// LetterSpacing is extra space in pixels between characters (not after a line's last one).
	LetterSpacing float64
	// Align places each line in the box: left, center (default) or right.
	Align schemas.TextAlign
	// WrapWidth, when positive, wraps lines at word boundaries to fit this width in pixels; a word longer
	// than the width is broken between characters.
	WrapWidth float64

	// Fill paints the glyphs (default #ffffff). FillColor, when set, overrides it (a keyframed color).
	Fill      *schemas.Paint
	FillColor *color.NRGBA
	// Stroke outlines the glyphs, centered on their edges and drawn under the fill, StrokeWidth pixels wide.
	// StrokeColor, when set, overrides Stroke.
	Stroke      *schemas.Paint
	StrokeColor *color.NRGBA
	StrokeWidth float64

	// BoxWidth and BoxHeight, when positive, give the box the text is set in: lines are aligned
	// horizontally in it and the block of lines is centered vertically. Zero fits the box to the text.
	BoxWidth, BoxHeight float64
}

// withDefaults returns st with zero fields replaced by defaults, or an error for values that make no sense.
func (st Style) withDefaults() (Style, error) {
	if st.Size == 0 {
		st.Size = DefaultSize
	}
	if st.Weight == 0 {
		st.Weight = DefaultWeight
	}
	if st.LineHeight == 0 {
		st.LineHeight = DefaultLineHeight
	}
	if st.Align == "" {
		st.Align = schemas.TextAlignCenter
	}
	checks := []struct {
		name string
		v    float64
		ok   bool
	}{
		{"size", st.Size, st.Size > 0 && st.Size <= budget.MaxFontSize},
		{"weight", float64(st.Weight), st.Weight >= 1 && st.Weight <= 1000},
		{"line height", st.LineHeight, st.LineHeight > 0 && st.LineHeight <= budget.MaxLineHeight},
		{"letter spacing", st.LetterSpacing, math.Abs(st.LetterSpacing) <= budget.MaxLetterSpacing},
		{"wrap width", st.WrapWidth, st.WrapWidth >= 0 && st.WrapWidth <= 1e6},
		{"stroke width", st.StrokeWidth, st.StrokeWidth >= 0 && st.StrokeWidth <= budget.MaxStrokeWidth},
		{"box width", st.BoxWidth, st.BoxWidth >= 0 && st.BoxWidth <= 1e6},
		{"box height", st.BoxHeight, st.BoxHeight >= 0 && st.BoxHeight <= 1e6},
	}
	for _, c := range checks {
		if !c.ok || math.IsNaN(c.v) {
			return st, fmt.Errorf("text style: %s %v is out of range", c.name, c.v)
		}
	}
	switch st.Align {
	case schemas.TextAlignLeft, schemas.TextAlignCenter, schemas.TextAlignRight:
	default:
		return st, fmt.Errorf("text style: align %q: use left, center or right", st.Align)
	}
	return st, nil
}

// Block is laid-out text: lines of positioned glyphs in the coordinates of the text box, whose top-left
// corner is (0, 0).
type Block struct {
	// Lines are the lines from top to bottom.
	Lines []Line
	// Width and Height measure the text itself: the widest line, and the number of lines × line height.
	Width, Height float64
	// BoxWidth and BoxHeight are the box the lines are placed in: Style.BoxWidth/BoxHeight, or the text's
	// own size when those are zero.
	BoxWidth, BoxHeight float64
	// Warnings tell about substitutions, such as an unknown font family.
	Warnings []string
	// Missing lists the characters no font of the fallback chain draws (they show as the primary font's
	// empty box), sorted; a warning names them.
	Missing []rune

	size       float64
	skew       float64 // synthetic italic slant
	embolden   float64 // synthetic bold outline width in pixels, 0 when the face has the weight
	glyphCount int
}

// Line is one line of a Block.
type Line struct {
	// Text is the line's content, without the spaces at which it was wrapped.
	Text string
	// X is the left edge of the line in the box (after alignment); Baseline is its baseline's y.
	X, Baseline float64
	// Width is the advance width of the line.
	Width float64

	glyphs []placedGlyph
}

// placedGlyph is a glyph with its origin, relative to the line's left end and baseline, in pixels.
type placedGlyph struct {
	face  *face
	id    gofont.GID
	x, y  float64
	start int // index of the first character (rune) of the glyph's cluster in its paragraph
}

// Size returns the measured size of the text, for intrinsic sizes and layouts.
func (b *Block) Size() (w, h float64) { return b.Width, b.Height }

// Layout shapes s (with kerning, ligatures and per-character font fallback) and breaks it into lines: at
// each "\n" and, when st.WrapWidth is positive, at word boundaries.
func (r *Registry) Layout(s string, st Style) (*Block, error) {
	st, err := st.withDefaults()
	if err != nil {
		return nil, err
	}
	r.mu.RLock()
	fam, warning := r.resolveLocked(st.Family)
	primary := fam.match(st.Weight, st.Italic)
	chain := r.chainLocked(primary, st.Weight, st.Italic)
	r.mu.RUnlock()

	b := &Block{size: st.Size}
	if warning != "" {
		b.Warnings = append(b.Warnings, warning)
	}
	if st.Italic && !primary.italic {
		b.skew = syntheticItalicSkew
	}
	if st.Weight >= 600 && primary.weight < 600 {
		b.embolden = st.Size * syntheticBoldStroke
	}
	ascent, descent, err := fontExtents(primary)
	if err != nil {
		return nil, fmt.Errorf("layout text: %w", err)
	}
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		sh, err := r.shapes.shape(para, primary, chain, st.Weight, st.Italic)
		if err != nil {
			return nil, fmt.Errorf("layout text: %w", err)
		}
		b.Missing = append(b.Missing, sh.missing...)
		b.Lines = append(b.Lines, breakLines(sh.clusters, st)...)
	}
	if len(b.Missing) > 0 {
		slices.Sort(b.Missing)
		b.Missing = slices.Compact(b.Missing)
		b.Warnings = append(b.Warnings, MissingGlyphsWarning(b.Missing))
	}

	lineHeight := st.Size * st.LineHeight
	b.Height = float64(len(b.Lines)) * lineHeight
	for _, l := range b.Lines {
		b.Width = math.Max(b.Width, l.Width)
		b.glyphCount += len(l.glyphs)
	}
	b.BoxWidth, b.BoxHeight = b.Width, b.Height
	if st.BoxWidth > 0 {
		b.BoxWidth = st.BoxWidth
	}
	if st.BoxHeight > 0 {
		b.BoxHeight = st.BoxHeight
	}
	// Half-leading as in CSS: the font's ascent + descent is centered in each line's height.
	top := (b.BoxHeight - b.Height) / 2
	baseline := (lineHeight-(ascent+descent)*st.Size)/2 + ascent*st.Size
	for i := range b.Lines {
		l := &b.Lines[i]
		l.Baseline = top + float64(i)*lineHeight + baseline
		switch st.Align {
		case schemas.TextAlignLeft:
			l.X = 0
		case schemas.TextAlignRight:
			l.X = b.BoxWidth - l.Width
		default:
			l.X = (b.BoxWidth - l.Width) / 2
		}
	}
	return b, nil
}

// breakLines splits one paragraph's clusters into lines no wider than st.WrapWidth (when positive). Lines
// break after whitespace; the whitespace at a break is dropped. A word wider than the width is broken
// between clusters, keeping at least one cluster per line.
func breakLines(clusters []cluster, st Style) []Line {
	width := func(c cluster) float64 { return c.advance*st.Size + st.LetterSpacing }
	if st.WrapWidth <= 0 {
		return []Line{makeLine(clusters, st)}
	}
	var lines []Line
	var start, end int // current line: clusters[start:end] hold content, possibly followed by spaces
	var lineW, pendingSpaces float64
	flush := func() {
		lines = append(lines, makeLine(clusters[start:end], st))
	}
	for i := 0; i < len(clusters); {
		// A word: its content clusters [i, j) (leading spaces count as content at a paragraph's start),
		// then its trailing spaces [j, k).
		j := i
		for j < len(clusters) && clusters[j].space && i == 0 {
			j++
		}
		for j < len(clusters) && !clusters[j].space {
			j++
		}
		var wordW float64
		for _, c := range clusters[i:j] {
			wordW += width(c)
		}
		k := j
		var spacesW float64
		for k < len(clusters) && clusters[k].space {
			spacesW += width(clusters[k])
			k++
		}
		switch {
		case end > start && lineW+pendingSpaces+wordW-st.LetterSpacing <= st.WrapWidth:
			lineW += pendingSpaces + wordW
			end = j
		default:
			if end > start {
				flush()
			}
			start, end, lineW = i, i, 0
			for end < j {
				w := width(clusters[end])
				if end > start && lineW+w-st.LetterSpacing > st.WrapWidth {
					flush()
					start, lineW = end, 0
				}
				lineW += w
				end++
			}
		}
		pendingSpaces = spacesW
		i = k
	}
	if end > start || len(lines) == 0 {
		flush()
	}
	return lines
}

// makeLine positions the clusters of one line from its left end. Whitespace at the line's end takes no room.
func makeLine(clusters []cluster, st Style) Line {
	for len(clusters) > 0 && clusters[len(clusters)-1].space {
		clusters = clusters[:len(clusters)-1]
	}
	var l Line
	var pen float64
	var sb strings.Builder
	for i, c := range clusters {
		for _, g := range c.glyphs {
			l.glyphs = append(l.glyphs, placedGlyph{face: g.face, id: g.id, x: pen + g.x*st.Size, y: -g.y * st.Size, start: c.start})
		}
		pen += c.advance * st.Size
		if i < len(clusters)-1 {
			pen += st.LetterSpacing
		}
		sb.WriteString(c.text)
	}
	l.Width = pen
	l.Text = sb.String()
	reorderVisually(&l, clusters, st)
	return l
}

// reorderVisually places the glyphs of a line that mixes directions in visual order (Unicode bidi rule L2):
// from the highest level down to the lowest odd one, every run of clusters at that level or higher is
// reversed. Plain left-to-right lines are left as they are.
func reorderVisually(l *Line, clusters []cluster, st Style) {
	top, lowestOdd := uint8(0), uint8(255)
	for _, c := range clusters {
		top = max(top, c.level)
		if c.level%2 == 1 {
			lowestOdd = min(lowestOdd, c.level)
		}
	}
	if top == 0 {
		return
	}
	order := make([]int, len(clusters))
	for i := range order {
		order[i] = i
	}
	for lv := top; lv >= lowestOdd && lv > 0; lv-- {
		for i := 0; i < len(order); {
			if clusters[order[i]].level < lv {
				i++
				continue
			}
			j := i
			for j < len(order) && clusters[order[j]].level >= lv {
				j++
			}
			slices.Reverse(order[i:j])
			i = j
		}
	}
	l.glyphs = l.glyphs[:0]
	var pen float64
	for k, i := range order {
		c := clusters[i]
		for _, g := range c.glyphs {
			l.glyphs = append(l.glyphs, placedGlyph{face: g.face, id: g.id, x: pen + g.x*st.Size, y: -g.y * st.Size, start: c.start})
		}
		pen += c.advance * st.Size
		if k < len(order)-1 {
			pen += st.LetterSpacing
		}
	}
}
