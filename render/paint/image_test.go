package paint

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"github.com/framecast/framecast/schemas"
)

const testSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="60" viewBox="0 0 160 120">
  <defs><linearGradient id="g" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/></linearGradient></defs>
  <rect x="10" y="10" width="140" height="100" rx="16" fill="url(#g)"/>
  <circle cx="60" cy="60" r="30" fill="#ffffff" fill-opacity="0.8"/>
  <path d="M100 30 L140 90 L100 90 Z" fill="none" stroke="#000" stroke-width="4"/>
</svg>`

func TestSVG(t *testing.T) {
	l, err := SVG([]byte(testSVG), 160, 120)
	if err != nil {
		t.Fatal(err)
	}
	checkLayerGolden(t, "svg_markup", l)
	w, h, err := SVGSize([]byte(testSVG))
	if err != nil || w != 80 || h != 60 {
		t.Errorf("SVGSize = %g, %g, %v; want 80, 60", w, h, err)
	}
	half, err := SVG([]byte(testSVG), 40, 0)
	if err != nil || half.Img.Rect.Dx() != 40 || half.Img.Rect.Dy() != 30 {
		t.Errorf("SVG at width 40: %v, %v; want 40x30 (aspect kept)", half.Img.Rect, err)
	}
	if _, err := SVG([]byte("<html></html>"), 10, 10); err == nil {
		t.Error("non-SVG markup: no error")
	}
}

// testPicture is a small image with distinct quadrants, for decoding and fitting.
func testPicture(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(255 * x / w), uint8(255 * y / h), 160, 255}
			if (x/(w/4)+y/(h/4))%2 == 0 {
				c = color.NRGBA{250, 250, 250, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func TestDecodeImage(t *testing.T) {
	pic := testPicture(16, 12)
	encode := map[string]func(*bytes.Buffer) error{
		"png":  func(b *bytes.Buffer) error { return png.Encode(b, pic) },
		"jpeg": func(b *bytes.Buffer) error { return jpeg.Encode(b, pic, &jpeg.Options{Quality: 95}) },
		"gif":  func(b *bytes.Buffer) error { return gif.Encode(b, pic, nil) },
	}
	for name, enc := range encode {
		var buf bytes.Buffer
		if err := enc(&buf); err != nil {
			t.Fatal(err)
		}
		img, err := DecodeImage(buf.Bytes())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if img.Bounds().Size() != pic.Rect.Size() {
			t.Errorf("%s: size %v, want %v", name, img.Bounds().Size(), pic.Rect.Size())
		}
		r, _, _, _ := img.At(0, 0).RGBA()
		if r>>8 < 230 {
			t.Errorf("%s: top-left red %d, want the light square", name, r>>8)
		}
	}
	webp, err := os.ReadFile("testdata/red.webp")
	if err != nil {
		t.Fatal(err)
	}
	img, err := DecodeImage(webp)
	if err != nil {
		t.Fatalf("webp: %v", err)
	}
	if r, g, b, _ := img.At(4, 4).RGBA(); r>>8 < 220 || g>>8 > 40 || b>>8 > 40 || img.Bounds().Dx() != 8 {
		t.Errorf("webp: %v at the center of %v, want red 8x8", img.At(4, 4), img.Bounds())
	}
	svg, err := DecodeImage([]byte("<?xml version=\"1.0\"?>\n" + testSVG))
	if err != nil || svg.Bounds().Dx() != 80 || svg.Bounds().Dy() != 60 {
		t.Errorf("svg: %v, %v; want 80x60", svg, err)
	}
	avif := append([]byte{0, 0, 0, 28}, []byte("ftypavif\x00\x00\x00\x00avifmif1miaf")...)
	if _, err := DecodeImage(avif); !errors.Is(err, ErrNeedsFFmpeg) {
		t.Errorf("avif: error %v, want ErrNeedsFFmpeg", err)
	}
	if _, err := DecodeImage([]byte("not an image")); err == nil {
		t.Error("garbage: no error")
	}
}

func TestFitGoldens(t *testing.T) {
	pic := testPicture(200, 100)
	for _, fit := range []schemas.ObjectFit{"cover", "contain", "fill"} {
		t.Run(string(fit), func(t *testing.T) {
			l := Fit(pic, 120, 120, fit, schemas.Corners{20, 20, 20, 20})
			if l.Img.Rect.Dx() != 120 || l.Img.Rect.Dy() != 120 || l.BoxW != 120 {
				t.Fatalf("layer %v box %gx%g, want 120x120", l.Img.Rect, l.BoxW, l.BoxH)
			}
			checkLayerGolden(t, "fit_"+string(fit), l)
		})
	}
	contain := Fit(pic, 120, 120, "contain", schemas.Corners{})
	if a := pixel(contain, 60, 5).A; a != 0 {
		t.Errorf("contain: alpha %d in the letterbox bar, want 0", a)
	}
	if a := pixel(contain, 0, 60).A; a != 255 {
		t.Errorf("contain: alpha %d at the left edge's middle, want the picture", a)
	}
}

func TestRoundCorners(t *testing.T) {
	l, err := Rect(100, 80, ShapeStyle{Fill: schemas.SolidPaint("#ffffff")})
	if err != nil {
		t.Fatal(err)
	}
	RoundCorners(l, schemas.Corners{30, 0, 0, 0})
	bx, by := int(l.BoxX), int(l.BoxY)
	if a := pixel(l, bx+2, by+2).A; a != 0 {
		t.Errorf("rounded corner alpha %d, want 0", a)
	}
	if a := pixel(l, bx+97, by+2).A; a != 255 {
		t.Errorf("square corner alpha %d, want 255", a)
	}
}

func TestCompleteRectRadii(t *testing.T) {
	cases := map[string]string{
		`<rect x="1" rx="16"/>`:         `<rect x="1" rx="16" ry="16"/>`,
		`<rect ry='4' width="2">`:       `<rect ry='4' width="2" rx='4'>`,
		`<rect rx="1" ry="2"/>`:         `<rect rx="1" ry="2"/>`,
		`<circle rx="3"/><rect x="0"/>`: `<circle rx="3"/><rect x="0"/>`,
	}
	for in, want := range cases {
		if got := string(completeRectRadii([]byte(in))); got != want {
			t.Errorf("completeRectRadii(%s) = %s, want %s", in, got, want)
		}
	}
}
