package paint

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func animationFixture(t *testing.T, name string) *Animation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "assets", "animated", name))
	if err != nil {
		t.Fatal(err)
	}
	a, err := DecodeAnimation(data)
	if err != nil || a == nil {
		t.Fatalf("%s: animation %v, err %v", name, a, err)
	}
	return a
}

// rgbaAt is the straight colour of a pixel with its alpha.
func rgbaAt(img *image.RGBA, x, y int) [4]int {
	c := img.RGBAAt(x, y)
	return [4]int{int(c.R), int(c.G), int(c.B), int(c.A)}
}

func nearRGBA(a, b [4]int, tol int) bool {
	for i := range a {
		if d := a[i] - b[i]; d > tol || d < -tol {
			return false
		}
	}
	return true
}

var (
	red    = [4]int{255, 0, 0, 255}
	blue   = [4]int{0, 0, 255, 255}
	green  = [4]int{0, 255, 0, 255}
	yellow = [4]int{255, 255, 0, 255}
	clear  = [4]int{0, 0, 0, 0}
)

// Item 4 of issue 10: animated GIF and WebP (lossless and lossy, made by ImageMagick and libwebp's gif2webp)
// play at their own frame timing, with GIF's "restore previous" disposal and WebP's blending, and loop: the
// picture at known times, sampled in the middle of each quarter (top-left, top-right, bottom-left,
// bottom-right).
func TestAnimatedImageFrames(t *testing.T) {
	at := []struct {
		t              float64
		tl, tr, bl, br [4]int
	}{
		{0.05, red, red, red, red},
		{0.15, blue, red, red, red},
		{0.29, blue, red, red, red},
		{0.35, red, red, red, green}, // the blue quarter was disposed of (restored to red)
		{0.65, red, red, yellow, green},
		{0.99, red, red, yellow, green},
		{1.05, red, red, red, red}, // loops forever
		{7.45, red, red, red, green},
	}
	for _, file := range []string{"anim.gif", "anim.webp", "anim_lossy.webp"} {
		a := animationFixture(t, file)
		if len(a.Frames) != 4 || a.Loops != 0 || a.Ends[3] < 0.999 || a.Ends[3] > 1.001 {
			t.Errorf("%s: %d frames ending at %v, loops %d; want 4 frames over 1 s, looping forever", file, len(a.Frames), a.Ends, a.Loops)
			continue
		}
		tol := 0
		if file == "anim_lossy.webp" {
			tol = 12
		}
		for _, s := range at {
			img := a.Frames[a.FrameAt(s.t)]
			for _, q := range []struct {
				x, y int
				want [4]int
			}{{16, 16, s.tl}, {48, 16, s.tr}, {16, 48, s.bl}, {48, 48, s.br}} {
				if got := rgbaAt(img, q.x, q.y); !nearRGBA(got, q.want, tol) {
					t.Errorf("%s at %.2f s: pixel (%d,%d) is %v, want %v", file, s.t, q.x, q.y, got, q.want)
				}
			}
		}
	}

	// Disposal to the background (transparent) and blending a frame with alpha; played twice, then the last
	// frame stays.
	a := animationFixture(t, "blend_lossy.webp")
	if a.Loops != 2 {
		t.Errorf("blend_lossy.webp: loops %d, want 2", a.Loops)
	}
	for _, s := range []struct {
		t              float64
		corner, middle [4]int
	}{{0.05, red, red}, {0.15, clear, blue}, {0.25, red, red}, {0.35, clear, blue}, {5, clear, blue}} {
		img := a.Frames[a.FrameAt(s.t)]
		if got := rgbaAt(img, 4, 4); !nearRGBA(got, s.corner, 12) {
			t.Errorf("blend_lossy.webp at %.2f s: corner is %v, want %v", s.t, got, s.corner)
		}
		if got := rgbaAt(img, 32, 32); !nearRGBA(got, s.middle, 12) {
			t.Errorf("blend_lossy.webp at %.2f s: middle is %v, want %v", s.t, got, s.middle)
		}
	}

	// A still GIF or WebP is not an animation (DecodeImage draws it).
	for _, still := range []string{"small.gif", "small.webp"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "assets", still))
		if err != nil {
			t.Fatal(err)
		}
		if a, err := DecodeAnimation(data); a != nil || err != nil {
			t.Errorf("%s: animation %v, err %v; want none", still, a != nil, err)
		}
	}
}

// An animated GIF whose frames would not fit the decoded-image budget is refused from its block structure,
// before its frames are decoded (a small file can hold thousands of full-size frames).
func TestAnimatedGIFBudget(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "assets", "animated", "anim.gif"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := gifFrameCount(data); n != 4 || err != nil {
		t.Errorf("anim.gif: %d frames, err %v; want 4", n, err)
	}
	// 64×64 px × 12,000 frames = 49 million pixels, over the 40 million limit.
	if err := checkAnimationSize(64, 64, 12000); err == nil || !strings.Contains(err.Error(), "the limit is") {
		t.Errorf("err = %v, want the limit named", err)
	}
	webp, err := os.ReadFile(filepath.Join("..", "testdata", "assets", "animated", "anim_lossy.webp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range [][]byte{data, webp} {
		for cut := 0; cut < len(file); cut += 3 { // truncated files: an error or nothing, never a panic
			_, _ = DecodeAnimation(file[:cut])
		}
	}
}
