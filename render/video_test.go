package render

import (
	"context"
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
