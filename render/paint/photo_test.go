package paint

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"
)

func photoFixture(t *testing.T, name string) image.Image {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "assets", "photos", name))
	if err != nil {
		t.Fatal(err)
	}
	img, err := DecodeImage(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return img
}

func rgbAt(img image.Image, x, y int) [3]int {
	b := img.Bounds()
	c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
	return [3]int{int(c.R), int(c.G), int(c.B)}
}

func within(a, b [3]int, tol int) bool {
	for i := range a {
		if d := a[i] - b[i]; d > tol || d < -tol {
			return false
		}
	}
	return true
}

// Item 5 of issue 10: every EXIF orientation stands upright. The fixtures store the same 96×64 picture (yellow
// bar over red top-left, green top-right, blue bottom-left, white bottom-right) as each of the 8 orientations
// with the tag that turns it back (FFmpeg turns all eight upright the same way).
func TestJPEGOrientation(t *testing.T) {
	want := map[image.Point][3]int{{10, 2}: {255, 220, 0}, {10, 20}: {220, 30, 30}, {80, 20}: {30, 200, 60}, {10, 50}: {30, 60, 220}, {80, 50}: {255, 255, 255}}
	for o := 1; o <= 8; o++ {
		img := photoFixture(t, fmt.Sprintf("orient%d.jpg", o))
		if s := img.Bounds().Size(); s != image.Pt(96, 64) {
			t.Errorf("orientation %d: %v, want upright 96x64", o, s)
			continue
		}
		for p, c := range want {
			if got := rgbAt(img, p.X, p.Y); !within(got, c, 24) {
				t.Errorf("orientation %d: pixel %v is %v, want %v", o, p, got, c)
			}
		}
	}
}

// Item 6 of issue 10: lossy WebP decodes with full-range levels (black 0, white 255; it gave 16 and 235).
func TestLossyWebPLevels(t *testing.T) {
	img := photoFixture(t, "levels_lossy.webp")
	for _, c := range []struct {
		x    int
		want int
	}{{10, 0}, {48, 128}, {85, 255}} {
		if got := rgbAt(img, c.x, 30); !within(got, [3]int{c.want, c.want, c.want}, 3) {
			t.Errorf("bar at x=%d is %v, want %d", c.x, got, c.want)
		}
	}
}

// 16-bit PNGs decode to their 8-bit values.
func TestSixteenBitPNG(t *testing.T) {
	img := photoFixture(t, "deep16.png")
	for _, x := range []int{0, 47, 95} {
		v := x * 255 / 95
		if got := rgbAt(img, x, 10); !within(got, [3]int{v, 0, 0}, 2) {
			t.Errorf("red ramp at x=%d is %v, want [%d 0 0]", x, got, v)
		}
		if got := rgbAt(img, x, 50); !within(got, [3]int{v, v, v}, 2) {
			t.Errorf("grey ramp at x=%d is %v, want %d", x, got, v)
		}
	}
}

// profilePatches are the sRGB colours of the 16-px patches, left to right, in the colour-profile fixtures
// (testdata/assets/photos/README.md says how ImageMagick made them).
var profilePatches = [][3]int{{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {200, 120, 50}, {128, 128, 128}, {255, 255, 255}, {40, 90, 160}, {0, 0, 0}}

// Photos in Display P3 (JPEG with APP2 ICC_PROFILE, PNG with iCCP, 8 and 16 bits) are converted to sRGB:
// ImageMagick (lcms2) converted sRGB patches to P3 and embedded the profile; read as sRGB they were dull
// (sRGB red stored as P3 (234, 51, 35)), converted back they are the original sRGB colours.
func TestDisplayP3ToSRGB(t *testing.T) {
	for _, tc := range []struct {
		file string
		tol  int
	}{{"p3.jpg", 6}, {"p3.png", 3}, {"p3_16.png", 2}, {"srgb.jpg", 6}} {
		img := photoFixture(t, tc.file)
		for i, want := range profilePatches {
			if got := rgbAt(img, 16*i+8, 8); !within(got, want, tc.tol) {
				t.Errorf("%s: patch %d is %v, want sRGB %v (±%d)", tc.file, i, got, want, tc.tol)
			}
		}
	}
	// The profiles are told apart by their primaries: the v4 (para curves, mluc text) and v2 (curv table,
	// desc text) Display P3 profiles, and sRGB left alone.
	for _, tc := range []struct {
		file     string
		p3, srgb bool
	}{{"p3.jpg", true, false}, {"p3.png", true, false}, {"srgb.jpg", false, true}} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "assets", "photos", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		raw := jpegICCProfile(data)
		if raw == nil {
			raw = pngICCProfile(data)
		}
		p, err := parseICC(raw)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if p.isDisplayP3() != tc.p3 || p.isSRGB() != tc.srgb {
			t.Errorf("%s (%q): Display P3 %v, sRGB %v; want %v, %v", tc.file, p.description, p.isDisplayP3(), p.isSRGB(), tc.p3, tc.srgb)
		}
	}
}
