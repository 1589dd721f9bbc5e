package ffmpeg

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// probeFuzzBudget is what the Go reader may allocate for a file of n bytes: the movie box it reads whole,
// and per sample the size, duration, composition offset and file offset it expands (24 bytes) against the 4
// bytes its stsz entry takes at least (or the 1 byte of file a sample of a constant size takes at least),
// with room for append's doubling; plus a fixed allowance for the file handles, errors and the fuzzing
// engine's own work between the two readings of the memory statistics.
func probeFuzzBudget(n int) uint64 { return 64*uint64(n) + 8<<20 }

// probeFuzzTime is how long one probe of a fuzzed file may take: a few thousand times what the corpus's
// files take (under 1 ms), so that only a loop the file's counts drive trips it, not a busy machine.
const probeFuzzTime = 3 * time.Second

// FuzzProbeMP4: the Go reader of MP4 files (probeMP4, which Probe runs on every local file before ffprobe)
// never panics on a file of any bytes, allocates within probeFuzzBudget of the file's size whatever counts
// and sizes the file declares, and returns within probeFuzzTime. The seeds are small files of each kind
// the reader reads (H.264 with B-frames and an edit list, the index in front or behind, AAC in M4A, MOV
// with sound), and files that are not MP4.
func FuzzProbeMP4(f *testing.F) {
	dir := f.TempDir()
	seeds := []struct {
		name string
		args []string
	}{
		{"front.mp4", video("32x32", "25", "0.2", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart")},
		{"bframes.mp4", video("32x32", "25", "0.2", "-c:v", "libx264", "-preset", "veryfast", "-bf", "2")},
		{"sound.m4a", sound("8000", "1", "0.1")},
		{"av.mov", []string{"-f", "lavfi", "-i", "testsrc2=s=16x16:r=10", "-f", "lavfi", "-i", "sine=sample_rate=8000",
			"-t", "0.2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ac", "2", "-movflags", "+faststart"}},
	}
	for _, s := range seeds {
		b, err := os.ReadFile(lavfi(f, filepath.Join(dir, s.name), s.args...))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)*2/3]) // truncated inside the samples or the index
	}
	f.Add([]byte{})
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"))
	f.Add([]byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm")) // EBML header
	f.Add([]byte("\x00\x00\x00\x08ftyp\x00\x00\x00\x01moov\xff\xff\xff\xff\xff\xff\xff\xff"))
	input := filepath.Join(f.TempDir(), "input.mp4")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(input, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		res, err := probeMP4(input)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		if err == nil && (res == nil || len(res.Streams) == 0) {
			t.Fatalf("probeMP4 succeeded with %+v", res)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > probeFuzzBudget(len(data)) {
			t.Errorf("probeMP4 of %d bytes allocated %d bytes (budget %d); err %v", len(data), n,
				probeFuzzBudget(len(data)), err)
		}
		if took > probeFuzzTime {
			t.Errorf("probeMP4 of %d bytes took %v; err %v", len(data), took, err)
		}
	})
}
