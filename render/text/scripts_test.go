package text

import (
	"strings"
	"testing"
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
