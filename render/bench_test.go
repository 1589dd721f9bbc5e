package render

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/framecast/framecast/internal/benchdocs"
	"github.com/framecast/framecast/schemas"
)

// referenceDoc is the benchmark's document: 10 s of 1920×1080 at 30 fps with a gradient background, three
// animated text clips, two images, shapes and a transition.
const referenceDoc = `{
  "meta": {"version": "2.0.0", "width": 1920, "height": 1080, "fps": 30,
    "background": {"type": "linear", "angle": 45, "stops": [{"offset": 0, "color": "#0f172a"}, {"offset": 1, "color": "#1e3a8a"}]}},
  "tracks": [
    {"id": "images", "clips": [
      {"type": "image", "src": "../../examples/assets/photo1.jpg", "start": 0, "duration": 5, "transform": {"x": 560, "y": 540, "width": 800, "height": 600},
       "style": {"borderRadius": 24}, "animations": [{"type": "slideIn", "direction": "right", "distance": 400, "duration": 1, "easing": "easeOutCubic"}]},
      {"type": "image", "src": "../../examples/assets/photo3.jpg", "start": 5, "duration": 5, "transform": {"x": 560, "y": 540, "width": 800, "height": 600},
       "style": {"borderRadius": 24}, "transition": {"type": "fade", "duration": 1}}
    ]},
    {"id": "shapes", "clips": [
      {"type": "circle", "start": 0, "duration": 10, "size": 300, "transform": {"x": 1600, "y": 850}, "style": {"fill": "#f59e0b"},
       "animations": [{"type": "zoomIn", "duration": 0.8, "easing": "easeOutBack"}]},
      {"type": "rect", "start": 0.5, "duration": 9.5, "transform": {"x": 1400, "y": 160, "width": 760, "height": 8}, "style": {"fill": "#38bdf8", "borderRadius": 4}},
      {"type": "polygon", "start": 1, "duration": 9, "sides": 6, "size": 180, "transform": {"x": 1750, "y": 560}, "style": {"fill": "#a78bfa"},
       "animations": [{"type": "fadeIn", "duration": 0.5}]}
    ]},
    {"id": "text", "clips": [
      {"type": "text", "text": "Framecast", "start": 0, "duration": 10, "transform": {"x": 1400, "y": 300},
       "style": {"fontSize": 120, "fontWeight": 800, "fill": "#ffffff"}, "animations": [{"type": "fadeIn", "duration": 1}]},
      {"type": "text", "text": "Video from JSON", "start": 0.5, "duration": 9.5, "transform": {"x": 1400, "y": 440},
       "style": {"fontSize": 64, "fill": "#cbd5e1"}, "animations": [{"type": "slideIn", "direction": "up", "distance": 60, "duration": 0.8, "easing": "easeOutQuad"}]},
      {"type": "text", "text": "Self-hosted. Fast.", "start": 1, "duration": 9, "transform": {"x": 1400, "y": 700},
       "style": {"fontSize": 72, "fontWeight": 700, "fill": "#f59e0b"}, "animations": [{"type": "zoomIn", "duration": 0.6, "easing": "easeOutBack"}]}
    ]}
  ]
}`

// rawFile is a frameSink writing frames to a file.
type rawFile struct{ w *bufio.Writer }

func (r rawFile) WriteFrame(b []byte) error { _, err := r.w.Write(b); return err }

// BenchmarkReference renders each bench document to MP4 and, in the same run, times FFmpeg encoding the same
// frames from a raw yuv420p file with the same settings (L). It reports the engine's frames/s, both times and
// their ratio, and the same in CPU time (cpu-ratio). Each side starts with the same warm memory (warmMemory). Targets (issue 15): title card ≤ 1.10, busy ≤ 1.6, 2160p title card ≤ 1.15.
func BenchmarkReference(b *testing.B) {
	media, err := benchdocs.MakeMedia(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, doc string }{
		{"reference", referenceDoc},
		{"titlecard-1080p", benchdocs.TitleCard(1920, 1080)},
		{"busy-1080p", benchdocs.Busy(media)},
		{"titlecard-2160p", benchdocs.TitleCard(3840, 2160)},
	} {
		b.Run(c.name, func(b *testing.B) { benchmarkAgainstFFmpeg(b, c.doc) })
	}
}

func benchmarkAgainstFFmpeg(b *testing.B, doc string) {
	ctx := context.Background()
	opts := testOptions(b)
	tl, err := Load(ctx, parseDoc(b, doc), opts)
	if err != nil {
		b.Fatal(err)
	}
	defer tl.Close()
	dir := b.TempDir()

	// The same frames, stored beforehand as raw yuv420p (not timed).
	raw := filepath.Join(dir, "frames.yuv")
	f, err := os.Create(raw)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := tl.drawRange(ctx, rawFile{w}, 0, tl.Frames, nil); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()

	var engine, alone, engineCPU, aloneCPU time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A fresh timeline each time, so no layer is cached from the run before.
		warmMemory(b)
		start, cpu := time.Now(), cpuTime()
		tl, err := Load(ctx, parseDoc(b, doc), opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := tl.Render(ctx, filepath.Join(dir, "engine.mp4")); err != nil {
			b.Fatal(err)
		}
		engine += time.Since(start)
		tl.Close()
		engineCPU += cpuTime() - cpu

		warmMemory(b)
		start, cpu = time.Now(), cpuTime()
		cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
			"-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", fmt.Sprintf("%dx%d", tl.Width, tl.Height), "-framerate", "30", "-i", raw,
			"-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
			filepath.Join(dir, "alone.mp4"))
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("ffmpeg alone: %v %s", err, out)
		}
		alone += time.Since(start)
		aloneCPU += cpuTime() - cpu
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(tl.Frames)*n/engine.Seconds(), "frames/s")
	b.ReportMetric(engine.Seconds()/n, "engine-s")
	b.ReportMetric(alone.Seconds()/n, "ffmpeg-alone-s")
	b.ReportMetric(engine.Seconds()/alone.Seconds(), "ratio")
	if aloneCPU > 0 {
		// The same comparison in CPU time (the process and its FFmpeg children): steadier than wall time on a
		// busy machine, and what the wall ratio tends to on an idle one whose cores both sides keep busy.
		b.ReportMetric(engineCPU.Seconds()/n, "engine-cpu-s")
		b.ReportMetric(aloneCPU.Seconds()/n, "ffmpeg-alone-cpu-s")
		b.ReportMetric(engineCPU.Seconds()/aloneCPU.Seconds(), "cpu-ratio")
	}
}

// discardFrames is a frameSink that drops frames (the encoder's share of the work left out).
type discardFrames struct{}

func (discardFrames) WriteFrame([]byte) error { return nil }

// BenchmarkDrawBusy draws every frame of the busy document (Load included, the encoder left out): the Go side of
// a render, for profiles (go test -run '^$' -bench DrawBusy -cpuprofile cpu.out ./render/).
func BenchmarkDrawBusy(b *testing.B) {
	media, err := benchdocs.MakeMedia(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	benchmarkDrawing(b, parseDoc(b, benchdocs.Busy(media)))
}

// BenchmarkDrawTitleCard2160 draws every frame of the 2160p title card (Load included, the encoder left out):
// the Go side of its render, for profiles (go test -run '^$' -bench DrawTitleCard2160 -cpuprofile cpu.out ./render/).
func BenchmarkDrawTitleCard2160(b *testing.B) {
	benchmarkDrawing(b, parseDoc(b, benchdocs.TitleCard(3840, 2160)))
}

// benchmarkDrawing loads doc and draws every frame, the encoder left out, b.N times.
func benchmarkDrawing(b *testing.B, doc *schemas.Document) {
	ctx := context.Background()
	opts := testOptions(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tl, err := Load(ctx, doc, opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := tl.drawRange(ctx, discardFrames{}, 0, tl.Frames, nil); err != nil {
			b.Fatal(err)
		}
		tl.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/render")
}
