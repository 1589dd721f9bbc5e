package render

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render/assets"
)

// reuseDoc is a 10 s document of five 2 s segments, each holding a different kind of input:
//
//	segments 0–1  a text in the document's font (0–3 s)
//	segment  1    a circle with keyframes (2.5–3.8 s)
//	segment  2    an image from a local file (4.2–5.5 s)
//	segments 3–4  a rect (6–7.8 s) and the next one (7.8–9 s) whose 0.5 s fade crosses the boundary at 8 s
//	all           a full-frame rect under everything, and the background
//
// edits replace one marked part of it.
func reuseDoc(edits map[string]string) string {
	parts := map[string]string{
		"bg":         "#202030",
		"text":       "Hello",
		"keyframe":   "140",
		"transition": `{"type":"fade","duration":0.5}`,
	}
	for k, v := range edits {
		parts[k] = v
	}
	return fmt.Sprintf(`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30,"background":%q},
"assets":{"fonts":[{"id":"brand","family":"Brand","src":"brand.ttf"}],"images":[{"id":"photo","src":"photo.png"}]},
"tracks":[
 {"id":"base","clips":[{"type":"rect","start":0,"duration":10,"transform":{"width":"100%%","height":"100%%"},"style":{"fill":"#304050"}}]},
 {"id":"a","clips":[
  {"type":"text","text":%q,"start":0,"duration":3,"style":{"fontFamily":"Brand","fontSize":40,"fill":"#ffffff"}},
  {"type":"circle","start":2.5,"duration":1.3,"size":40,"style":{"fill":"#ff8000"},"keyframes":[{"property":"x","frames":[{"time":0,"value":40},{"time":1,"value":%s}]}]},
  {"type":"image","src":{"$ref":"photo"},"start":4.2,"duration":1.3,"transform":{"width":120,"height":90}}]},
 {"id":"b","clips":[
  {"type":"rect","start":6,"duration":1.8,"transform":{"width":200,"height":100},"style":{"fill":"#00c080"}},
  {"type":"rect","start":7.8,"duration":1.2,"transform":{"width":200,"height":100},"style":{"fill":"#c00080"},"transition":%s}]}]}`,
		parts["bg"], parts["text"], parts["keyframe"], parts["transition"])
}

// reuseAssets writes the document's font and image into a new folder: files named by the edits "font" and
// "photo" (paths in the repository) or the defaults.
func reuseAssets(t *testing.T, font, photo string) string {
	t.Helper()
	dir := t.TempDir()
	for dst, src := range map[string]string{"brand.ttf": font, "photo.png": photo} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	fontA  = "text/fonts/NotoSansHebrew-Regular.ttf"
	fontB  = "text/fonts/NotoSansThai-Regular.ttf"
	photoA = "testdata/assets/photos/deep16.png"
	photoB = "testdata/assets/photos/levels.png"
)

func reuseTimeline(t *testing.T, raw, assetDir string) *Timeline {
	t.Helper()
	opts := Options{Assets: assets.Options{CacheDir: t.TempDir(), AllowLocal: true, BaseDir: assetDir, Policy: netguard.Policy{AllowPrivate: true}}}
	tl, err := Load(context.Background(), parseDoc(t, raw), opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Cleanup(func() { tl.Close() })
	return tl
}

func segmentKeys(t *testing.T, tl *Timeline) []string {
	t.Helper()
	segs, err := tl.Segments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(segs))
	for i, s := range segs {
		keys[i] = s.Key
		if want := [2]int{i * 60, min(i*60+60, tl.Frames)}; [2]int{s.From, s.To} != want {
			t.Errorf("segment %d covers frames [%d, %d), want %v", i, s.From, s.To, want)
		}
	}
	return keys
}

// Each kind of input changes the keys of the segments it is drawn in, and only those.
func TestSegmentKeysChangeExactlyWhereTheInputIsDrawn(t *testing.T) {
	base := reuseAssets(t, fontA, photoA)
	before := segmentKeys(t, reuseTimeline(t, reuseDoc(nil), base))
	if len(before) != 5 {
		t.Fatalf("%d segments, want 5", len(before))
	}
	if again := segmentKeys(t, reuseTimeline(t, reuseDoc(nil), reuseAssets(t, fontA, photoA))); !reflect.DeepEqual(again, before) {
		t.Fatalf("the same document and asset bytes in another folder and cache gave other keys:\n%v\n%v", again, before)
	}
	cases := []struct {
		name    string
		edits   map[string]string
		font    string
		photo   string
		changed []int
	}{
		{"clip field (the text)", map[string]string{"text": "Hello, Ada"}, fontA, photoA, []int{0, 1}},
		{"keyframe value", map[string]string{"keyframe": "200"}, fontA, photoA, []int{1}},
		{"asset bytes (same file name)", nil, fontA, photoB, []int{2}},
		{"font bytes (same family and file name)", nil, fontB, photoA, []int{0, 1}},
		{"global setting (background)", map[string]string{"bg": "#000000"}, fontA, photoA, []int{0, 1, 2, 3, 4}},
		{"transition across the 8 s boundary", map[string]string{"transition": `{"type":"wipe","duration":0.5}`}, fontA, photoA, []int{3, 4}},
		{"transition length across the boundary", map[string]string{"transition": `{"type":"fade","duration":0.3}`}, fontA, photoA, []int{3, 4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			after := segmentKeys(t, reuseTimeline(t, reuseDoc(c.edits), reuseAssets(t, c.font, c.photo)))
			var changed []int
			for i := range after {
				if after[i] != before[i] {
					changed = append(changed, i)
				}
			}
			if !slices.Equal(changed, c.changed) {
				t.Errorf("segments with new keys %v, want %v", changed, c.changed)
			}
		})
	}
}

// A render reusing stored segments is frame for frame the render of an empty cache, and draws only the
// segments whose keys are new.
func TestRenderReusingIsFrameIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("renders videos")
	}
	dir := reuseAssets(t, fontA, photoA)
	cache := DirSegmentCache(t.TempDir())
	ctx := context.Background()
	out := t.TempDir()
	first := filepath.Join(out, "first.mp4")
	stats, err := reuseTimeline(t, reuseDoc(nil), dir).RenderReusing(ctx, first, cache)
	if err != nil {
		t.Fatal(err)
	}
	if stats != (ReuseStats{SegmentsReused: 0, SegmentsTotal: 5}) {
		t.Errorf("first render: %+v", stats)
	}
	edited := reuseDoc(map[string]string{"keyframe": "260"})
	reused := filepath.Join(out, "reused.mp4")
	stats, err = reuseTimeline(t, edited, dir).RenderReusing(ctx, reused, cache)
	if err != nil {
		t.Fatal(err)
	}
	if stats != (ReuseStats{SegmentsReused: 4, SegmentsTotal: 5}) {
		t.Errorf("edited render: %+v, want 4 of 5 reused", stats)
	}
	fresh := filepath.Join(out, "fresh.mp4")
	if _, err := reuseTimeline(t, edited, dir).RenderReusing(ctx, fresh, DirSegmentCache(t.TempDir())); err != nil {
		t.Fatal(err)
	}
	a, b := frameHashes(t, reused), frameHashes(t, fresh)
	if len(a) != 300 || !slices.Equal(a, b) {
		t.Errorf("reused render: %d frames, fresh render: %d; equal: %v", len(a), len(b), slices.Equal(a, b))
	}
	if c := frameHashes(t, first); slices.Equal(c, b) {
		t.Error("the edit changed no frame")
	}
}

// frameHashes decodes a video and returns the MD5 of each decoded frame (FFmpeg's framemd5 muxer).
func frameHashes(t testing.TB, path string) []string {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-").Output()
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	var hashes []string
	for _, line := range strings.Split(string(out), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		hashes = append(hashes, strings.TrimSpace(f[len(f)-1]))
	}
	return hashes
}

// RenderReusing reports progress over the whole video, in order, from segments encoded at once: the reused
// segments' frames count as done at the start, and every frame drawn adds one.
func TestRenderReusingReportsProgressOverTheWholeVideo(t *testing.T) {
	if testing.Short() {
		t.Skip("renders videos")
	}
	dir := reuseAssets(t, fontA, photoA)
	cache := DirSegmentCache(t.TempDir())
	ctx := context.Background()
	for _, c := range []struct {
		doc        string
		firstAtMin int // the first report is at least this (the reused frames, or the first frame)
	}{
		{reuseDoc(nil), 1},
		{reuseDoc(map[string]string{"keyframe": "260"}), 240}, // 4 of 5 segments reused
	} {
		var mu sync.Mutex
		var calls [][2]int
		tl := reuseTimeline(t, c.doc, dir)
		tl.opts.Progress = func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, [2]int{done, total})
		}
		if _, err := tl.RenderReusing(ctx, filepath.Join(t.TempDir(), "out.mp4"), cache); err != nil {
			t.Fatal(err)
		}
		if len(calls) == 0 || calls[0][0] < c.firstAtMin || calls[len(calls)-1] != [2]int{300, 300} {
			t.Fatalf("progress calls %v…: want the first at %d or more, the last (300, 300)", calls[:min(len(calls), 3)], c.firstAtMin)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i][0] != calls[i-1][0]+1 || calls[i][1] != 300 {
				t.Fatalf("progress call %d is %v after %v: want one frame more of 300", i, calls[i], calls[i-1])
			}
		}
	}
}
