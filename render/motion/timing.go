package motion

import "math"

// timing is when something runs inside a clip and how its progress is shaped: an animation, or the entrance
// transition (delay 0, one cycle).
type timing struct {
	delay    float64 // seconds from the clip start
	duration float64 // seconds of one cycle
	ease     EasingFunc
	forever  bool    // repeat until the clip ends
	cycles   float64 // how many cycles when not forever; 0 means 1; a fraction stops part-way
	// alternate runs every second cycle backwards (from `to` to `from`), for back-and-forth motion such as a
	// pulse; without it every cycle starts again from `from`.
	alternate bool
}

// progress returns the eased progress at t seconds from the clip start. Before the delay it is the start
// (ease(0) = 0); after the last cycle it holds where the last cycle stopped (1 for whole cycles).
func (tm timing) progress(t float64) float64 {
	local := t - tm.delay
	if local <= 0 {
		return tm.ease(0)
	}
	if tm.duration <= 0 {
		return tm.ease(1)
	}
	done := local / tm.duration // cycles completed, with the fraction of the current one
	if !tm.forever {
		if n := tm.count(); done >= n {
			last := n - math.Floor(n)
			index := math.Floor(n)
			if last == 0 {
				last, index = 1, index-1
			}
			return tm.ease(tm.direct(index, last))
		}
	}
	return tm.ease(tm.direct(math.Floor(done), done-math.Floor(done)))
}

// direct turns the fraction p of cycle number index (0-based) into the progress of that cycle: backwards on
// every odd cycle of an alternating timing.
func (tm timing) direct(index, p float64) float64 {
	if tm.alternate && math.Mod(index, 2) == 1 {
		return 1 - p
	}
	return p
}

// count is the number of cycles of a timing that does not repeat forever.
func (tm timing) count() float64 {
	if tm.cycles > 0 {
		return tm.cycles
	}
	return 1
}

// end is the clip time from which progress no longer changes: +Inf for a timing that repeats forever.
func (tm timing) end() float64 {
	if tm.forever {
		return math.Inf(1)
	}
	return tm.delay + tm.count()*math.Max(tm.duration, 0)
}
