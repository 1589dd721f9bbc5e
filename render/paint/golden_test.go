package paint

import (
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/internal/golden"
	"github.com/framecast/framecast/render/raster"
)

// goldenTolerance accepts a difference of at most 2 (0..255, premultiplied) in any channel, on no pixel more.
var goldenTolerance = golden.Tolerance{Channel: 2}

// checkLayerGolden compares a layer's image with testdata/name.png within goldenTolerance (or rewrites it with
// -update), first failing on an empty layer, which would otherwise match an empty golden.
func checkLayerGolden(t *testing.T, name string, l raster.Layer) {
	t.Helper()
	if l.Empty() {
		t.Fatalf("%s: empty layer", name)
	}
	golden.Check(t, filepath.Join("testdata", name+".png"), l.Img, goldenTolerance)
}
