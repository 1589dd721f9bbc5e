package paint

import (
	"bytes"
	"image"
	"math/rand"
	"testing"

	"github.com/framecast/framecast/schemas"
)

// A corner mask applied to a picture already at the box size gives exactly Fit's layer, for any radii.
func TestCornerMaskEqualsFit(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, c := range []struct {
		w, h int
		r    schemas.Corners
	}{
		{320, 180, schemas.Corners{32, 32, 32, 32}},
		{101, 67, schemas.Corners{0, 10, 40, 5}},
		{64, 64, schemas.Corners{100, 100, 100, 100}}, // radii larger than the box shrink to fit
	} {
		src := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		rng.Read(src.Pix)
		for i := 3; i < len(src.Pix); i += 4 {
			src.Pix[i] = 255 // opaque, as decoded video is
		}
		want := Fit(src, float64(c.w), float64(c.h), "cover", c.r)
		got := NewCornerMask(c.w, c.h, c.r).Apply(src)
		if got.Img.Rect != want.Img.Rect || got.BoxW != want.BoxW || got.BoxH != want.BoxH || !bytes.Equal(got.Img.Pix, want.Img.Pix) {
			t.Errorf("%dx%d %v: the masked copy differs from Fit's layer", c.w, c.h, c.r)
		}
		// Into reused memory holding an older picture: the same layer.
		dirty := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		rng.Read(dirty.Pix)
		got = NewCornerMask(c.w, c.h, c.r).ApplyTo(dirty, src)
		if got.Img != dirty || got.BoxW != want.BoxW || got.BoxH != want.BoxH || !bytes.Equal(got.Img.Pix, want.Img.Pix) {
			t.Errorf("%dx%d %v: the masked copy into reused memory differs from Fit's layer", c.w, c.h, c.r)
		}
	}
}
