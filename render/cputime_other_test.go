//go:build !unix

package render

import "time"

// cpuTime is not measured here: the benchmarks report a CPU ratio of 0.
func cpuTime() time.Duration { return 0 }
