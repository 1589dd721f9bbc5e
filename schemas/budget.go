package schemas

import "math"

// Budget bounds the work one document may ask of the engine, so that no document — however small its JSON —
// makes a frame cost minutes or gigabytes. The engine (render) enforces each bound where the work happens,
// before it allocates, and Validate checks the same bounds up front, so that a document that validates
// renders. The bounds are fixed, not server settings: every worker must draw the same documents.
//
// Measured reasons (issue 9): a 142-byte SVG declaring 16384×16384 px cost 102 s and 6.2 GB when it was
// rasterized at its intrinsic size; a 1 MB PNG of 16384² px 70 s and 3.1 GB (6.2 GB at 16 bits per channel);
// a 4 MB text clip 55 s and 2.8 GB; a 4 MB code clip 109 s and 4.1 GB. Sides alone do not bound memory — a
// layer of 16384 × 16384 px is 1 GiB of RGBA — so the pixel bounds are areas.
type Budget struct {
	// MaxLayerSide is the widest and tallest a clip's drawn content (its box, in document px) may be.
	MaxLayerSide int
	// MaxLayerPixels bounds the area (width × height) of a clip's drawn content: 8192 × 4096 px, 128 MiB of
	// RGBA. Text larger than this is cut at the bound instead (it reaches far past any frame).
	MaxLayerPixels int
	// MaxFramePixels bounds the area of a frame (meta.width × meta.height, or the size a render asks for).
	MaxFramePixels int
	// MaxImagePixels bounds the area of a decoded image (read from its header before decoding): 40 million
	// px, more than a 36-megapixel photo. Decoded, such a picture takes 60 MB (JPEG) to 320 MB (16-bit PNG).
	MaxImagePixels int
	// MaxSVGBytes and MaxSVGElements bound one SVG document (markup or file); its declared size counts
	// against MaxLayerPixels.
	MaxSVGBytes    int
	MaxSVGElements int
	// MaxTextLength is the most characters one text or code clip may hold.
	MaxTextLength int
	// MaxGlyphsPerFrame is the most characters of text and code that may be on screen at one time.
	MaxGlyphsPerFrame int
	// MaxKeyframes is the most keyframes one clip may have, all properties together.
	MaxKeyframes int
	// MaxFontSize bounds style.fontSize (px) of text; MaxCodeFontSize bounds fontSize of code clips.
	MaxFontSize     float64
	MaxCodeFontSize float64
	// MaxStrokeWidth bounds style.strokeWidth (px).
	MaxStrokeWidth float64
	// MaxLineHeight bounds style.lineHeight (a multiple of the font size); MaxLetterSpacing bounds the size
	// of style.letterSpacing (px).
	MaxLineHeight, MaxLetterSpacing float64
	// MaxPolygonSides bounds the sides of a polygon clip.
	MaxPolygonSides int
	// MaxFramesPixels bounds the pixels of all the frames one request draws at once (the MCP render_frames
	// tool): 32 million px, 128 MiB of RGBA, e.g. 24 frames of 1280 × 1040.
	MaxFramesPixels int
}

// DrawBudget returns the engine's budget. The same values are stated in docs/document.md ("Limits") and
// in the capabilities result.
func DrawBudget() Budget {
	return Budget{
		MaxLayerSide:      16384,
		MaxLayerPixels:    8192 * 4096,
		MaxFramePixels:    4096 * 4096,
		MaxImagePixels:    40_000_000,
		MaxSVGBytes:       4 << 20,
		MaxSVGElements:    20_000,
		MaxTextLength:     10_000,
		MaxGlyphsPerFrame: 20_000,
		MaxKeyframes:      1000,
		MaxFontSize:       4096,
		MaxCodeFontSize:   1000,
		MaxStrokeWidth:    1000,
		MaxLineHeight:     100,
		MaxLetterSpacing:  10000,
		MaxPolygonSides:   1000,
		MaxFramesPixels:   32_000_000,
	}
}

// LayerFits reports whether a box of w × h px is within the layer bounds (sides and area). Zero-sized boxes
// fit (they draw nothing); negative, NaN and infinite sizes do not.
func (b Budget) LayerFits(w, h float64) bool {
	ok := func(v float64) bool { return v >= 0 && v <= float64(b.MaxLayerSide) && !math.IsNaN(v) }
	return ok(w) && ok(h) && w*h <= float64(b.MaxLayerPixels)
}

// Map returns the budget as JSON-friendly names and values (for the capabilities result).
func (b Budget) Map() map[string]any {
	return map[string]any{
		"maxLayerSide": b.MaxLayerSide, "maxLayerPixels": b.MaxLayerPixels, "maxFramePixels": b.MaxFramePixels,
		"maxImagePixels": b.MaxImagePixels, "maxSvgBytes": b.MaxSVGBytes, "maxSvgElements": b.MaxSVGElements,
		"maxTextLength": b.MaxTextLength, "maxGlyphsPerFrame": b.MaxGlyphsPerFrame, "maxKeyframes": b.MaxKeyframes,
		"maxFontSize": b.MaxFontSize, "maxCodeFontSize": b.MaxCodeFontSize, "maxStrokeWidth": b.MaxStrokeWidth,
		"maxLineHeight": b.MaxLineHeight, "maxLetterSpacing": b.MaxLetterSpacing,
		"maxPolygonSides": b.MaxPolygonSides, "maxFramesPixels": b.MaxFramesPixels,
	}
}
