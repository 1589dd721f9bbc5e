package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/framecast/framecast/internal/benchdocs"
)

// probeCorpusFile is one file of the corpus: how ffmpeg makes it (from the corpus file src by stream copy,
// when src is set), and whether the Go reader must read it (inGo) or must leave it to ffprobe.
type probeCorpusFile struct {
	name string
	args []string
	inGo bool
	src  string
}

// video returns the arguments of a testsrc2 video of size, rate and seconds, then extra.
func video(size, rate, seconds string, extra ...string) []string {
	return append([]string{"-f", "lavfi", "-i", "testsrc2=s=" + size + ":r=" + rate, "-t", seconds}, extra...)
}

// sound returns the arguments of a sine sound at rate Hz of channels channels lasting seconds, in AAC.
func sound(rate, channels, seconds string) []string {
	return []string{"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + rate, "-t", seconds,
		"-ac", channels, "-c:a", "aac"}
}

// probeCorpus lists the corpus: x264 with and without B-frames (their edit lists), NTSC and odd rates and
// durations, cropped sizes, rotations, colour tags, sound at both common rates in both layouts, MOV, and
// what the Go reader must leave to ffprobe.
func probeCorpus() []probeCorpusFile {
	x264 := func(preset string) []string { return []string{"-c:v", "libx264", "-preset", preset} }
	// av is a video of size at rate with a sine sound at arate Hz in channels, both lasting seconds.
	av := func(size, rate, arate, channels, seconds string) []string {
		return []string{"-f", "lavfi", "-i", "testsrc2=s=" + size + ":r=" + rate,
			"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + arate, "-t", seconds,
			"-c:v", "libx264", "-preset", "veryfast", "-ac", channels, "-c:a", "aac"}
	}
	return []probeCorpusFile{
		{"veryfast.mp4", video("320x240", "30", "2.37", x264("veryfast")...), true, ""},
		{"ultrafast.mp4", video("320x240", "30", "2", x264("ultrafast")...), true, ""},
		{"ntsc.mp4", video("320x240", "30000/1001", "3.1", x264("veryfast")...), true, ""},
		{"ntsc-faststart.mp4", video("320x180", "30000/1001", "1.55", append(x264("medium"), "-movflags", "+faststart")...), true, ""},
		{"odd.mp4", video("322x182", "25", "1.234", append(x264("veryfast"), "-bf", "3")...), true, ""},
		{"rate-23976.mp4", video("256x144", "24000/1001", "0.77", x264("veryfast")...), true, ""},
		// FFmpeg 5.1 writes a rotation (tkhd's display matrix) from the rotate tag on a stream copy.
		{"rotate90.mp4", []string{"-metadata:s:v", "rotate=90"}, true, "odd.mp4"},
		{"rotate180.mp4", []string{"-metadata:s:v", "rotate=180"}, true, "odd.mp4"},
		{"rotate270.mov", []string{"-metadata:s:v", "rotate=270"}, true, "av.mov"},
		// colr boxes: alone (the SPS of plain.mp4 has no video signal type), against the SPS's, and nclc.
		{"plain.mp4", video("160x90", "30", "0.5", x264("veryfast")...), true, ""},
		{"colr-pc.mp4", []string{"-movflags", "+write_colr", "-color_range", "pc", "-colorspace", "bt709"}, true, "plain.mp4"},
		{"colr-tv.mp4", []string{"-movflags", "+write_colr", "-color_range", "tv", "-colorspace", "bt2020nc"}, true, "plain.mp4"},
		{"colr-against-sps.mp4", []string{"-movflags", "+write_colr", "-color_range", "pc", "-colorspace", "bt470bg"}, true, "bt709-tv.mp4"},
		{"colr-nclc.mov", []string{"-movflags", "+write_colr", "-colorspace", "smpte170m"}, true, "plain.mp4"},
		{"bt709-tv.mp4", video("160x90", "30", "0.5", append(x264("veryfast"), "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv")...), true, ""},
		{"range-pc.mp4", video("160x90", "30", "0.5", append(x264("veryfast"), "-color_range", "pc")...), true, ""},
		{"yuvj420p.mp4", video("160x90", "30", "0.5", append(x264("veryfast"), "-pix_fmt", "yuvj420p")...), true, ""},
		{"bt601.mp4", video("160x90", "30", "0.5", append(x264("veryfast"), "-colorspace", "smpte170m", "-color_primaries", "smpte170m", "-color_trc", "smpte170m")...), true, ""},
		{"bt470bg.mp4", video("160x90", "25", "0.5", append(x264("veryfast"), "-colorspace", "bt470bg")...), true, ""},
		{"av.mp4", av("320x240", "25", "44100", "2", "1.7"), true, ""},
		{"av.mov", av("320x240", "24", "48000", "1", "1"), true, ""},
		{"mono-44100.m4a", sound("44100", "1", "1.3"), true, ""},
		{"stereo-44100.m4a", sound("44100", "2", "0.9"), true, ""},
		{"mono-48000.m4a", sound("48000", "1", "2.05"), true, ""},
		{"stereo-48000.m4a", sound("48000", "2", "1"), true, ""},
		{"mono-22050.m4a", sound("22050", "1", "0.6"), true, ""},
		// What the Go reader leaves to ffprobe.
		{"yuv444p.mp4", video("160x90", "30", "0.5", append(x264("veryfast"), "-pix_fmt", "yuv444p")...), false, ""},
		{"yuv422p.mp4", video("160x90", "30", "0.5", append(x264("veryfast"), "-pix_fmt", "yuv422p")...), false, ""},
		{"10bit.mp4", video("160x90", "30", "0.5", append(x264("veryfast"), "-pix_fmt", "yuv420p10le")...), false, ""},
		{"fragmented.mp4", video("160x90", "30", "1", append(x264("veryfast"), "-movflags", "frag_keyframe+empty_moov")...), false, ""},
		{"mpeg4.mp4", video("160x90", "30", "0.5", "-c:v", "mpeg4"), false, ""},
		{"no-editlist.mp4", video("160x90", "30", "0.5", append(x264("veryfast"), "-use_editlist", "0")...), false, ""},
		{"mp3.mp4", []string{"-f", "lavfi", "-i", "sine=sample_rate=44100", "-t", "0.5", "-c:a", "libmp3lame"}, false, ""},
		{"timecode.mov", video("160x90", "25", "0.5", append(x264("veryfast"), "-timecode", "01:00:00:00")...), false, ""},
		{"cover.m4a", []string{"-f", "lavfi", "-i", "sine=sample_rate=44100", "-f", "lavfi", "-i", "color=c=red:s=16x16",
			"-t", "0.5", "-frames:v", "1", "-map", "0", "-map", "1", "-c:a", "aac", "-c:v", "png", "-disposition:v", "attached_pic"}, false, ""},
	}
}

// makeProbeCorpus writes the corpus into dir, two ffmpeg runs at a time (the stream copies after their
// sources), and returns it with the paths.
func makeProbeCorpus(t testing.TB, dir string) (files []probeCorpusFile, paths []string) {
	t.Helper()
	files = probeCorpus()
	paths = make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join(dir, f.name)
	}
	for _, copies := range []bool{false, true} {
		errs := make([]error, len(files))
		var wg sync.WaitGroup
		sem := make(chan struct{}, 2)
		for i, f := range files {
			if (f.src != "") != copies {
				continue
			}
			args := f.args
			if copies {
				args = append([]string{"-i", filepath.Join(dir, f.src), "-c", "copy"}, args...)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				errs[i] = runFFmpeg(ctx, append(args, "-y", paths[i])...)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	}
	return files, paths
}

// diffProbes describes how two probe results differ, field by field ("" when equal).
func diffProbes(got, want *ProbeResult) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	g, w := *got, *want
	g.Streams, w.Streams = nil, nil
	out := ""
	if !reflect.DeepEqual(g, w) {
		out += fmt.Sprintf("\n format: got %+v\n         want %+v", g, w)
	}
	if len(got.Streams) != len(want.Streams) {
		return out + fmt.Sprintf("\n %d streams, want %d", len(got.Streams), len(want.Streams))
	}
	for i := range got.Streams {
		if got.Streams[i] != want.Streams[i] {
			out += fmt.Sprintf("\n stream %d: got %+v\n           want %+v", i, got.Streams[i], want.Streams[i])
		}
	}
	return out
}

// The Go reader of MP4 files gives ffprobe's answer, field by field, for every file it reads, reads the
// files it was written for, and leaves the others to ffprobe.
func TestProbeMP4MatchesFFprobe(t *testing.T) {
	t.Parallel()
	files, paths := makeProbeCorpus(t, t.TempDir())
	assets, _ := filepath.Glob(filepath.Join("..", "..", "examples", "assets", "*"))
	for _, a := range assets {
		switch filepath.Ext(a) {
		case ".mp4", ".m4a", ".mov":
			files = append(files, probeCorpusFile{name: "examples/assets/" + filepath.Base(a), inGo: true})
			paths = append(paths, a)
		}
	}
	// What ffprobe says of the files that make the corpus worth its while (first stream: size, pixel format,
	// colour range and matrix, rotation, frame rate, frames, stream and format durations), so that a corpus
	// that lost its variety fails.
	variety := map[string]string{
		"veryfast.mp4":         "320x240 yuv420p / 0° 30 fps 71 frames 2.366667 s/2.367 s",
		"ntsc.mp4":             "320x240 yuv420p / 0° 29.97003 fps 93 frames 3.1031 s/3.104 s",
		"odd.mp4":              "322x182 yuv420p / 0° 25 fps 31 frames 1.24 s/1.24 s",
		"rotate90.mp4":         "322x182 yuv420p / 90° 25 fps 31 frames 1.24 s/1.24 s",
		"rotate180.mp4":        "322x182 yuv420p / 180° 25 fps 31 frames 1.24 s/1.24 s",
		"rotate270.mov":        "320x240 yuv420p / 270° 24 fps 24 frames 1 s/1 s",
		"range-pc.mp4":         "160x90 yuvj420p pc/ 0° 30 fps 15 frames 0.5 s/0.5 s",
		"bt601.mp4":            "160x90 yuv420p tv/smpte170m 0° 30 fps 15 frames 0.5 s/0.5 s",
		"colr-pc.mp4":          "160x90 yuvj420p pc/bt709 0° 30 fps 15 frames 0.5 s/0.5 s",
		"colr-against-sps.mp4": "160x90 yuv420p tv/bt709 0° 30 fps 15 frames 0.5 s/0.5 s",
		"colr-nclc.mov":        "160x90 yuv420p /smpte170m 0° 30 fps 15 frames 0.5 s/0.5 s",
		"mono-22050.m4a":       "22050 Hz 1 ch 14 frames 0.6 s/0.6 s",
		"stereo-44100.m4a":     "44100 Hz 2 ch 40 frames 0.9 s/0.9 s",
	}
	summary := func(p *ProbeResult) string {
		s := p.Streams[0]
		if s.CodecType == "audio" {
			return fmt.Sprintf("%d Hz %d ch %d frames %v s/%v s", s.SampleRate, s.Channels, s.NbFrames, s.Duration, p.Duration)
		}
		return fmt.Sprintf("%dx%d %s %s/%s %d° %.7g fps %d frames %v s/%v s", s.Width, s.Height, s.PixFmt, s.ColorRange,
			s.ColorSpace, s.Rotation, s.FPS, s.NbFrames, s.Duration, p.Duration)
	}
	ctx := testContext(t)
	for i, f := range files {
		want, err := probeWithFFprobe(ctx, paths[i])
		if err != nil {
			t.Fatalf("%s: ffprobe: %v", f.name, err)
		}
		if v, ok := variety[f.name]; ok && summary(want) != v {
			t.Errorf("%s: ffprobe says %s, the corpus wants %s", f.name, summary(want), v)
		}
		got, err := probeMP4(paths[i])
		switch {
		case err != nil && f.inGo:
			t.Errorf("%s: the Go reader left it to ffprobe: %v", f.name, err)
		case err != nil:
			t.Logf("%s: left to ffprobe: %v", f.name, err)
		case !f.inGo:
			t.Errorf("%s: the Go reader read it, want it left to ffprobe; it said %+v", f.name, got)
		default:
			if d := diffProbes(got, want); d != "" {
				t.Errorf("%s: the Go reader differs from ffprobe:%s", f.name, d)
			}
		}
	}
}

// Probe's errors stay what they were: a missing file fails as ffprobe fails, a cancelled context fails with
// the context's error, and a file that is not media is refused.
func TestProbeErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testContext(t)
	missing := filepath.Join(dir, "missing.mp4")
	_, err := Probe(ctx, missing)
	_, ffErr := probeWithFFprobe(ctx, missing)
	if err == nil || ffErr == nil || err.Error() != ffErr.Error() {
		t.Errorf("Probe(missing) = %v; ffprobe's error: %v", err, ffErr)
	}
	junk := filepath.Join(dir, "junk.mp4")
	if err := os.WriteFile(junk, []byte("\x00\x00\x00\x08ftypnot a video"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Probe(ctx, junk); err == nil {
		t.Error("Probe of a file that is not media succeeded")
	}
	clip := lavfi(t, filepath.Join(dir, "clip.mp4"), video("64x64", "25", "0.2", "-c:v", "libx264")...)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Probe(cancelled, clip); !errors.Is(err, context.Canceled) {
		t.Errorf("Probe with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := Probe(ctx, clip); err != nil {
		t.Errorf("Probe(clip) = %v", err)
	}
}

// BenchmarkProbeBusyMedia probes the busy benchmark document's three sources (internal/benchdocs: two
// 1280×720 10 s H.264 videos and the music) per iteration, in Go and with ffprobe, and reports the CPU time
// of the process and its children per iteration besides the wall time.
func BenchmarkProbeBusyMedia(b *testing.B) {
	ctx := testContext(b)
	m, err := benchdocs.MakeMedia(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	media := []string{m.VideoA, m.VideoB, m.Music}
	for _, way := range []struct {
		name  string
		probe func(path string) error
	}{
		{"go", func(path string) error { _, err := probeMP4(path); return err }},
		{"ffprobe", func(path string) error { _, err := probeWithFFprobe(ctx, path); return err }},
	} {
		b.Run(way.name, func(b *testing.B) {
			start := cpuTime(b)
			for b.Loop() {
				for _, path := range media {
					if err := way.probe(path); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64((cpuTime(b)-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the user and system CPU time of this process and its waited-for children so far.
func cpuTime(b *testing.B) time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err != nil {
			b.Fatal(err)
		}
		total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return total
}

// A track whose last sample lasts far longer than the others is left to ffprobe (FFmpeg's stts reader may
// count it as the mean); ordinary tracks, and a last sample a little longer, are read in Go.
func TestHeldLastSampleIsLeftToFFprobe(t *testing.T) {
	deltas := func(n int, last uint32) []uint32 {
		d := make([]uint32, n)
		for i := range d {
			d[i] = 1000
		}
		d[n-1] = last
		return d
	}
	for _, c := range []struct {
		deltas []uint32
		held   bool
	}{
		{deltas(150, 1000), false},
		{deltas(150, 2000), false},
		{deltas(150, 6000), true},
		{deltas(150, 300000), true},
		{deltas(1, 300000), false},
	} {
		var ticks uint64
		for _, d := range c.deltas {
			ticks += uint64(d)
		}
		if got := heldLastSample(c.deltas[len(c.deltas)-1], ticks, len(c.deltas)); got != c.held {
			t.Errorf("%d samples, last %d: held %v, want %v", len(c.deltas), c.deltas[len(c.deltas)-1], got, c.held)
		}
	}
}
