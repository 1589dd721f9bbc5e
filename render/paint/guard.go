package paint

import (
	"fmt"
	"math"

	"github.com/framecast/framecast/schemas"
)

// budget is the engine's resource budget (schemas.DrawBudget): the one place its numbers are written.
var budget = schemas.DrawBudget()

// maxLayerSide bounds the width and height of any layer this package allocates (px), to turn absurd input
// into an error instead of an out-of-memory crash.
var maxLayerSide = float64(budget.MaxLayerSide)

// checkSize reports an error unless w and h are finite, positive, at most maxLayerSide and together at most
// the budget's layer area: the sides alone allow a layer of 1 GiB.
func checkSize(w, h float64) error {
	ok := func(v float64) bool { return v > 0 && v <= maxLayerSide && !math.IsNaN(v) }
	if !ok(w) || !ok(h) {
		return fmt.Errorf("paint: size %g×%g px: want positive sizes up to %g px", w, h, maxLayerSide)
	}
	if w*h > float64(budget.MaxLayerPixels) {
		return fmt.Errorf("paint: size %g×%g px is %.1f million pixels; the limit is %.1f million",
			w, h, w*h/1e6, float64(budget.MaxLayerPixels)/1e6)
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
