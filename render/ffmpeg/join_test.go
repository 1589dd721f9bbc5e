package ffmpeg

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestJoinMatchesOnePiece encodes the same frames in one piece and as 5 segments joined with audio.
func TestJoinMatchesOnePiece(t *testing.T) {
	t.Parallel()
	const n = 75 // 2.5 s at 29.97: 15 frames per segment
	dir := t.TempDir()
	frames := testFrames(t, 192, 108, "30000/1001", n, PixFmtYUV420P)
	o := EncodeOptions{Width: 192, Height: 108, FPS: 29.97, Frames: n}

	whole := filepath.Join(dir, "whole.mp4")
	encodeFrames(t, whole, o, frames)

	var segments []string
	for i := 0; i < 5; i++ {
		seg := filepath.Join(dir, fmt.Sprintf("seg%d.mp4", i))
		so := o
		so.Format, so.Frames = FormatSegment, n/5
		encodeFrames(t, seg, so, frames[i*n/5:(i+1)*n/5])
		segments = append(segments, seg)
	}
	audio := lavfi(t, filepath.Join(dir, "mix.m4a"), "-f", "lavfi", "-i", "sine=duration=3", "-c:a", "aac")

	joined := filepath.Join(dir, "joined.mp4")
	if err := Join(testContext(t), segments, "", joined, o); err != nil {
		t.Fatal(err)
	}
	withAudio := filepath.Join(dir, "joined-audio.mp4")
	if err := Join(testContext(t), segments, audio, withAudio, o); err != nil {
		t.Fatal(err)
	}

	ref := videoStream(t, probeCounted(t, whole))
	for _, path := range []string{joined, withAudio} {
		p := probeCounted(t, path)
		v := videoStream(t, p)
		if v.NbFrames != ref.NbFrames || v.NbFrames != n {
			t.Errorf("%s: %d frames, one piece %d, want %d", filepath.Base(path), v.NbFrames, ref.NbFrames, n)
		}
		if !near(v.Duration, ref.Duration, 0.001) || !near(v.Duration, n*1001.0/30000, 0.001) {
			t.Errorf("%s: lasts %v s, one piece %v s", filepath.Base(path), v.Duration, ref.Duration)
		}
		wantAudio := 0
		if path == withAudio {
			wantAudio = 1
		}
		if got := countStreams(p, "audio"); got != wantAudio {
			t.Errorf("%s: %d audio streams, want %d", filepath.Base(path), got, wantAudio)
		}
	}
	if err := Join(testContext(t), nil, "", joined, o); err == nil {
		t.Error("joining no segments succeeded")
	}
}
