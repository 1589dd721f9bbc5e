package paint

import (
	"runtime"
	"sync"
)

// minParallelRows is the height below which splitting work over goroutines costs more than it saves.
const minParallelRows = 64

// parallelRows calls work on disjoint row ranges [y0, y1) covering [0, h), one range per processor when h is
// large enough to be worth it.
func parallelRows(h int, work func(y0, y1 int)) {
	n := runtime.GOMAXPROCS(0)
	if n == 1 || h < minParallelRows {
		work(0, h)
		return
	}
	chunk := (h + n - 1) / n
	var wg sync.WaitGroup
	for y := 0; y < h; y += chunk {
		y1 := min(y+chunk, h)
		wg.Go(func() { work(y, y1) })
	}
	wg.Wait()
}
