package ffmpeg

import (
	"os"
	"path/filepath"
	"testing"
)

func TestZZScratchSegments(t *testing.T) {
	dir := os.Getenv("SCRATCH")
	if dir == "" {
		t.Skip()
	}
	o := EncodeOptions{Width: 192, Height: 108, FPS: 29.97, Frames: 75, AudioCodec: "aac"}
	frames := sourceFrames(t, "testsrc2", 192, 108, "30000/1001", 75)
	segs := encodeSegments(t, dir, o, frames, []int{15, 20, 40}, 1)
	if err := Join(testContext(t), segs, filepath.Join(dir, "mix.m4a"), filepath.Join(dir, "withaudio.mp4"), o); err != nil {
		t.Fatal(err)
	}
}
