// Package benchdocs holds the documents `make bench` measures, shared by the engine's benchmark (render/) and
// the previews' (core/preview/), and makes the media they need with FFmpeg at bench time (nothing large is
// committed).
//
// The documents are the ones the performance issue measured against:
//
//   - TitleCard: 10 s of a 1080p title card: a solid background, an 800×600 picture sliding in during the
//     first second, one 72 px text line fading in during 0.5–1.5 s (255 of its 300 frames repeat the one
//     before).
//   - Busy: 10 s of 1080p with a gradient background, 20 animated text and shape clips, two 720p video clips
//     (one shown at its own size, one scaled down with rounded corners) and a music track: every frame differs.
package benchdocs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Assets is the folder of the repository's example media, relative to this file's package folder.
func Assets() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "assets")
}

// TitleCard returns the title card at width × height (the document is 1920×1080; other sizes scale its layout).
func TitleCard(width, height int) string {
	s := float64(width) / 1920
	return fmt.Sprintf(`{
  "meta": {"version": "2.0.0", "width": %d, "height": %d, "fps": 30, "background": "#101826"},
  "tracks": [
    {"id": "picture", "clips": [
      {"type": "image", "src": %q, "start": 0, "duration": 10,
       "transform": {"x": %g, "y": %g, "width": %g, "height": %g},
       "animations": [{"type": "slideIn", "direction": "left", "distance": %g, "duration": 1, "easing": "easeOutCubic"}]}
    ]},
    {"id": "title", "clips": [
      {"type": "text", "text": "Framecast title card", "start": 0.5, "duration": 9.5, "transform": {"x": %g, "y": %g},
       "style": {"fontSize": %g, "fontWeight": 700, "fill": "#ffffff"}, "animations": [{"type": "fadeIn", "duration": 1}]}
    ]}
  ]
}`, width, height, filepath.Join(Assets(), "product.png"), 560*s, 540*s, 800*s, 600*s, 600*s, 1400*s, 540*s, 72*s)
}

// Media are the files the busy document plays.
type Media struct {
	VideoA, VideoB string // 10 s of 1280×720 at 30 fps, H.264
	Music          string
}

// MakeMedia writes the busy document's videos into dir with FFmpeg (about a second of work) and returns them.
func MakeMedia(ctx context.Context, dir string) (Media, error) {
	m := Media{VideoA: filepath.Join(dir, "busy-a.mp4"), VideoB: filepath.Join(dir, "busy-b.mp4"),
		Music: filepath.Join(Assets(), "music.m4a")}
	for path, src := range map[string]string{
		m.VideoA: "testsrc2=size=1280x720:rate=30:duration=10",
		m.VideoB: "mandelbrot=size=1280x720:rate=30,trim=duration=10",
	} {
		if _, err := os.Stat(path); err == nil {
			continue
		}
		cmd := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", src,
			"-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-pix_fmt", "yuv420p", "-g", "60", path)
		if out, err := cmd.CombinedOutput(); err != nil {
			return Media{}, fmt.Errorf("making %s: %v: %s", filepath.Base(path), err, out)
		}
	}
	return m, nil
}

// Busy returns the busy document playing m.
func Busy(m Media) string {
	var clips []string
	animations := []string{
		`{"type": "fadeIn", "duration": 0.6}`,
		`{"type": "slideIn", "direction": "up", "distance": 80, "duration": 0.8, "easing": "easeOutQuad"}`,
		`{"type": "zoomIn", "duration": 0.7, "easing": "easeOutBack"}`,
		`{"type": "slideIn", "direction": "left", "distance": 200, "duration": 1, "easing": "easeOutCubic"}`,
		`{"type": "rotate", "duration": 1.5}`,
	}
	colors := []string{"#f59e0b", "#38bdf8", "#a78bfa", "#34d399", "#f472b6"}
	for i := 0; i < 10; i++ { // text
		start := 0.4 * float64(i)
		clips = append(clips, fmt.Sprintf(`{"type": "text", "text": "Busy line %d", "start": %g, "duration": %g,
  "transform": {"x": %d, "y": %d}, "style": {"fontSize": %d, "fontWeight": 700, "fill": %q},
  "animations": [%s, {"type": "fadeOut", "duration": 0.5}]}`,
			i+1, start, 10-start, 1500+(i%2)*180, 90+i*96, 44+4*(i%3), colors[i%len(colors)], animations[i%len(animations)]))
	}
	for i := 0; i < 10; i++ { // shapes, each moving for the whole video
		x, y := 120+i*170, 980-(i%3)*60
		var shape string
		switch i % 3 {
		case 0:
			shape = fmt.Sprintf(`"type": "circle", "size": 110, "transform": {"x": %d, "y": %d}, "style": {"fill": %q}`, x, y, colors[i%len(colors)])
		case 1:
			shape = fmt.Sprintf(`"type": "rect", "transform": {"x": %d, "y": %d, "width": 150, "height": 80}, "style": {"fill": %q, "borderRadius": 16}`, x, y, colors[i%len(colors)])
		default:
			shape = fmt.Sprintf(`"type": "polygon", "sides": 6, "size": 120, "transform": {"x": %d, "y": %d}, "style": {"fill": %q}`, x, y, colors[i%len(colors)])
		}
		clips = append(clips, fmt.Sprintf(`{%s, "start": %g, "duration": %g,
  "animations": [%s],
  "keyframes": [{"property": "rotation", "frames": [{"time": 0, "value": 0}, {"time": %g, "value": 360}]}]}`,
			shape, 0.3*float64(i), 10-0.3*float64(i), animations[(i+2)%len(animations)], 10-0.3*float64(i)))
	}
	return fmt.Sprintf(`{
  "meta": {"version": "2.0.0", "width": 1920, "height": 1080, "fps": 30,
    "background": {"type": "linear", "angle": 30, "stops": [{"offset": 0, "color": "#0f172a"}, {"offset": 1, "color": "#312e81"}]}},
  "tracks": [
    {"id": "videos", "clips": [
      {"type": "video", "src": %q, "start": 0, "duration": 10, "volume": 0, "transform": {"x": 680, "y": 400, "width": 1280, "height": 720}},
      {"type": "video", "src": %q, "start": 0, "duration": 10, "volume": 0, "transform": {"x": 1500, "y": 700, "width": 640, "height": 360},
       "style": {"borderRadius": 32}, "animations": [{"type": "zoomIn", "duration": 0.8, "easing": "easeOutCubic"}]}
    ]},
    {"id": "music", "clips": [
      {"type": "audio", "src": %q, "start": 0, "duration": 10, "volume": 0.8, "loop": true, "fadeOut": 1}
    ]},
    {"id": "overlays", "clips": [
%s
    ]}
  ]
}`, m.VideoA, m.VideoB, m.Music, strings.Join(clips, ",\n"))
}
