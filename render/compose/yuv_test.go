package compose

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ffmpegYUV420 converts img with FFmpeg's own BT.709 limited-range conversion, the reference for ToYUV420.
func ffmpegYUV420(t *testing.T, img *image.RGBA) []byte {
	t.Helper()
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg is not installed")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.rgba"), filepath.Join(dir, "out.yuv")
	if err := os.WriteFile(in, img.Pix, 0o600); err != nil {
		t.Fatal(err)
	}
	size := fmt.Sprintf("%dx%d", img.Rect.Dx(), img.Rect.Dy())
	cmd := exec.Command(ffmpeg, "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgba", "-s", size, "-i", in,
		"-vf", "scale=out_color_matrix=bt709:out_range=tv", "-pix_fmt", "yuv420p", "-f", "rawvideo", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, msg)
	}
	yuv, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return yuv
}

// blockFrame returns a w×h frame of 8×8 blocks of known and random colours.
func blockFrame(w, h int) *image.RGBA {
	known := []color.RGBA{black, white, red, {0, 255, 0, 255}, blue, grey, {255, 255, 0, 255},
		{0, 255, 255, 255}, {255, 0, 255, 255}, {16, 16, 16, 255}, {235, 235, 235, 255}, {200, 100, 50, 255}}
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for by := 0; by < h; by += 8 {
		for bx := 0; bx < w; bx += 8 {
			i := by/8*((w+7)/8) + bx/8
			c := color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
			if i < len(known) {
				c = known[i]
			}
			FillColor(img.SubImage(image.Rect(bx, by, bx+8, by+8)).(*image.RGBA), c)
		}
	}
	return img
}

// planeDiff returns the largest difference between two yuv420p frames of w×h, per plane, counting chroma
// samples only where their 2×2 block and its neighbours are flat (FFmpeg filters chroma over more than the
// block, so at colour edges it legitimately differs from a 2×2 average). For an odd width the last chroma
// column is skipped too: FFmpeg 5.1's swscale computes it from pixels of other blocks (it scales 63 → 32
// columns, not 2:1), while ToYUV420 averages the last image column with itself.
func planeDiff(t *testing.T, got, want []byte, img *image.RGBA) (dy, du, dv int) {
	t.Helper()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if len(got) != len(want) {
		t.Fatalf("frame sizes differ: %d and %d bytes", len(got), len(want))
	}
	abs := func(a, b byte) int { return max(int(a)-int(b), int(b)-int(a)) }
	for i := range w * h {
		dy = max(dy, abs(got[i], want[i]))
	}
	cw, ch := (w+1)/2, (h+1)/2
	flat := func(cx, cy int) bool {
		c := img.RGBAAt(2*cx, 2*cy)
		for y := 2*cy - 4; y <= 2*cy+5; y++ {
			for x := 2*cx - 4; x <= 2*cx+5; x++ {
				if img.RGBAAt(min(max(x, 0), w-1), min(max(y, 0), h-1)) != c {
					return false
				}
			}
		}
		return true
	}
	for cy := range ch {
		for cx := range cw {
			if !flat(cx, cy) || w%2 == 1 && cx == cw-1 {
				continue
			}
			u, v := w*h+cy*cw+cx, w*h+cw*ch+cy*cw+cx
			du = max(du, abs(got[u], want[u]))
			dv = max(dv, abs(got[v], want[v]))
		}
	}
	return dy, du, dv
}

func TestToYUV420MatchesFFmpeg(t *testing.T) {
	for _, size := range []image.Point{{64, 48}, {63, 47}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			img := blockFrame(size.X, size.Y)
			got := make([]byte, YUV420Size(size.X, size.Y))
			if err := ToYUV420(got, img); err != nil {
				t.Fatal(err)
			}
			dy, du, dv := planeDiff(t, got, ffmpegYUV420(t, img), img)
			t.Logf("largest difference from FFmpeg: Y %d, U %d, V %d", dy, du, dv)
			if dy > 2 || du > 2 || dv > 2 {
				t.Errorf("differs from FFmpeg by up to Y %d, U %d, V %d; want ≤ 2", dy, du, dv)
			}
		})
	}
}

func TestToYUV420KnownValues(t *testing.T) {
	// Limited range: black is Y 16, white Y 235, greys have neutral chroma 128, BT.709 red is (63, 102, 240).
	for _, c := range []struct {
		in      color.RGBA
		y, u, v byte
	}{{black, 16, 128, 128}, {white, 235, 128, 128}, {grey, 126, 128, 128}, {red, 63, 102, 240}, {blue, 32, 240, 118}} {
		img := image.NewRGBA(image.Rect(0, 0, 2, 2))
		FillColor(img, c.in)
		out := make([]byte, YUV420Size(2, 2))
		if err := ToYUV420(out, img); err != nil {
			t.Fatal(err)
		}
		if want := []byte{c.y, c.y, c.y, c.y, c.u, c.v}; !bytes.Equal(out, want) {
			t.Errorf("%v → %v, want %v", c.in, out, want)
		}
	}
}

func TestToYUV420RowsConvertsOnlyTheBand(t *testing.T) {
	img := blockFrame(64, 48)
	full := make([]byte, YUV420Size(64, 48))
	if err := ToYUV420(full, img); err != nil {
		t.Fatal(err)
	}
	band := make([]byte, len(full))
	if err := ToYUV420Rows(band, img, 9, 20); err != nil { // widened to rows 8..19
		t.Fatal(err)
	}
	cw := 32
	for i := range band {
		var row int
		switch {
		case i < 64*48:
			row = i / 64
		case i < 64*48+cw*24:
			row = (i - 64*48) / cw * 2
		default:
			row = (i - 64*48 - cw*24) / cw * 2
		}
		inBand := row >= 8 && row < 20
		if inBand && band[i] != full[i] || !inBand && band[i] != 0 {
			t.Fatalf("byte %d (image row %d): got %d, full conversion has %d, in band %v", i, row, band[i], full[i], inBand)
		}
	}
}

func TestToYUV420RejectsAShortBuffer(t *testing.T) {
	err := ToYUV420(make([]byte, 10), image.NewRGBA(image.Rect(0, 0, 4, 4)))
	if err == nil {
		t.Fatal("no error for a 10-byte destination")
	}
	if ToYUV420(make([]byte, 24), nil) == nil {
		t.Error("no error for a nil source")
	}
	broken := &image.RGBA{Pix: make([]byte, 10), Stride: 16, Rect: image.Rect(0, 0, 4, 4)}
	if err := ToYUV420(make([]byte, 24), broken); err == nil {
		t.Error("no error for an image with too few pixels")
	}
}

func TestDiffRows(t *testing.T) {
	a, b := blockFrame(64, 48), blockFrame(64, 48)
	if y0, y1, same := DiffRows(a, b); !same || y0 != 0 || y1 != 0 {
		t.Errorf("identical frames: DiffRows = %d, %d, %v", y0, y1, same)
	}
	b.SetRGBA(5, 7, red)
	b.SetRGBA(60, 30, color.RGBA{1, 2, 3, 4})
	if y0, y1, same := DiffRows(a, b); same || y0 != 7 || y1 != 31 {
		t.Errorf("frames differing in rows 7 and 30: DiffRows = %d, %d, %v; want 7, 31, false", y0, y1, same)
	}
	sub := a.SubImage(image.Rect(0, 0, 64, 40)).(*image.RGBA) // stride wider than a row
	if _, y1, same := DiffRows(sub, b.SubImage(image.Rect(0, 0, 64, 40)).(*image.RGBA)); same || y1 != 31 {
		t.Errorf("sub-images: y1 = %d, same = %v", y1, same)
	}
	if y0, y1, same := DiffRows(a, image.NewRGBA(image.Rect(0, 0, 2, 2))); same || y0 != 0 || y1 != 48 {
		t.Errorf("different sizes: DiffRows = %d, %d, %v", y0, y1, same)
	}
}

// The vector conversion (AVX2, on amd64 CPUs that have it) writes exactly the bytes of the portable one, on
// random pixels (alpha included), extremes, and every width around the vector step (odd ones too).
func TestToYUV420VectorMatchesPortable(t *testing.T) {
	if !haveVectorConvert {
		t.Skip("no vector conversion on this machine or build: the portable conversion is the only one")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	frames := map[string]*image.RGBA{}
	for _, size := range []image.Point{{1920, 8}, {1, 1}, {2, 2}, {15, 3}, {16, 2}, {17, 5}, {31, 4}, {32, 2}, {33, 3}, {47, 6}, {64, 7}, {100, 9}} {
		img := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		for i := range img.Pix {
			img.Pix[i] = byte(rng.IntN(256))
		}
		frames[fmt.Sprintf("random %dx%d", size.X, size.Y)] = img
	}
	for _, c := range []color.RGBA{white, black, red, blue, {0, 255, 0, 255}, {255, 255, 0, 255}, {255, 0, 255, 255}, {255, 255, 255, 0}} {
		img := image.NewRGBA(image.Rect(0, 0, 48, 4))
		FillColor(img, c)
		frames[fmt.Sprintf("flat %v", c)] = img
	}
	frames["blocks 1920x1080"] = blockFrame(1920, 1080)
	for name, img := range frames {
		w, h := img.Rect.Dx(), img.Rect.Dy()
		vector, portable := make([]byte, YUV420Size(w, h)), make([]byte, YUV420Size(w, h))
		if err := ToYUV420(vector, img); err != nil {
			t.Fatal(err)
		}
		haveVectorConvert = false
		err := ToYUV420(portable, img)
		haveVectorConvert = true
		if err != nil {
			t.Fatal(err)
		}
		if i := firstDifference(vector, portable); i >= 0 {
			t.Errorf("%s: byte %d of %d differs: vector %d, portable %d", name, i, len(vector), vector[i], portable[i])
		}
	}
}

func firstDifference(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// A frame that differs from another only inside a rectangle converts, rectangle only, into the other's
// yuv420p bytes: the same bytes as converting it whole (sizes odd and even, rectangles at odd edges, the vector
// kernel's remainders). CopyYUV420Rect goes back.
func TestToYUV420RectMatchesWholeFrame(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	fill := func(b []byte) {
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
	}
	for _, size := range [][2]int{{64, 48}, {67, 33}, {1, 1}, {35, 2}} {
		w, h := size[0], size[1]
		a := image.NewRGBA(image.Rect(0, 0, w, h))
		fill(a.Pix)
		whole := func(img *image.RGBA) []byte {
			b := make([]byte, YUV420Size(w, h))
			if err := ToYUV420(b, img); err != nil {
				t.Fatal(err)
			}
			return b
		}
		yuvA := whole(a)
		for range 40 {
			x0, y0 := rng.IntN(w), rng.IntN(h)
			r := image.Rect(x0, y0, x0+1+rng.IntN(w-x0), y0+1+rng.IntN(h-y0))
			b := image.NewRGBA(a.Rect)
			copy(b.Pix, a.Pix)
			for y := r.Min.Y; y < r.Max.Y; y++ {
				fill(b.Pix[y*b.Stride+4*r.Min.X : y*b.Stride+4*r.Max.X])
			}
			got := append([]byte(nil), yuvA...)
			if err := ToYUV420Rect(got, b, r); err != nil {
				t.Fatal(err)
			}
			yuvB := whole(b)
			if !bytes.Equal(got, yuvB) {
				t.Fatalf("%d×%d, %v: converting the rectangle into a's frame differs from converting b whole", w, h, r)
			}
			if err := CopyYUV420Rect(got, yuvA, w, h, r); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, yuvA) {
				t.Fatalf("%d×%d, %v: copying the rectangle back from a's frame does not give a's frame", w, h, r)
			}
		}
	}
}
