package compose

import (
	"image"
	"runtime"
	"sync"
)

// forBands calls draw for the rows of r, split into one band per worker when r is large enough to be worth
// it. workers ≤ 0 means runtime.GOMAXPROCS(0).
func forBands(r image.Rectangle, workers int, draw func(y0, y1 int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rows := r.Dy()
	if workers > rows {
		workers = rows
	}
	if workers <= 1 || r.Dx()*rows <= ParallelThreshold {
		draw(r.Min.Y, r.Max.Y)
		return
	}
	var wg sync.WaitGroup
	for i := range workers {
		y0 := r.Min.Y + rows*i/workers
		y1 := r.Min.Y + rows*(i+1)/workers
		if i == workers-1 {
			draw(y0, y1) // the calling goroutine takes the last band
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			draw(y0, y1)
		}()
	}
	wg.Wait()
}

// rowBuffers recycles the per-band scratch rows of sampled source pixels.
var rowBuffers sync.Pool

// getRowBuffer returns a scratch slice of at least width pixels (4 bytes each).
func getRowBuffer(width int) []byte {
	if b, ok := rowBuffers.Get().(*[]byte); ok && cap(*b) >= width*4 {
		return (*b)[:width*4]
	}
	return make([]byte, width*4)
}

func putRowBuffer(b []byte) { rowBuffers.Put(&b) }
