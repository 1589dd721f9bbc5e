package paint

import (
	"image"
	"image/color"
	"testing"

	"github.com/framecast/framecast/schemas"
	"github.com/srwiley/rasterx"
	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/rasterizer"
	xdraw "golang.org/x/image/draw"
)

// The benchmarks below measure the full-HD cases named in the package doc. BenchmarkRasterizers compares the
// three candidate rasterizers on the same filled and stroked full-HD circle.

func BenchmarkRectFullHDGradient(b *testing.B) {
	s := ShapeStyle{Fill: gradientPaint("linear", ptr(30), "#ff0000", "#0000ff"), Stroke: schemas.SolidPaint("#fff"), StrokeWidth: 8, Radius: schemas.Corners{40, 40, 40, 40}}
	for b.Loop() {
		if _, err := Rect(1920, 1080, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRectFullHDSolid(b *testing.B) {
	s := ShapeStyle{Fill: schemas.SolidPaint("#3366cc")}
	for b.Loop() {
		if _, err := Rect(1920, 1080, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCircleFullHD(b *testing.B) {
	s := ShapeStyle{Fill: schemas.SolidPaint("#3366cc"), Stroke: schemas.SolidPaint("#fff"), StrokeWidth: 8}
	for b.Loop() {
		if _, err := Circle(1080, nil, nil, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPathFullHD(b *testing.B) {
	sp := StrokePath{Data: "M0 540 C480 0 960 1080 1440 540 S1900 0 1920 540 L1920 1080 Q960 700 0 1080 Z", Width: 12,
		Color: schemas.SolidPaint("#fff"), Fill: schemas.SolidPaint("#3366cc"), Cap: "round", Join: "round", EndArrow: true}
	for b.Loop() {
		if _, err := Stroke(sp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRasterizers(b *testing.B) {
	const w, h, r, sw = 1920, 1080, 500.0, 8.0
	b.Run("paint(canvas geometry + x-image-vector)", func(b *testing.B) {
		s := ShapeStyle{Fill: schemas.SolidPaint("#3366cc"), Stroke: schemas.SolidPaint("#fff"), StrokeWidth: sw}
		for b.Loop() {
			if _, err := Circle(2*r, nil, nil, s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("canvas-rasterizer", func(b *testing.B) {
		for b.Loop() {
			c := canvas.New(w, h)
			ctx := canvas.NewContext(c)
			ctx.SetFillColor(color.RGBA{0x33, 0x66, 0xcc, 255})
			ctx.SetStrokeColor(color.White)
			ctx.SetStrokeWidth(sw)
			ctx.DrawPath(w/2, h/2, canvas.Circle(r))
			rasterizer.Draw(c, canvas.DPMM(1), canvas.DefaultColorSpace)
		}
	})
	b.Run("rasterx", func(b *testing.B) {
		for b.Loop() {
			img := image.NewRGBA(image.Rect(0, 0, w, h))
			sc := rasterx.NewScannerGV(w, h, img, img.Bounds())
			f := rasterx.NewFiller(w, h, sc)
			f.SetColor(color.RGBA{0x33, 0x66, 0xcc, 255})
			rasterx.AddCircle(w/2, h/2, r, f)
			f.Draw()
			d := rasterx.NewDasher(w, h, sc)
			d.SetStroke(sw*64, 4*64, rasterx.ButtCap, nil, rasterx.FlatGap, rasterx.Miter, nil, 0)
			d.SetColor(color.White)
			rasterx.AddCircle(w/2, h/2, r, d)
			d.Draw()
		}
	})
}

func benchPicture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	return img
}

func BenchmarkFit1600x1200To800x600(b *testing.B) {
	src := benchPicture(1600, 1200)
	b.Run("Fit(CatmullRom)+radius", func(b *testing.B) {
		for b.Loop() {
			Fit(src, 800, 600, "cover", schemas.Corners{24, 24, 24, 24})
		}
	})
	for name, k := range map[string]xdraw.Interpolator{"CatmullRom": xdraw.CatmullRom, "ApproxBiLinear": xdraw.ApproxBiLinear, "BiLinear": xdraw.BiLinear} {
		b.Run("scale-only/"+name, func(b *testing.B) {
			for b.Loop() {
				dst := image.NewRGBA(image.Rect(0, 0, 800, 600))
				k.Scale(dst, dst.Rect, src, src.Rect, xdraw.Src, nil)
			}
		})
	}
}

func BenchmarkBlur10On800x600(b *testing.B) {
	l := Fit(benchPicture(800, 600), 800, 600, "fill", schemas.Corners{})
	for b.Loop() {
		Blur(l, 10)
	}
}

func BenchmarkBrightness800x600(b *testing.B) {
	l := Fit(benchPicture(800, 600), 800, 600, "fill", schemas.Corners{})
	fs := []schemas.Filter{{Type: "brightness", Value: 1.2}}
	for b.Loop() {
		ApplyFilters(l, fs)
	}
}

func BenchmarkShadow800x600(b *testing.B) {
	l := Fit(benchPicture(800, 600), 800, 600, "fill", schemas.Corners{40, 40, 40, 40})
	for b.Loop() {
		Shadow(l, color.NRGBA{0, 0, 0, 128}, 10, 8, 8)
	}
}
