package ffmpeg

import (
	"path/filepath"
	"testing"
)

// BenchmarkEncode1080pYUV pipes 60 pre-made 1920×1080 yuv420p frames through the encoder (x264 veryfast,
// CRF 20) per iteration and reports frames/s.
func BenchmarkEncode1080pYUV(b *testing.B) {
	const n = 60
	frames := testFrames(b, 1920, 1080, "30", n, PixFmtYUV420P)
	out := filepath.Join(b.TempDir(), "bench.mp4")
	o := EncodeOptions{Width: 1920, Height: 1080, FPS: 30, Frames: n, Preset: "veryfast", CRF: 20}
	b.SetBytes(int64(n * o.FrameSize()))
	b.ResetTimer()
	for b.Loop() {
		encodeFrames(b, out, o, frames)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "frames/s")
}
