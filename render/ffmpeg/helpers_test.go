package ffmpeg

import (
	"context"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/")

// testContext returns a context that ends with the test.
func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// lavfi runs ffmpeg with a lavfi source to make a test input file.
func lavfi(t testing.TB, out string, args ...string) string {
	t.Helper()
	if err := runFFmpeg(testContext(t), append(args, "-y", out)...); err != nil {
		t.Fatalf("make test input %s: %v", out, err)
	}
	return out
}

// testFrames returns n raw frames of ffmpeg's testsrc2 pattern (moving content) in pixFmt.
func testFrames(t testing.TB, w, h int, fps string, n int, pixFmt string) [][]byte {
	t.Helper()
	raw := lavfi(t, filepath.Join(t.TempDir(), "frames.raw"),
		"-f", "lavfi", "-i", "testsrc2=s="+itoa(w)+"x"+itoa(h)+":r="+fps, "-frames:v", itoa(n),
		"-f", "rawvideo", "-pix_fmt", pixFmt)
	data, err := os.ReadFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	size := EncodeOptions{Width: w, Height: h, InputPixFmt: pixFmt}.FrameSize()
	if len(data) != n*size {
		t.Fatalf("got %d bytes of frames, want %d", len(data), n*size)
	}
	frames := make([][]byte, n)
	for i := range frames {
		frames[i] = data[i*size : (i+1)*size]
	}
	return frames
}

// encodeFrames writes frames with a new Encoder and fails the test on any error.
func encodeFrames(t testing.TB, out string, o EncodeOptions, frames [][]byte) {
	t.Helper()
	enc, err := NewEncoder(testContext(t), out, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		if err := enc.WriteFrame(f); err != nil {
			enc.Abort()
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
}

// probeCounted probes with frame counting and fails the test on error.
func probeCounted(t testing.TB, path string) *ProbeResult {
	t.Helper()
	p, err := Probe(testContext(t), path, CountFrames)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// videoStream returns the only video stream, failing unless there is exactly one.
func videoStream(t testing.TB, p *ProbeResult) Stream {
	t.Helper()
	var found []Stream
	for _, s := range p.Streams {
		if s.CodecType == "video" {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one video stream, got %d: %+v", len(found), p.Streams)
	}
	return found[0]
}

// countStreams counts the streams of one type.
func countStreams(p *ProbeResult, codecType string) int {
	n := 0
	for _, s := range p.Streams {
		if s.CodecType == codecType {
			n++
		}
	}
	return n
}

// near reports whether a and b differ by at most tol.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// compareGolden compares img with testdata/name within tol per channel, or rewrites it with -update.
func compareGolden(t *testing.T, name string, img *image.RGBA, tol int) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := WriteImage(path, img, "png", 0); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run with -update to create it)", path, err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds().Size() != img.Bounds().Size() {
		t.Fatalf("%s: size %v, golden %v", name, img.Bounds().Size(), want.Bounds().Size())
	}
	worst := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, a1 := img.At(x, y).RGBA()
			r2, g2, b2, a2 := want.At(x-b.Min.X+want.Bounds().Min.X, y-b.Min.Y+want.Bounds().Min.Y).RGBA()
			for _, d := range []int{diff8(r1, r2), diff8(g1, g2), diff8(b1, b2), diff8(a1, a2)} {
				worst = max(worst, d)
			}
		}
	}
	if worst > tol {
		t.Errorf("%s: a channel differs by %d from the golden (tolerance %d)", name, worst, tol)
	}
}

// diff8 returns the difference of two 16-bit color channels in 8-bit steps.
func diff8(a, b uint32) int {
	d := int(a>>8) - int(b>>8)
	if d < 0 {
		return -d
	}
	return d
}
