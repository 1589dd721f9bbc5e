package ffmpeg

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

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
	return sourceFrames(t, "testsrc2", w, h, fps, n, pixFmt)
}

// sourceFrames returns n raw frames of a lavfi source (such as "testsrc2" or "smptehdbars") in pixFmt.
func sourceFrames(t testing.TB, src string, w, h int, fps string, n int, pixFmt string) [][]byte {
	t.Helper()
	raw := lavfi(t, filepath.Join(t.TempDir(), "frames.raw"),
		"-f", "lavfi", "-i", src+"=s="+itoa(w)+"x"+itoa(h)+":r="+fps, "-frames:v", itoa(n),
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
