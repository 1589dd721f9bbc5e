package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/render/ffmpeg"
)

// Two videos on screen are read side by side (their decoders start together); each still shows its own
// frames: every half of the frame equals the same clip drawn alone, at times asked in any order.
func TestTwoVideosShowTheirOwnFrames(t *testing.T) {
	left := `{"type":"video","src":"../../examples/assets/clip.mp4","start":0,"duration":3,"volume":0,"transform":{"x":80,"y":90,"width":160,"height":90}}`
	right := `{"type":"video","src":"../../examples/assets/clip.mp4","start":0,"duration":3,"volume":0,"source":{"start":1},"transform":{"x":240,"y":90,"width":160,"height":90},"style":{"borderRadius":12}}`
	both := loadTimeline(t, parseDoc(t, smallDoc(left+","+right)))
	leftOnly := loadTimeline(t, parseDoc(t, smallDoc(left)))
	rightOnly := loadTimeline(t, parseDoc(t, smallDoc(right)))
	ctx := context.Background()
	for _, at := range []float64{1.5, 0.2, 2.9, 1} {
		frame := func(tl *Timeline) *image.RGBA {
			img, err := tl.Frame(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			return img
		}
		got := frame(both)
		for _, half := range []struct {
			name string
			want *image.RGBA
			r    image.Rectangle
		}{{"left", frame(leftOnly), image.Rect(0, 0, 160, 180)}, {"right", frame(rightOnly), image.Rect(160, 0, 320, 180)}} {
			if !sameRegion(got, half.want, half.r) {
				t.Errorf("at %g s the %s video differs from the same clip drawn alone", at, half.name)
			}
		}
	}
}

func sameRegion(a, b *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i, j := a.PixOffset(r.Min.X, y), b.PixOffset(r.Min.X, y)
		if string(a.Pix[i:i+4*r.Dx()]) != string(b.Pix[j:j+4*r.Dx()]) {
			return false
		}
	}
	return true
}

// Probes are remembered across timelines, but a local file rewritten with other content is probed again:
// the clip takes the new video's size.
func TestProbesFollowARewrittenFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v.mp4")
	makeVideo := func(size string) {
		cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size="+size+":rate=30:duration=0.5",
			"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v %s", err, out)
		}
	}
	width := func() int {
		doc := parseDoc(t, smallDoc(`{"type":"video","src":`+mustJSON(path)+`,"start":0,"duration":0.5}`))
		tl := loadTimeline(t, doc)
		p, err := tl.probes.probe(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := p.Video()
		return v.Width
	}
	makeVideo("320x180")
	if w := width(); w != 320 {
		t.Fatalf("first probe: width %d, want 320", w)
	}
	makeVideo("160x90")
	if w := width(); w != 160 {
		t.Errorf("after the file was rewritten: width %d, want 160 (a stale probe)", w)
	}
}

// A preview's timeline (RandomAccess) draws the frames of a render: video frames decoded alone for a jump, by
// standby ffmpegs, or in sequence from a jump give the same pixels as a render's decoders reading in order:
// not within the golden tolerance, exactly.
func TestRandomAccessFramesEqualSequentialOnes(t *testing.T) {
	stop := ffmpeg.KeepStandby()
	defer stop()
	clips := `{"type":"video","src":"../../examples/assets/clip.mp4","start":0,"duration":3,"volume":0,"transform":{"x":80,"y":90,"width":160,"height":90}},
		{"type":"video","src":"../../examples/assets/clip.mp4","start":0.5,"duration":2.5,"volume":0,"source":{"start":1},"transform":{"x":240,"y":90,"width":150,"height":84},"style":{"borderRadius":12}}`
	doc := parseDoc(t, smallDoc(clips))
	sequential := loadTimeline(t, doc)
	o := testOptions(t)
	o.RandomAccess = true
	random, err := Load(context.Background(), doc, o)
	if err != nil {
		t.Fatal(err)
	}
	defer random.Close()
	ctx := context.Background()
	want := map[int]*image.RGBA{}
	for n := 0; n < sequential.Frames; n++ {
		img, err := sequential.Frame(ctx, sequential.FrameTime(n))
		if err != nil {
			t.Fatal(err)
		}
		want[n] = img
	}
	for _, n := range []int{45, 46, 47, 10, 89, 60, 0, 15, 16, 75} { // jumps, playing on, backwards
		img, err := random.Frame(ctx, random.FrameTime(n))
		if err != nil {
			t.Fatalf("frame %d: %v", n, err)
		}
		if !sameRegion(img, want[n], img.Rect) {
			t.Errorf("frame %d drawn for a random access differs from the render's", n)
		}
	}
}

// The clips drawn while the videos of a frame decode (drawAhead) are placed in the same order with the same
// layers: the frames are exactly those drawn one clip after the other, for clips under, between and over two
// videos (text, shapes, animated), the first frame of a timeline included (its layers all drawn then).
func TestLayersDrawnAheadOfVideosChangeNoPixel(t *testing.T) {
	clips := `{"type":"rect","start":0,"duration":3,"transform":{"x":160,"y":90,"width":300,"height":150},"style":{"fill":"#3366cc","borderRadius":20},"animations":[{"type":"fadeIn","duration":1}]},
		{"type":"video","src":"../../examples/assets/clip.mp4","start":0,"duration":3,"volume":0,"transform":{"x":90,"y":90,"width":160,"height":90}},
		{"type":"text","text":"between","start":0,"duration":3,"transform":{"x":160,"y":80},"style":{"fontSize":28,"fill":"#ffcc00"},"animations":[{"type":"slideIn","direction":"left","distance":60,"duration":1}]},
		{"type":"video","src":"../../examples/assets/clip.mp4","start":0.2,"duration":2.8,"volume":0,"source":{"start":1},"transform":{"x":230,"y":100,"width":150,"height":84},"style":{"borderRadius":12}},
		{"type":"circle","size":60,"start":0,"duration":3,"transform":{"x":200,"y":110},"style":{"fill":"#ff3366"},"animations":[{"type":"zoomIn","duration":0.7}]},
		{"type":"text","text":"over both","start":0.1,"duration":2.9,"transform":{"x":170,"y":120},"style":{"fontSize":24,"fill":"#ffffff"},"animations":[{"type":"fadeIn","duration":0.5}]}`
	doc := parseDoc(t, smallDoc(clips))
	frames := []int{0, 1, 7, 20, 45, 89}
	draw := func(ahead bool) []*image.RGBA {
		drawLayersAhead = ahead
		defer func() { drawLayersAhead = true }()
		tl := loadTimeline(t, doc)
		var out []*image.RGBA
		for _, n := range frames {
			img, err := tl.Frame(context.Background(), tl.FrameTime(n))
			if err != nil {
				t.Fatalf("frame %d: %v", n, err)
			}
			out = append(out, img)
		}
		return out
	}
	want, got := draw(false), draw(true)
	for i, n := range frames {
		if !bytes.Equal(got[i].Pix, want[i].Pix) {
			t.Errorf("frame %d drawn with the other clips ahead of the videos differs", n)
		}
	}
}

// A timeline whose sound is mixed later (Options.SoundLater, a proxy's) probes no sound source at Load, only
// its videos, and its mix probes the music when it runs, with the same result as a timeline that probed ahead.
func TestSoundLaterProbesTheMusicAtTheMix(t *testing.T) {
	clips := `{"type":"video","src":"../../examples/assets/clip.mp4","start":0,"duration":2,"volume":0,"transform":{"x":80,"y":90,"width":160,"height":90}},
		{"type":"audio","src":"../../examples/assets/music.m4a","start":0,"duration":2,"volume":0.8}`
	doc := parseDoc(t, smallDoc(clips))
	probed := func(tl *Timeline) []string {
		tl.probes.mu.Lock()
		defer tl.probes.mu.Unlock()
		var paths []string
		for p := range tl.probes.items {
			paths = append(paths, filepath.Base(p))
		}
		return paths
	}
	mix := func(tl *Timeline) string {
		path := filepath.Join(t.TempDir(), "sound.m4a")
		has, err := tl.MixAudio(context.Background(), path)
		if err != nil || !has {
			t.Fatalf("MixAudio: %v, %v", has, err)
		}
		p, err := ffmpeg.Probe(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := p.Audio()
		return fmt.Sprintf("%.3f s, %d Hz, %d channels", p.Duration, a.SampleRate, a.Channels)
	}
	o := testOptions(t)
	o.SoundLater = true
	later, err := Load(context.Background(), doc, o)
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	if got := probed(later); len(got) != 1 {
		t.Errorf("probed at Load: %v, want the video alone", got)
	}
	want := mix(loadTimeline(t, doc))
	if got := mix(later); got != want {
		t.Errorf("mix of the timeline that probed later: %s, want %s", got, want)
	}
	if got := probed(later); len(got) != 2 {
		t.Errorf("probed after the mix: %v, want the video and the music", got)
	}
}
