package text

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/dejavu/dejavusansboldoblique"
	"github.com/go-fonts/dejavu/dejavusansmono"
	"github.com/go-fonts/dejavu/dejavusansmonobold"
	"github.com/go-fonts/dejavu/dejavusansmonoboldoblique"
	"github.com/go-fonts/dejavu/dejavusansmonooblique"
	"github.com/go-fonts/dejavu/dejavusansoblique"
	"github.com/go-fonts/dejavu/dejavuserif"
	"github.com/go-fonts/dejavu/dejavuserifbold"
	"github.com/go-fonts/dejavu/dejavuserifbolditalic"
	"github.com/go-fonts/dejavu/dejavuserifitalic"
	"github.com/go-fonts/liberation/liberationmonobold"
	"github.com/go-fonts/liberation/liberationmonobolditalic"
	"github.com/go-fonts/liberation/liberationmonoitalic"
	"github.com/go-fonts/liberation/liberationmonoregular"
	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansbolditalic"
	"github.com/go-fonts/liberation/liberationsansitalic"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	gofont "github.com/go-text/typesetting/font"
	sfntconv "github.com/tdewolff/font"
)

// Names of the bundled families, as Resolve reports them.
const (
	LiberationSans  = "Liberation Sans"
	LiberationSerif = "Liberation Serif"
	LiberationMono  = "Liberation Mono"
	DejaVuSans      = "DejaVu Sans"
	DejaVuSerif     = "DejaVu Serif"
	DejaVuSansMono  = "DejaVu Sans Mono"
)

// DefaultFamily is used when no family of a Style resolves.
const DefaultFamily = LiberationSans

// fallbackFamily supplies glyphs that the chosen font lacks (arrows, stars, Cyrillic, Greek, …).
const fallbackFamily = DejaVuSans

// genericAliases maps lower-case CSS family names to the bundled family that stands in for them.
var genericAliases = map[string]string{
	"arial": LiberationSans, "helvetica": LiberationSans, "helvetica neue": LiberationSans,
	"inter": LiberationSans, "roboto": LiberationSans, "open sans": LiberationSans,
	"sans-serif": LiberationSans, "system-ui": LiberationSans,
	"times": LiberationSerif, "times new roman": LiberationSerif, "georgia": LiberationSerif,
	"serif":   LiberationSerif,
	"courier": LiberationMono, "courier new": LiberationMono, "monospace": LiberationMono,
	"menlo": LiberationMono, "consolas": LiberationMono,
}

// bundledFace is one embedded font file.
type bundledFace struct {
	family string
	weight int
	italic bool
	data   []byte
}

var bundledFaces = []bundledFace{
	{LiberationSans, 400, false, liberationsansregular.TTF},
	{LiberationSans, 700, false, liberationsansbold.TTF},
	{LiberationSans, 400, true, liberationsansitalic.TTF},
	{LiberationSans, 700, true, liberationsansbolditalic.TTF},
	{LiberationSerif, 400, false, liberationserifregular.TTF},
	{LiberationSerif, 700, false, liberationserifbold.TTF},
	{LiberationSerif, 400, true, liberationserifitalic.TTF},
	{LiberationSerif, 700, true, liberationserifbolditalic.TTF},
	{LiberationMono, 400, false, liberationmonoregular.TTF},
	{LiberationMono, 700, false, liberationmonobold.TTF},
	{LiberationMono, 400, true, liberationmonoitalic.TTF},
	{LiberationMono, 700, true, liberationmonobolditalic.TTF},
	{DejaVuSans, 400, false, dejavusans.TTF},
	{DejaVuSans, 700, false, dejavusansbold.TTF},
	{DejaVuSans, 400, true, dejavusansoblique.TTF},
	{DejaVuSans, 700, true, dejavusansboldoblique.TTF},
	{DejaVuSerif, 400, false, dejavuserif.TTF},
	{DejaVuSerif, 700, false, dejavuserifbold.TTF},
	{DejaVuSerif, 400, true, dejavuserifitalic.TTF},
	{DejaVuSerif, 700, true, dejavuserifbolditalic.TTF},
	{DejaVuSansMono, 400, false, dejavusansmono.TTF},
	{DejaVuSansMono, 700, false, dejavusansmonobold.TTF},
	{DejaVuSansMono, 400, true, dejavusansmonooblique.TTF},
	{DejaVuSansMono, 700, true, dejavusansmonoboldoblique.TTF},
}

// Registry holds the fonts text is drawn with: the bundled families and any custom ones added with Add.
// It caches parsed fonts, glyph outlines and shaped text, so drawing the same text again (for example
// with a keyframed size) costs only rasterization. A Registry is safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	families map[string]*family // by lower-case family name
	bundled  map[string]bool    // lower-case names of the families that come with the engine
	shapes   shapeCache
}

// family is the set of faces registered under one name.
type family struct {
	name  string
	faces []*face
}

// face is one font file of a family, parsed on first use.
type face struct {
	family  string
	weight  int
	italic  bool
	bundled bool // comes with the engine (not a document's own font)

	parseOnce sync.Once
	data      []byte
	font      *gofont.Font
	parseErr  error

	glyphs glyphCache
}

// NewRegistry returns a Registry holding the bundled Liberation and DejaVu families. Their files are parsed
// lazily, the first time a face is used.
func NewRegistry() *Registry {
	r := &Registry{families: map[string]*family{}, bundled: map[string]bool{}}
	for _, b := range bundledFaces {
		r.addFace(&face{family: b.family, weight: b.weight, italic: b.italic, data: b.data, bundled: true})
		r.bundled[strings.ToLower(b.family)] = true
	}
	for _, f := range fallbackFaceList() {
		r.addFace(f)
		r.bundled[strings.ToLower(f.family)] = true
	}
	return r
}

// Add registers a custom font under family, for the given CSS weight (100..900) and style. data is a TTF,
// OTF, WOFF or WOFF2 file; it is converted and parsed at once so a broken file is reported here. A face added
// under the name of a bundled family joins that family; a face with the same family, weight and style as an
// earlier one replaces it.
func (r *Registry) Add(familyName string, weight int, italic bool, data []byte) error {
	name := strings.TrimSpace(familyName)
	if name == "" {
		return fmt.Errorf("add font: empty family name")
	}
	if weight < 1 || weight > 1000 {
		return fmt.Errorf("add font %q: weight %d is outside 1..1000", name, weight)
	}
	sfnt, err := sfntconv.ToSFNT(data)
	if err != nil {
		return fmt.Errorf("add font %q: %w (want TTF, OTF, WOFF or WOFF2)", name, err)
	}
	f := &face{family: name, weight: weight, italic: italic, data: sfnt}
	if _, err := f.parsed(); err != nil {
		return fmt.Errorf("add font %q: %w", name, err)
	}
	r.addFace(f)
	return nil
}

func (r *Registry) addFace(f *face) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := strings.ToLower(f.family)
	fam := r.families[key]
	if fam == nil {
		fam = &family{name: f.family}
		r.families[key] = fam
	}
	for i, old := range fam.faces {
		if old.weight == f.weight && old.italic == f.italic {
			fam.faces[i] = f
			r.shapes.clear()
			return
		}
	}
	fam.faces = append(fam.faces, f)
	r.shapes.clear()
}

// Resolve picks the family for a CSS font-family list such as `"Helvetica Neue", Arial, sans-serif`: the first
// entry that names a registered family or a known alias wins. When none does, it returns DefaultFamily and a
// warning that says so.
func (r *Registry) Resolve(families string) (name string, warning string) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	fam, warning := r.resolveLocked(families)
	return fam.name, warning
}

func (r *Registry) resolveLocked(families string) (*family, string) {
	for _, entry := range strings.Split(families, ",") {
		key := strings.ToLower(strings.Trim(strings.TrimSpace(entry), `"'`))
		if key == "" {
			continue
		}
		if fam := r.families[key]; fam != nil {
			return fam, ""
		}
		if alias, ok := genericAliases[key]; ok {
			return r.families[strings.ToLower(alias)], ""
		}
	}
	fam := r.families[strings.ToLower(DefaultFamily)]
	if strings.TrimSpace(families) == "" {
		return fam, ""
	}
	return fam, fmt.Sprintf("font family %q is not available; using %s", families, DefaultFamily)
}

// match returns the face of fam closest to the wanted weight and style, following CSS font matching: the
// style is matched first (an italic request falls back to upright faces), then the weight — for a wanted
// weight from 400 to 500 the weights up to 500 are tried first, then lighter ones, then heavier ones; above
// 500 heavier weights are preferred, below 400 lighter ones.
func (fam *family) match(weight int, italic bool) *face {
	var candidates []*face
	for _, f := range fam.faces {
		if f.italic == italic {
			candidates = append(candidates, f)
		}
	}
	if len(candidates) == 0 {
		candidates = fam.faces
	}
	var best *face
	for _, f := range candidates {
		if best == nil || weightPreferred(weight, f.weight, best.weight) {
			best = f
		}
	}
	return best
}

// weightPreferred reports whether weight a is a better match than b for the wanted weight, by CSS rules.
func weightPreferred(want, a, b int) bool {
	return weightRank(want, a) < weightRank(want, b)
}

// weightRank orders candidate weights for a wanted weight: lower is better.
func weightRank(want, w int) int {
	const far = 10000
	d := w - want
	switch {
	case d == 0:
		return 0
	case want >= 400 && want <= 500:
		if d > 0 && w <= 500 {
			return d
		}
		if d < 0 {
			return far - d
		}
		return 2*far + d
	case want > 500:
		if d > 0 {
			return d
		}
		return far - d
	default:
		if d < 0 {
			return -d
		}
		return far + d
	}
}

// parsed returns the face's parsed font, parsing it on first use.
func (f *face) parsed() (*gofont.Font, error) {
	f.parseOnce.Do(func() {
		data := f.data
		if bytes.HasPrefix(data, []byte("wOF2")) { // a bundled WOFF2 (Twemoji): decompressed on first use
			sfnt, err := sfntconv.ToSFNT(data)
			if err != nil {
				f.parseErr = fmt.Errorf("parse font %s: %w", f.family, err)
				return
			}
			data = sfnt
		}
		ft, err := gofont.ParseTTF(bytes.NewReader(data))
		if err != nil {
			f.parseErr = fmt.Errorf("parse font %s %d%s: %w", f.family, f.weight, italicSuffix(f.italic), err)
			return
		}
		f.font = ft.Font
	})
	return f.font, f.parseErr
}

func italicSuffix(italic bool) string {
	if italic {
		return " italic"
	}
	return ""
}
