package ffmpeg

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRational(t *testing.T) {
	t.Parallel()
	cases := map[float64]string{
		30: "30/1", 25: "25/1", 60: "60/1", 29.97: "30000/1001", 30000.0 / 1001: "30000/1001",
		23.976: "24000/1001", 59.94: "60000/1001", 12.5: "25/2", 0.5: "1/2",
	}
	for fps, want := range cases {
		got, err := Rational(fps)
		if err != nil || got != want {
			t.Errorf("Rational(%v) = %q, %v; want %q", fps, got, err, want)
		}
	}
	for _, bad := range []float64{0, -30} {
		if _, err := Rational(bad); err == nil {
			t.Errorf("Rational(%v) accepted", bad)
		}
	}
}

func TestFindFFmpeg(t *testing.T) {
	ffmpeg, ffprobe, err := FindFFmpeg()
	if err != nil || !strings.HasSuffix(ffmpeg, "ffmpeg") || !strings.HasSuffix(ffprobe, "ffprobe") {
		t.Fatalf("FindFFmpeg() = %q, %q, %v", ffmpeg, ffprobe, err)
	}
	t.Run("override", func(t *testing.T) {
		t.Setenv(EnvFFmpeg, "/nonexistent/ffmpeg")
		if _, _, err := FindFFmpeg(); err == nil || !strings.Contains(err.Error(), EnvFFmpeg) {
			t.Errorf("bad override: err = %v", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, _, err := FindFFmpeg()
		if err == nil || !strings.Contains(err.Error(), "ffmpeg not found: install FFmpeg") {
			t.Errorf("missing binary: err = %v", err)
		}
	})
}

// TestEncodeMP4ExactFrames checks an NTSC rate, where a rounded frame rate would drift.
func TestEncodeMP4ExactFrames(t *testing.T) {
	t.Parallel()
	const n = 45
	out := filepath.Join(t.TempDir(), "out.mp4")
	frames := testFrames(t, 320, 240, "30000/1001", n, PixFmtYUV420P)
	encodeFrames(t, out, EncodeOptions{Width: 320, Height: 240, FPS: 29.97, Frames: n}, frames)

	p := probeCounted(t, out)
	v := videoStream(t, p)
	if v.CodecName != "h264" || v.PixFmt != "yuv420p" || v.Width != 320 || v.Height != 240 {
		t.Errorf("video stream %+v", v)
	}
	if v.NbFrames != n {
		t.Errorf("%d frames, want %d", v.NbFrames, n)
	}
	want := n * 1001.0 / 30000
	if !near(v.Duration, want, 0.001) || !near(v.FPS, 30000.0/1001, 1e-6) {
		t.Errorf("duration %v fps %v, want %v and 29.97", v.Duration, v.FPS, want)
	}
	if p.HasAudio {
		t.Error("unexpected audio stream")
	}
	data, _ := os.ReadFile(out)
	if i, j := bytes.Index(data, []byte("moov")), bytes.Index(data, []byte("mdat")); i < 0 || i > j {
		t.Error("moov atom is not before mdat: +faststart missing")
	}
}

// TestEncodeAudioNeverCutsVideo muxes audio shorter than the video (padded) and longer (cut), encoded from
// WAV and copied from AAC.
func TestEncodeAudioNeverCutsVideo(t *testing.T) {
	t.Parallel()
	const n, fps = 60, 30.0 // 2 s
	dir := t.TempDir()
	frames := testFrames(t, 160, 120, "30", n, PixFmtYUV420P)
	short := lavfi(t, filepath.Join(dir, "short.wav"), "-f", "lavfi", "-i", "sine=frequency=440:duration=1")
	long := lavfi(t, filepath.Join(dir, "long.m4a"), "-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-c:a", "aac")
	for _, audio := range []string{short, long} {
		t.Run(filepath.Base(audio), func(t *testing.T) {
			out := filepath.Join(dir, filepath.Base(audio)+".mp4")
			encodeFrames(t, out, EncodeOptions{Width: 160, Height: 120, FPS: fps, Frames: n, Audio: audio}, frames)
			p := probeCounted(t, out)
			v := videoStream(t, p)
			if v.NbFrames != n || !near(v.Duration, 2, 0.001) {
				t.Errorf("video: %d frames, %v s; want %d, 2 s", v.NbFrames, v.Duration, n)
			}
			a, ok := p.Audio()
			if !ok || countStreams(p, "audio") != 1 || a.CodecName != "aac" {
				t.Fatalf("audio streams: %+v", p.Streams)
			}
			if !near(a.Duration, 2, 0.05) || !near(p.Duration, 2, 0.05) {
				t.Errorf("audio lasts %v s, file %v s; want 2 s", a.Duration, p.Duration)
			}
		})
	}
}

func TestEncodeWebMAndGIF(t *testing.T) {
	t.Parallel()
	const n = 20
	dir := t.TempDir()
	frames := testFrames(t, 160, 120, "20", n, PixFmtYUV420P)
	audio := lavfi(t, filepath.Join(dir, "a.wav"), "-f", "lavfi", "-i", "sine=duration=3")

	webm := filepath.Join(dir, "out.webm")
	encodeFrames(t, webm, EncodeOptions{Width: 160, Height: 120, FPS: 20, Frames: n, Format: FormatWebM, Audio: audio}, frames)
	p := probeCounted(t, webm)
	if v := videoStream(t, p); v.CodecName != "vp9" || v.NbFrames != n {
		t.Errorf("webm video %+v", v)
	}
	if a, ok := p.Audio(); !ok || a.CodecName != "opus" {
		t.Errorf("webm audio %+v", a)
	}
	if !near(p.Duration, 1, 0.03) {
		t.Errorf("webm lasts %v s, want 1", p.Duration)
	}

	gif := filepath.Join(dir, "out.gif")
	encodeFrames(t, gif, EncodeOptions{Width: 160, Height: 120, FPS: 20, Frames: n, Format: FormatGIF}, frames)
	if v := videoStream(t, probeCounted(t, gif)); v.CodecName != "gif" || v.NbFrames != n {
		t.Errorf("gif video %+v", v)
	}
}

// TestEncodeOddSizeRGBA checks that odd H.264 sizes are padded with a repeated edge, not black, and that RGBA
// input keeps its colors.
func TestEncodeOddSizeRGBA(t *testing.T) {
	t.Parallel()
	const w, h, n = 161, 91, 5
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{200, 40, 60, 255})
		}
	}
	frames := make([][]byte, n)
	for i := range frames {
		frames[i] = img.Pix
	}
	out := filepath.Join(t.TempDir(), "odd.mp4")
	encodeFrames(t, out, EncodeOptions{Width: w, Height: h, FPS: 25, Frames: n, InputPixFmt: PixFmtRGBA}, frames)
	v := videoStream(t, probeCounted(t, out))
	if v.Width != w+1 || v.Height != h+1 || v.NbFrames != n {
		t.Fatalf("odd size: %+v, want %dx%d", v, w+1, h+1)
	}
	got, err := FrameAt(testContext(t), out, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range []image.Point{{80, 45}, {w, h}, {w, 0}, {0, h}} {
		c := got.RGBAAt(pt.X, pt.Y)
		if !near(float64(c.R), 200, 6) || !near(float64(c.G), 40, 6) || !near(float64(c.B), 60, 6) || c.A != 255 {
			t.Errorf("pixel %v = %v, want about {200 40 60 255}", pt, c)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testContext(t)
	base := EncodeOptions{Width: 64, Height: 64, FPS: 30, Frames: 3}
	frame := make([]byte, base.FrameSize())

	t.Run("invalid options", func(t *testing.T) {
		for _, o := range []EncodeOptions{
			{Width: 0, Height: 64, FPS: 30},
			{Width: 64, Height: 64, FPS: 0},
			{Width: 64, Height: 64, FPS: 30, Format: "avi"},
			{Width: 64, Height: 64, FPS: 30, InputPixFmt: "nv12"},
			{Width: 64, Height: 64, FPS: 30, Audio: "a.wav"}, // audio without Frames
			{Width: 64, Height: 64, FPS: 30, Frames: 3, Format: FormatGIF, Audio: "a.wav"},
		} {
			if _, err := NewEncoder(ctx, filepath.Join(dir, "x.mp4"), o); err == nil {
				t.Errorf("NewEncoder(%+v) accepted", o)
			}
		}
	})
	t.Run("wrong frame size", func(t *testing.T) {
		enc, err := NewEncoder(ctx, filepath.Join(dir, "size.mp4"), base)
		if err != nil {
			t.Fatal(err)
		}
		defer enc.Abort()
		if err := enc.WriteFrame(frame[1:]); err == nil {
			t.Error("short frame accepted")
		}
	})
	t.Run("too few frames", func(t *testing.T) {
		out := filepath.Join(dir, "few.mp4")
		enc, err := NewEncoder(ctx, out, base)
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.WriteFrame(frame); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err == nil || !strings.Contains(err.Error(), "1 frames written, 3 announced") {
			t.Errorf("Close = %v", err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Error("partial output left behind")
		}
	})
	t.Run("ffmpeg failure carries stderr", func(t *testing.T) {
		o := base
		o.Preset = "no-such-preset"
		enc, err := NewEncoder(ctx, filepath.Join(dir, "preset.mp4"), o)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err = enc.WriteFrame(frame); err != nil {
				break
			}
		}
		if err == nil {
			err = enc.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "no-such-preset") {
			t.Errorf("error does not quote ffmpeg: %v", err)
		}
	})
	t.Run("abort", func(t *testing.T) {
		out := filepath.Join(dir, "abort.mp4")
		enc, err := NewEncoder(ctx, out, base)
		if err != nil {
			t.Fatal(err)
		}
		_ = enc.WriteFrame(frame)
		enc.Abort()
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Error("aborted output left behind")
		}
	})
}

// With SkipRepeats a repeated frame is not sent, yet the video is the same: every frame at its place, the
// exact frame count, a constant frame rate (average = nominal, an NTSC rate where rounding would drift).
func TestEncodeSkipRepeatsMatchesSendingEveryFrame(t *testing.T) {
	t.Parallel()
	const n = 45
	src := testFrames(t, 320, 240, "30000/1001", n, PixFmtYUV420P)
	// Which source frame each output frame shows: runs of repeats in the middle and at the end.
	shown := make([]int, n)
	for k := range shown {
		switch {
		case k >= 5 && k < 20:
			shown[k] = 5
		case k == 23: // a single repeat
			shown[k] = 22
		case k >= 40:
			shown[k] = 40
		default:
			shown[k] = k
		}
	}
	dir := t.TempDir()
	o := EncodeOptions{Width: 320, Height: 240, FPS: 29.97, Frames: n}
	every := filepath.Join(dir, "every.mp4")
	frames := make([][]byte, n)
	for k, s := range shown {
		frames[k] = src[s]
	}
	encodeFrames(t, every, o, frames)

	sparse := filepath.Join(dir, "sparse.mp4")
	o.SkipRepeats = true
	enc, err := NewEncoder(testContext(t), sparse, o)
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	for k, s := range shown {
		if k > 0 && k < n-1 && s == shown[k-1] {
			err = enc.RepeatFrame()
		} else {
			err = enc.WriteFrame(src[s])
			sent++
		}
		if err != nil {
			enc.Abort()
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if sent != 27 { // 0–5, 20–22, 24–40 and the last
		t.Fatalf("sent %d frames, want 27", sent)
	}

	p := probeCounted(t, sparse)
	v := videoStream(t, p)
	if v.NbFrames != n || !near(v.FPS, 30000.0/1001, 1e-6) || !near(v.Duration, n*1001.0/30000, 0.001) {
		t.Errorf("sparse output: %d frames, %v fps (average), %v s; want %d, 29.97, %v", v.NbFrames, v.FPS, v.Duration, n, n*1001.0/30000)
	}
	rate := lavfi(t, filepath.Join(dir, "rate.txt"), "-i", sparse, "-map", "0:v", "-f", "framemd5")
	decoded := func(path string) []byte {
		out := lavfi(t, path+".yuv", "-i", path, "-f", "rawvideo", "-pix_fmt", "yuv420p")
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := decoded(every), decoded(sparse)
	size := o.FrameSize()
	if len(a) != n*size || len(b) != n*size {
		t.Fatalf("decoded %d and %d bytes, want %d", len(a), len(b), n*size)
	}
	for k := 0; k < n; k++ {
		if !bytes.Equal(a[k*size:(k+1)*size], b[k*size:(k+1)*size]) {
			fa, fb := a[k*size:(k+1)*size], b[k*size:(k+1)*size]
			maxd, sum := 0, 0
			for i := range fa {
				d := int(fa[i]) - int(fb[i])
				if d < 0 {
					d = -d
				}
				maxd = max(maxd, d)
				sum += d
			}
			t.Errorf("frame %d differs between the sparse and the full stream: max %d mean %.3f", k, maxd, float64(sum)/float64(size))
		}
	}
	// Constant frame rate: every packet lasts one frame (framemd5 lists pts and duration per frame).
	md5, _ := os.ReadFile(rate)
	for _, line := range strings.Split(string(md5), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		if f := strings.Split(line, ","); len(f) > 3 && strings.TrimSpace(f[3]) != "1" {
			t.Fatalf("a frame does not last one frame: %q", line)
		}
	}
}

// A sound mixed by the encoder itself (AudioInputs and AudioGraph) lasts as long as the video, and the video
// keeps its exact frame count, with repeated frames not sent (the fps 29.97 makes Frames/FPS inexact).
func TestEncodeMixesAudioGraph(t *testing.T) {
	t.Parallel()
	const n = 75
	dir := t.TempDir()
	tone := lavfi(t, filepath.Join(dir, "tone.wav"), "-f", "lavfi", "-i", "sine=frequency=440:duration=5")
	graph := filepath.Join(dir, "graph.txt")
	if err := os.WriteFile(graph, []byte("[1:a:0]aresample=48000,apad,atrim=end_sample=120120[out]"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := testFrames(t, 320, 240, "30000/1001", 10, PixFmtYUV420P)
	out := filepath.Join(dir, "out.mp4")
	o := EncodeOptions{Width: 320, Height: 240, FPS: 29.97, Frames: n, SkipRepeats: true,
		AudioInputs: []string{"-i", tone}, AudioGraph: graph}
	enc, err := NewEncoder(testContext(t), out, o)
	if err != nil {
		t.Fatal(err)
	}
	for k := range n {
		if k < 10 || k == n-1 {
			err = enc.WriteFrame(src[min(k, 9)])
		} else {
			err = enc.RepeatFrame()
		}
		if err != nil {
			enc.Abort()
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	p := probeCounted(t, out)
	v := videoStream(t, p)
	a, _ := p.Audio()
	want := float64(n) * 1001 / 30000
	if v.NbFrames != n || !near(v.Duration, want, 0.01) || !p.HasAudio || !near(a.Duration, want, 0.03) {
		t.Errorf("video %d frames, %.3f s; audio %v, %.3f s: want %d frames and both %.3f s", v.NbFrames, v.Duration, p.HasAudio, a.Duration, n, want)
	}
}

// TestMkvFrameHeaderSizesItsCluster checks the Cluster around each frame declares exactly its contents (its
// Timecode and its SimpleBlock with the frame): a cluster 3 bytes too long made FFmpeg read the next one as
// its child, which it reported ("exceeds containing master element") and recovered from on every frame.
func TestMkvFrameHeaderSizesItsCluster(t *testing.T) {
	const frameSize = 1234
	h := mkvFrameHeader(nil, 33366, frameSize)
	// Cluster: 4-byte ID, 8-byte size, then its children up to the end of the frame's bytes.
	if got := uint32(h[0])<<24 | uint32(h[1])<<16 | uint32(h[2])<<8 | uint32(h[3]); got != mkvCluster {
		t.Fatalf("first element %#x, want Cluster", got)
	}
	declared := int(binary.BigEndian.Uint64(h[4:12]) &^ (1 << 56))
	if want := len(h) - 12 + frameSize; declared != want {
		t.Fatalf("Cluster declares %d bytes, holds %d", declared, want)
	}
	// Its last child, the SimpleBlock (1-byte ID), declares the block header and the frame.
	rest := h[12:]
	tcLen := 1 + 8 + int(binary.BigEndian.Uint64(rest[1:9])&^(1<<56))
	block := rest[tcLen:]
	if block[0] != mkvSimpleBlock {
		t.Fatalf("second child %#x, want SimpleBlock", block[0])
	}
	if got, want := int(binary.BigEndian.Uint64(block[1:9])&^(1<<56)), len(block)-9+frameSize; got != want {
		t.Fatalf("SimpleBlock declares %d bytes, holds %d", got, want)
	}
}
