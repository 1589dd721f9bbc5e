package compose

import (
	"image"
	"image/color"
	"syscall"
	"testing"
	"time"

	"github.com/framecast/framecast/render/raster"
)

// benchLayer returns an 800×600 photo-like layer; alpha 255 everywhere, or 128 (premultiplied) when half.
func benchLayer(half bool) raster.Layer {
	l := raster.NewLayer(800, 600)
	for y := range 600 {
		for x := range 800 {
			c := color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255}
			if half {
				c = color.RGBA{c.R / 2, c.G / 2, c.B / 2, 128}
			}
			l.Img.SetRGBA(x, y, c)
		}
	}
	return l
}

func frame1080() *image.RGBA {
	f := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	FillColor(f, color.RGBA{30, 40, 50, 255})
	return f
}

func benchDraw(b *testing.B, d Drawer, l raster.Layer, p Placement) {
	dst := frame1080()
	b.SetBytes(800 * 600 * 4)
	b.ResetTimer()
	reportCPU(b, func() { d.Draw(dst, l, p) })
}

var (
	oneWorker  = Drawer{Workers: 1}
	twoWorkers = Drawer{Workers: 2}
)

func BenchmarkDrawOpaqueIntegerOffset(b *testing.B) {
	benchDraw(b, oneWorker, benchLayer(false), PlaceAt(560, 240))
}

func BenchmarkDrawHalfAlphaPixels(b *testing.B) {
	benchDraw(b, oneWorker, benchLayer(true), PlaceAt(560, 240))
}

func BenchmarkDrawOpacityHalf(b *testing.B) {
	p := PlaceAt(560, 240)
	p.Opacity = 0.5
	benchDraw(b, oneWorker, benchLayer(false), p)
}

func BenchmarkDrawFractionalOffset(b *testing.B) {
	benchDraw(b, oneWorker, benchLayer(false), PlaceAt(560.3, 240.6))
}

func BenchmarkDrawScale1_1Rotate5(b *testing.B) {
	benchDraw(b, oneWorker, benchLayer(false), rotated(PlaceAt(960, 540), 5, 1.1))
}

func BenchmarkDrawScale1_1Rotate5TwoWorkers(b *testing.B) {
	benchDraw(b, twoWorkers, benchLayer(false), rotated(PlaceAt(960, 540), 5, 1.1))
}

func BenchmarkDrawOpaqueIntegerOffsetTwoWorkers(b *testing.B) {
	benchDraw(b, twoWorkers, benchLayer(false), PlaceAt(560, 240))
}

func BenchmarkDrawWipeMask(b *testing.B) {
	p := PlaceAt(560, 240)
	p.Mask = &Mask{Kind: MaskWipe, Progress: 0.5}
	benchDraw(b, oneWorker, benchLayer(false), p)
}

func BenchmarkFillColor1080p(b *testing.B) {
	dst := frame1080()
	b.SetBytes(int64(len(dst.Pix)))
	reportCPU(b, func() { FillColor(dst, color.RGBA{1, 2, 3, 255}) })
}

func BenchmarkToYUV420_1080p(b *testing.B) { benchmarkToYUV420(b) }

// BenchmarkToYUV420_1080pPortable is the conversion without its vector kernel (the word-by-word Go loop).
func BenchmarkToYUV420_1080pPortable(b *testing.B) {
	defer func(v bool) { haveVectorConvert = v }(haveVectorConvert)
	haveVectorConvert = false
	benchmarkToYUV420(b)
}

func benchmarkToYUV420(b *testing.B) {
	src := frame1080()
	serial.Draw(src, benchLayer(false), PlaceAt(100, 100))
	out := make([]byte, YUV420Size(1920, 1080))
	b.SetBytes(int64(len(src.Pix)))
	b.ResetTimer()
	reportCPU(b, func() {
		if err := ToYUV420(out, src); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkDiffRowsIdentical1080p(b *testing.B) {
	a, c := frame1080(), frame1080()
	b.SetBytes(int64(len(a.Pix)))
	reportCPU(b, func() {
		if _, _, same := DiffRows(a, c); !same {
			b.Fatal("frames differ")
		}
	})
}

// cpuTime is the process's user+system CPU time so far. Benchmarks report it per operation (cpu-ns/op)
// beside wall time, because the project machine is shared and wall time swings with its load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU runs the benchmark loop body and reports its CPU time per operation.
func reportCPU(b *testing.B, body func()) {
	start := cpuTime()
	for b.Loop() {
		body()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}
