package core

import "math"

// Quality is one output quality: chosen by the short edge of the video, it sets the credit multiplier.
// Its JSON is an entry of the capabilities' render.qualities.
type Quality struct {
	Name             string  `json:"quality"`
	Label            string  `json:"label"`
	ShortEdge        int     `json:"shortEdge"` // the smallest short edge (min(width, height), px) of this quality
	CreditMultiplier float64 `json:"creditMultiplier"`
}

// Qualities is the one table of qualities, by increasing ShortEdge. The cost function and the
// capabilities endpoint both read it.
var Qualities = []Quality{
	{Name: "720p", Label: "HD (short edge below 1080 px)", ShortEdge: 720, CreditMultiplier: 1.0},
	{Name: "1080p", Label: "Full HD (short edge 1080 to 1439 px)", ShortEdge: 1080, CreditMultiplier: 1.5},
	{Name: "2K", Label: "2K (short edge 1440 px and up)", ShortEdge: 1440, CreditMultiplier: 2.0},
}

// QualityFor returns the quality of a width × height video: the last entry of Qualities whose ShortEdge
// is at most min(width, height); videos smaller than the first entry count as the first.
func QualityFor(width, height int) Quality {
	short := min(width, height)
	q := Qualities[0]
	for _, c := range Qualities[1:] {
		if short >= c.ShortEdge {
			q = c
		}
	}
	return q
}

// RenderCost returns the quality of a width × height video of duration seconds and what rendering it
// costs: ceil(duration × multiplier) credits, at least 1.
func RenderCost(width, height int, duration float64) (Quality, int64) {
	q := QualityFor(width, height)
	// The small epsilon keeps float noise (10 × 1.1 = 11.000000000000002) from adding a credit.
	cost := int64(math.Ceil(duration*q.CreditMultiplier - 1e-9))
	return q, max(cost, 1)
}
