package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/framecast/framecast/schemas"
)

// edgeDocuments are documents at and past the engine's limits. wantPath is where Validate must refuse one
// ("" when it must validate, and then render).
var edgeDocuments = []struct {
	name, doc, wantPath string
}{
	// Past the limits: refused up front, with the path.
	{"fontSize 1e5", clipDoc(`{"type": "text", "text": "Hi", "start": 0, "duration": 1, "style": {"fontSize": 1e5}}`), "tracks[0].clips[0].style.fontSize"},
	{"fontSize 1e9", clipDoc(`{"type": "text", "text": "Hi", "start": 0, "duration": 1, "style": {"fontSize": 1e9}}`), "tracks[0].clips[0].style.fontSize"},
	{"strokeWidth 1e9", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "style": {"stroke": "#fff", "strokeWidth": 1e9}}`), "tracks[0].clips[0].style.strokeWidth"},
	{"polygon sides 1e9", clipDoc(`{"type": "polygon", "sides": 1000000000, "start": 0, "duration": 1}`), "tracks[0].clips[0].sides"},
	{"circle size 1e9", clipDoc(`{"type": "circle", "size": 1e9, "start": 0, "duration": 1}`), "tracks[0].clips[0].size"},
	{"only an empty track", `{"meta": {"version": "2.0.0", "width": 320, "height": 180}, "tracks": [{"clips": []}]}`, "tracks"},
	{"fontWeight 1200", clipDoc(`{"type": "text", "text": "Hi", "start": 0, "duration": 1, "style": {"fontWeight": 1200}}`), "tracks[0].clips[0].style.fontWeight"},
	{"width -100", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "transform": {"width": -100}}`), "tracks[0].clips[0].transform.width"},
	{"source end before start", clipDoc(`{"type": "video", "src": "https://example.com/v.mp4", "start": 0, "duration": 1, "source": {"start": 3, "end": 1}}`), "tracks[0].clips[0].source.end"},
	{"box over the area budget", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "transform": {"width": 16000, "height": 16000}}`), "tracks[0].clips[0].transform"},
	{"keyframed width over the side", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "keyframes": [{"property": "width", "frames": [{"time": 0, "value": 10}, {"time": 1, "value": 1e6}]}]}`), "tracks[0].clips[0].keyframes[0].frames[1].value"},
	{"keyframed fontSize over the limit", clipDoc(`{"type": "text", "text": "Hi", "start": 0, "duration": 1, "keyframes": [{"property": "fontSize", "frames": [{"time": 0, "value": 1e5}]}]}`), "tracks[0].clips[0].keyframes[0].frames[0].value"},
	{"text over the length", clipDoc(`{"type": "text", "text": "` + strings.Repeat("a", 10001) + `", "start": 0, "duration": 1}`), "tracks[0].clips[0].text"},
	{"code over the length", clipDoc(`{"type": "code", "code": "` + strings.Repeat("a", 10001) + `", "start": 0, "duration": 1}`), "tracks[0].clips[0].code"},
	{"too many keyframes", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "keyframes": [{"property": "x", "frames": [` + keyframes(1001) + `]}]}`), "tracks[0].clips[0].keyframes"},
	{"svg declares 16384²", clipDoc(`{"type": "svg", "svg": "<svg xmlns='http://www.w3.org/2000/svg' width='16384' height='16384'/>", "start": 0, "duration": 1}`), "tracks[0].clips[0].svg"},
	{"frame area", `{"meta": {"version": "2.0.0", "width": 4096, "height": 4097}, "tracks": [{"clips": [{"type": "rect", "start": 0, "duration": 1}]}]}`, "meta.height"},
	{"too much text at once", clipDoc(strings.Repeat(`{"type": "text", "text": "`+strings.Repeat("a", 8000)+`", "start": 0, "duration": 1, "style": {"fontSize": 4}},`, 3) + `{"type": "rect", "start": 0, "duration": 1}`), "tracks[0].clips[2]"},

	// At the limits: they validate, and they render.
	{"rect keyframed to height 0", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "keyframes": [{"property": "height", "frames": [{"time": 0, "value": 100}, {"time": 0.5, "value": 0}]}]}`), ""},
	{"rect keyframed to width 0", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "style": {"stroke": "#f00"}, "keyframes": [{"property": "width", "frames": [{"time": 0, "value": 0}]}]}`), ""},
	{"circle of size 0 at the end", clipDoc(`{"type": "circle", "start": 0, "duration": 1, "keyframes": [{"property": "width", "frames": [{"time": 0, "value": 50}, {"time": 0.5, "value": 0}]}]}`), ""},
	{"fontSize at the limit", clipDoc(`{"type": "text", "text": "Hi", "start": 0, "duration": 1, "style": {"fontSize": 4096}}`), ""},
	{"fontSize keyframed to the limit with overshoot", clipDoc(`{"type": "text", "text": "Hi", "start": 0, "duration": 1, "keyframes": [{"property": "fontSize", "frames": [{"time": 0, "value": 10}, {"time": 1, "value": 4096, "easing": "easeOutBack"}]}]}`), ""},
	{"long line of big text", clipDoc(`{"type": "text", "text": "` + strings.Repeat("Wide text ", 60) + `", "start": 0, "duration": 1, "style": {"fontSize": 400}}`), ""},
	{"strokeWidth at the limit", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "style": {"stroke": "#fff", "strokeWidth": 1000}}`), ""},
	{"polygon sides at the limit", clipDoc(`{"type": "polygon", "sides": 1000, "start": 0, "duration": 1}`), ""},
	{"circle size at the limit", clipDoc(`{"type": "circle", "size": 5792, "start": 0, "duration": 1}`), ""},
	{"fontWeight 1000", clipDoc(`{"type": "text", "text": "Hi", "start": 0, "duration": 1, "style": {"fontWeight": 1000}}`), ""},
	{"width 0", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "transform": {"width": 0}}`), ""},
	{"text at the length", clipDoc(`{"type": "text", "text": "` + strings.Repeat("a ", 5000) + `", "start": 0, "duration": 1, "transform": {"width": 300}, "style": {"fontSize": 8}}`), ""},
	{"code at the length", clipDoc(`{"type": "code", "code": "` + strings.Repeat("x = 1\\n", 1666) + `", "start": 0, "duration": 1, "fontSize": 4}`), ""},
	{"keyframes at the limit", clipDoc(`{"type": "rect", "start": 0, "duration": 1, "keyframes": [{"property": "x", "frames": [` + keyframes(1000) + `]}]}`), ""},
	{"svg at the area", clipDoc(`{"type": "svg", "svg": "<svg xmlns='http://www.w3.org/2000/svg' width='8192' height='4096'><rect width='8192' height='4096' fill='red'/></svg>", "start": 0, "duration": 1, "transform": {"width": 320}}`), ""},
	{"text at the per-frame limit", clipDoc(strings.Repeat(`{"type": "text", "text": "`+strings.Repeat("a", 10000)+`", "start": 0, "duration": 1, "style": {"fontSize": 2}},`, 1) + `{"type": "text", "text": "` + strings.Repeat("a", 10000) + `", "start": 0, "duration": 1, "style": {"fontSize": 2}}`), ""},
	{"source end after start", clipDoc(`{"type": "rect", "start": 0, "duration": 1}`), ""},
}

func clipDoc(clips string) string {
	return fmt.Sprintf(`{"meta": {"version": "2.0.0", "width": 320, "height": 180, "fps": 10}, "tracks": [{"clips": [%s]}]}`, clips)
}

func keyframes(n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(`{"time": %g, "value": %d}`, float64(i)/float64(n), i%300)
	}
	return strings.Join(out, ",")
}

// A document that validates renders: each edge document either fails validation at the expected path, or
// validates and then loads and draws frames through its whole duration without error.
func TestDocumentsThatValidateRender(t *testing.T) {
	for _, c := range edgeDocuments {
		t.Run(c.name, func(t *testing.T) {
			res := schemas.Validate([]byte(c.doc), schemas.DefaultLimits())
			if c.wantPath != "" {
				for _, p := range res.Errors {
					if p.Path == c.wantPath {
						t.Logf("refused: %s", p)
						return
					}
				}
				t.Fatalf("Validate errors = %v; want one at %s", res.Errors, c.wantPath)
			}
			if !res.OK() {
				t.Fatalf("Validate: %v", res.Errors)
			}
			tl, err := Load(context.Background(), res.Document, testOptions(t))
			if err != nil {
				t.Fatalf("it validates, but Load fails: %v", err)
			}
			defer tl.Close()
			for _, at := range []float64{0, 0.5, 0.7, 0.99} {
				if _, err := tl.Frame(context.Background(), at); err != nil {
					t.Fatalf("it validates, but the frame at %g s fails: %v", at, err)
				}
			}
		})
	}
}
