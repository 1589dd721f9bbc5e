package paint

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
)

// checkImageSize refuses an image whose decoded area is over the budget, from the size its header declares:
// a 1 MB PNG can declare 16384 × 16384 px, which decodes to 1 GiB (2 GiB at 16 bits per channel).
func checkImageSize(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("the image declares %d×%d px", w, h)
	}
	if px := float64(w) * float64(h); px > float64(budget.MaxImagePixels) {
		return fmt.Errorf("the image is %d×%d px (%.1f million pixels); the limit is %.0f million: scale it down before using it",
			w, h, px/1e6, float64(budget.MaxImagePixels)/1e6)
	}
	return nil
}

// CheckSVG checks an SVG document against the budget without drawing it — its size in bytes, its number of
// elements and its intrinsic size (SVGSize) as a layer — and returns the intrinsic size.
func CheckSVG(markup []byte) (w, h float64, err error) {
	if len(markup) > budget.MaxSVGBytes {
		return 0, 0, fmt.Errorf("svg: the document is %d bytes; the limit is %d", len(markup), budget.MaxSVGBytes)
	}
	if n, err := countSVGElements(markup, budget.MaxSVGElements); err != nil {
		return 0, 0, err
	} else if n > budget.MaxSVGElements {
		return 0, 0, fmt.Errorf("svg: the document has more than %d elements, the limit", budget.MaxSVGElements)
	}
	if w, h, err = SVGSize(markup); err != nil {
		return 0, 0, err
	}
	if err := checkSize(math.Round(w), math.Round(h)); err != nil {
		return 0, 0, fmt.Errorf("svg: its intrinsic size: %w", err)
	}
	return w, h, nil
}

// countSVGElements counts the start elements of markup, stopping once past limit.
func countSVGElements(markup []byte, limit int) (int, error) {
	dec := xml.NewDecoder(bytes.NewReader(markup))
	dec.Strict = false
	n := 0
	for n <= limit {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, fmt.Errorf("svg: %w", err)
		}
		if _, ok := tok.(xml.StartElement); ok {
			n++
		}
	}
	return n, nil
}

// CheckImageSize is the budget check DecodeImage makes from an image's header, for images decoded
// elsewhere (by FFmpeg).
func CheckImageSize(w, h int) error { return checkImageSize(w, h) }

// contextReader reads from r until ctx is done, then fails with ctx's error: it stops a parser that reads
// through it.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p[:min(len(p), 16<<10)])
}
