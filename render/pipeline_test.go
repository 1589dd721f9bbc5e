package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/render/compose"
	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

// Render's pipeline (frames drawn in parallel, repeated frames neither drawn nor sent again, video frames used
// as layers without a copy, the sound mixed alongside and joined by stream copy) writes the same pictures as
// the plainest pipeline: every frame drawn on its own by Frame, converted, and sent to FFmpeg. Both files are
// decoded and compared frame by frame within the golden tolerance, on every example (at 160 px wide, to keep it quick).
func TestPipelineMatchesDirectFrames(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.json")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			ctx := context.Background()
			tl := loadSmallExample(t, f, 0)
			dir := t.TempDir()
			piped := filepath.Join(dir, "pipeline.mp4")
			if err := tl.Render(ctx, piped); err != nil {
				t.Fatal(err)
			}

			direct := filepath.Join(dir, "direct.mp4")
			o := tl.encodeOptions("mp4", tl.Frames)
			o.SkipRepeats = false
			enc, err := ffmpeg.NewEncoder(ctx, direct, o)
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, compose.YUV420Size(tl.Width, tl.Height))
			for n := 0; n < tl.Frames; n++ {
				img, err := tl.Frame(ctx, tl.FrameTime(n))
				if err == nil {
					err = compose.ToYUV420(buf, img)
				}
				if err == nil {
					err = enc.WriteFrame(buf)
				}
				if err != nil {
					enc.Abort()
					t.Fatalf("frame %d: %v", n, err)
				}
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}

			a, b := decodeRGBA(t, piped), decodeRGBA(t, direct)
			size := len(a) / tl.Frames
			if len(a) != len(b) || size*tl.Frames != len(a) {
				t.Fatalf("decoded %d and %d bytes for %d frames", len(a), len(b), tl.Frames)
			}
			for n := 0; n < tl.Frames; n++ {
				fa, fb := a[n*size:(n+1)*size], b[n*size:(n+1)*size]
				bad := 0
				for i := 0; i < size; i += 4 {
					for c := i; c < i+3; c++ {
						if d := int(fa[c]) - int(fb[c]); d > goldenTolerance.Channel || -d > goldenTolerance.Channel {
							bad++
							break
						}
					}
				}
				if frac := float64(bad) / float64(size/4); frac > goldenTolerance.Outliers {
					t.Errorf("frame %d: %.2f%% of pixels differ from the direct pipeline's (tolerance %.2f%%)", n, 100*frac, 100*goldenTolerance.Outliers)
				}
			}
		})
	}
}

// decodeRGBA decodes the video stream of path to raw RGBA frames.
func decodeRGBA(t *testing.T, path string) []byte {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:v",
		"-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1").Output()
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return out
}

// collectFrames is a frameSink keeping a copy of every frame.
type collectFrames struct{ frames [][]byte }

func (c *collectFrames) WriteFrame(b []byte) error {
	c.frames = append(c.frames, bytes.Clone(b))
	return nil
}

// drawRange reuses canvases and frame buffers that hold the background outside what their last frame drew,
// and converts only what the clips changed: its bytes are exactly those of drawing each frame whole with Frame
// and converting it whole, on every example (at 160 px wide), three workers sharing the canvases.
func TestDrawRangeMatchesWholeFrames(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.json")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			checkDrawRangeMatchesWholeFrames(t, loadSmallExample(t, f, 3))
		})
	}
}

// checkDrawRangeMatchesWholeFrames fails t unless drawRange writes, for every frame of tl, the bytes of
// drawing it whole with Frame and converting it whole.
func checkDrawRangeMatchesWholeFrames(t *testing.T, tl *Timeline) {
	t.Helper()
	ctx := context.Background()
	var got collectFrames
	if err := tl.drawRange(ctx, &got, 0, tl.Frames, nil); err != nil {
		t.Fatal(err)
	}
	if len(got.frames) != tl.Frames {
		t.Fatalf("drew %d of %d frames", len(got.frames), tl.Frames)
	}
	want := make([]byte, compose.YUV420Size(tl.Width, tl.Height))
	for n := 0; n < tl.Frames; n++ {
		img, err := tl.Frame(ctx, tl.FrameTime(n))
		if err == nil {
			err = compose.ToYUV420(want, img)
		}
		if err != nil {
			t.Fatalf("frame %d: %v", n, err)
		}
		if !bytes.Equal(got.frames[n], want) {
			t.Fatalf("frame %d differs from the frame drawn and converted whole", n)
		}
	}
}

// loadSmallExample loads the example document at path at 160 px wide (quick to draw), with workers drawing
// workers (0: the default); the timeline is closed when the test ends.
func loadSmallExample(t *testing.T, path string, workers int) *Timeline {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := schemas.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t)
	opts.Assets.BaseDir = "../examples"
	opts.Width = 160
	opts.Workers = workers
	tl, err := Load(context.Background(), doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tl.Close() })
	return tl
}

// outside covers exactly the pixels of its rectangles that the cut rectangles do not (frames held by
// drawRange put the background back there only).
func TestOutsideCoversWhatTheCutLeaves(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 15))
	randRects := func(n int) []image.Rectangle {
		var rs []image.Rectangle
		for range n {
			x, y := rng.IntN(40), rng.IntN(40)
			rs = append(rs, image.Rect(x, y, x+1+rng.IntN(20), y+1+rng.IntN(20)))
		}
		return rs
	}
	in := func(p image.Point, rs []image.Rectangle) bool {
		for _, r := range rs {
			if p.In(r) {
				return true
			}
		}
		return false
	}
	for trial := range 300 {
		rs, cut := randRects(1+rng.IntN(4)), randRects(rng.IntN(5))
		got := outside(rs, cut)
		for y := 0; y < 64; y++ {
			for x := 0; x < 64; x++ {
				p := image.Pt(x, y)
				want := in(p, rs) && !in(p, cut)
				if has := in(p, got); has != want {
					t.Fatalf("trial %d: pixel %v covered %v, want %v (rs %v, cut %v, got %v)", trial, p, has, want, rs, cut, got)
				}
			}
		}
	}
}

// A reused canvas does not get the background back under an opaque video copied whole (a clip at its
// source's size, on whole pixels): its frames are still exactly those drawn whole, with a shape moving under
// the video, a line fading in over it, and the background back where the video was once it ends.
func TestOpaqueVideoSkipsTheBackgroundUnderIt(t *testing.T) {
	dir := t.TempDir()
	video := filepath.Join(dir, "v.mp4")
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=30:duration=0.6",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", video)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	doc := parseDoc(t, fmt.Sprintf(`{"meta": {"version": "2.0.0", "width": 320, "height": 180, "fps": 30, "background": {"type": "linear", "angle": 30, "stops": [{"offset": 0, "color": "#0f172a"}, {"offset": 1, "color": "#7c3aed"}]}},
		"tracks": [
			{"id": "under", "clips": [{"type": "rect", "start": 0, "duration": 1, "transform": {"x": 60, "y": 60, "width": 90, "height": 50}, "style": {"fill": "#f59e0b"},
				"animations": [{"type": "slideIn", "direction": "left", "distance": 120, "duration": 1}]}]},
			{"id": "video", "clips": [{"type": "video", "src": %q, "start": 0, "duration": 0.6, "volume": 0, "transform": {"x": 100, "y": 60, "width": 160, "height": 90}}]},
			{"id": "over", "clips": [{"type": "text", "text": "Over", "start": 0.2, "duration": 0.8, "transform": {"x": 120, "y": 70}, "style": {"fontSize": 28, "fill": "#ffffff"},
				"animations": [{"type": "fadeIn", "duration": 0.5}]}]}
		]}`, video))
	ctx := context.Background()
	opts := testOptions(t)
	opts.Workers = 3
	tl, err := Load(ctx, doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()

	// The video's layer is opaque and covers its box.
	visible, err := tl.visibleAt(0.1)
	if err != nil {
		t.Fatal(err)
	}
	covered := false
	canvas := image.NewRGBA(image.Rect(0, 0, tl.Width, tl.Height))
	for _, v := range visible {
		l, release, err := v.item.acquireLayer(ctx, v.item.look.key(&v.st, v.local), v.local)
		if err != nil {
			t.Fatal(err)
		}
		l, at := placeLayer(l, &v.st, v.item.base.Style, tl.scaleX, tl.scaleY, 0, 0)
		if c := drawer.Covers(canvas, l, at); c == image.Rect(20, 15, 180, 105) {
			covered = true
		}
		release()
	}
	if !covered {
		t.Fatal("the video at its source's size does not cover its box")
	}

	checkDrawRangeMatchesWholeFrames(t, tl)
}
