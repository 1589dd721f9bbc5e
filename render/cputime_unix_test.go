//go:build unix

package render

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process and its finished child processes have used so far:
// the engine's own work and its FFmpeg processes'. On a machine shared with other work, CPU time is a steadier
// measure than wall time.
func cpuTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
