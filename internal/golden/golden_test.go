package golden

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing the real test. Use it through check, since
// its Fatal ends the goroutine as testing's does.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) {
	r.failures = append(r.failures, fmt.Sprint(args...))
	runtime.Goexit()
}

// check runs Check in its own goroutine and returns its failures.
func check(t *testing.T, path string, img image.Image, tol Tolerance) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check(r, path, img, tol)
	}()
	<-done
	return r.failures
}

// flat returns a w×h image of one colour.
func flat(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for p := 0; p < len(img.Pix); p += 4 {
		img.Pix[p], img.Pix[p+1], img.Pix[p+2], img.Pix[p+3] = c.R, c.G, c.B, c.A
	}
	return img
}

// writeGolden writes img as a golden the way -update would.
func writeGolden(t *testing.T, img image.Image) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "want.png")
	if err := writePNG(path, img); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckAcceptsWithinToleranceAndRejectsBeyond(t *testing.T) {
	path := writeGolden(t, flat(10, 10, color.RGBA{100, 100, 100, 255}))

	near := flat(10, 10, color.RGBA{100, 100, 100, 255})
	near.SetRGBA(3, 3, color.RGBA{102, 100, 100, 255})
	failures := check(t, path, near, Tolerance{Channel: 2})
	if len(failures) != 0 {
		t.Errorf("a difference of 2 failed with Channel 2: %v", failures)
	}

	// A failing Check leaves the rendering in the temp folder; do not litter it.
	t.Cleanup(func() {
		os.Remove(filepath.Join(os.TempDir(), "golden-"+filepath.Base(filepath.Dir(path))+"-want.png"))
	})
	far := flat(10, 10, color.RGBA{100, 100, 100, 255})
	far.SetRGBA(3, 3, color.RGBA{103, 100, 100, 255})
	failures = check(t, path, far, Tolerance{Channel: 2})
	if len(failures) != 1 || !strings.Contains(failures[0], "1 pixels") {
		t.Errorf("a difference of 3 with Channel 2: failures %v, want one naming 1 pixel", failures)
	}

	failures = check(t, path, far, Tolerance{Channel: 2, Outliers: 0.01})
	if len(failures) != 0 {
		t.Errorf("1 outlier in 100 pixels failed with Outliers 0.01: %v", failures)
	}
}

func TestCheckComparesSubImagesBySize(t *testing.T) {
	path := writeGolden(t, flat(4, 4, color.RGBA{0, 0, 200, 200}))
	big := flat(8, 8, color.RGBA{0, 0, 200, 200})
	big.SetRGBA(0, 0, color.RGBA{255, 0, 0, 255}) // outside the sub-image
	failures := check(t, path, big.SubImage(image.Rect(2, 2, 6, 6)), Tolerance{})
	if len(failures) != 0 {
		t.Errorf("a sub-image equal to its golden failed: %v", failures)
	}
	failures = check(t, path, big, Tolerance{})
	if len(failures) != 1 || !strings.Contains(failures[0], "size") {
		t.Errorf("a wrong size: failures %v, want one about the size", failures)
	}
}

func TestCheckNamesAMissingGolden(t *testing.T) {
	failures := check(t, filepath.Join(t.TempDir(), "missing.png"), flat(2, 2, color.RGBA{}), Tolerance{})
	if len(failures) != 1 || !strings.Contains(failures[0], "-update") {
		t.Errorf("missing golden: failures %v, want one telling to run with -update", failures)
	}
}

func TestDiffComparesPremultipliedChannels(t *testing.T) {
	// The same half-transparent red, straight and premultiplied, is the same colour.
	if d := Diff(color.NRGBA{255, 0, 0, 128}, color.RGBA{128, 0, 0, 128}); d != 0 {
		t.Errorf("Diff of equal colours = %d, want 0", d)
	}
	if d := Diff(color.RGBA{10, 20, 30, 255}, color.RGBA{13, 20, 25, 255}); d != 5 {
		t.Errorf("Diff = %d, want the largest channel difference 5", d)
	}
}
