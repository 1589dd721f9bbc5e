package motion

import (
	"fmt"
	"math"

	"github.com/framecast/framecast/schemas"
)

// An EasingFunc maps linear progress p in [0, 1] to eased progress, with f(0) = 0 and f(1) = 1. Back and
// Elastic curves overshoot: their value leaves [0, 1] in between.
type EasingFunc func(p float64) float64

// Ease returns the easing curve name evaluated at progress p, which is clamped to [0, 1]. The empty name and
// names Ease does not know mean linear; EaseFunc reports unknown names instead.
func Ease(name schemas.Easing, p float64) float64 {
	f, ok := easings[name]
	if !ok {
		f = linear
	}
	return f(clamp01(p))
}

// EaseFunc returns the easing curve called name (the empty name is linear), or an error naming the curves
// that exist. The function it returns expects p in [0, 1].
func EaseFunc(name schemas.Easing) (EasingFunc, error) {
	f, ok := easings[name]
	if !ok {
		return nil, fmt.Errorf("unknown easing %q: use one of %v", name, schemas.Names(schemas.Easings))
	}
	return f, nil
}

// The standard curves of https://easings.net.
const (
	backC1    = 1.70158
	backC2    = backC1 * 1.525
	backC3    = backC1 + 1
	elasticC4 = 2 * math.Pi / 3
	elasticC5 = 2 * math.Pi / 4.5
)

var easings = map[schemas.Easing]EasingFunc{
	"":                 linear,
	schemas.EaseLinear: linear,

	schemas.EaseInSine:    func(x float64) float64 { return 1 - math.Cos(x*math.Pi/2) },
	schemas.EaseOutSine:   func(x float64) float64 { return math.Sin(x * math.Pi / 2) },
	schemas.EaseInOutSine: func(x float64) float64 { return -(math.Cos(math.Pi*x) - 1) / 2 },

	schemas.EaseInQuad:    func(x float64) float64 { return x * x },
	schemas.EaseOutQuad:   outOf(func(x float64) float64 { return x * x }),
	schemas.EaseInOutQuad: inOutPow(2),

	schemas.EaseInCubic:    func(x float64) float64 { return x * x * x },
	schemas.EaseOutCubic:   outOf(func(x float64) float64 { return x * x * x }),
	schemas.EaseInOutCubic: inOutPow(3),

	schemas.EaseInQuart:    func(x float64) float64 { return x * x * x * x },
	schemas.EaseOutQuart:   outOf(func(x float64) float64 { return x * x * x * x }),
	schemas.EaseInOutQuart: inOutPow(4),

	schemas.EaseInBack:  func(x float64) float64 { return backC3*x*x*x - backC1*x*x },
	schemas.EaseOutBack: func(x float64) float64 { return 1 + backC3*math.Pow(x-1, 3) + backC1*math.Pow(x-1, 2) },
	schemas.EaseInOutBack: func(x float64) float64 {
		if x < 0.5 {
			return math.Pow(2*x, 2) * ((backC2+1)*2*x - backC2) / 2
		}
		return (math.Pow(2*x-2, 2)*((backC2+1)*(x*2-2)+backC2) + 2) / 2
	},

	schemas.EaseInElastic: func(x float64) float64 {
		if x <= 0 || x >= 1 {
			return x
		}
		return -math.Pow(2, 10*x-10) * math.Sin((x*10-10.75)*elasticC4)
	},
	schemas.EaseOutElastic: func(x float64) float64 {
		if x <= 0 || x >= 1 {
			return x
		}
		return math.Pow(2, -10*x)*math.Sin((x*10-0.75)*elasticC4) + 1
	},
	schemas.EaseInOutElastic: func(x float64) float64 {
		switch {
		case x <= 0 || x >= 1:
			return x
		case x < 0.5:
			return -(math.Pow(2, 20*x-10) * math.Sin((20*x-11.125)*elasticC5)) / 2
		}
		return math.Pow(2, -20*x+10)*math.Sin((20*x-11.125)*elasticC5)/2 + 1
	},

	schemas.EaseInBounce:  func(x float64) float64 { return 1 - bounceOut(1-x) },
	schemas.EaseOutBounce: bounceOut,
	schemas.EaseInOutBounce: func(x float64) float64 {
		if x < 0.5 {
			return (1 - bounceOut(1-2*x)) / 2
		}
		return (1 + bounceOut(2*x-1)) / 2
	},
}

func linear(x float64) float64 { return x }

// outOf mirrors an ease-in curve into its ease-out form.
func outOf(in EasingFunc) EasingFunc {
	return func(x float64) float64 { return 1 - in(1-x) }
}

// inOutPow is the ease-in-out form of x^n: x^n sped up over the first half, mirrored over the second.
func inOutPow(n float64) EasingFunc {
	half := math.Pow(2, n-1)
	return func(x float64) float64 {
		if x < 0.5 {
			return half * math.Pow(x, n)
		}
		return 1 - math.Pow(-2*x+2, n)/2
	}
}

func bounceOut(x float64) float64 {
	const n1, d1 = 7.5625, 2.75
	switch {
	case x < 1/d1:
		return n1 * x * x
	case x < 2/d1:
		x -= 1.5 / d1
		return n1*x*x + 0.75
	case x < 2.5/d1:
		x -= 2.25 / d1
		return n1*x*x + 0.9375
	}
	x -= 2.625 / d1
	return n1*x*x + 0.984375
}

// clamp01 limits v to [0, 1]; NaN becomes 0.
func clamp01(v float64) float64 {
	switch {
	case v >= 1:
		return 1
	case v > 0:
		return v
	}
	return 0
}

func lerp(a, b, p float64) float64 { return a + (b-a)*p }
