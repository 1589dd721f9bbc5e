// Package text sets and draws text: fonts, shaping, line breaking and rasterization into a raster.Layer in
// the clip's own coordinates (placing the layer on the canvas is the caller's job).
//
// # Fonts
//
// A Registry holds the bundled open fonts — Liberation Sans, Serif and Mono (metric-compatible with Arial and
// Helvetica, Times New Roman, Courier New) and DejaVu Sans, Serif and Sans Mono, each in regular, bold,
// italic and bold italic — plus custom TTF, OTF, WOFF and WOFF2 fonts added with Registry.Add (WOFF and WOFF2
// are converted to SFNT by github.com/tdewolff/font). A Style's Family is a CSS list; common names map to the
// bundled families (Arial, Helvetica, Inter, Roboto, sans-serif, system-ui → Liberation Sans; Times, Georgia,
// serif → Liberation Serif; Courier, Menlo, Consolas, monospace → Liberation Mono); an unknown family gives
// Liberation Sans and a warning. Within a family the face is chosen by CSS font matching (style first, then
// weight). When the family lacks the style or weight, it is synthesized as browsers do: italic by slanting the
// glyphs (x += 0.25·y, about 14°), bold (asked ≥ 600, face < 600) by growing every outline by size/56 on each
// side (the outline is stroked into the fill). Characters the chosen font lacks are drawn with DejaVu Sans
// (arrows, stars, Greek, Cyrillic, …).
//
// # Shaping: why go-text/typesetting
//
// Text is shaped with github.com/go-text/typesetting (a HarfBuzz port): GPOS and kern-table kerning,
// ligatures, marks, complex scripts and per-run font fallback. golang.org/x/image/font/sfnt only reads the
// old kern table and knows no ligatures or scripts. HarfBuzz is slower — on this machine about 33 µs to shape
// a 36-character line against 2.2 µs for an sfnt advance-and-kern loop (both measured with kerning: "AV" in
// Liberation Sans is kerned by both) — but shaping happens once per paragraph: results are cached in ems
// (shaping without hinting is linear in the size), so a keyframed font size or a redrawn frame never reshapes.
// Per frame only rasterization is paid, and it is the same golang.org/x/image/vector rasterizer either way.
//
// # Layout and drawing
//
// "\n" breaks lines; with Style.WrapWidth lines also break after whitespace, and a word wider than the width
// is broken between characters. Line height is Size × LineHeight with the font's ascent and descent centered
// in it (CSS half-leading); the block of lines is centered vertically in the box and each line aligned
// left, center or right in the box width. LetterSpacing is added between characters, not after the last one.
// Glyph outlines are cached per face and rasterized antialiased with golang.org/x/image/vector, only over
// the pixels the glyphs can touch. Fills and strokes use render/paint's Source (colors and linear, radial
// and conic gradients; a gradient spans the text box). A stroke is centered on the glyph outline and drawn
// under the fill, like a canvas strokeText followed by fillText; it is built from the flattened outline as
// a union of segment rectangles and round joins.
//
// DrawCode draws a code listing: monospace text coloured by a small tokenizer (keywords, strings, comments,
// numbers for common languages) on a dark rounded panel, with lines outside the selection dimmed.
package text
