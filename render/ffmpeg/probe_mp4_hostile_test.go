package ffmpeg

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// These tests feed probeMP4 files an uploader could write on purpose: each is refused (Probe then asks
// ffprobe) or read as FFmpeg reads it, within a budget of memory and reads whatever the file declares.

// probeAllocated probes path in Go and returns the error and the bytes allocated meanwhile.
func probeAllocated(path string) (uint64, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := probeMP4(path)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, err
}

// boxAt returns where the box reached by the path of types starts in data (the file's top level first),
// and its header's length.
func boxAt(t testing.TB, data []byte, path ...string) (start, hlen int) {
	t.Helper()
	b, base := data, 0
	for depth, typ := range path {
		boxes, err := childBoxes(b)
		if err != nil {
			t.Fatal(err)
		}
		box, err := only(boxes, typ)
		if err != nil {
			t.Fatalf("%v: %v", path[:depth+1], err)
		}
		start = base + bytes.Index(b, box.raw)
		hlen = len(box.raw) - len(box.body)
		b, base = box.body, start+hlen
	}
	return start, hlen
}

// smallMP4 makes a small H.264 MP4 (its index at the end, as ffmpeg writes it by default) and returns its
// bytes and path.
func smallMP4(t testing.TB, dir string) ([]byte, string) {
	path := lavfi(t, filepath.Join(dir, "small.mp4"), video("32x32", "25", "0.2", "-c:v", "libx264", "-preset", "ultrafast")...)
	return readFile(t, path), path
}

// writeTemp writes data to a new file of dir named name and returns its path.
func writeTemp(t testing.TB, dir, name string, data []byte) string {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A movie or track header with a 64-bit size (size field 1, the size after the type) is read where FFmpeg
// reads it: the fields start 8 bytes later. Reading them at the 32-bit header's place took the modification
// time for the duration and a shifted display matrix.
func TestProbeMP4ReadsHeadersOf64BitSize(t *testing.T) {
	dir := t.TempDir()
	data, path := smallMP4(t, dir)
	want, err := probeMP4(path)
	if err != nil {
		t.Fatal(err)
	}
	// Grow mvhd and tkhd to 64-bit sizes, from the back so that the earlier offsets hold, and every box
	// around them by 8 bytes each; the index is at the end, so no sample moves.
	moov, _ := boxAt(t, data, "moov")
	trak, _ := boxAt(t, data, "moov", "trak")
	mvhd, _ := boxAt(t, data, "moov", "mvhd")
	tkhd, _ := boxAt(t, data, "moov", "trak", "tkhd")
	if mvhd > tkhd {
		t.Fatal("want mvhd before the track")
	}
	grow := func(data []byte, at int) []byte {
		size := binary.BigEndian.Uint32(data[at:])
		wide := binary.BigEndian.AppendUint32(nil, 1)
		wide = append(wide, data[at+4:at+8]...)
		wide = binary.BigEndian.AppendUint64(wide, uint64(size)+8)
		return append(append(append([]byte(nil), data[:at]...), wide...), data[at+8:]...)
	}
	data = grow(data, tkhd)
	data = grow(data, mvhd)
	trak += 8 // behind mvhd
	binary.BigEndian.PutUint32(data[moov:], binary.BigEndian.Uint32(data[moov:])+16)
	binary.BigEndian.PutUint32(data[trak:], binary.BigEndian.Uint32(data[trak:])+8)
	wide := writeTemp(t, dir, "wide.mp4", data)
	got, err := probeMP4(wide)
	if err != nil {
		t.Fatalf("64-bit headers: %v", err)
	}
	want.Size = got.Size
	if d := diffProbes(got, want); d != "" {
		t.Errorf("64-bit headers read otherwise:%s", d)
	}
	ffprobe, err := probeWithFFprobe(testContext(t), wide)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffProbes(got, ffprobe); d != "" {
		t.Errorf("the Go reader differs from ffprobe on 64-bit headers:%s", d)
	}
}

// An stsz of a constant size that declares 16 million samples in a file of a few kilobytes is refused on
// its count, before the tables are expanded (it cost 64 MB for the sizes alone).
func TestProbeMP4RefusesMoreSampleBytesThanTheFile(t *testing.T) {
	dir := t.TempDir()
	data, _ := smallMP4(t, dir)
	stsz, hlen := boxAt(t, data, "moov", "trak", "mdia", "minf", "stbl", "stsz")
	binary.BigEndian.PutUint32(data[stsz+hlen+4:], 1)     // sample size: 1 byte each
	binary.BigEndian.PutUint32(data[stsz+hlen+8:], 1<<24) // sample count
	n, err := probeAllocated(writeTemp(t, dir, "counts.mp4", data))
	if err == nil || !strings.Contains(err.Error(), "samples of 1 bytes") {
		t.Errorf("probeMP4 = %v, want the count refused", err)
	}
	if n > 1<<20 {
		t.Errorf("probeMP4 allocated %d bytes for a file of %d", n, len(data))
	}
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

// The NAL units of the samples are checked for parameter sets within maxInBandNALs headers: a megabyte
// of one-byte NAL units would otherwise cost 200,000 reads for each sample that points at it.
func TestNoInBandSPSStopsAtItsBudget(t *testing.T) {
	nal := []byte{0, 0, 0, 1, 0x01} // 4-byte length 1, a non-IDR slice header
	data := bytes.Repeat(nal, 200_000)
	f, err := os.Open(writeTemp(t, t.TempDir(), "nals", data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	offsets, sizes, deltas := []int64{0, 0, 0}, []uint32{uint32(len(data)), uint32(len(data)), uint32(len(data))}, []uint32{0, 0, 0}
	headers := maxInBandNALs
	err = noInBandSPS(f, offsets, sizes, deltas, 4, 10, &headers)
	if err == nil || !strings.Contains(err.Error(), "NAL units to check") {
		t.Errorf("noInBandSPS = %v, want it to stop after %d headers", err, maxInBandNALs)
	}
	headers = maxInBandNALs
	if err := noInBandSPS(f, offsets[:1], []uint32{5 * 1000}, deltas[:1], 4, 10, &headers); err != nil ||
		headers != maxInBandNALs-1000 {
		t.Errorf("1000 NAL units: %v, %d headers left", err, headers)
	}
}

// What is not an MP4 file falls back: PNG, WebM, random bytes, an empty file and a directory are refused
// by the Go reader (Probe then runs ffprobe, which says what they are).
func TestProbeMP4RefusesWhatIsNotMP4(t *testing.T) {
	dir := t.TempDir()
	rnd := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rnd {
		rnd[i] = byte(r.Uint32())
	}
	files := map[string]string{
		"png":    filepath.Join("..", "..", "examples", "assets", "product.png"),
		"webm":   writeTemp(t, dir, "a.webm", []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm")),
		"random": writeTemp(t, dir, "random.mp4", rnd),
		"empty":  writeTemp(t, dir, "empty.mp4", nil),
		"dir":    dir,
	}
	for name, path := range files {
		if res, err := probeMP4(path); err == nil {
			t.Errorf("%s: probeMP4 read it: %+v", name, res)
		}
	}
	if localMP4Path(dir) {
		t.Error("a directory passed for a local media file")
	}
}
