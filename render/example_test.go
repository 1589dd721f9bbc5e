package render_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/schemas"
)

// A document becomes a Timeline once (assets fetched, fonts loaded); then any frame can be drawn, and the
// whole video written.
func Example() {
	res := schemas.Validate([]byte(`{
	  "meta": {"version": "2.0.0", "width": 320, "height": 180, "fps": 25, "background": "#0f172a"},
	  "tracks": [{"clips": [
	    {"type": "text", "text": "Hello", "start": 0, "duration": 2,
	     "style": {"fontSize": 48}, "animations": [{"type": "fadeIn", "duration": 0.5}]}
	  ]}]
	}`), schemas.DefaultLimits())
	if !res.OK() {
		fmt.Println(res.Errors)
		return
	}
	ctx := context.Background()
	tl, err := render.Load(ctx, res.Document, render.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tl.Close()

	frame, err := tl.Frame(ctx, 1.0) // the frame at 1 s, as an *image.RGBA
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("frame:", frame.Bounds().Dx(), "x", frame.Bounds().Dy())

	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	if err := tl.Render(ctx, filepath.Join(dir, "hello.mp4")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("video:", tl.Frames, "frames at", tl.FPS, "fps")
	// Output:
	// frame: 320 x 180
	// video: 50 frames at 25 fps
}

// Segments let many workers share one render: each draws a range of frames, and Join puts them together
// with the soundtrack by stream copy.
func ExampleTimeline_RenderSegment() {
	doc, _ := schemas.Parse([]byte(`{"meta": {"version": "2.0.0", "width": 160, "height": 90, "fps": 30},
	  "tracks": [{"clips": [{"type": "rect", "start": 0, "duration": 1, "style": {"fill": "#22c55e"},
	    "animations": [{"type": "rotate", "from": 0, "to": 90, "duration": 1}]}]}]}`))
	ctx := context.Background()
	tl, err := render.Load(ctx, doc, render.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tl.Close()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	var parts []string
	for i, r := range render.SplitFrames(tl.Frames, 3) {
		part := filepath.Join(dir, fmt.Sprintf("part%d.mp4", i))
		if err := tl.RenderSegment(ctx, r[0], r[1], part); err != nil { // any worker, any machine
			fmt.Println(err)
			return
		}
		parts = append(parts, part)
	}
	if err := tl.Join(ctx, parts, "", filepath.Join(dir, "whole.mp4")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(parts), "segments joined")
	// Output: 3 segments joined
}
