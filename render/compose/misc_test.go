package compose

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

func TestFillColorAndClear(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 33, 7))
	FillColor(img, color.RGBA{10, 20, 30, 255})
	for y := range 7 {
		for x := range 33 {
			wantPixel(t, img, x, y, color.RGBA{10, 20, 30, 255}, 0)
		}
	}
	Clear(img)
	if painted(img, color.RGBA{}) != 0 {
		t.Error("Clear left pixels behind")
	}
}

func TestFillFromImages(t *testing.T) {
	dst := image.NewRGBA(image.Rect(0, 0, 8, 8))
	Fill(dst, image.NewUniform(color.NRGBA{255, 0, 0, 255}))
	wantPixel(t, dst, 7, 7, red, 0)

	src := blockFrame(8, 8)
	src.SetRGBA(3, 4, blue)
	Fill(dst, src)
	wantPixel(t, dst, 3, 4, blue, 0)

	gray := image.NewGray(image.Rect(0, 0, 8, 8)) // any other image goes through image/draw
	gray.Pix[9] = 200
	Fill(dst, gray)
	wantPixel(t, dst, 1, 1, color.RGBA{200, 200, 200, 255}, 0)
	wantPixel(t, dst, 0, 0, black, 0)
}

func TestFillSubImageLeavesTheRestAlone(t *testing.T) {
	full := canvas(grey)
	FillColor(full.SubImage(image.Rect(10, 10, 20, 12)).(*image.RGBA), red)
	if n := painted(full, grey); n != 20 {
		t.Errorf("%d pixels painted, want 20", n)
	}
}

func TestToYUV420OddSizesRepeatTheLastColumnAndRow(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 3, 3))
	FillColor(img, blue)
	out := make([]byte, YUV420Size(3, 3)) // 9 + 4 + 4
	if err := ToYUV420(out, img); err != nil {
		t.Fatal(err)
	}
	want := []byte{32, 32, 32, 32, 32, 32, 32, 32, 32, 240, 240, 240, 240, 118, 118, 118, 118}
	if string(out) != string(want) {
		t.Errorf("3×3 blue → %v, want %v", out, want)
	}
}

// TestPortablePathsMatchWordPaths runs the byte-by-byte code used on machines without fast unaligned
// little-endian word access, and checks that it produces what the word-at-a-time code does.
func TestPortablePathsMatchWordPaths(t *testing.T) {
	if !fastWords {
		t.Skip("this machine already runs the portable paths")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	layer := gradientLayer(90, 70)
	for i := range layer.Img.Pix { // some translucent texture on top of the gradient
		if i%4 != 3 && rng.IntN(4) == 0 {
			layer.Img.Pix[i] = min(layer.Img.Pix[i], layer.Img.Pix[i|3])
		}
	}
	run := func() ([]*image.RGBA, []byte) {
		var frames []*image.RGBA
		for _, p := range []Placement{PlaceAt(3, 5), PlaceAt(3.5, 5.25), rotated(PlaceAt(32, 24), 33, 0.7),
			{X: 1, Y: 2, ScaleX: 1, ScaleY: 1, Opacity: 0.4}} {
			dst := blockFrame(63, 47)
			serial.Draw(dst, layer, p)
			frames = append(frames, dst)
		}
		yuv := make([]byte, YUV420Size(63, 47))
		if err := ToYUV420(yuv, frames[2]); err != nil {
			t.Fatal(err)
		}
		return frames, yuv
	}
	fastFrames, fastYUV := run()
	fastWords = false
	defer func() { fastWords = true }()
	portableFrames, portableYUV := run()
	for i := range fastFrames {
		if !equalImages(fastFrames[i], portableFrames[i]) {
			t.Errorf("draw %d: portable path differs", i)
		}
	}
	if string(fastYUV) != string(portableYUV) {
		t.Error("ToYUV420: portable path differs")
	}
}

func TestNaNInEffectsDrawsNothingStrange(t *testing.T) {
	dst := canvas(grey)
	p := PlaceAt(10, 10)
	p.Mask = &Mask{Progress: math.NaN()}
	serial.Draw(dst, solid(4, 4, red), p)
	if painted(dst, grey) != 0 {
		t.Error("a NaN mask progress drew something")
	}
	p.Mask = nil
	p.Sweep = &Sweep{Progress: math.NaN(), Intensity: 1}
	serial.Draw(dst, solid(4, 4, red), p)
	wantPixel(t, dst, 11, 11, red, 0)
}

// sampleShifted's one-direction loops (shiftedRow, mixRows) give the bytes of the four-texel mix they stand
// for, inside the layer, across its edges and wholly outside it.
func TestShiftedSamplesMatchTheBilinearMix(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	src := image.NewRGBA(image.Rect(0, 0, 37, 5))
	for i := range src.Pix {
		src.Pix[i] = byte(rng.IntN(256))
	}
	for i := 0; i < len(src.Pix); i += 4 { // premultiplied
		a := src.Pix[i+3]
		for c := 0; c < 3; c++ {
			src.Pix[i+c] = byte(int(src.Pix[i+c]) * int(a) / 255)
		}
	}
	words, _ := pixelWords(src.Pix)
	j := &drawJob{src: src, srcWords: words}
	texel := func(x, y int) uint64 {
		if x < 0 || y < 0 || x >= 37 || y >= 5 {
			return 0
		}
		return spread(j.srcWords[y*src.Stride/4+x])
	}
	for trial := range 2000 {
		ix, iy := rng.IntN(60)-40, rng.IntN(9)-2
		wx, wy := uint64(rng.IntN(256)), uint64(rng.IntN(256))
		switch trial % 3 {
		case 0:
			wy = 0
		case 1:
			wx = 0
		}
		out := make([]uint32, 1+rng.IntN(70))
		j.sampleShifted(out, ix, iy, wx, wy)
		w00, w10, w01, w11 := bilinearWeights(wx, wy)
		for i := range out {
			x := ix + i
			want := fold(texel(x, iy)*w00 + texel(x+1, iy)*w10 + texel(x, iy+1)*w01 + texel(x+1, iy+1)*w11)
			if out[i] != want {
				t.Fatalf("ix %d iy %d wx %d wy %d: sample %d = %08x, want %08x", ix, iy, wx, wy, i, out[i], want)
			}
		}
	}
}

// Covers names the pixels a draw replaces whatever lies under them (an opaque layer copied at a whole-pixel
// offset, at full opacity, painted on top), and nothing for a draw that blends: Draw then writes exactly the
// layer's pixels there over any destination.
func TestCoversIsWhereTheDrawCopiesTheLayer(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 11))
	layer := raster.NewLayer(40, 30)
	for i := range layer.Img.Pix {
		layer.Img.Pix[i] = byte(rng.IntN(256))
		if i%4 == 3 {
			layer.Img.Pix[i] = 255
		}
	}
	layer.Opaque = true
	at := Placement{X: 50, Y: 40, ScaleX: 1, ScaleY: 1, Opacity: 1}
	var d Drawer
	dst := image.NewRGBA(image.Rect(0, 0, 100, 80))
	for i := range dst.Pix {
		dst.Pix[i] = byte(rng.IntN(256))
	}
	c := d.Covers(dst, layer, at)
	if want := image.Rect(50, 40, 90, 70); c != want {
		t.Fatalf("Covers = %v, want %v", c, want)
	}
	blended := image.NewRGBA(dst.Rect) // the same draw through the blend, not knowing the layer is opaque
	copy(blended.Pix, dst.Pix)
	notOpaque := layer
	notOpaque.Opaque = false
	d.Draw(blended, notOpaque, at)
	d.Draw(dst, layer, at)
	if !bytes.Equal(dst.Pix, blended.Pix) {
		t.Fatal("copying the opaque layer wrote other bytes than blending it")
	}
	for y := c.Min.Y; y < c.Max.Y; y++ {
		for x := c.Min.X; x < c.Max.X; x++ {
			if got, want := dst.RGBAAt(x, y), layer.Img.RGBAAt(x-c.Min.X, y-c.Min.Y); got != want {
				t.Fatalf("pixel (%d,%d) = %v after the draw, want the layer's %v", x, y, got, want)
			}
		}
	}
	for name, change := range map[string]func(l *raster.Layer, p *Placement){
		"not opaque":         func(l *raster.Layer, p *Placement) { l.Opaque = false },
		"half a pixel over":  func(l *raster.Layer, p *Placement) { p.X += 0.5 },
		"scaled":             func(l *raster.Layer, p *Placement) { p.ScaleX = 1.5 },
		"rotated":            func(l *raster.Layer, p *Placement) { p.Rotation = 10 },
		"translucent":        func(l *raster.Layer, p *Placement) { p.Opacity = 0.5 },
		"multiplied":         func(l *raster.Layer, p *Placement) { p.Blend = schemas.CompositeMultiply },
		"in a wipe":          func(l *raster.Layer, p *Placement) { p.Mask = &Mask{Kind: MaskWipe, Progress: 0.5} },
		"under a lightsweep": func(l *raster.Layer, p *Placement) { p.Sweep = &Sweep{Progress: 0.5, Intensity: 1} },
	} {
		l, p := layer, at
		change(&l, &p)
		if c := d.Covers(dst, l, p); !c.Empty() {
			t.Errorf("%s: Covers = %v, want none", name, c)
		}
	}
}

// TestRotatedSamplesMatchTheBilinearMix samples a layer of flat patches (where the shortcut for four equal
// texels applies), noise and a transparent surround along rotated and scaled steps: every sample is the
// four-texel mix of its position.
func TestRotatedSamplesMatchTheBilinearMix(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 11))
	const w, h = 41, 23
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	flat := []byte{200, 40, 90, 255}
	for y := range h {
		for x := range w {
			i := y*src.Stride + 4*x
			switch {
			case x < 20 && y < 12: // a flat opaque patch
				copy(src.Pix[i:i+4], flat)
			case x >= 30: // transparent
			default: // premultiplied noise
				a := byte(rng.IntN(256))
				src.Pix[i+3] = a
				for c := range 3 {
					src.Pix[i+c] = byte(rng.IntN(int(a) + 1))
				}
			}
		}
	}
	words, _ := pixelWords(src.Pix)
	j := &drawJob{src: src, srcWords: words}
	texel := func(x, y int) uint64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 0
		}
		return spread(j.srcWords[y*src.Stride/4+x])
	}
	const one = 1 << fixShift
	for range 3000 {
		fx := int64(rng.IntN(70*one)) - 15*one
		fy := int64(rng.IntN(40*one)) - 10*one
		stepX := int64(rng.NormFloat64() * one)
		stepY := int64(rng.NormFloat64()*one) | 1 // not a pure translation
		out := make([]uint32, 1+rng.IntN(60))
		j.sampleSpan(out, fx, fy, stepX, stepY)
		for i := range out {
			px, py := fx+int64(i)*stepX, fy+int64(i)*stepY
			x, y := int(px>>fixShift), int(py>>fixShift)
			wx, wy := uint64(px>>(fixShift-8))&0xFF, uint64(py>>(fixShift-8))&0xFF
			w00, w10, w01, w11 := bilinearWeights(wx, wy)
			want := fold(texel(x, y)*w00 + texel(x+1, y)*w10 + texel(x, y+1)*w01 + texel(x+1, y+1)*w11)
			if out[i] != want {
				t.Fatalf("start (%d, %d) step (%d, %d): sample %d at (%d, %d) = %08x, want %08x", fx, fy, stepX, stepY, i, x, y, out[i], want)
			}
		}
	}
}
