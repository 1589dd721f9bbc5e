package render

import (
	"context"
	"image"
	"path/filepath"
	"testing"
)

// A cross-dissolve does not depend on the order clips are listed in, and the outgoing clip stays up over a
// gap shorter than a frame before the transition.
func TestCrossDissolveByTimeOrderAndOverSubFrameGaps(t *testing.T) {
	for name, clips := range map[string]string{
		"listed out of order": `{"type":"rect","start":1,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#0000ff"},"transition":{"type":"fade","duration":0.5}},` +
			`{"type":"rect","start":0,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#ff0000"}}`,
		"sub-frame gap": `{"type":"rect","start":0,"duration":0.99,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#ff0000"}},` +
			`{"type":"rect","start":1,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#0000ff"},"transition":{"type":"fade","duration":0.5}}`,
	} {
		t.Run(name, func(t *testing.T) {
			tl := loadTimeline(t, parseDoc(t, smallDoc(clips)))
			for _, at := range []float64{0.995, 1.25} {
				img, err := tl.Frame(context.Background(), at)
				if err != nil {
					t.Fatal(err)
				}
				c := meanColor(img, image.Rect(100, 60, 220, 120))
				if c[0] < 100 {
					t.Errorf("at %.3fs the outgoing red clip is gone: %v", at, c)
				}
			}
		})
	}
}

// A proxy of another aspect ratio scales the whole picture to the output, each axis on its own.
func TestOutputOfAnotherAspectIsFilled(t *testing.T) {
	opts := testOptions(t)
	opts.Width, opts.Height = 160, 160
	tl, err := Load(context.Background(), parseDoc(t, smallDoc(`{"type":"rect","start":0,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#00ff00"}}`)), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	img, err := tl.Frame(context.Background(), 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if c := meanColor(img, image.Rect(0, 130, 160, 160)); c[1] < 250 {
		t.Errorf("the bottom of a 160x160 output of a 320x180 document is %v, want the green canvas", c)
	}
}

// A video inside a layout is heard as well as seen.
func TestLayoutChildrenAreHeard(t *testing.T) {
	doc := parseDoc(t, smallDoc(`{"type":"layout","start":0,"duration":1,"transform":{"width":320,"height":180},"children":[
		{"type":"video","src":"../../examples/assets/clip.mp4","transform":{"width":160,"height":90}}]}`))
	tl := loadTimeline(t, doc)
	out := filepath.Join(t.TempDir(), "out.mp4")
	if err := tl.Render(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	if p := probe(t, out); !p.HasAudio {
		t.Error("the video inside the layout was not heard")
	}
}
