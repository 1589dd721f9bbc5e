package paint

import (
	"flag"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/render/raster"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs under testdata/")

// goldenTolerance is the largest per-channel difference (0..255, premultiplied) accepted against a golden.
const goldenTolerance = 2

// checkGolden compares img with testdata/name.png within goldenTolerance per channel, or rewrites the golden
// with -update.
func checkGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	if *update {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run go test -update to create it)", path, err)
	}
	defer f.Close()
	decoded, err := png.Decode(f)
	if err != nil {
		t.Fatalf("golden %s: %v", path, err)
	}
	want := image.NewRGBA(decoded.Bounds())
	draw.Draw(want, want.Rect, decoded, decoded.Bounds().Min, draw.Src)
	if want.Rect.Size() != img.Rect.Size() {
		t.Fatalf("%s: size %v, golden has %v", name, img.Rect.Size(), want.Rect.Size())
	}
	bad, worst := 0, 0
	for y := range img.Rect.Dy() {
		g := img.Pix[y*img.Stride:][:4*img.Rect.Dx()]
		w := want.Pix[y*want.Stride:][:4*want.Rect.Dx()]
		for i := range g {
			d := int(g[i]) - int(w[i])
			d = max(d, -d)
			if d > goldenTolerance {
				bad++
				worst = max(worst, d)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d channel values differ from the golden by more than %d (worst %d)", name, bad, goldenTolerance, worst)
	}
}

// checkLayerGolden checks a layer's image.
func checkLayerGolden(t *testing.T, name string, l raster.Layer) {
	t.Helper()
	if l.Empty() {
		t.Fatalf("%s: empty layer", name)
	}
	checkGolden(t, name, l.Img)
}
