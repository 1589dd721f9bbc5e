package audio

import (
	"github.com/framecast/framecast/render/motion"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/framecast/framecast/schemas"
)

// easedSteps is how many straight pieces approximate one eased (non-linear) segment of a volume curve.
const easedSteps = 24

// point is a breakpoint of a piecewise-linear curve: value v at time t (seconds).
type point struct{ t, v float64 }

// linearize turns gain points, whose easing shapes the segment arriving at them, into the breakpoints of
// a piecewise-linear curve; eased segments are sampled into easedSteps straight pieces. Points are taken
// in time order.
func linearize(gain []schemas.GainPoint) []point {
	gain = slices.Clone(gain)
	slices.SortStableFunc(gain, func(a, b schemas.GainPoint) int { return cmpFloat(a.Time, b.Time) })
	var out []point
	for i, g := range gain {
		if i > 0 && g.Easing != "" && g.Easing != schemas.EaseLinear && g.Time > gain[i-1].Time {
			prev := gain[i-1]
			for s := 1; s < easedSteps; s++ {
				x := float64(s) / easedSteps
				out = append(out, point{
					t: prev.Time + x*(g.Time-prev.Time),
					v: prev.Volume + motion.Ease(g.Easing, x)*(g.Volume-prev.Volume),
				})
			}
		}
		out = append(out, point{g.Time, g.Volume})
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// piecewiseExpr returns an FFmpeg expression of t for the piecewise-linear curve through pts (sorted by
// time), holding the first value before the first point and the last value after the last. It is written
// as a flat sum, v0 + Σ Δv·clip((t−tₖ)/Δt, 0, 1), so long curves do not nest, and clamped at 0 so eased
// overshoots (back, elastic) never invert the phase.
func piecewiseExpr(pts []point) string {
	var b strings.Builder
	b.WriteString("max(0," + num(pts[0].v))
	for k := 1; k < len(pts); k++ {
		dv := pts[k].v - pts[k-1].v
		if dv == 0 {
			continue
		}
		b.WriteString("+" + paren(num(dv)) + "*" + rampExpr(pts[k-1].t, pts[k].t-pts[k-1].t))
	}
	b.WriteString(")")
	return b.String()
}

// rampExpr is 0 before start, 1 after start+length, linear in between (a step when length is 0).
func rampExpr(start, length float64) string {
	if length <= 0 {
		return "gte(t," + num(start) + ")"
	}
	return "clip((t-" + paren(num(start)) + ")/" + num(length) + ",0,1)"
}

// duckExpr returns the factor, an FFmpeg expression of t, by which ducks lower a sound; t and the duck
// windows are on the same clock.
func duckExpr(ducks []Duck) string {
	factors := make([]string, len(ducks))
	for i, d := range ducks {
		down := rampExpr(d.Start, d.Attack)
		up := rampExpr(d.End, d.Release)
		factors[i] = "(1-" + num(d.Amount) + "*min(" + down + ",1-" + up + "))"
	}
	return strings.Join(factors, "*")
}

// num formats v for filter arguments: at most 6 decimals, no exponent.
func num(v float64) string {
	v = math.Round(v*1e6) / 1e6
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// paren wraps negative numbers so they can follow an operator.
func paren(s string) string {
	if strings.HasPrefix(s, "-") {
		return "(" + s + ")"
	}
	return s
}
