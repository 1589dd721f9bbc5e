package audio

import (
	"math"

	"github.com/framecast/framecast/schemas"
)

// ease maps progress x in [0, 1] through the named easing (the standard easings.net formulas); an unknown
// or empty name is linear.
func ease(name schemas.Easing, x float64) float64 {
	const (
		c1 = 1.70158
		c2 = c1 * 1.525
		c3 = c1 + 1
		c4 = 2 * math.Pi / 3
		c5 = 2 * math.Pi / 4.5
	)
	switch name {
	case "easeInSine":
		return 1 - math.Cos(x*math.Pi/2)
	case "easeOutSine":
		return math.Sin(x * math.Pi / 2)
	case "easeInOutSine":
		return -(math.Cos(math.Pi*x) - 1) / 2
	case "easeInQuad":
		return x * x
	case "easeOutQuad":
		return 1 - (1-x)*(1-x)
	case "easeInOutQuad":
		return inOutPow(x, 2)
	case "easeInCubic":
		return x * x * x
	case "easeOutCubic":
		return 1 - math.Pow(1-x, 3)
	case "easeInOutCubic":
		return inOutPow(x, 3)
	case "easeInQuart":
		return x * x * x * x
	case "easeOutQuart":
		return 1 - math.Pow(1-x, 4)
	case "easeInOutQuart":
		return inOutPow(x, 4)
	case "easeInBack":
		return c3*x*x*x - c1*x*x
	case "easeOutBack":
		return 1 + c3*math.Pow(x-1, 3) + c1*math.Pow(x-1, 2)
	case "easeInOutBack":
		if x < 0.5 {
			return math.Pow(2*x, 2) * ((c2+1)*2*x - c2) / 2
		}
		return (math.Pow(2*x-2, 2)*((c2+1)*(x*2-2)+c2) + 2) / 2
	case "easeInElastic":
		if x <= 0 || x >= 1 {
			return x
		}
		return -math.Pow(2, 10*x-10) * math.Sin((x*10-10.75)*c4)
	case "easeOutElastic":
		if x <= 0 || x >= 1 {
			return x
		}
		return math.Pow(2, -10*x)*math.Sin((x*10-0.75)*c4) + 1
	case "easeInOutElastic":
		switch {
		case x <= 0 || x >= 1:
			return x
		case x < 0.5:
			return -(math.Pow(2, 20*x-10) * math.Sin((20*x-11.125)*c5)) / 2
		}
		return math.Pow(2, -20*x+10)*math.Sin((20*x-11.125)*c5)/2 + 1
	case "easeInBounce":
		return 1 - outBounce(1-x)
	case "easeOutBounce":
		return outBounce(x)
	case "easeInOutBounce":
		if x < 0.5 {
			return (1 - outBounce(1-2*x)) / 2
		}
		return (1 + outBounce(2*x-1)) / 2
	}
	return x
}

func inOutPow(x, p float64) float64 {
	if x < 0.5 {
		return math.Pow(2, p-1) * math.Pow(x, p)
	}
	return 1 - math.Pow(-2*x+2, p)/2
}

func outBounce(x float64) float64 {
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
