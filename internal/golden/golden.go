// Package golden compares rendered images with checked-in golden PNGs, for the tests of every package that
// draws. Run a package's tests with -update to rewrite its goldens, then look at them before committing.
package golden

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Update rewrites the goldens instead of comparing with them (go test ./pkg -update).
var Update = flag.Bool("update", false, "rewrite the golden PNGs instead of comparing with them")

// Tolerance says how close a rendering must be to its golden: a pixel matches when each of its channels is
// within Channel of the golden's, and the image matches when at most Outliers (a share, 0..1) of its pixels
// do not.
type Tolerance struct {
	Channel  int
	Outliers float64
}

// Check compares img with the PNG at path (or writes it with -update). On a mismatch it writes the
// rendering next to the system's temp folder and names it in the failure.
func Check(t testing.TB, path string, img image.Image, tol Tolerance) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := writePNG(path, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no golden %s (run the test with -update to create it): %v", path, err)
	}
	want, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("golden %s: %v", path, err)
	}
	// Compare by size, not by bounds: a PNG always decodes at the origin, but img may be a sub-image.
	b, wb := img.Bounds(), want.Bounds()
	if b.Size() != wb.Size() {
		t.Fatalf("%s: size %v, golden %v", path, b.Size(), wb.Size())
	}
	offset := wb.Min.Sub(b.Min)
	outliers, worst := 0, 0
	var first image.Point
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := Diff(img.At(x, y), want.At(x+offset.X, y+offset.Y))
			if d > worst {
				worst = d
			}
			if d > tol.Channel {
				if outliers == 0 {
					first = image.Pt(x, y)
				}
				outliers++
			}
		}
	}
	if share := float64(outliers) / float64(b.Dx()*b.Dy()); outliers > 0 && share > tol.Outliers {
		got := filepath.Join(os.TempDir(), "golden-"+filepath.Base(filepath.Dir(path))+"-"+filepath.Base(path))
		_ = writePNG(got, img)
		t.Errorf("%s: %d pixels (%.3f%%) differ by more than %d (worst %d, first at %v); the rendering is in %s",
			path, outliers, share*100, tol.Channel, worst, first, got)
	}
}

// Diff is the largest difference between two colors' 8-bit premultiplied channels.
func Diff(a, b color.Color) int {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	d := 0
	for _, p := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
		v := int(p[0]>>8) - int(p[1]>>8)
		if v < 0 {
			v = -v
		}
		d = max(d, v)
	}
	return d
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
