// Package hugemem allocates the engine's large pixel buffers (canvases, converted frames, decoded video
// frames, big layers) so that the kernel may back them with 2 MB pages instead of 4 KB ones.
//
// Why: the first write to a fresh page costs a page fault, and on the 2-core VM the benchmarks run on a
// fault costs about 10 µs, so touching 100 MB of new memory in 4 KB pages took 260–290 ms, and in 2 MB
// pages 6–60 ms. A 2160p render allocates about 240 MB of such buffers (three 33 MB canvases, eight 12 MB
// yuv420p frames, the background, layers), which made page faults the largest share of its drawing CPU.
// x264 asks for 2 MB pages for its own frames (madvise MADV_HUGEPAGE), so FFmpeg encoding raw frames
// already had them; Go's heap does not ask for them, and Linux's default transparent huge page mode,
// "madvise", only gives them to memory that asks.
//
// Bytes asks for them on the 2 MB-aligned part of a new slice. Memory fresh from the kernel is untouched
// until then; memory the Go heap reuses is already mapped (make zeroes it), and keeps the pages it has. The
// slice stays ordinary Go memory, collected like any other: the advice marks that address range of the heap
// for good, so later slices placed there get 2 MB pages too. Elsewhere than Linux, and for slices under
// MinBytes, Bytes is make.
//
// The cost to weigh: with the kernel's default defrag mode ("madvise"), a fault in advised memory on a host
// whose free memory is fragmented may compact memory before it returns, a stall the Go runtime itself stopped
// risking for its whole heap in Go 1.21.4. Here only pixel buffers of 4 MB and more ask, but an operator who
// sees such stalls turns the advice off with FRAMECAST_HUGEPAGES=off (read once, at the first allocation).
package hugemem

import (
	"image"
	"os"
	"sync"
)

// EnvHugePages names the environment variable that turns the advice off when set to "off".
const EnvHugePages = "FRAMECAST_HUGEPAGES"

// enabled reports whether Bytes advises: unless FRAMECAST_HUGEPAGES is "off".
var enabled = sync.OnceValue(func() bool { return os.Getenv(EnvHugePages) != "off" })

// MinBytes is the smallest slice Bytes advises: below two huge pages, the aligned part is often empty.
const MinBytes = 4 << 20

// hugePage is the size of a transparent huge page on the architectures Go runs Linux on in practice.
const hugePage = 2 << 20

// Bytes returns a zeroed slice of n bytes whose 2 MB-aligned part the kernel may back with huge pages.
func Bytes(n int) []byte {
	b := make([]byte, n)
	if n >= MinBytes && enabled() {
		advise(b)
	}
	return b
}

// Clone returns a copy of b in memory from Bytes.
func Clone(b []byte) []byte {
	c := Bytes(len(b))
	copy(c, b)
	return c
}

// NewRGBA is image.NewRGBA with its pixels from Bytes.
func NewRGBA(r image.Rectangle) *image.RGBA {
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return image.NewRGBA(r)
	}
	return &image.RGBA{Pix: Bytes(4 * w * h), Stride: 4 * w, Rect: r}
}
