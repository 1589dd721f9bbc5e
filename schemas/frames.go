package schemas

import "math"

// A video of duration seconds at fps frames per second has FrameCount frames; frame n is the picture of
// time n / fps and is shown from then until the next frame. These two functions are the only definition
// of that rule: the encoder (render.FrameCount), the proxy renderer's frames, the player's scrubber and
// the frames drawn on request (core.Frames, the MCP frame tools) all call them, so a still asked for at t
// is the picture the finished video shows at t.

// MinFrameWidth and MaxFrameWidth bound the width in pixels of a still drawn on request (the player's
// frames, core.Frames and the MCP frame tools, the proxy renderer's frames): a wider request is drawn at
// MaxFrameWidth, so one request cannot ask for a 4K canvas per frame. Written here once for core and the
// proxy renderer, which do not import each other.
const (
	MinFrameWidth = 16
	MaxFrameWidth = 1920
)

// frameEpsilon absorbs the rounding of t × fps for times written in decimal (0.1 s × 30 fps is
// 2.9999999999999996 in floating point, and must be frame 3).
const frameEpsilon = 1e-6

// FrameCount returns the number of frames of a video of duration seconds at fps: duration × fps rounded
// to the nearest whole frame.
func FrameCount(duration, fps float64) int { return int(math.Round(duration * fps)) }

// FrameAt returns the index of the frame shown at time t of a video of duration seconds at fps: the
// frame n with n / fps <= t < (n+1) / fps, kept within the video (0 before it starts, the last frame at or
// after its end, 0 for a video without frames).
func FrameAt(t, duration, fps float64) int {
	n := int(math.Floor(t*fps + frameEpsilon))
	return max(0, min(n, FrameCount(duration, fps)-1))
}

// FrameTimeAt returns the time of the frame shown at t (FrameAt(t, duration, fps) / fps): the time to
// draw for a still that matches the video.
func FrameTimeAt(t, duration, fps float64) float64 {
	return float64(FrameAt(t, duration, fps)) / fps
}
