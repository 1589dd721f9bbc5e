package compose

import (
	"image"
	"image/color"
	"testing"
)

func maskedDraw(w, h int, m Mask) (*imageWithOrigin, int) {
	dst := canvas(grey)
	p := PlaceAt(10, 10)
	p.Mask = &m
	serial.Draw(dst, solid(w, h, red), p)
	return &imageWithOrigin{dst}, painted(dst, grey)
}

// imageWithOrigin reads the pixel (bx, by) of the box drawn at (10, 10).
type imageWithOrigin struct{ img *image.RGBA }

func (i *imageWithOrigin) box(bx, by int) color.RGBA { return i.img.RGBAAt(10+bx, 10+by) }

func TestWipeMask(t *testing.T) {
	cases := []struct {
		name      string
		mask      Mask
		shown     [][2]int // box pixels fully shown
		hidden    [][2]int // box pixels left alone
		wantCount int
	}{
		{"at 0 nothing shows", Mask{Kind: MaskWipe, Progress: 0}, nil, [][2]int{{0, 0}, {19, 9}}, 0},
		{"right at 0.5 shows the left half", Mask{Kind: MaskWipe, Progress: 0.5},
			[][2]int{{0, 0}, {9, 9}}, [][2]int{{10, 0}, {19, 9}}, 100},
		{"left at 0.5 shows the right half", Mask{Kind: MaskWipe, Progress: 0.5, Direction: "left"},
			[][2]int{{10, 0}, {19, 9}}, [][2]int{{0, 0}, {9, 9}}, 100},
		{"down at 0.5 shows the top half", Mask{Kind: MaskWipe, Progress: 0.5, Direction: "down"},
			[][2]int{{0, 0}, {19, 4}}, [][2]int{{0, 5}, {19, 9}}, 100},
		{"up at 0.5 shows the bottom half", Mask{Kind: MaskWipe, Progress: 0.5, Direction: "up"},
			[][2]int{{0, 5}, {19, 9}}, [][2]int{{0, 0}, {19, 4}}, 100},
		{"at 1 everything shows", Mask{Kind: MaskWipe, Progress: 1}, [][2]int{{0, 0}, {19, 9}}, nil, 200},
		{"just before 1 everything shows", Mask{Kind: MaskWipe, Progress: 0.999}, [][2]int{{0, 0}, {19, 9}}, nil, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, n := maskedDraw(20, 10, c.mask)
			for _, p := range c.shown {
				if got := img.box(p[0], p[1]); got != red {
					t.Errorf("box pixel %v = %v, want red", p, got)
				}
			}
			for _, p := range c.hidden {
				if got := img.box(p[0], p[1]); got != grey {
					t.Errorf("box pixel %v = %v, want the background", p, got)
				}
			}
			if n != c.wantCount {
				t.Errorf("%d pixels painted, want %d", n, c.wantCount)
			}
		})
	}
}

func TestWipeMaskHasASoftEdge(t *testing.T) {
	img, _ := maskedDraw(20, 10, Mask{Kind: MaskWipe, Progress: 0.5, Feather: 4})
	// The edge sits at x = 10 of the box and fades over 4 px.
	for bx, want := range map[int]float64{7: 1, 8: 7.0 / 8, 9: 5.0 / 8, 10: 3.0 / 8, 11: 1.0 / 8, 12: 0} {
		wantPixel(t, img.img, 10+bx, 12, mix(grey, red, want), 2)
	}
}

func TestIrisMask(t *testing.T) {
	if _, n := maskedDraw(20, 20, Mask{Kind: MaskIris, Progress: 0}); n != 0 {
		t.Errorf("iris at 0: %d pixels painted, want 0", n)
	}
	img, n := maskedDraw(20, 20, Mask{Kind: MaskIris, Progress: 0.5})
	// Radius 7.07 around the box centre (10, 10): about 157 px², the soft edge included.
	if n < 150 || n > 190 {
		t.Errorf("iris at 0.5: %d pixels painted, want about 160", n)
	}
	for _, p := range [][2]int{{10, 10}, {9, 9}, {14, 10}, {10, 5}} {
		if got := img.box(p[0], p[1]); got != red {
			t.Errorf("iris at 0.5: box pixel %v = %v, want red", p, got)
		}
	}
	for _, p := range [][2]int{{0, 0}, {19, 19}, {18, 10}, {10, 1}} {
		if got := img.box(p[0], p[1]); got != grey {
			t.Errorf("iris at 0.5: box pixel %v = %v, want the background", p, got)
		}
	}
	img, n = maskedDraw(20, 20, Mask{Kind: MaskIris, Progress: 0.99})
	if n != 400 || img.box(0, 0) != red {
		t.Errorf("iris at 0.99: %d pixels painted (corner %v), want all 400 fully", n, img.box(0, 0))
	}
}

func TestMaskCombinesWithOpacity(t *testing.T) {
	dst := canvas(blue)
	p := PlaceAt(10, 10)
	p.Opacity = 0.5
	p.Mask = &Mask{Kind: MaskWipe, Progress: 0.5}
	serial.Draw(dst, solid(20, 10, red), p)
	wantPixel(t, dst, 12, 12, color.RGBA{128, 0, 127, 255}, 1)
	wantPixel(t, dst, 25, 12, blue, 0)
}

func TestSweepAddsAWhiteBandWhereTheLayerIsOpaque(t *testing.T) {
	dst := canvas(grey)
	l := solid(20, 20, red)
	l.Img.SetRGBA(10, 9, color.RGBA{}) // a hole on the band's path
	p := PlaceAt(10, 10)
	p.Sweep = &Sweep{Progress: 0.5, Intensity: 1}
	serial.Draw(dst, l, p)
	wantPixel(t, dst, 19, 19, color.RGBA{255, 250, 250, 255}, 6) // the band's centre line: white
	wantPixel(t, dst, 10, 10, red, 0)                            // corners: untouched
	wantPixel(t, dst, 29, 29, red, 0)
	wantPixel(t, dst, 20, 19, grey, 0) // the hole stays a hole
	mid := dst.RGBAAt(15, 18)          // partway out of the band: pinkish
	if mid.R != 255 || mid.G == 0 || mid.G > 240 || mid.G != mid.B {
		t.Errorf("pixel in the band's flank = %v, want a light red", mid)
	}

	before := canvas(grey)
	p.Sweep = &Sweep{Progress: 0, Intensity: 1}
	serial.Draw(before, l, p)
	if painted(before, grey) != 399 || before.RGBAAt(19, 19) != red {
		t.Errorf("sweep at 0 should leave the layer untouched, got %v at the centre", before.RGBAAt(19, 19))
	}
}
