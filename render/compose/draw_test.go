package compose

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/framecast/framecast/render/raster"
)

func TestIntegerTranslationCopiesPixelsExactly(t *testing.T) {
	dst := canvas(grey)
	serial.Draw(dst, solid(4, 3, red), PlaceAt(10, 5))
	for y := 5; y < 8; y++ {
		for x := 10; x < 14; x++ {
			wantPixel(t, dst, x, y, red, 0)
		}
	}
	for _, p := range []image.Point{{9, 5}, {14, 5}, {10, 4}, {10, 8}} {
		wantPixel(t, dst, p.X, p.Y, grey, 0)
	}
	if n := painted(dst, grey); n != 12 {
		t.Errorf("%d pixels painted, want 12", n)
	}
}

func TestTranslationWithinOneSixtyFourthIsRounded(t *testing.T) {
	exact, nearly := canvas(grey), canvas(grey)
	serial.Draw(exact, solid(4, 3, red), PlaceAt(10, 5))
	serial.Draw(nearly, solid(4, 3, red), PlaceAt(10.01, 4.99))
	if !equalImages(exact, nearly) {
		t.Error("a placement 0.01 px off a whole pixel should draw exactly like the whole pixel")
	}
}

func TestHalfPixelTranslationSplitsEdgePixels(t *testing.T) {
	dst := canvas(grey)
	serial.Draw(dst, solid(4, 4, red), PlaceAt(10.5, 5))
	half := mix(grey, red, 0.5)
	wantPixel(t, dst, 10, 6, half, 1)
	for x := 11; x < 14; x++ {
		wantPixel(t, dst, x, 6, red, 0)
	}
	wantPixel(t, dst, 14, 6, half, 1)
	wantPixel(t, dst, 9, 6, grey, 0)
	wantPixel(t, dst, 15, 6, grey, 0)
}

func TestTranslatedTransparentPixelsLeaveTheBackground(t *testing.T) {
	dst := canvas(grey)
	l := raster.NewLayer(4, 4)
	l.Img.SetRGBA(1, 1, color.RGBA{0, 0, 128, 128}) // 50 % blue, premultiplied
	serial.Draw(dst, l, PlaceAt(10, 10))
	wantPixel(t, dst, 11, 11, color.RGBA{64, 64, 192, 255}, 1)
	if n := painted(dst, grey); n != 1 {
		t.Errorf("%d pixels painted, want 1", n)
	}
}

func TestScale2DoublesTheBox(t *testing.T) {
	dst := canvas(grey)
	p := PlaceAt(10, 10)
	p.ScaleX, p.ScaleY = 2, 2
	serial.Draw(dst, solid(8, 8, red), p)
	for y := 11; y < 25; y++ {
		for x := 11; x < 25; x++ {
			wantPixel(t, dst, x, y, red, 0)
		}
	}
	// The bilinear edge spreads over two pixels at scale 2: 3/4 and 1/4 covered.
	wantPixel(t, dst, 10, 15, mix(grey, red, 0.75), 1)
	wantPixel(t, dst, 9, 15, mix(grey, red, 0.25), 1)
	wantPixel(t, dst, 25, 15, mix(grey, red, 0.75), 1)
	wantPixel(t, dst, 26, 15, mix(grey, red, 0.25), 1)
	wantPixel(t, dst, 8, 15, grey, 0)
	wantPixel(t, dst, 27, 15, grey, 0)
}

func TestRotation90TurnsClockwise(t *testing.T) {
	dst := canvas(grey)
	l := raster.NewLayer(4, 2) // left half red, right half blue
	for y := range 2 {
		for x := range 4 {
			l.Img.SetRGBA(x, y, map[bool]color.RGBA{true: red, false: blue}[x < 2])
		}
	}
	p := PlaceAt(32, 24)
	p.AnchorX, p.AnchorY = 0.5, 0.5
	p.Rotation = 90
	serial.Draw(dst, l, p)
	// 2 wide, 4 tall around (32, 24): the layer's left (red) now points up.
	for x := 31; x < 33; x++ {
		wantPixel(t, dst, x, 22, red, 2)
		wantPixel(t, dst, x, 23, red, 2)
		wantPixel(t, dst, x, 24, blue, 2)
		wantPixel(t, dst, x, 25, blue, 2)
	}
	wantPixel(t, dst, 30, 23, grey, 0)
	wantPixel(t, dst, 33, 23, grey, 0)
	wantPixel(t, dst, 31, 21, grey, 0)
	wantPixel(t, dst, 31, 26, grey, 0)
}

func TestRotation45MakesADiamondOfTheSameArea(t *testing.T) {
	dst := canvas(black)
	p := PlaceAt(32, 24)
	p.AnchorX, p.AnchorY = 0.5, 0.5
	p.Rotation = 45
	serial.Draw(dst, solid(10, 10, white), p)
	wantPixel(t, dst, 32, 24, white, 0)
	wantPixel(t, dst, 37, 24, white, 0) // inside the diamond's right point (7.07 px out)
	wantPixel(t, dst, 40, 24, black, 0)
	wantPixel(t, dst, 36, 28, black, 0) // where the unrotated square's corner was
	if area := coverage(dst); math.Abs(area-100) > 1 {
		t.Errorf("covered area %.2f px², want 100", area)
	}
}

// coverage sums the red channel of a white-on-black image, in pixels.
func coverage(img *image.RGBA) float64 {
	sum := 0
	for i := 0; i < len(img.Pix); i += 4 {
		sum += int(img.Pix[i])
	}
	return float64(sum) / 255
}

func TestSkewXShearsRowsByTheirHeight(t *testing.T) {
	dst := canvas(black)
	p := PlaceAt(20, 10)
	p.SkewX = 45
	serial.Draw(dst, solid(10, 10, white), p)
	// Row 15 is 5.5 px below the anchor: its span is [25.5, 35.5).
	wantPixel(t, dst, 24, 15, black, 0)
	wantPixel(t, dst, 25, 15, mix(black, white, 0.5), 2)
	wantPixel(t, dst, 30, 15, white, 0)
	wantPixel(t, dst, 35, 15, mix(black, white, 0.5), 2)
	wantPixel(t, dst, 36, 15, black, 0)
	if area := coverage(dst); math.Abs(area-100) > 1 {
		t.Errorf("covered area %.2f px², want 100 (a shear keeps the area)", area)
	}
}

func TestAnchorPicksThePointOfTheBoxPlacedAtXY(t *testing.T) {
	topLeft, centre := canvas(grey), canvas(grey)
	serial.Draw(topLeft, solid(10, 10, red), PlaceAt(32, 24))
	p := PlaceAt(32, 24)
	p.AnchorX, p.AnchorY = 0.5, 0.5
	serial.Draw(centre, solid(10, 10, red), p)
	wantPixel(t, topLeft, 32, 24, red, 0)
	wantPixel(t, topLeft, 41, 33, red, 0)
	wantPixel(t, topLeft, 31, 24, grey, 0)
	wantPixel(t, centre, 27, 19, red, 0)
	wantPixel(t, centre, 36, 28, red, 0)
	wantPixel(t, centre, 26, 19, grey, 0)
	wantPixel(t, centre, 37, 28, grey, 0)
}

func TestAnchorRefersToTheBoxNotTheImage(t *testing.T) {
	dst := canvas(grey)
	l := solid(14, 14, red) // a 10×10 box with 2 px of content (say a stroke) on every side
	l.BoxX, l.BoxY, l.BoxW, l.BoxH = 2, 2, 10, 10
	serial.Draw(dst, l, PlaceAt(10, 10))
	wantPixel(t, dst, 8, 8, red, 0)
	wantPixel(t, dst, 7, 8, grey, 0)
	wantPixel(t, dst, 21, 21, red, 0)
	wantPixel(t, dst, 22, 21, grey, 0)
}

func TestOpacityHalf(t *testing.T) {
	dst := canvas(blue)
	p := PlaceAt(0, 0)
	p.Opacity = 0.5
	serial.Draw(dst, solid(8, 8, red), p)
	wantPixel(t, dst, 3, 3, color.RGBA{128, 0, 127, 255}, 1)
	wantPixel(t, dst, 9, 3, blue, 0)
}

func TestClipRectangleLimitsTheDraw(t *testing.T) {
	dst := canvas(grey)
	p := PlaceAt(0, 0)
	clip := image.Rect(20, 10, 30, 18)
	p.Clip = &clip
	p.Rotation = 0.001 // force the resampling path as well as the clip
	serial.Draw(dst, solid(64, 48, red), p)
	wantPixel(t, dst, 20, 10, red, 1)
	wantPixel(t, dst, 29, 17, red, 1)
	if n := painted(dst, grey); n != 80 {
		t.Errorf("%d pixels painted, want the 80 of the clip rectangle", n)
	}
}

func TestDegenerateInputDrawsNothing(t *testing.T) {
	dst := canvas(grey)
	zeroScale := PlaceAt(5, 5)
	zeroScale.ScaleX = 0
	nan := PlaceAt(math.NaN(), 5)
	huge := PlaceAt(1e300, 5)
	for name, p := range map[string]Placement{"zero scale": zeroScale, "NaN": nan, "far away": huge, "zero value": {}} {
		serial.Draw(dst, solid(4, 4, red), p)
		if painted(dst, grey) != 0 {
			t.Errorf("%s: something was drawn", name)
		}
	}
	serial.Draw(dst, raster.Layer{}, PlaceAt(0, 0))
	serial.Draw(nil, solid(4, 4, red), PlaceAt(0, 0))
	short := raster.Layer{Img: &image.RGBA{Pix: make([]byte, 8), Stride: 16, Rect: image.Rect(0, 0, 4, 4)}, BoxW: 4, BoxH: 4}
	serial.Draw(dst, short, PlaceAt(0, 0))
	if painted(dst, grey) != 0 {
		t.Error("an empty layer drew something")
	}
}

func TestBandsDrawTheSameAsOneGoroutine(t *testing.T) {
	l := gradientLayer(700, 500)
	for _, p := range []Placement{PlaceAt(100, 50), rotated(PlaceAt(500, 300), 7, 1.2)} {
		one, many := image.NewRGBA(image.Rect(0, 0, 1000, 700)), image.NewRGBA(image.Rect(0, 0, 1000, 700))
		Drawer{Workers: 1}.Draw(one, l, p)
		Drawer{Workers: 4}.Draw(many, l, p)
		if !equalImages(one, many) {
			t.Errorf("placement %+v: banded draw differs from the single-goroutine one", p)
		}
	}
}

func TestSubImageDestination(t *testing.T) {
	full := canvas(grey)
	sub := full.SubImage(image.Rect(16, 16, 48, 40)).(*image.RGBA)
	serial.Draw(sub, solid(4, 4, red), PlaceAt(14, 20))
	wantPixel(t, full, 16, 20, red, 0) // canvas coordinates stay absolute; the sub-image clips
	wantPixel(t, full, 15, 20, grey, 0)
	if n := painted(full, grey); n != 8 {
		t.Errorf("%d pixels painted, want 8", n)
	}
}

func rotated(p Placement, deg, s float64) Placement {
	p.AnchorX, p.AnchorY, p.Rotation, p.ScaleX, p.ScaleY = 0.5, 0.5, deg, s, s
	return p
}

// gradientLayer returns a w×h layer with smooth colour gradients and an alpha ramp down its right quarter.
func gradientLayer(w, h int) raster.Layer {
	l := raster.NewLayer(w, h)
	for y := range h {
		for x := range w {
			a := 255
			if x > w*3/4 {
				a = 255 - (x-w*3/4)*255/(w-w*3/4)
			}
			c := color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), uint8(a)}
			l.Img.Set(x, y, c)
		}
	}
	return l
}

func equalImages(a, b *image.RGBA) bool {
	_, _, same := DiffRows(a, b)
	return same
}
