package text

import (
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/go-fonts/dejavu/dejavuserif"
	"github.com/go-fonts/latin-modern/lmroman10regular"

	"github.com/framecast/framecast/schemas"
)

func mustLayout(t testing.TB, r *Registry, s string, st Style) *Block {
	t.Helper()
	b, err := r.Layout(s, st)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKerningNarrowsAV(t *testing.T) {
	r := NewRegistry()
	st := Style{Family: "Liberation Sans", Size: 100}
	av := mustLayout(t, r, "AV", st).Width
	a, v := mustLayout(t, r, "A", st).Width, mustLayout(t, r, "V", st).Width
	if av >= a+v-1 {
		t.Errorf(`"AV" is %.2f px wide, "A"+"V" advances %.2f px: no kerning`, av, a+v)
	}
}

func TestResolveFamilies(t *testing.T) {
	r := NewRegistry()
	for list, want := range map[string]string{
		"Arial, sans-serif":         LiberationSans,
		`"Helvetica Neue", Arial`:   LiberationSans,
		"NoSuchFont, Georgia":       LiberationSerif,
		"courier new":               LiberationMono,
		"Consolas, monospace":       LiberationMono,
		"dejavu serif":              DejaVuSerif,
		"'DejaVu Sans Mono'":        DejaVuSansMono,
		"":                          LiberationSans,
		"system-ui, -apple-system":  LiberationSans,
		"Times, 'Times New Roman'":  LiberationSerif,
		"Inter, Roboto, sans-serif": LiberationSans,
	} {
		got, warning := r.Resolve(list)
		if got != want || warning != "" {
			t.Errorf("Resolve(%q) = %q, %q; want %q and no warning", list, got, warning, want)
		}
	}
	got, warning := r.Resolve("Comic Neue")
	if got != LiberationSans || !strings.Contains(warning, "Comic Neue") {
		t.Errorf("unknown family: got %q, warning %q", got, warning)
	}
	_, warnings, err := r.Draw("x", Style{Family: "Comic Neue"})
	if err != nil || len(warnings) != 1 {
		t.Errorf("Draw with an unknown family: warnings %v, err %v", warnings, err)
	}
}

func TestWeightMatchingFollowsCSS(t *testing.T) {
	fam := &family{name: "F"}
	for _, w := range []int{300, 400, 600, 900} {
		fam.faces = append(fam.faces, &face{weight: w})
	}
	fam.faces = append(fam.faces, &face{weight: 400, italic: true})
	for _, c := range []struct {
		want, got int
		italic    bool
	}{
		{400, 400, false}, {500, 400, false}, {450, 400, false}, {700, 900, false}, {550, 600, false},
		{200, 300, false}, {100, 300, false}, {950, 900, false}, {800, 900, false}, {700, 400, true},
	} {
		f := fam.match(c.want, c.italic)
		if f.weight != c.got || f.italic != c.italic {
			t.Errorf("weight %d italic %v: matched %d italic %v, want %d", c.want, c.italic, f.weight, f.italic, c.got)
		}
	}
}

func TestSyntheticStylesOnlyWhenMissing(t *testing.T) {
	r := NewRegistry()
	if err := r.Add("Solo", 400, false, dejavuserif.TTF); err != nil {
		t.Fatal(err)
	}
	b := mustLayout(t, r, "x", Style{Family: "Solo", Weight: 700, Italic: true})
	if b.embolden == 0 || b.skew == 0 {
		t.Errorf("single-face family: embolden %v, skew %v; want both synthesized", b.embolden, b.skew)
	}
	b = mustLayout(t, r, "x", Style{Family: "Arial", Weight: 700, Italic: true})
	if b.embolden != 0 || b.skew != 0 {
		t.Errorf("Liberation Sans has bold italic: embolden %v, skew %v; want none", b.embolden, b.skew)
	}
	thin, _, _ := r.Draw("mmm", Style{Family: "Solo"})
	bold, _, _ := r.Draw("mmm", Style{Family: "Solo", Weight: 800})
	if ink(bold.Img.Pix) <= ink(thin.Img.Pix)*1.1 {
		t.Errorf("synthetic bold is not heavier: %v vs %v", ink(bold.Img.Pix), ink(thin.Img.Pix))
	}
}

// ink sums the alpha of an RGBA pixel buffer.
func ink(pix []byte) float64 {
	var s float64
	for i := 3; i < len(pix); i += 4 {
		s += float64(pix[i])
	}
	return s
}

func TestCustomFontFormats(t *testing.T) {
	r := NewRegistry()
	woff2, err := os.ReadFile("testdata/fonts/DejaVuSerif.woff2")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		family string
		data   []byte
	}{
		{"From WOFF2", woff2},
		{"From OTF", lmroman10regular.TTF}, // Latin Modern: an OpenType font with CFF outlines
	} {
		if err := r.Add(c.family, 400, false, c.data); err != nil {
			t.Fatalf("%s: %v", c.family, err)
		}
		if got, warning := r.Resolve(c.family); got != c.family || warning != "" {
			t.Errorf("Resolve(%q) = %q, %q", c.family, got, warning)
		}
		// Bold is synthesized on the CFF outlines too (their winding is opposite to TrueType's).
		var inks []float64
		for _, weight := range []int{400, 700} {
			l, _, err := r.Draw("Hag", Style{Family: c.family, Size: 40, Weight: weight})
			if err != nil || ink(l.Img.Pix) == 0 {
				t.Errorf("%s weight %d: nothing drawn (err %v)", c.family, weight, err)
			}
			inks = append(inks, ink(l.Img.Pix))
		}
		if inks[1] < inks[0]*1.1 {
			t.Errorf("%s: synthetic bold ink %v is not heavier than regular %v", c.family, inks[1], inks[0])
		}
	}
	if err := r.Add("Broken", 400, false, []byte("not a font at all")); err == nil {
		t.Error("Add accepted garbage bytes")
	}
	if err := r.Add("", 400, false, dejavuserif.TTF); err == nil {
		t.Error("Add accepted an empty family")
	}
}

func TestFallbackGlyphsComeFromDejaVu(t *testing.T) {
	r := NewRegistry()
	b := mustLayout(t, r, "A→★ж", Style{})
	var families []string
	for _, g := range b.Lines[0].glyphs {
		families = append(families, g.face.family)
		if g.id == 0 {
			t.Errorf("a .notdef glyph was used")
		}
	}
	want := []string{LiberationSans, LiberationSans, DejaVuSans, LiberationSans}
	if strings.Join(families, ",") != strings.Join(want, ",") {
		t.Errorf("faces %v, want %v (Liberation Sans has → and ж, not ★)", families, want)
	}
}

func TestLineMetrics(t *testing.T) {
	r := NewRegistry()
	b := mustLayout(t, r, "one\ntwo\nthree", Style{Size: 40, LineHeight: 1.5})
	w, h := b.Size()
	if len(b.Lines) != 3 || h != 3*40*1.5 || w != b.Lines[2].Width {
		t.Errorf("3 lines: got %d lines, size %v×%v", len(b.Lines), w, h)
	}
	if d := b.Lines[1].Baseline - b.Lines[0].Baseline; math.Abs(d-60) > 1e-9 {
		t.Errorf("baselines %v apart, want 60", d)
	}
	boxed := mustLayout(t, r, "one", Style{Size: 40, BoxWidth: 500, BoxHeight: 300, Align: "right"})
	if l := boxed.Lines[0]; math.Abs(l.X+l.Width-500) > 1e-9 {
		t.Errorf("right aligned line ends at %v, want 500", l.X+l.Width)
	}
	if boxed.BoxWidth != 500 || boxed.BoxHeight != 300 {
		t.Errorf("box %v×%v, want 500×300", boxed.BoxWidth, boxed.BoxHeight)
	}
	spaced := mustLayout(t, r, "abc", Style{Size: 40, LetterSpacing: 10}).Width
	plain := mustLayout(t, r, "abc", Style{Size: 40}).Width
	if math.Abs(spaced-plain-20) > 1e-9 {
		t.Errorf("letter spacing 10 over 3 letters added %v px, want 20 (none after the last)", spaced-plain)
	}
}

func TestWrapping(t *testing.T) {
	r := NewRegistry()
	b := mustLayout(t, r, "The quick brown fox jumps over the lazy dog", Style{Size: 24, WrapWidth: 200})
	var texts []string
	for _, l := range b.Lines {
		texts = append(texts, l.Text)
		if l.Width > 200 {
			t.Errorf("line %q is %v px wide, over 200", l.Text, l.Width)
		}
	}
	if got := strings.Join(texts, "|"); got != "The quick brown|fox jumps over the|lazy dog" {
		t.Errorf("lines %q", got)
	}
	long := mustLayout(t, r, "Supercalifragilisticexpialidocious", Style{Size: 24, WrapWidth: 100})
	if len(long.Lines) < 3 {
		t.Errorf("a long word was not broken: %d lines", len(long.Lines))
	}
	var joined string
	for _, l := range long.Lines {
		joined += l.Text
		if l.Width > 100 {
			t.Errorf("piece %q is %v px wide", l.Text, l.Width)
		}
	}
	if joined != "Supercalifragilisticexpialidocious" {
		t.Errorf("pieces join to %q", joined)
	}
}

func TestBadInputIsAnError(t *testing.T) {
	r := NewRegistry()
	for name, st := range map[string]Style{
		"negative size":  {Size: -3},
		"NaN size":       {Size: math.NaN()},
		"bad align":      {Align: "justify"},
		"bad fill":       {Fill: schemas.SolidPaint("notacolor")},
		"bad stroke":     {Stroke: schemas.SolidPaint("#12"), StrokeWidth: 2},
		"huge wrap text": {Size: 9000, LetterSpacing: 9000},
	} {
		if _, _, err := r.Draw("Hello hello hello", st); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := r.DrawCode("x", "go", CodeStyle{Size: -1}); err == nil {
		t.Error("DrawCode with a negative size: no error")
	}
}

func TestStrokeExtendsLayerPastBox(t *testing.T) {
	r := NewRegistry()
	l, _, err := r.Draw("Hj", Style{Size: 40, LineHeight: 0.5, StrokeWidth: 10, Stroke: schemas.SolidPaint("red")})
	if err != nil {
		t.Fatal(err)
	}
	if l.BoxY < 5 || float64(l.Img.Rect.Dy()) < l.BoxH+10 {
		t.Errorf("layer %v with box at (%v,%v) %v×%v does not reach past the short box", l.Img.Rect, l.BoxX, l.BoxY, l.BoxW, l.BoxH)
	}
	// Nothing is cut: the layer's outermost pixels are transparent.
	rect := l.Img.Rect
	for x := rect.Min.X; x < rect.Max.X; x++ {
		for _, y := range []int{rect.Min.Y, rect.Max.Y - 1} {
			if l.Img.RGBAAt(x, y).A != 0 {
				t.Fatalf("pixel (%d,%d) on the layer's edge is painted: the stroke is clipped", x, y)
			}
		}
	}
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for _, x := range []int{rect.Min.X, rect.Max.X - 1} {
			if l.Img.RGBAAt(x, y).A != 0 {
				t.Fatalf("pixel (%d,%d) on the layer's edge is painted: the stroke is clipped", x, y)
			}
		}
	}
}

func TestCodeSelectionDimsOtherLines(t *testing.T) {
	r := NewRegistry()
	code := "return 1\nreturn 1\nreturn 1"
	l, err := r.DrawCode(code, "go", CodeStyle{Size: 20, Selection: []schemas.LineRange{{From: 2, To: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	// Sum how far each line's pixels stand out from the background.
	st, _ := CodeStyle{Size: 20}.withDefaults()
	lineH := st.Size * st.LineHeight
	bg := DefaultCodePalette.Background
	contrast := make([]float64, 3)
	for i := range contrast {
		y0 := int(st.Padding + float64(i)*lineH)
		for y := y0; y < y0+int(lineH); y++ {
			for x := 0; x < l.Img.Rect.Dx(); x++ {
				c := l.Img.RGBAAt(x, y)
				contrast[i] += math.Abs(float64(c.R)-float64(bg.R)) + math.Abs(float64(c.G)-float64(bg.G))
			}
		}
	}
	if !(contrast[1] > 2*contrast[0] && contrast[1] > 2*contrast[2]) {
		t.Errorf("selected line 2 should stand out: contrast per line %v", contrast)
	}
}

func TestTokenizer(t *testing.T) {
	toks := tokenize("if x == 0x1F { s := \"a\\\"b\" } // done\n/* c */ y", languageFor("go"))
	var got []string
	for _, tk := range toks {
		if tk.kind != plainToken {
			got = append(got, []string{"", "kw", "str", "com", "num"}[tk.kind]+":"+tk.text)
		}
	}
	want := `kw:if|num:0x1F|str:"a\"b"|com:// done|com:/* c */`
	if strings.Join(got, "|") != want {
		t.Errorf("tokens %q, want %q", strings.Join(got, "|"), want)
	}
	py := tokenize("def f():\n    '''doc\n    more'''  # note", languageFor("Python"))
	if py[0].kind != keywordToken || py[len(py)-1].kind != commentToken {
		t.Errorf("python tokens %+v", py)
	}
	sql := tokenize("SELECT name FROM t -- all", languageFor("sql"))
	if sql[0].kind != keywordToken || sql[len(sql)-1].kind != commentToken {
		t.Errorf("sql tokens %+v", sql)
	}
}

func TestConcurrentDraws(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := r.Draw("Concurrent → text", Style{Size: float64(20 + i), Weight: 400 + 100*(i%4)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func BenchmarkDrawLine72(b *testing.B) {
	r := NewRegistry()
	st := Style{Size: 72, BoxWidth: 1920}
	const s = "Framecast renders video in pure Go"
	if _, _, err := r.Draw(s, st); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r.Draw(s, st)
	}
}

func BenchmarkDrawLine72KeyframedSize(b *testing.B) {
	r := NewRegistry()
	const s = "Framecast renders video in pure Go"
	i := 0
	for b.Loop() {
		r.Draw(s, Style{Size: 70 + float64(i%20)*0.1, BoxWidth: 1920})
		i++
	}
}

func BenchmarkDrawParagraph3Lines(b *testing.B) {
	r := NewRegistry()
	st := Style{Size: 48, WrapWidth: 900, BoxWidth: 900, Align: "left"}
	const s = "Shapes, images and text are drawn in pure Go and piped to FFmpeg, which encodes the frames into an MP4 file."
	if bl := mustLayout(b, r, s, st); len(bl.Lines) != 3 {
		b.Fatalf("%d lines, want 3", len(bl.Lines))
	}
	for b.Loop() {
		r.Draw(s, st)
	}
}

func BenchmarkDrawLine72Stroke(b *testing.B) {
	r := NewRegistry()
	st := Style{Size: 72, BoxWidth: 1920, Stroke: schemas.SolidPaint("black"), StrokeWidth: 4}
	for b.Loop() {
		r.Draw("Framecast renders video in pure Go", st)
	}
}

func BenchmarkShapeLine(b *testing.B) {
	r := NewRegistry()
	r.mu.RLock()
	primary := r.families[strings.ToLower(LiberationSans)].match(400, false)
	chain := r.chainLocked(primary, 400, false)
	r.mu.RUnlock()
	for b.Loop() {
		r.shapes.clear()
		r.shapes.shape("Framecast renders video in pure Go", primary, chain, 400, false)
	}
}

func BenchmarkDrawCode(b *testing.B) {
	r := NewRegistry()
	code := strings.Repeat("func add(a, b int) int {\n\treturn a + b // sum\n}\n", 4)
	for b.Loop() {
		r.DrawCode(code, "go", CodeStyle{Selection: []schemas.LineRange{{From: 2, To: 3}}})
	}
}
