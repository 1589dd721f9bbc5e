package ffmpeg

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These tests feed probeMP4 files an uploader could write on purpose: each is refused (Probe then asks
// ffprobe) or read as FFmpeg reads it, within a budget of memory and reads whatever the file declares.

// writeTemp writes data to a new file of dir named name and returns its path.
func writeTemp(t testing.TB, dir, name string, data []byte) string {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A chunk offset near 1<<63 does not wrap the end of its sample under the file's size.
func TestCheckInsideNearTheTopOfInt64(t *testing.T) {
	if err := checkInside([]int64{math.MaxInt64 - 10}, []uint32{100}, 1000); err == nil {
		t.Error("a sample at 1<<63 - 10 passed for inside a file of 1000 bytes")
	}
	if err := checkInside([]int64{900}, []uint32{100}, 1000); err != nil {
		t.Errorf("the last 100 bytes of 1000: %v", err)
	}
}

// A box whose 64-bit size wraps its end negative is refused as overrunning the file, and a file or a box of
// thousands of tiny boxes is refused after a bounded count rather than read box by box.
func TestReadMovieBounds(t *testing.T) {
	dir := t.TempDir()
	ftyp := []byte("\x00\x00\x00\x10ftypisom\x00\x00\x02\x00")
	wrap := append(append([]byte(nil), ftyp...), "\x00\x00\x00\x01free\x7f\xff\xff\xff\xff\xff\xff\xff"...)
	if _, _, _, err := readMovie(writeTemp(t, dir, "wrap.mp4", wrap)); err == nil || !strings.Contains(err.Error(), "overruns") {
		t.Errorf("a 64-bit size near 1<<63: %v, want the box refused as overrunning the file", err)
	}
	many := append([]byte(nil), ftyp...)
	for range 100_000 {
		many = append(many, "\x00\x00\x00\x08free"...)
	}
	if _, _, _, err := readMovie(writeTemp(t, dir, "many.mp4", many)); err == nil || !strings.Contains(err.Error(), "top-level boxes") {
		t.Errorf("100,000 top-level boxes: %v, want refused on their count", err)
	}
	if _, err := childBoxes(many[len(ftyp):]); err == nil {
		t.Error("childBoxes split 100,000 boxes")
	}
	big := append([]byte("\x00\x10\x00\x00ftypisom"), make([]byte, 1<<20-12)...)
	if _, _, _, err := readMovie(writeTemp(t, dir, "ftyp.mp4", big)); err == nil {
		t.Error("an ftyp box of 1 MiB was read")
	}
}
