package render

import (
	"context"
	"fmt"
	"math/rand/v2"
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
	"github.com/framecast/framecast/schemas"
)

// reuseDoc is a 10 s document of six segments (cut at frames 75, 114, 180, 234 and 270 of 300: the grid's
// 60, 120, 180 and 240 moved onto the clip edges near them, and the edge at 9 s), each kind of input in
// some of them:
//
//	a text in the document's font (0–3 s, frames 0–90)
//	a circle with keyframes (2.5–3.8 s, frames 75–114)
//	an image from a local file (4.2–5.5 s, frames 126–165)
//	a rect (6–7.8 s, frames 180–234) and the next one (7.8–9 s, frames 234–270) whose 0.5 s fade keeps the
//	first drawn until frame 249
//	a full-frame rect under everything, and the background
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

// reuseDocCuts are reuseDoc's segment bounds (see its comment).
var reuseDocCuts = []int{0, 75, 114, 180, 234, 270, 300}

func segments(t *testing.T, tl *Timeline) []Segment {
	t.Helper()
	segs, err := tl.Segments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range segs {
		if s.Index != i || (i > 0 && s.From != segs[i-1].To) || s.From >= s.To {
			t.Fatalf("segment %d is %+v after %+v", i, s, segs[max(i-1, 0)])
		}
	}
	if len(segs) == 0 || segs[0].From != 0 || segs[len(segs)-1].To != tl.Frames {
		t.Fatalf("segments %v do not cover the video's %d frames", segs, tl.Frames)
	}
	if n, err := SegmentCount(tl.Doc); err != nil || n != len(segs) {
		t.Fatalf("SegmentCount = %d, %v; Segments has %d", n, err, len(segs))
	}
	return segs
}

func cutsOf(segs []Segment) []int {
	cuts := []int{0}
	for _, s := range segs {
		cuts = append(cuts, s.To)
	}
	return cuts
}

// redrawn returns the segments of after whose keys are not among before's: those a render of after through
// the cache before filled draws.
func redrawn(before, after []Segment) [][2]int {
	stored := map[string]bool{}
	for _, s := range before {
		stored[s.Key] = true
	}
	var out [][2]int
	for _, s := range after {
		if !stored[s.Key] {
			out = append(out, [2]int{s.From, s.To})
		}
	}
	return out
}

// overlapping returns the bounds of the segments that share a frame with one of the ranges.
func overlapping(segs []Segment, ranges ...[2]int) [][2]int {
	var out [][2]int
	for _, s := range segs {
		for _, r := range ranges {
			if s.From < r[1] && s.To > r[0] {
				out = append(out, [2]int{s.From, s.To})
				break
			}
		}
	}
	return out
}

// Each kind of input changes the keys of the segments it is drawn in, and only those.
func TestSegmentKeysChangeExactlyWhereTheInputIsDrawn(t *testing.T) {
	base := reuseAssets(t, fontA, photoA)
	before := segments(t, reuseTimeline(t, reuseDoc(nil), base))
	if got := cutsOf(before); !slices.Equal(got, reuseDocCuts) {
		t.Fatalf("cuts %v, want %v", got, reuseDocCuts)
	}
	if again := segments(t, reuseTimeline(t, reuseDoc(nil), reuseAssets(t, fontA, photoA))); !reflect.DeepEqual(again, before) {
		t.Fatalf("the same document and asset bytes in another folder and cache gave other keys:\n%v\n%v", again, before)
	}
	cases := []struct {
		name  string
		edits map[string]string
		font  string
		photo string
		drawn [][2]int // the frames where the changed input is drawn
	}{
		{"clip field (the text)", map[string]string{"text": "Hello, Ada"}, fontA, photoA, [][2]int{{0, 90}}},
		{"keyframe value", map[string]string{"keyframe": "200"}, fontA, photoA, [][2]int{{75, 114}}},
		{"asset bytes (same file name)", nil, fontA, photoB, [][2]int{{126, 165}}},
		{"font bytes (same family and file name)", nil, fontB, photoA, [][2]int{{0, 90}}},
		{"global setting (background)", map[string]string{"bg": "#000000"}, fontA, photoA, [][2]int{{0, 300}}},
		// The first rect is drawn under the second until the fade ends (frame 249), so both change.
		{"transition across the cut at 7.8 s", map[string]string{"transition": `{"type":"wipe","duration":0.5}`}, fontA, photoA, [][2]int{{180, 270}}},
		{"transition length across the cut", map[string]string{"transition": `{"type":"fade","duration":0.3}`}, fontA, photoA, [][2]int{{180, 270}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			after := segments(t, reuseTimeline(t, reuseDoc(c.edits), reuseAssets(t, c.font, c.photo)))
			if got := cutsOf(after); !slices.Equal(got, reuseDocCuts) {
				t.Errorf("cuts %v, want %v: the edit changes no clip's start or end", got, reuseDocCuts)
			}
			if got, want := redrawn(before, after), overlapping(after, c.drawn...); !slices.Equal(got, want) {
				t.Errorf("segments with new keys %v, want %v", got, want)
			}
		})
	}
}

// nameDoc is a 30 s document like the batch's (make bench-batch): clips over the whole video, a name in
// its first 3 s, and more clips at the given [start, end) seconds.
func nameDoc(name string, clips ...[2]float64) string {
	var extra string
	for _, c := range clips {
		extra += fmt.Sprintf(`,{"type":"rect","start":%g,"duration":%g,"transform":{"width":40,"height":40},"style":{"fill":"#c00080"}}`, c[0], c[1]-c[0])
	}
	return fmt.Sprintf(`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30,"background":"#202030"},
"tracks":[
 {"id":"base","clips":[{"type":"rect","start":0,"duration":30,"transform":{"width":"100%%","height":"100%%"},"style":{"fill":"#304050"}},
  {"type":"circle","start":0,"duration":30,"size":40,"style":{"fill":"#ff8000"},"keyframes":[{"property":"x","frames":[{"time":0,"value":40},{"time":30,"value":280}]}]}]},
 {"id":"name","clips":[{"type":"text","text":%q,"start":0,"duration":3,"style":{"fontSize":40,"fill":"#ffffff"}}%s]}]}`, name, extra)
}

// A batch whose variants differ in a name shown for the first 3 s redraws those 3 s (90 frames) and
// nothing else: the clip's end is a cut, and a name of another length moves no cut.
func TestSegmentsCutOnTheEdgesOfAChangedClip(t *testing.T) {
	dir := t.TempDir()
	ada := segments(t, reuseTimeline(t, nameDoc("Hello, Ada!"), dir))
	grace := segments(t, reuseTimeline(t, nameDoc("Hello, Grace Brewster Murray Hopper!"), dir))
	if !slices.Equal(cutsOf(ada), cutsOf(grace)) {
		t.Errorf("the name's text moved the cuts: %v, %v", cutsOf(ada), cutsOf(grace))
	}
	if want := []int{0, 60, 90, 120, 180}; !slices.Equal(cutsOf(ada)[:5], want) {
		t.Errorf("cuts %v…, want %v… (the grid and the name's end)", cutsOf(ada)[:5], want)
	}
	if got, want := redrawn(ada, grace), [][2]int{{0, 60}, {60, 90}}; !slices.Equal(got, want) {
		t.Errorf("the other name redraws segments %v, want %v", got, want)
	}
}

// A busy document, clips starting and stopping every few frames, is cut into segments of at least
// MinSegmentFrames (at most three times the grid's count), and moving one clip moves only the cuts near it.
func TestSegmentsOfABusyDocumentKeepTheirLengthAndPlace(t *testing.T) {
	var clips [][2]float64
	for i := range 20 {
		start := 0.3 + float64(i)*1.37
		clips = append(clips, [2]float64{start, start + 0.9 + float64(i%3)*0.45})
	}
	dir := t.TempDir()
	busy := segments(t, reuseTimeline(t, nameDoc("Ada", clips...), dir))
	minLen := MinSegmentFrames(30)
	for _, s := range busy {
		if s.To-s.From < minLen {
			t.Errorf("segment %d is [%d, %d): shorter than %d frames", s.Index, s.From, s.To, minLen)
		}
	}
	if grid := 15; len(busy) <= grid || len(busy) > 3*grid {
		t.Errorf("%d segments for 20 staggered clips, want more than the grid's %d and at most %d", len(busy), grid, 3*grid)
	}
	t.Logf("cuts %v", cutsOf(busy))

	// Clip 15 (about 20.9–22.7 s) starts and ends 0.4 s later: the cuts and the keys before 18 s and after
	// 26 s stay.
	moved := slices.Clone(clips)
	moved[15] = [2]float64{moved[15][0] + 0.4, moved[15][1] + 0.4}
	after := segments(t, reuseTimeline(t, nameDoc("Ada", moved...), dir))
	for _, r := range redrawn(busy, after) {
		if r[1] <= 18*30 || r[0] >= 26*30 {
			t.Errorf("segment [%d, %d) is redrawn, far from the moved clip (frames 627–693, then 639–705)", r[0], r[1])
		}
	}
	if len(redrawn(busy, after)) == 0 {
		t.Error("moving a clip redrew nothing")
	}
}

// segmentCuts keeps every segment at least minLen long whatever the edges, and an edge moving moves no cut
// farther than two grid steps from its old or new place.
func TestSegmentCutsKeepMinimumAndLocality(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 4))
	const grid, minLen = 60, 20
	for trial := range 2000 {
		frames := 1 + rng.IntN(1200)
		edges := make([]int, rng.IntN(60))
		for i := range edges {
			edges[i] = rng.IntN(frames + 1)
		}
		cuts := segmentCuts(frames, grid, minLen, edges)
		if cuts[0] != 0 || cuts[len(cuts)-1] != frames {
			t.Fatalf("trial %d: cuts %v of %d frames", trial, cuts, frames)
		}
		for i := 1; i < len(cuts); i++ {
			if cuts[i]-cuts[i-1] < minLen && frames >= minLen {
				t.Fatalf("trial %d: cuts %v of %d frames (edges %v): a segment shorter than %d", trial, cuts, frames, edges, minLen)
			}
		}
		if len(edges) == 0 {
			continue
		}
		i := rng.IntN(len(edges))
		old := edges[i]
		if trial%2 == 0 {
			edges[i] = max(0, min(frames, old+rng.IntN(41)-20)) // nudged
		} else {
			edges[i] = rng.IntN(frames + 1) // moved anywhere (or out: to 0 or the end)
		}
		moved := segmentCuts(frames, grid, minLen, edges)
		far := func(c int) bool { return abs(c-old) > 2*grid && abs(c-edges[i]) > 2*grid }
		var a, b []int
		for _, c := range cuts {
			if far(c) {
				a = append(a, c)
			}
		}
		for _, c := range moved {
			if far(c) {
				b = append(b, c)
			}
		}
		if !slices.Equal(a, b) {
			t.Fatalf("trial %d: edge %d → %d moved cuts far from it: %v → %v", trial, old, edges[i], cuts, moved)
		}
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
	if stats != (ReuseStats{SegmentsReused: 0, SegmentsTotal: 6}) {
		t.Errorf("first render: %+v", stats)
	}
	edited := reuseDoc(map[string]string{"keyframe": "260"})
	reused := filepath.Join(out, "reused.mp4")
	stats, err = reuseTimeline(t, edited, dir).RenderReusing(ctx, reused, cache)
	if err != nil {
		t.Fatal(err)
	}
	if stats != (ReuseStats{SegmentsReused: 5, SegmentsTotal: 6}) {
		t.Errorf("edited render: %+v, want 5 of 6 reused (all but the circle's)", stats)
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
		{reuseDoc(map[string]string{"keyframe": "260"}), 300 - (114 - 75)}, // all but the circle's segment reused
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

// The service counts a render's segments from the stored document, templates not expanded yet
// (SegmentCount): the same count as the loaded timeline's, which cuts on the edges of the expanded clips.
func TestSegmentCountOfADocumentWithTemplates(t *testing.T) {
	raw := `{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30},"tracks":[
 {"clips":[{"type":"rect","start":0,"duration":10,"style":{"fill":"#304050"}}]},
 {"clips":[{"type":"template","template":"lower-third","start":3.3,"duration":4,"data":{"name":"Grace Hopper","title":"Rear Admiral"}}]}]}`
	segs := segments(t, reuseTimeline(t, raw, t.TempDir()))
	n, err := SegmentCount(parseDoc(t, raw))
	if err != nil || n != len(segs) {
		t.Fatalf("SegmentCount of the document = %d, %v; the timeline has %d segments %v", n, err, len(segs), cutsOf(segs))
	}
	if cuts := cutsOf(segs); slices.Equal(cuts, []int{0, 60, 120, 180, 240, 300}) {
		t.Errorf("cuts %v: the grid's, none on the edges of the template's clips", cuts)
	}
}

// A document with no clip (one validation refuses, but SegmentBounds is exported and takes any) has no
// segment: its count is 0, not a panic.
func TestSegmentCountOfADocumentWithoutFrames(t *testing.T) {
	for _, raw := range []string{
		`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30},"tracks":[]}`,
		`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30},"tracks":[{"clips":[]}]}`,
	} {
		doc, err := schemas.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		n, err := SegmentCount(doc)
		if err != nil || n != 0 {
			t.Errorf("SegmentCount of %s = %d, %v; want 0, nil", raw, n, err)
		}
	}
}
