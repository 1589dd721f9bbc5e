package text

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// The fallback chain. A character is drawn with the first face that has a glyph for it, in this order:
//
//  1. the chosen family's face (the primary), checked first so Latin text in a Latin font never looks further;
//  2. the document's own fonts (assets.fonts), closest weight and style;
//  3. DejaVu Sans (Latin, Greek, Cyrillic, symbols);
//  4. the bundled Noto fallbacks, one per script: Arabic, Hebrew, Devanagari, Thai, then CJK (simplified and
//     traditional Chinese, Japanese kana and kanji, Korean Hangul; a subset of common characters);
//  5. Twemoji, a colour (COLR/CPAL) emoji font: every emoji of Unicode 15, with skin tones, flags and ZWJ
//     sequences, drawn in its own colours (see color.go).
//
// An emoji character (emoji presentation by default, or followed by U+FE0F) skips the bundled text fonts: the
// chosen family and the document's fonts still come first when they are the document's own (an emoji font
// in assets.fonts wins), then Twemoji, so "⭐" and "❤️" come out in colour rather than as DejaVu's black
// symbols (see emojiFirst).
//
// The fallbacks are embedded in the binary (fonts/README.md says where they come from and how they were
// subset), so every worker draws the same pixels whatever fonts its machine has. FontSetFingerprint names the
// exact set, for logs.

//go:embed fonts/*.ttf fonts/*.otf fonts/*.woff2
var fallbackFiles embed.FS

// Names of the bundled fallback families.
const (
	NotoSansArabic     = "Noto Sans Arabic"
	NotoSansHebrew     = "Noto Sans Hebrew"
	NotoSansDevanagari = "Noto Sans Devanagari"
	NotoSansThai       = "Noto Sans Thai"
	NotoSansCJK        = "Noto Sans CJK"
	Twemoji            = "Twemoji"
)

// fallbackFonts lists the bundled fallbacks in chain order, with their files.
var fallbackFonts = []struct{ family, file string }{
	{NotoSansArabic, "fonts/NotoSansArabic-Regular.ttf"},
	{NotoSansHebrew, "fonts/NotoSansHebrew-Regular.ttf"},
	{NotoSansDevanagari, "fonts/NotoSansDevanagari-Regular.ttf"},
	{NotoSansThai, "fonts/NotoSansThai-Regular.ttf"},
	{NotoSansCJK, "fonts/NotoSansCJKsc-Subset.otf"},
	{Twemoji, "fonts/Twemoji.woff2"}, // WOFF2 (0.5 MB instead of 2 MB), converted when first parsed
}

// fallbackFaceList returns the bundled fallback faces (the files are read from the binary once).
var fallbackFaceList = sync.OnceValue(func() []*face {
	var out []*face
	for _, f := range fallbackFonts {
		data, err := fallbackFiles.ReadFile(f.file)
		if err != nil {
			panic("text: embedded fallback font missing: " + f.file) // a build without the files is broken
		}
		out = append(out, &face{family: f.family, weight: 400, data: data, bundled: true})
	}
	return out
})

// FontSetFingerprint identifies the fonts the engine draws with when a document brings none of its own: the
// first 16 hex digits of a SHA-256 over every bundled face (Liberation, DejaVu, the Noto fallbacks and Twemoji). Two
// workers with the same fingerprint draw the same text the same way; log it at start.
var FontSetFingerprint = sync.OnceValue(func() string {
	h := sha256.New()
	for _, b := range bundledFaces {
		h.Write([]byte(b.family))
		h.Write(b.data)
	}
	for _, f := range fallbackFaceList() {
		h.Write([]byte(f.family))
		h.Write(f.data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

// chainLocked returns the faces after primary in the fallback chain for the wanted weight and style: the
// document's own fonts, DejaVu Sans, then the Noto fallbacks. r.mu is held.
func (r *Registry) chainLocked(primary *face, weight int, italic bool) []*face {
	var chain []*face
	var custom []string
	for key := range r.families {
		if !r.bundled[key] {
			custom = append(custom, key)
		}
	}
	sort.Strings(custom) // a fixed order, so the same document always picks the same face
	for _, key := range custom {
		if f := r.families[key].match(weight, italic); f != nil && f != primary {
			chain = append(chain, f)
		}
	}
	if f := r.families[strings.ToLower(fallbackFamily)].match(weight, italic); f != primary {
		chain = append(chain, f)
	}
	for _, f := range fallbackFaceList() {
		if f != primary {
			chain = append(chain, f)
		}
	}
	return chain
}

// MissingGlyphsWarning says which characters no font draws, for a warning: each as itself and U+XXXX.
func MissingGlyphsWarning(missing []rune) string {
	var parts []string
	for i, r := range missing {
		if i == 12 {
			parts = append(parts, fmt.Sprintf("and %d more", len(missing)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%q (U+%04X)", r, r))
	}
	return "no font draws " + strings.Join(parts, ", ") + ": they show as empty boxes; add a font that has them to assets.fonts"
}
