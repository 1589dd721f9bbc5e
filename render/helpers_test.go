package render

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs under testdata/golden")

// Golden tolerance: a pixel matches when each channel is within goldenChannelTolerance of the golden; a frame
// matches when at most goldenOutlierShare of its pixels do not (antialiased edges may move by a step between
// CPUs and Go versions).
const (
	goldenChannelTolerance = 3
	goldenOutlierShare     = 0.002
)

// testOptions reads assets from examples/assets (checked in) and never reaches the network.
func testOptions(t testing.TB) Options {
	return Options{
		Assets: assets.Options{
			CacheDir: t.TempDir(), AllowLocal: true, BaseDir: "testdata",
			Policy: netguard.Policy{AllowPrivate: true},
		},
		Warn: func(msg string) { t.Logf("warning: %s", msg) },
	}
}

// parseDoc decodes a test document, failing the test on validation errors.
func parseDoc(t testing.TB, raw string) *schemas.Document {
	t.Helper()
	res := schemas.Validate([]byte(raw), schemas.DefaultLimits())
	if !res.OK() {
		t.Fatalf("test document is invalid: %+v", res.Errors)
	}
	return res.Document
}

// smallDoc wraps clips (JSON) in a 320×180, 30 fps document with a dark background.
func smallDoc(clips string) string {
	return fmt.Sprintf(`{"meta": {"version": "2.0.0", "width": 320, "height": 180, "fps": 30, "background": "#202030"},
		"tracks": [{"id": "a", "clips": [%s]}]}`, clips)
}

func loadTimeline(t testing.TB, doc *schemas.Document) *Timeline {
	t.Helper()
	tl, err := Load(context.Background(), doc, testOptions(t))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Cleanup(func() { tl.Close() })
	return tl
}

// checkGolden compares img with testdata/golden/name.png, or writes it with -update.
func checkGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".png")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
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
		t.Fatalf("no golden %s (run go test ./render -run %s -update): %v", path, t.Name(), err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("%s: size %v, golden %v", name, img.Bounds(), want.Bounds())
	}
	outliers, worst := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, a1 := img.At(x, y).RGBA()
			r2, g2, b2, a2 := want.At(x, y).RGBA()
			d := max(absDiff(r1, r2), absDiff(g1, g2), absDiff(b1, b2), absDiff(a1, a2)) >> 8
			worst = max(worst, int(d))
			if d > goldenChannelTolerance {
				outliers++
			}
		}
	}
	share := float64(outliers) / float64(b.Dx()*b.Dy())
	if share > goldenOutlierShare {
		failed := filepath.Join(os.TempDir(), "framecast-"+name+".png")
		if f, err := os.Create(failed); err == nil {
			_ = png.Encode(f, img)
			f.Close()
		}
		t.Errorf("%s: %.2f%% of pixels differ from the golden by more than %d (worst %d); got %s",
			name, share*100, goldenChannelTolerance, worst, failed)
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// meanColor is the average color of a rectangle of img, for assertions on what a viewer sees.
func meanColor(img *image.RGBA, r image.Rectangle) [3]float64 {
	var sum [3]float64
	n := 0.0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := img.PixOffset(x, y)
			sum[0] += float64(img.Pix[i])
			sum[1] += float64(img.Pix[i+1])
			sum[2] += float64(img.Pix[i+2])
			n++
		}
	}
	return [3]float64{sum[0] / n, sum[1] / n, sum[2] / n}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
