package text

import (
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/go-fonts/dejavu/dejavusans"
)

// scriptSamples: a line in every script people write video captions in.
var scriptSamples = []struct{ script, sample string }{
	{"Latin", "Hello, wörld — ça va?"},
	{"Greek", "Καλημέρα κόσμε"},
	{"Cyrillic", "Привет, мир"},
	{"Arabic", "مرحبا بالعالم 123"},
	{"Hebrew", "שלום עולם 2024"},
	{"Devanagari", "नमस्ते दुनिया"},
	{"Thai", "สวัสดีชาวโลก"},
	{"Chinese (simplified)", "你好，世界！欢迎观看"},
	{"Chinese (traditional)", "歡迎光臨，謝謝觀看"},
	{"Japanese", "こんにちは、カタカナと漢字"},
	{"Korean", "안녕하세요 세계"},
}

// Item 3 of issue 10: every script draws with real glyphs (they were empty boxes, with no warning): each
// sample has no character the fallback chain misses and no .notdef glyph.
func TestEveryScriptHasGlyphs(t *testing.T) {
	r := NewRegistry()
	for _, s := range scriptSamples {
		b, err := r.Layout(s.sample, Style{Size: 32})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Missing) > 0 || len(b.Warnings) > 0 {
			t.Errorf("%s: missing %q, warnings %v", s.script, string(b.Missing), b.Warnings)
		}
		for _, l := range b.Lines {
			for _, g := range l.glyphs {
				if g.id == 0 {
					t.Errorf("%s: a .notdef glyph (empty box) in %q from %s", s.script, s.sample, g.face.family)
				}
			}
		}
	}
}

// A character no font draws is reported by name, never silently boxed.
func TestUncoveredCharacterIsAWarning(t *testing.T) {
	b, err := NewRegistry().Layout("ok \U0001D11E", Style{Size: 32}) // musical symbol G clef: no bundled font
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Missing) != 1 || b.Missing[0] != 0x1D11E || len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "U+1D11E") {
		t.Errorf("missing %q, warnings %v: want U+1D11E named", string(b.Missing), b.Warnings)
	}
}

// Latin text never looks past its own font: the chain is not even parsed for it.
func TestLatinStaysInThePrimaryFont(t *testing.T) {
	r := NewRegistry()
	b, err := r.Layout("Plain Latin text, 123!", Style{Size: 32})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range b.Lines[0].glyphs {
		if g.face.family != LiberationSans {
			t.Fatalf("a Latin glyph came from %s", g.face.family)
		}
	}
}

// Item 4 of issue 10: "مرحبا بالعالم 123" reads right to left: "123" sits at the left end, the space between
// it and the words is kept, and the first word (مرحبا) is at the right end.
func TestBidiArabicWithDigits(t *testing.T) {
	r := NewRegistry()
	s := "مرحبا بالعالم 123"
	b, err := r.Layout(s, Style{Size: 40})
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(s)
	var digitMax, arabicMin, firstWordMin, secondWordMax float64 = -1, 1e9, 1e9, -1
	for _, g := range b.Lines[0].glyphs {
		r := runes[g.start]
		switch {
		case r >= '0' && r <= '9':
			digitMax = max(digitMax, g.x)
		case r != ' ':
			arabicMin = min(arabicMin, g.x)
			if g.start < 5 {
				firstWordMin = min(firstWordMin, g.x)
			} else {
				secondWordMax = max(secondWordMax, g.x)
			}
		}
	}
	if digitMax >= arabicMin {
		t.Errorf("digits reach x=%.1f, Arabic starts at x=%.1f: \"123\" must be left of the words", digitMax, arabicMin)
	}
	if firstWordMin <= secondWordMax {
		t.Errorf("the first word starts at x=%.1f, left of the second word (x up to %.1f): words must run right to left", firstWordMin, secondWordMax)
	}
	// The space between "بالعالم" and "123" is kept: the gap between the digits' right edge and the words is
	// at least a space wide.
	if gap := arabicMin - digitMax; gap < 40*0.25 {
		t.Errorf("gap between the digits and the words is %.1f px: the space was dropped", gap)
	}
}

// Item 3 of issue 10 (emoji): emoji come from the bundled colour font, sequences as one glyph (a skin tone, a
// ZWJ family, a flag, a keycap), and they draw in colour: 😀 has its yellow face, not the text's white.
func TestEmojiDrawInColour(t *testing.T) {
	r := NewRegistry()
	for _, tc := range []struct {
		text   string
		glyphs int
	}{
		{"😀", 1}, {"👍🏽", 1}, {"👨\u200d👩\u200d👧", 1}, {"🇯🇵", 1}, {"1\ufe0f\u20e3", 1}, {"❤\ufe0f", 1}, {"⭐", 1},
	} {
		b, err := r.Layout(tc.text, Style{Size: 48})
		if err != nil {
			t.Fatal(err)
		}
		g := b.Lines[0].glyphs
		if len(g) != tc.glyphs || len(b.Missing) > 0 {
			t.Errorf("%q: %d glyphs, missing %q: want %d glyph", tc.text, len(g), string(b.Missing), tc.glyphs)
			continue
		}
		if g[0].face.family != Twemoji || len(g[0].face.outline(g[0].id).layers) == 0 {
			t.Errorf("%q: drawn from %s without colour layers", tc.text, g[0].face.family)
		}
	}
	// A space after an emoji is the text font's space (the emoji font has none: its 1-em .notdef stood in).
	b, _ := r.Layout("a 😀 b", Style{Size: 100})
	g := b.Lines[0].glyphs
	if len(g) != 4 || math.Abs(g[3].x-g[2].x-(100+27.8)) > 0.5 {
		t.Errorf("glyphs %+v: want a, 😀 and b with a 27.8 px space after the emoji", g)
	}
	// A star without U+FE0F is a text symbol (DejaVu's), a star with it an emoji.
	b, _ = r.Layout("★", Style{Size: 48})
	if f := b.Lines[0].glyphs[0].face.family; f == Twemoji {
		t.Errorf("★ (text presentation) came from %s", f)
	}

	layer, _, err := r.Draw("😀", Style{Size: 64, FillColor: &color.NRGBA{255, 255, 255, 255}})
	if err != nil {
		t.Fatal(err)
	}
	yellow := 0
	for i := 0; i < len(layer.Img.Pix); i += 4 {
		p := layer.Img.Pix[i : i+4]
		if p[3] == 255 && p[0] > 200 && p[1] > 150 && p[2] < 100 {
			yellow++
		}
	}
	if yellow < 64*64/4 {
		t.Errorf("😀 has %d yellow pixels: want its face in colour", yellow)
	}
}

// An emoji a document's own font draws is drawn from it (an emoji font in assets.fonts wins over Twemoji);
// only the bundled text fonts' black symbols are skipped for emoji. DejaVu Sans, added as a document font, has
// a ☕ (emoji presentation by default).
func TestDocumentFontWinsForEmoji(t *testing.T) {
	withFont := NewRegistry()
	if err := withFont.Add("Doc Sans", 400, false, dejavusans.TTF); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r            *Registry
		family, want string
	}{{withFont, "Doc Sans", "Doc Sans"}, {withFont, "", "Doc Sans"}, {NewRegistry(), "", Twemoji}, {NewRegistry(), DejaVuSans, Twemoji}} {
		b, err := tc.r.Layout("☕", Style{Size: 40, Family: tc.family})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Lines[0].glyphs[0].face.family; got != tc.want {
			t.Errorf("☕ in family %q drawn from %s, want %s", tc.family, got, tc.want)
		}
	}
}
