package paint

import (
	"fmt"
	"math"
)

// maxLayerSide bounds the width and height of any layer this package allocates (px), to turn absurd input
// into an error instead of an out-of-memory crash.
const maxLayerSide = 16384

// checkSize reports an error unless w and h are finite, positive and at most maxLayerSide.
func checkSize(w, h float64) error {
	ok := func(v float64) bool { return v > 0 && v <= maxLayerSide && !math.IsNaN(v) }
	if !ok(w) || !ok(h) {
		return fmt.Errorf("paint: size %g×%g px: want positive sizes up to %d px", w, h, maxLayerSide)
	}
	return nil
}

// finiteOr returns v, or def when v is NaN or infinite.
func finiteOr(v, def float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return def
	}
	return v
}

// recoverAsError turns a panic inside third-party geometry or SVG code into an error, so bad input never
// brings the renderer down. Use it as: defer recoverAsError(&err, "what").
func recoverAsError(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: cannot draw this input: %v", what, r)
	}
}
