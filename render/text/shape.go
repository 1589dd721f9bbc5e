package text

import (
	"slices"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	gofont "github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/bidi"
)

// shapeUnits is the size, in 26.6 units per em, at which text is shaped. Shaping without hinting is linear in
// the size, so shaped text is stored in ems and scaled at layout time: a keyframed font size never reshapes.
const shapeUnits = 1000

// maxShapeCacheEntries bounds the shaped-paragraph cache; it is emptied when full.
const maxShapeCacheEntries = 4096

// shapedGlyph is one glyph of a cluster, positioned in ems relative to the cluster's origin (y grows up).
type shapedGlyph struct {
	face *face
	id   gofont.GID
	x, y float64
}

// cluster is the smallest unit text is broken at: one or more characters shaped into one or more glyphs.
type cluster struct {
	glyphs  []shapedGlyph
	advance float64 // in ems
	space   bool    // whitespace: a line may break after it, and it is dropped at a line's end
	text    string  // the characters shaped into this cluster
	start   int     // index of its first character (rune) in the paragraph
	level   uint8   // bidi embedding level: even left-to-right, odd right-to-left (0 in plain LTR text)
}

// shapeKey identifies a shaped paragraph: its text and the fallback chain it was shaped with (the primary
// face, the wanted weight and style which pick the rest of the chain).
type shapeKey struct {
	primary *face
	weight  int
	italic  bool
	text    string
}

// shaped is a shaped paragraph and the characters no face of the chain draws.
type shaped struct {
	clusters []cluster
	missing  []rune
}

// shapeCache shapes paragraphs with HarfBuzz (go-text/typesetting) and keeps the results.
type shapeCache struct {
	mu        sync.Mutex
	entries   map[shapeKey]shaped
	shaper    shaping.HarfbuzzShaper
	segmenter shaping.Segmenter
}

func (c *shapeCache) clear() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}

// faceMap picks, for each character, the first face of the fallback chain with a glyph for it: the primary
// first (so text the chosen font draws never looks further, and never parses a fallback), then the chain in
// order; faces are parsed the first time they are asked. It implements shaping.Fontmap.
type faceMap struct {
	faces     []*face // primary, then the chain
	gos       []*gofont.Face
	emoji     int           // index in faces of the emoji font, 0 when the chain has none
	presented map[rune]bool // characters the text shows as emoji (followed by U+FE0F)
	missing   map[rune]bool // characters no face draws
}

// load returns faces[i] ready for shaping, parsing it on first use; nil when it does not parse.
func (m *faceMap) load(i int) *gofont.Face {
	if m.gos[i] == nil {
		ft, err := m.faces[i].parsed()
		if err != nil {
			return nil
		}
		m.gos[i] = gofont.NewFace(ft)
	}
	return m.gos[i]
}

// ResolveFace returns the face that draws r.
func (m *faceMap) ResolveFace(r rune) *gofont.Face {
	if m.emoji > 0 && emojiFirst(r, m.presented) {
		// The document's own fonts, then the emoji font: the bundled text fonts' symbols are skipped.
		for i, f := range m.faces {
			if f.bundled && i != m.emoji {
				continue
			}
			if g := m.load(i); g != nil {
				if _, ok := g.NominalGlyph(r); ok {
					return g
				}
			}
		}
	}
	if _, ok := m.gos[0].NominalGlyph(r); ok {
		return m.gos[0]
	}
	for i := 1; i < len(m.faces); i++ {
		g := m.load(i)
		if g == nil {
			continue
		}
		if _, ok := g.NominalGlyph(r); ok {
			return g
		}
	}
	if !ignorable(r) {
		m.missing[r] = true
	}
	return m.gos[0]
}

// ignorable reports characters that need no glyph of their own: controls, joiners, variation selectors,
// direction marks and spaces.
func ignorable(r rune) bool {
	return unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Variation_Selector, r) ||
		(r >= 0x200B && r <= 0x200F) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2060 && r <= 0x206F) || r == 0xFEFF
}

func (m *faceMap) faceOf(f *gofont.Face) *face {
	for i, g := range m.gos {
		if g == f {
			return m.faces[i]
		}
	}
	return m.faces[0]
}

// shape returns the clusters of one paragraph (text without line breaks) in primary, each character falling
// back along chain when primary lacks it, and the characters no face draws. Clusters are in logical order,
// each with its bidi level; a paragraph whose first strong character is right-to-left (Arabic, Hebrew) has a
// right-to-left base direction.
func (c *shapeCache) shape(text string, primary *face, chain []*face, weight int, italic bool) (shaped, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := shapeKey{primary, weight, italic, text}
	if sh, ok := c.entries[key]; ok {
		return sh, nil
	}
	pf, err := primary.parsed()
	if err != nil {
		return shaped{}, err
	}
	fm := &faceMap{faces: append([]*face{primary}, chain...), missing: map[rune]bool{}}
	fm.gos = make([]*gofont.Face, len(fm.faces))
	fm.gos[0] = gofont.NewFace(pf)
	for i, f := range fm.faces {
		if f.family == Twemoji && i > 0 {
			fm.emoji = i
		}
	}
	runes := []rune(text)
	fm.presented = presentedAsEmoji(runes)
	var sh shaped
	if len(runes) > 0 {
		rtl := baseRTL(runes)
		dir := di.DirectionLTR
		if rtl {
			dir = di.DirectionRTL
		}
		input := shaping.Input{
			Text: runes, RunEnd: len(runes), Direction: dir,
			Size: fixed.I(shapeUnits), Language: language.NewLanguage("en"),
		}
		for _, run := range c.segmenter.Split(input, fm) {
			out := c.shaper.Shape(run)
			n := len(sh.clusters)
			sh.clusters = appendClusters(sh.clusters, out, fm.faceOf(run.Face), runes)
			runRTL := run.Direction.Progression() == di.TowardTopLeft
			level := uint8(0)
			switch {
			case rtl && runRTL:
				level = 1
			case rtl:
				level = 2
			case runRTL:
				level = 1
			}
			added := sh.clusters[n:]
			if runRTL { // HarfBuzz gives a right-to-left run in visual order: store it logically
				for a, b := 0, len(added)-1; a < b; a, b = a+1, b-1 {
					added[a], added[b] = added[b], added[a]
				}
			}
			for k := range added {
				added[k].level = level
			}
		}
	}
	fixNotdefSpaces(sh.clusters, fm.gos[0])
	for r := range fm.missing {
		sh.missing = append(sh.missing, r)
	}
	slices.Sort(sh.missing)
	if c.entries == nil || len(c.entries) >= maxShapeCacheEntries {
		c.entries = map[shapeKey]shaped{}
	}
	c.entries[key] = sh
	return sh, nil
}

// baseRTL reports whether a paragraph reads right to left: its first strong character is Arabic, Hebrew or
// another right-to-left script (Unicode bidi rules P2–P3).
func baseRTL(runes []rune) bool {
	for _, r := range runes {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return false
}

// appendClusters converts HarfBuzz output (26.6 units at shapeUnits per em) into clusters in ems.
func appendClusters(dst []cluster, out shaping.Output, f *face, runes []rune) []cluster {
	const unit = 64 * shapeUnits
	glyphs := out.Glyphs
	for i := 0; i < len(glyphs); {
		n := max(glyphs[i].GlyphCount, 1)
		n = min(n, len(glyphs)-i)
		cl := cluster{glyphs: make([]shapedGlyph, n)}
		pen := 0.0
		for j, g := range glyphs[i : i+n] {
			cl.glyphs[j] = shapedGlyph{
				face: f, id: g.GlyphID,
				x: pen + float64(g.XOffset)/unit,
				y: float64(g.YOffset) / unit,
			}
			pen += float64(g.Advance) / unit
		}
		cl.advance = pen
		if idx := glyphs[i].ClusterIndex; idx >= 0 && idx < len(runes) {
			end := min(idx+max(glyphs[i].RuneCount, 1), len(runes))
			cl.space = unicode.IsSpace(runes[idx])
			cl.text = string(runes[idx:end])
			cl.start = idx
		}
		dst = append(dst, cl)
		i += n
	}
	return dst
}

// fontExtents returns a face's ascender and descender in ems (descender positive, below the baseline).
func fontExtents(f *face) (ascent, descent float64, err error) {
	ft, err := f.parsed()
	if err != nil {
		return 0, 0, err
	}
	ext, ok := gofont.NewFace(ft).FontHExtents()
	upem := float64(ft.Upem())
	if !ok || upem == 0 || ext.Ascender-ext.Descender <= 0 {
		return 0.8, 0.2, nil
	}
	return float64(ext.Ascender) / upem, -float64(ext.Descender) / upem, nil
}

// fixNotdefSpaces gives the primary font's space to the spaces shaped with a face that has none. Spaces never
// change the face (a run keeps the face of the characters before it), and the emoji font has no space: its
// .notdef (or HarfBuzz's space fallback glyph) would stand in, as wide as an emoji.
// notdefSpace is the glyph id HarfBuzz gives a space the face has no glyph for.
const notdefSpace = ^gofont.GID(0)

func fixNotdefSpaces(clusters []cluster, primary *gofont.Face) {
	for i := range clusters {
		cl := &clusters[i]
		if !cl.space || len(cl.glyphs) != 1 || (cl.glyphs[0].id != 0 && cl.glyphs[0].id != notdefSpace) {
			continue
		}
		gid, ok := primary.NominalGlyph(' ')
		if !ok {
			continue
		}
		cl.advance = float64(primary.HorizontalAdvance(gid)) / float64(primary.Upem())
		cl.glyphs = nil // nothing to draw
	}
}
