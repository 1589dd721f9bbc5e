package render

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

// toneFile writes a stereo sine tone of freq Hz and peak amplitude amp (1 = full scale) for sec seconds.
func toneFile(t testing.TB, freq, amp, sec float64) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "tone.wav")
	expr := ftoa(amp) + "*sin(2*PI*" + ftoa(freq) + "*t)"
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
		"-i", "aevalsrc="+expr+"|"+expr+":s=48000:d="+ftoa(sec), out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making a tone: %v %s", err, b)
	}
	return out
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func probe(t testing.TB, path string) *ffmpeg.ProbeResult {
	t.Helper()
	p, err := ffmpeg.Probe(context.Background(), path)
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	return p
}

func videoStream(t testing.TB, p *ffmpeg.ProbeResult) ffmpeg.Stream {
	for _, s := range p.Streams {
		if s.CodecType == "video" {
			return s
		}
	}
	t.Fatal("no video stream")
	return ffmpeg.Stream{}
}

// The MP4 a user gets: H.264 in yuv420p at the document's size and exact fps, round(duration × fps) frames,
// AAC sound when the document has sound, at the level the document asks for.
func TestRenderMP4WithToneChecksOut(t *testing.T) {
	tone := toneFile(t, 1000, 0.5, 3)
	doc := parseDoc(t, `{"meta":{"version":"2.0.0","width":320,"height":180,"fps":25,"background":"#000"},
		"tracks":[{"clips":[
			{"type":"text","text":"tone","start":0,"duration":2.5,"style":{"fontSize":40},"animations":[{"type":"fadeIn","duration":0.5}]},
			{"type":"audio","src":"`+tone+`","start":0,"duration":2.5,"volume":0.5}]}]}`)
	tl := loadTimeline(t, doc)
	out := filepath.Join(t.TempDir(), "out.mp4")
	if err := tl.Render(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	p := probe(t, out)
	v := videoStream(t, p)
	if v.CodecName != "h264" || v.Width != 320 || v.Height != 180 || v.PixFmt != "yuv420p" || !near(v.FPS, 25, 0.001) {
		t.Errorf("video stream %+v: want h264 320x180 yuv420p 25 fps", v)
	}
	if v.NbFrames != 63 { // round(2.5 × 25)
		t.Errorf("%d frames, want 63", v.NbFrames)
	}
	if !near(p.Duration, 2.52, 0.05) {
		t.Errorf("duration %.3f, want 2.52", p.Duration)
	}
	if !p.HasAudio {
		t.Fatal("no audio stream, the document has a tone")
	}
	if a, _ := p.Audio(); !near(a.Duration, 2.52, 0.05) { // mixed in the encoder, cut to the video's length
		t.Errorf("audio lasts %.3f s, want 2.52", a.Duration)
	}
	// A 1 kHz sine at amplitude 0.5 × volume 0.5 = 0.25: RMS 0.25/√2 → -15.05 dBFS.
	level, err := ffmpeg.MeanVolume(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	want := 20 * math.Log10(0.25/math.Sqrt2)
	if !near(level, want, 1.0) {
		t.Errorf("mean volume %.2f dB, want %.2f dB", level, want)
	}
}

func TestRenderWithoutSoundHasNoAudioStream(t *testing.T) {
	tl := loadTimeline(t, parseDoc(t, smallDoc(clipTypeCases[0].clips)))
	out := filepath.Join(t.TempDir(), "silent.mp4")
	if err := tl.Render(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	if p := probe(t, out); p.HasAudio || videoStream(t, p).NbFrames != 60 {
		t.Errorf("silent document: audio %v, frames %d (want no audio, 60 frames)", p.HasAudio, videoStream(t, p).NbFrames)
	}
}

func TestWebMAndGIF(t *testing.T) {
	for _, format := range []string{"webm", "gif"} {
		t.Run(format, func(t *testing.T) {
			opts := testOptions(t)
			opts.Format = format
			tl, err := Load(context.Background(), parseDoc(t, smallDoc(animationCases[2].clips)), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer tl.Close()
			out := filepath.Join(t.TempDir(), "out."+format)
			if err := tl.Render(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			v := videoStream(t, probe(t, out))
			want := map[string]string{"webm": "vp9", "gif": "gif"}[format]
			if v.CodecName != want || v.Width != 320 || v.Height != 180 {
				t.Errorf("%s: stream %+v, want %s 320x180", format, v, want)
			}
		})
	}
}

// A render split into 5 segments equals a render in one piece: frame count, duration, sound at the joins.
func TestFiveSegmentsEqualOnePiece(t *testing.T) {
	tone := toneFile(t, 440, 0.5, 4)
	doc := parseDoc(t, `{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30},
		"tracks":[{"clips":[
			{"type":"rect","start":0,"duration":3,"transform":{"width":80,"height":80},"style":{"fill":"#22c55e"},
			 "animations":[{"type":"rotate","from":0,"to":360,"duration":3}]},
			{"type":"audio","src":"`+tone+`","start":0,"duration":3}]}]}`)
	tl := loadTimeline(t, doc)
	dir := t.TempDir()
	whole, split := filepath.Join(dir, "whole.mp4"), filepath.Join(dir, "split.mp4")
	if err := tl.Render(context.Background(), whole); err != nil {
		t.Fatal(err)
	}
	if err := tl.RenderSegments(context.Background(), split, 5); err != nil {
		t.Fatal(err)
	}
	pw, ps := probe(t, whole), probe(t, split)
	vw, vs := videoStream(t, pw), videoStream(t, ps)
	if vw.NbFrames != 90 || vs.NbFrames != 90 {
		t.Errorf("frames: whole %d, split %d, want 90", vw.NbFrames, vs.NbFrames)
	}
	if !near(pw.Duration, ps.Duration, 0.03) {
		t.Errorf("duration: whole %.3f, split %.3f", pw.Duration, ps.Duration)
	}
	if !ps.HasAudio {
		t.Fatal("the joined render lost its sound")
	}
	// No gap or click at the joins: the tone's loudness in 20 ms windows around every join stays steady.
	samples := decodePCM(t, split)
	for _, r := range SplitFrames(90, 5)[1:] {
		at := float64(r[0]) / 30
		for _, off := range []float64{-0.04, -0.02, 0, 0.02} {
			rms := windowRMS(samples, at+off, 0.02)
			want := 0.5 / math.Sqrt2
			if !near(rms, want, want*0.1) {
				t.Errorf("join at %.3fs: RMS %.3f in the window at %+.2fs, want %.3f (gap or click)", at, rms, off, want)
			}
		}
	}
	// And the pictures at the joins are the same frames.
	for _, r := range SplitFrames(90, 5)[1:] {
		a, b := frameAt(t, whole, r[0]), frameAt(t, split, r[0])
		if d := meanAbsDiff(a, b); d > 2 {
			t.Errorf("frame %d differs between whole and split renders by %.2f on average", r[0], d)
		}
	}
}

// decodePCM decodes the left channel of the first audio stream to float samples at 48 kHz.
func decodePCM(t testing.TB, path string) []float32 {
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:a:0", "-af", "pan=mono|c0=c0", "-ar", "48000", "-f", "f32le", "-").Output()
	if err != nil {
		t.Fatalf("decoding audio: %v", err)
	}
	s := make([]float32, len(out)/4)
	for i := range s {
		s[i] = math.Float32frombits(uint32(out[4*i]) | uint32(out[4*i+1])<<8 | uint32(out[4*i+2])<<16 | uint32(out[4*i+3])<<24)
	}
	return s
}

func windowRMS(s []float32, at, length float64) float64 {
	a, b := int(at*48000), int((at+length)*48000)
	if a < 0 || b > len(s) || a >= b {
		return 0
	}
	sum := 0.0
	for _, v := range s[a:b] {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(b-a))
}

// frameAt decodes frame n of a video to raw RGB bytes.
func frameAt(t testing.TB, path string, n int) []byte {
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-vf", "select=eq(n\\,"+strconv.Itoa(n)+")", "-vframes", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil || len(out) == 0 {
		t.Fatalf("decoding frame %d of %s: %v", n, path, err)
	}
	return out
}

func meanAbsDiff(a, b []byte) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	sum := 0.0
	for i := range a {
		sum += math.Abs(float64(a[i]) - float64(b[i]))
	}
	return sum / float64(len(a))
}

// Every example renders, and what comes out matches the document.
func TestExamplesRender(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.json")
	if len(files) < 6 {
		t.Fatalf("%d examples, want at least 6", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res := schemas.Validate(raw, schemas.DefaultLimits())
			if !res.OK() || len(res.Warnings) > 0 {
				t.Fatalf("example does not validate cleanly: errors %v warnings %v", res.Errors, res.Warnings)
			}
			opts := testOptions(t)
			opts.Assets.BaseDir = "../examples"
			tl, err := Load(context.Background(), res.Document, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer tl.Close()
			out := filepath.Join(t.TempDir(), "out.mp4")
			if err := tl.Render(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			p := probe(t, out)
			v := videoStream(t, p)
			if v.Width != res.Document.Meta.Width || v.Height != res.Document.Meta.Height || v.NbFrames != tl.Frames {
				t.Errorf("got %dx%d, %d frames; want %dx%d, %d frames", v.Width, v.Height, v.NbFrames, res.Document.Meta.Width, res.Document.Meta.Height, tl.Frames)
			}
			if p.HasAudio != hasSoundClip(res.Document) {
				t.Errorf("audio stream %v, document sound %v", p.HasAudio, hasSoundClip(res.Document))
			}
		})
	}
}

func hasSoundClip(d *schemas.Document) bool {
	for _, tr := range d.Tracks {
		for _, c := range tr.Clips {
			switch s := c.Spec.(type) {
			case *schemas.AudioClip:
				return true
			case *schemas.VideoClip:
				if !s.Muted {
					return true
				}
			}
		}
	}
	return false
}
