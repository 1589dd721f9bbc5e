package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// framecast render keeps a segment cache: a second render of a document whose first seconds changed draws
// only those segments.
func TestRenderReusesCachedSegments(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "segments")
	doc := func(name string) string {
		path := filepath.Join(dir, name+".json")
		os.WriteFile(path, []byte(`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30},"tracks":[{"clips":[
			{"type":"rect","start":0,"duration":6,"transform":{"width":"50%","height":"50%"},"style":{"fill":"#2050c0"}},
			{"type":"text","text":"Hello `+name+`","start":0,"duration":1.5,"style":{"fontSize":28,"fill":"#ffffff"}}]}]}`), 0o644)
		return path
	}
	for _, c := range []struct{ name, want string }{
		{"Ada", "0 of 3 segments reused"},
		{"Ada", "3 of 3 segments reused"},
		{"Grace", "2 of 3 segments reused"},
	} {
		out, err := runCLI(t, "render", doc(c.name), "-o", filepath.Join(dir, c.name+".mp4"), "--segment-cache", cache, "-q")
		if err != nil {
			t.Fatalf("render %s: %v\n%s", c.name, err, out)
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("render %s: want %q in\n%s", c.name, c.want, out)
		}
	}
}
