package render

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/internal/golden"
	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/schemas"
)

// goldenTolerance: a pixel matches when each channel is within 3 of the golden; a frame matches when at most
// 0.2% of its pixels do not (antialiased edges may move by a step between CPUs and Go versions).
var goldenTolerance = golden.Tolerance{Channel: 3, Outliers: 0.002}

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

// checkGolden compares img with testdata/golden/name.png within goldenTolerance, or writes it with -update.
func checkGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name+".png"), img, goldenTolerance)
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
