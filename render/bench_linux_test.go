package render

import (
	"syscall"
	"testing"
)

// warmMemory runs right before each timed side of BenchmarkReference (the engine, then L), so that both start
// from the same state of the machine's memory: freshly freed pages the kernel can hand out at once.
//
// On a VM whose balloon device hands free memory back to the host (virtio free page reporting: Linux reports
// memory that has stayed free for 2 s), touching such memory again costs a fault in the host too. On the
// development VM, 1 GB of 2 MB pages (x264 asks for them for its frames) took 0.1 s to touch right after it was
// freed and 1.8–2.0 s after a 5 s pause. Without this, L ran right after the engine's encoder had exited and got
// its warm pages, while the engine's encoder, launched after the untimed set-up, got cold ones: at 2160p it
// spent 2.5 s of system time against L's 0.5 s for the same x264 work, about a quarter of L's time. Touching
// warmMemorySize in 2 MB pages and unmapping it leaves that much warm for whichever side comes next, outside
// both clocks. With the warm-up, both sides' encoders spent 0.4–0.6 s of system time at 2160p.
func warmMemory(b testing.TB) {
	b.Helper()
	mem, err := syscall.Mmap(-1, 0, warmMemorySize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		b.Fatalf("warm memory: %v", err)
	}
	_ = syscall.Madvise(mem, syscall.MADV_HUGEPAGE) // best effort, as for the engine's buffers
	for i := 0; i < len(mem); i += 4096 {
		mem[i] = 1
	}
	if err := syscall.Munmap(mem); err != nil {
		b.Fatalf("warm memory: %v", err)
	}
}

// warmMemorySize covers what one side of the 2160p comparison takes in 2 MB pages: x264's frames (about
// 780 MB: the kernel counted 388 huge-page faults for L) and the engine's pixel buffers (about 240 MB).
const warmMemorySize = 1536 << 20
