package schemas

import (
	"os"
	"path/filepath"
	"testing"
)

// addExampleSeeds adds the shipped examples (examples/*.json) to a fuzz corpus.
func addExampleSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"meta": {"version": "2.0.0", "width": 32, "height": 18}, "tracks": [{"clips": [{"type": "text", "text": "Hi", "start": 0, "duration": 1, "style": {"fontSize": 12, "fontWeight": "bold"}}]}]}`))
	f.Add([]byte(`{"meta": {"version": "2.0.0", "width": 32, "height": 18}, "tracks": [{"clips": [{"type": "rect", "start": 0, "duration": 1, "keyframes": [{"property": "height", "frames": [{"time": 0, "value": 10}, {"time": 0.5, "value": 0}]}]}]}]}`))
	f.Add([]byte(`{"meta": {"version": "2.0.0", "width": 32, "height": 18}, "tracks": [{"clips": [{"type": "layout", "start": 0, "duration": 1, "children": [{"type": "circle", "size": 8}, {"type": "polygon", "sides": 5}]}]}]}`))
	f.Add([]byte(`{"config": {"meta": {}}}`))
	f.Add([]byte(`[1, 2`))
}

// FuzzParseColor: ParseColor never panics, and a color it accepts is accepted again in #rrggbbaa form.
func FuzzParseColor(f *testing.F) {
	for _, s := range []string{"#fff", "#ffffff80", "red", "rgb(1, 2, 3)", "rgba(10%, 20%, 30%, 0.5)", "hsl(120, 50%, 50%)",
		"hsla(120deg 50% 50% / 50%)", "transparent", "", "#", "rgb(", "hsl(1e400, 1, 1)", "REBECCAPURPLE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseColor(s)
		if err != nil {
			return
		}
		again := string([]byte{'#', hex(c.R >> 4), hex(c.R & 15), hex(c.G >> 4), hex(c.G & 15), hex(c.B >> 4), hex(c.B & 15), hex(c.A >> 4), hex(c.A & 15)})
		if c2, err := ParseColor(again); err != nil || c2 != c {
			t.Fatalf("ParseColor(%q) = %v, but %q reads as %v, %v", s, c, again, c2, err)
		}
	})
}

func hex(n uint8) byte { return "0123456789abcdef"[n] }
