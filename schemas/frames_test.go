package schemas

import "testing"

// The frame shown at t: the one whose interval holds t, decimal times landing on their frame, and times
// at or past the end showing the last frame the encoder writes (FrameCount rounds, so a 1.99 s video at
// 1 fps has 2 frames and a 1.4 s one 1).
func TestFrameAt(t *testing.T) {
	for _, c := range []struct {
		t, duration, fps float64
		want             int
	}{
		{0, 10, 30, 0},
		{0.1, 10, 30, 3}, // 0.1 × 30 is 2.9999999999999996
		{0.7, 10, 10, 7}, // 0.7 × 10 is 6.999999999999999
		{1.0 / 30, 10, 30, 1},
		{0.0333, 10, 30, 0}, // before frame 1's time
		{9.99, 10, 30, 299},
		{10, 10, 30, 299}, // the end shows the last frame
		{500, 10, 30, 299},
		{-1, 10, 30, 0},
		{1.5, 1.99, 1, 1},
		{1.9, 1.4, 1, 0},
		{3, 0, 30, 0}, // no frames
		{2.5, 2.5, 25, 62},
	} {
		if got := FrameAt(c.t, c.duration, c.fps); got != c.want {
			t.Errorf("FrameAt(%g, %g, %g) = %d, want %d", c.t, c.duration, c.fps, got, c.want)
		}
	}
	// Every frame's own time shows that frame, at common rates, and no time shows a frame the video lacks.
	for _, fps := range []float64{24, 25, 29.97, 30, 60} {
		count := FrameCount(7.3, fps)
		for n := range count {
			if got := FrameAt(float64(n)/fps, 7.3, fps); got != n {
				t.Fatalf("fps %g: frame %d's time shows frame %d", fps, n, got)
			}
		}
		if got := FrameAt(7.3, 7.3, fps); got != count-1 {
			t.Errorf("fps %g: the end shows frame %d of %d", fps, got, count)
		}
		if got := FrameTimeAt(100, 7.3, fps); got != float64(count-1)/fps {
			t.Errorf("fps %g: FrameTimeAt past the end = %g", fps, got)
		}
	}
}
