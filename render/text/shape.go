package text

import (
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	gofont "github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
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
}

// shapeKey identifies a shaped paragraph.
type shapeKey struct {
	primary, fallback *face
	text              string
}

// shapeCache shapes paragraphs with HarfBuzz (go-text/typesetting) and keeps the results.
type shapeCache struct {
	mu        sync.Mutex
	entries   map[shapeKey][]cluster
	shaper    shaping.HarfbuzzShaper
	segmenter shaping.Segmenter
}

func (c *shapeCache) clear() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}

// faceMap picks, for each character, the primary face when it has a glyph for it and the fallback face
// otherwise. It implements shaping.Fontmap.
type faceMap struct {
	primary, fallback     *face
	primaryGo, fallbackGo *gofont.Face
}

// ResolveFace returns the face that draws r.
func (m *faceMap) ResolveFace(r rune) *gofont.Face {
	if _, ok := m.primaryGo.NominalGlyph(r); ok || m.fallbackGo == nil {
		return m.primaryGo
	}
	if _, ok := m.fallbackGo.NominalGlyph(r); ok {
		return m.fallbackGo
	}
	return m.primaryGo
}

func (m *faceMap) faceOf(f *gofont.Face) *face {
	if f == m.fallbackGo {
		return m.fallback
	}
	return m.primary
}

// shape returns the clusters of one paragraph (text without line breaks) in primary, falling back to
// fallback (which may be nil) for characters primary lacks.
func (c *shapeCache) shape(text string, primary, fallback *face) ([]cluster, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := shapeKey{primary, fallback, text}
	if cl, ok := c.entries[key]; ok {
		return cl, nil
	}
	fm, err := newFaceMap(primary, fallback)
	if err != nil {
		return nil, err
	}
	runes := []rune(text)
	var clusters []cluster
	if len(runes) > 0 {
		input := shaping.Input{
			Text: runes, RunEnd: len(runes), Direction: di.DirectionLTR,
			Size: fixed.I(shapeUnits), Language: language.NewLanguage("en"),
		}
		for _, run := range c.segmenter.Split(input, fm) {
			out := c.shaper.Shape(run)
			clusters = appendClusters(clusters, out, fm.faceOf(run.Face), runes)
		}
	}
	if c.entries == nil || len(c.entries) >= maxShapeCacheEntries {
		c.entries = map[shapeKey][]cluster{}
	}
	c.entries[key] = clusters
	return clusters, nil
}

func newFaceMap(primary, fallback *face) (*faceMap, error) {
	pf, err := primary.parsed()
	if err != nil {
		return nil, err
	}
	fm := &faceMap{primary: primary, primaryGo: gofont.NewFace(pf)}
	if fallback != nil && fallback != primary {
		ff, err := fallback.parsed()
		if err != nil {
			return nil, err
		}
		fm.fallback, fm.fallbackGo = fallback, gofont.NewFace(ff)
	}
	return fm, nil
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
