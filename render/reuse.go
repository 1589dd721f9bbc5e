package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/render/templates"
	"github.com/framecast/framecast/schemas"
)

// EngineVersion names what the engine draws and encodes. It is part of every render key and segment key,
// so that a stored output is reused only by the engine that would draw it the same way.
//
// Bump it (any new string will do; the date of the change is the convention) in the same commit as any
// change that alters the pixels or the encoded bytes of an unchanged document: a fix in drawing, a new
// default, a different easing, an encoder setting, a new bundled font (the bundled fonts are also keyed by
// FontSetFingerprint, so a changed font file needs no bump). A change that only adds a new field or clip
// type needs no bump either: documents that use it were never keyed before. When in doubt, bump: the cost
// is that every stored segment is drawn once more.
//
// Segments are encoded with x264 pinned to one thread (segmentThreads), so that their bytes do not depend
// on the core count of the machine that drew them; "2026-12-06.6" is the first version with the pin.
// "2026-12-06.7" cuts segments on clip edges (SegmentBounds): a segment of the same frames and content
// encodes to the same bytes as before, but a whole render's keyframes, and so its file, are not the same.
// "2026-12-06.8" converts video frames FFmpeg scales down from yuv422p in Go (up to 3 levels from its rgba).
const EngineVersion = "2026-12-06.8"

// SegmentSeconds is the step of the grid reuse segments are cut on: renders are cut at frames
// k × round(SegmentSeconds × fps), each grid point moved onto a clip edge near it, plus the clip edges far
// enough from every other cut (SegmentBounds). Each segment is its own encode starting on a keyframe, and
// the segments join by stream copy. Short segments reuse more (an edit redraws at most the segments it
// touches) but each costs an FFmpeg launch and a keyframe (a few % of bitrate), and the join opens each
// segment.
//
// Measured on the 2-core development VM (CPU time, 1080p, veryfast): an FFmpeg launch costs 0.2–0.3 s of
// CPU before the first frame (80 % of it the dynamic loader and page faults of FFmpeg's 215 libraries), a
// drawn and encoded frame about 20 ms, and the join about 0.2 s plus 20 ms a segment (FFmpeg's concat
// demuxer decodes the first frames of every file it opens). A plain 1 s grid would save a batch whose name
// lasts 3 s 30 frames a variant (0.6 s) but add a launch (0.25 s) and 15 segments to the join (0.3 s), and
// double the launches of the first render: 2 s is the better step, and the clip edges save those 30
// frames at the cost of one cut.
const SegmentSeconds = 2.0

// segmentGrid is the grid step in frames at fps: round(SegmentSeconds × fps).
func segmentGrid(fps float64) int {
	return max(1, int(math.Round(SegmentSeconds*fps)))
}

// MinSegmentFrames is the shortest reuse segment at fps: a third of the grid step (20 frames, 2/3 s, at
// 30 fps). Only a video shorter than that has a shorter segment. A cut on a clip edge at least this far
// from its neighbours pays for itself: the launch and join it adds (about 0.27 s of CPU) are less than the
// 20 frames (0.4 s) it spares every render that changes the content on one side of it, and a busy document
// whose clips start and stop every few frames is cut into at most three times the grid's segments.
func MinSegmentFrames(fps float64) int {
	return max(1, segmentGrid(fps)/3)
}

// SegmentBounds returns the frame ranges [from, to) of the reuse segments of doc (templates are expanded
// as Load does) at the document's frame rate, covering the whole video in order. See segmentCuts for the
// rule: it reads the clips' start and end times only, never their content, so documents that differ in
// what their clips show and not in when are cut the same way.
func SegmentBounds(doc *schemas.Document) ([][2]int, error) {
	doc, _, err := templates.ExpandDocument(doc)
	if err != nil {
		return nil, err
	}
	fps := doc.Meta.FrameRate()
	return segmentBounds(doc, fps, FrameCount(schemas.Duration(doc), fps)), nil
}

// SegmentCount is the number of reuse segments of doc: len(SegmentBounds(doc)), for a caller that has the
// document and not a loaded timeline (the service recording a render's segment count as it begins).
func SegmentCount(doc *schemas.Document) (int, error) {
	b, err := SegmentBounds(doc)
	return len(b), err
}

// segmentBounds cuts a video of frames frames at fps of the expanded document doc on the edges of its
// drawn (non-audio) top-level clips: the first frames at or after each clip's start and end.
func segmentBounds(doc *schemas.Document, fps float64, frames int) [][2]int {
	var edges []int
	for _, t := range doc.Tracks {
		for _, c := range t.Clips {
			if _, audio := c.Spec.(*schemas.AudioClip); c.Spec == nil || audio {
				continue
			}
			b := c.Base()
			edges = append(edges, firstFrameAtOrAfter(b.Start, fps, frames), firstFrameAtOrAfter(b.End(), fps, frames))
		}
	}
	cuts := segmentCuts(frames, segmentGrid(fps), MinSegmentFrames(fps), edges)
	if len(cuts) < 2 {
		return nil // no frames, no segment
	}
	out := make([][2]int, 0, len(cuts)-1)
	for i := 1; i < len(cuts); i++ {
		out = append(out, [2]int{cuts[i-1], cuts[i]})
	}
	return out
}

// segmentCuts returns the frames where segments start, and frames last: 0 < … < frames (just 0, frames for
// a video of fewer than 2 × minLen frames without an edge to cut at; nothing for no frames). The rule, with
// grid step grid, minimum length minLen and snap distance snap = (grid − minLen) / 2:
//
//  1. Edges closer than minLen to the start or the end of the video are ignored, and so is a grid point
//     closer than minLen to the end (the last segment grows instead).
//  2. Each grid point k × grid moves onto the nearest edge within snap of it (the earlier of two as near),
//     if there is one: a cut that costs nothing, the segment count is the grid's.
//  3. Between two consecutive cuts of step 2, the edges are taken in time order, each becoming a cut when
//     it is at least minLen from the previous cut and from the next cut of step 2.
//
// Every segment is at least minLen long (step 2's cuts are at least grid − 2 × snap ≥ minLen apart), and
// the rule is local: a grid point depends only on the edges within snap of it, and step 3 on the edges
// between two such cuts, so an edge that appears, moves or disappears moves no cut more than two grid
// steps away from it, and the segments elsewhere keep their bounds and their keys.
func segmentCuts(frames, grid, minLen int, edges []int) []int {
	if frames <= 0 {
		return nil
	}
	snap := (grid - minLen) / 2
	edges = slices.DeleteFunc(slices.Clone(edges), func(e int) bool { return e < minLen || e > frames-minLen })
	slices.Sort(edges)
	edges = slices.Compact(edges)
	anchors := []int{0}
	near := 0 // the first edge not before the current grid point's window
	for g := grid; g <= frames-minLen; g += grid {
		for near < len(edges) && edges[near] < g-snap {
			near++
		}
		at, best := g, snap+1
		for _, e := range edges[near:] {
			if e > g+snap {
				break
			}
			if d := abs(e - g); d < best { // strictly nearer: the earlier of two as near stays
				at, best = e, d
			}
		}
		anchors = append(anchors, at)
	}
	anchors = append(anchors, frames)
	cuts := []int{0}
	next := 0 // the first edge after the last cut
	for _, anchor := range anchors[1:] {
		for ; next < len(edges) && edges[next] < anchor; next++ {
			if e := edges[next]; e-cuts[len(cuts)-1] >= minLen && anchor-e >= minLen {
				cuts = append(cuts, e)
			}
		}
		cuts = append(cuts, anchor)
	}
	return cuts
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Segment is one reuse segment of a render: frames [From, To) and the key naming exactly what they draw.
type Segment struct {
	Index    int
	From, To int
	// Key is a hex SHA-256 over the engine version, the output's format and encoder settings, the
	// document's canvas and background, the window, and every clip drawn in the window, in paint order,
	// with its full resolved state (templates and layouts expanded, animations, keyframes, its own
	// transition and the next clip's transition when that keeps it visible), the content hashes of the
	// assets it names and, for clips that draw text, of the document's fonts. Two segments with equal keys
	// encode to the same frames.
	Key string
}

// Segments returns the timeline's reuse segments (SegmentBounds) and their keys. It fetches nothing the timeline did not
// fetch at Load, except remote sources a clip names that were not fetched yet.
func (tl *Timeline) Segments(ctx context.Context) ([]Segment, error) {
	if tl.Frames <= 0 {
		return nil, fmt.Errorf("render: the document has no duration (no clip ends after 0 s)")
	}
	global, err := tl.globalKey()
	if err != nil {
		return nil, err
	}
	type drawn struct {
		from, to int
		key      []byte
	}
	items := make([]drawn, len(tl.items))
	for i, it := range tl.items {
		from, to := tl.drawnFrames(it)
		if from >= to {
			continue
		}
		k, err := tl.itemKey(ctx, it)
		if err != nil {
			return nil, err
		}
		items[i] = drawn{from, to, k}
	}
	bounds := segmentBounds(tl.Doc, tl.FPS, tl.Frames)
	out := make([]Segment, 0, len(bounds))
	for _, b := range bounds {
		from, to := b[0], b[1]
		h := sha256.New()
		h.Write(global)
		writeInts(h, from, to)
		for _, d := range items {
			if d.key != nil && d.from < to && d.to > from {
				h.Write(d.key) // in paint order
			}
		}
		out = append(out, Segment{Index: len(out), From: from, To: to, Key: hex.EncodeToString(h.Sum(nil))})
	}
	return out, nil
}

// RenderKey is the whole render's key: the document as canonical JSON (templates expanded), the content
// hashes of every asset it names, the engine version and the output settings. Equal keys render equal
// files.
func (tl *Timeline) RenderKey(ctx context.Context) (string, error) {
	global, err := tl.globalKey()
	if err != nil {
		return "", err
	}
	canonical, err := json.Marshal(tl.Doc)
	if err != nil {
		return "", fmt.Errorf("render key: %w", err)
	}
	h := sha256.New()
	h.Write([]byte("render\n"))
	h.Write(global)
	h.Write([]byte(tl.opts.format()))
	h.Write(canonical)
	var all any
	if err := json.Unmarshal(canonical, &all); err != nil {
		return "", fmt.Errorf("render key: %w", err)
	}
	if err := tl.hashNamedAssets(ctx, h, all); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// DocumentKey is a cheap first look at a render key: the document's canonical JSON and the engine version,
// without the content of its assets (which RenderKey fetches). Renders with different document keys never
// have equal render keys.
func DocumentKey(doc *schemas.Document) (string, error) {
	canonical, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("document key: %w", err)
	}
	h := sha256.New()
	h.Write([]byte("document\n" + EngineVersion + "\n" + FontSetFingerprint() + "\n"))
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// globalKey is what every segment of the timeline shares: engine, output, encoder and canvas.
func (tl *Timeline) globalKey() ([]byte, error) {
	bg, err := json.Marshal(tl.Doc.Meta.Background)
	if err != nil {
		return nil, fmt.Errorf("segment key: meta.background: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "framecast segment\n%s\n%s\n%d×%d@%v\n%v×%v\n%s/%d\n", EngineVersion, FontSetFingerprint(),
		tl.Width, tl.Height, tl.FPS, tl.docW, tl.docH, tl.opts.preset(), tl.opts.crf())
	h.Write(bg)
	return h.Sum(nil), nil
}

// drawnFrames is the range of frames [from, to) at which the item may be drawn: from its start to its end,
// or to the end of the next clip's entrance transition when that keeps it visible (see item.stateAt).
func (tl *Timeline) drawnFrames(it *item) (from, to int) {
	start, end := it.base.Start, it.base.End()
	if n := it.next; n != nil {
		end = math.Max(end, n.base.Start+n.base.Transition.Duration)
	}
	return tl.firstFrameAtOrAfter(start), tl.firstFrameAtOrAfter(end)
}

// firstFrameAtOrAfter is the first frame n with FrameTime(n) >= t, within [0, Frames]: computed with the
// same division stateAt sees, so that the boundaries are exact.
func (tl *Timeline) firstFrameAtOrAfter(t float64) int {
	return firstFrameAtOrAfter(t, tl.FPS, tl.Frames)
}

// firstFrameAtOrAfter is the first frame n of a video of frames frames at fps whose time n / fps is at or
// after t, within [0, frames].
func firstFrameAtOrAfter(t, fps float64, frames int) int {
	switch {
	case math.IsNaN(t) || t <= 0 || frames <= 0:
		return 0
	case t > float64(frames-1)/fps:
		return frames
	}
	n := int(math.Ceil(t * fps))
	for n > 0 && float64(n-1)/fps >= t {
		n--
	}
	for n < frames && float64(n)/fps < t {
		n++
	}
	return n
}

// itemKey hashes everything an item's pixels depend on besides time and the global settings.
func (tl *Timeline) itemKey(ctx context.Context, it *item) ([]byte, error) {
	clip, err := json.Marshal(schemas.Clip{Spec: it.spec})
	if err != nil {
		return nil, fmt.Errorf("%s: segment key: %w", it.path, err)
	}
	h := sha256.New()
	h.Write([]byte("clip\n"))
	h.Write(clip)
	if n := it.next; n != nil {
		// The next clip's entrance transition moves this one out (motion.Outgoing).
		tr, err := json.Marshal(n.base.Transition)
		if err != nil {
			return nil, fmt.Errorf("%s: segment key: %w", n.path, err)
		}
		fmt.Fprintf(h, "\nnext %v\n", n.base.Start)
		h.Write(tr)
	}
	var parsed any
	if err := json.Unmarshal(clip, &parsed); err != nil {
		return nil, fmt.Errorf("%s: segment key: %w", it.path, err)
	}
	if err := tl.hashNamedAssets(ctx, h, parsed); err != nil {
		return nil, fmt.Errorf("%s: %w", it.path, err)
	}
	if tl.drawsText(it.spec) && tl.Doc.Assets != nil {
		// A text's glyphs may come from any of the document's fonts (they are its fallbacks).
		for i, f := range tl.Doc.Assets.Fonts {
			fj, err := json.Marshal(f)
			if err != nil {
				return nil, fmt.Errorf("assets.fonts[%d]: segment key: %w", i, err)
			}
			h.Write([]byte("\nfont\n"))
			h.Write(fj)
			if err := tl.hashSource(ctx, h, f.Src); err != nil {
				return nil, fmt.Errorf("assets.fonts[%d]: %w", i, err)
			}
		}
	}
	return h.Sum(nil), nil
}

// drawsText reports clips that may draw glyphs (and so depend on the document's fonts): all but videos,
// plain shapes and images other than SVG (an SVG may hold text).
func (tl *Timeline) drawsText(spec schemas.ClipSpec) bool {
	switch s := spec.(type) {
	case *schemas.VideoClip, *schemas.RectClip, *schemas.CircleClip, *schemas.PolygonClip, *schemas.LineClip, *schemas.PathClip:
		return false
	case *schemas.ImageClip:
		return tl.mayBeSVG(s.Src)
	}
	return true
}

// mayBeSVG reports an image source that is, or may be, SVG markup: its fetched file starts like XML or SVG
// (true when it cannot be read).
func (tl *Timeline) mayBeSVG(m schemas.MediaRef) bool {
	src, err := tl.Doc.ResolveMedia(m)
	if err != nil {
		return true
	}
	path, ok := tl.fetcher.Fetched(src)
	if !ok {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(bytes.ToLower(head[:n]), []byte("<svg")) || bytes.HasPrefix(bytes.TrimSpace(head[:n]), []byte("<?xml"))
}

// hashNamedAssets writes, for every string in v that names an asset of the document (an id) or a source
// the timeline fetched, the asset's entry and the content hash of its source. Strings that name nothing are
// already in the JSON being hashed.
func (tl *Timeline) hashNamedAssets(ctx context.Context, h hash.Hash, v any) error {
	var names []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			names = append(names, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	sort.Strings(names)
	for i, s := range names {
		if i > 0 && names[i-1] == s {
			continue
		}
		src := s
		if e, ok := tl.Doc.Asset(s); ok {
			ej, err := json.Marshal(e.Value)
			if err != nil {
				return fmt.Errorf("segment key: asset %q: %w", s, err)
			}
			h.Write([]byte("\nasset\n"))
			h.Write(ej)
			src = e.Src
		}
		if src == "" || strings.HasPrefix(strings.ToLower(src), "data:") {
			continue // the content is in the JSON
		}
		if _, ok := tl.fetcher.Fetched(src); !ok && !isRemote(src) {
			continue // not a source: text, a color, an id of something else
		}
		if err := tl.hashSource(ctx, h, src); err != nil {
			if ctx.Err() != nil {
				return err
			}
			// A URL Load did not fetch and that does not answer (a link in a field that is not drawn): the
			// string alone is the key.
			fmt.Fprintf(h, "\nunfetched %q\n", src)
		}
	}
	return nil
}

func isRemote(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// hashSource writes src and the SHA-256 of its content (fetching it if the timeline has not yet).
func (tl *Timeline) hashSource(ctx context.Context, h hash.Hash, src string) error {
	path, ok := tl.fetcher.Fetched(src)
	if !ok {
		var err error
		if path, err = tl.fetchURL(ctx, src); err != nil {
			return err
		}
	}
	sum, err := fileHash(path)
	if err != nil {
		return fmt.Errorf("segment key: %w", err)
	}
	fmt.Fprintf(h, "\nsource %q %s\n", src, sum)
	return nil
}

// cacheObjectName matches a file of the asset cache, named by the SHA-256 of its content.
var cacheObjectName = regexp.MustCompile(`^([0-9a-f]{64})(\.[A-Za-z0-9]+)?$`)

// fileHashes remembers the content hashes of local files by path, size and modification time.
var fileHashes sync.Map

// fileHash returns the hex SHA-256 of a file's content. Files of the asset cache are named by it.
func fileHash(path string) (string, error) {
	if m := cacheObjectName.FindStringSubmatch(filepath.Base(path)); m != nil && filepath.Base(filepath.Dir(path)) == "objects" {
		return m[1], nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	memo := fmt.Sprintf("%s\x00%d\x00%d", path, info.Size(), info.ModTime().UnixNano())
	if v, ok := fileHashes.Load(memo); ok {
		return v.(string), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	fileHashes.Store(memo, sum)
	return sum, nil
}

func writeInts(h hash.Hash, v ...int) {
	var b [8]byte
	for _, x := range v {
		binary.LittleEndian.PutUint64(b[:], uint64(x))
		h.Write(b[:])
	}
}

// SegmentCache keeps encoded segments by key between renders: a folder for the command line
// (DirSegmentCache), the blob store of an account for the service.
type SegmentCache interface {
	// Get copies the segment stored under key to path. ok is false when none is stored.
	Get(ctx context.Context, key, path string) (ok bool, err error)
	// Put stores the segment file at path under key. RenderReusing calls it from several goroutines at
	// once.
	Put(ctx context.Context, key, path string) error
}

// ReuseStats says how much of a render was reused.
type ReuseStats struct {
	SegmentsReused, SegmentsTotal int
}

// RenderReusing writes the video to out (MP4 or MOV) segment by segment: a segment whose key cache holds is
// copied, the others are drawn and encoded (EncodeSegments, several at a time) and stored in cache. The
// soundtrack is mixed whole, as Render does, while the segments are drawn. The result is frame for frame the
// one an empty cache gives. Options.Progress sees the whole video: the reused segments' frames count as done
// at the start.
func (tl *Timeline) RenderReusing(ctx context.Context, out string, cache SegmentCache) (ReuseStats, error) {
	var stats ReuseStats
	if f := ffmpeg.Format(tl.opts.format()); f != ffmpeg.FormatMP4 && f != ffmpeg.FormatMOV {
		return stats, fmt.Errorf("render: segments are reused for mp4 and mov only, not %s", f)
	}
	segs, err := tl.Segments(ctx)
	if err != nil {
		return stats, err
	}
	stats.SegmentsTotal = len(segs)
	tmp, err := os.MkdirTemp("", "framecast-reuse-")
	if err != nil {
		return stats, err
	}
	defer os.RemoveAll(tmp)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mixed := filepath.Join(tmp, "audio.m4a")
	type mixResult struct {
		has bool
		err error
	}
	mixing := make(chan mixResult, 1)
	go func() {
		has, err := tl.MixAudio(ctx, mixed)
		if err != nil {
			cancel() // no point drawing the pictures
		}
		mixing <- mixResult{has, err}
	}()

	files := make([]string, len(segs))
	var missing []Segment
	reusedFrames := 0
	for i, s := range segs {
		files[i] = filepath.Join(tmp, fmt.Sprintf("seg%04d.mp4", i))
		ok, err := cache.Get(ctx, s.Key, files[i])
		if err != nil {
			return stats, fmt.Errorf("segment %d: %w", i, err)
		}
		if ok {
			stats.SegmentsReused++
			reusedFrames += s.To - s.From
		} else {
			missing = append(missing, s)
		}
	}
	if reusedFrames > 0 && tl.opts.Progress != nil {
		tl.opts.Progress(reusedFrames, tl.Frames)
	}
	verr := tl.encodeSegments(ctx, missing, tmp, reusedFrames, tl.Frames, func(s Segment, path string) error {
		if err := os.Rename(path, files[s.Index]); err != nil {
			return err
		}
		return cache.Put(ctx, s.Key, files[s.Index])
	})
	if verr != nil {
		cancel()
	}
	mix := <-mixing
	if mix.err != nil && (verr == nil || errors.Is(verr, context.Canceled)) {
		return stats, mix.err
	}
	if verr != nil {
		return stats, verr
	}
	o := tl.encodeOptions(tl.opts.format(), tl.Frames)
	if mix.has {
		o.Audio, o.AudioCodec = mixed, "aac"
	}
	return stats, ffmpeg.Join(ctx, files, o.Audio, out, o)
}

// segmentThreads pins x264's thread count in reuse segments. x264's output depends on its number of threads
// (frame threads split the lookahead and the rate control), and FFmpeg's default is one per core plus half:
// without a pin, a segment encoded on a machine with another core count has other bytes, and a cache shared
// by workers of different sizes would join segments that differ from a fresh render. One thread also costs
// least in total (no frame threads waiting on each other); EncodeSegments gets its speed from encoding
// several segments at a time instead.
const segmentThreads = 1

// EncodeSegment draws and encodes reuse segment s into out (FormatSegment, x264 pinned to segmentThreads):
// the same bytes on any machine for the same key.
func (tl *Timeline) EncodeSegment(ctx context.Context, s Segment, out string) error {
	return tl.encodeSegment(ctx, s.From, s.To, out, segmentThreads, tl.opts.Progress)
}

// SegmentEncoders is how many segments EncodeSegments encodes at a time: one per drawing worker, at least
// two (so that one segment's encoder start and drain overlap another's frames) and at most four (each
// segment being drawn holds its own frame buffers, up to a render's worth).
func (tl *Timeline) SegmentEncoders() int {
	return min(max(2, tl.opts.workers()), 4)
}

// EncodeSegments encodes segs (EncodeSegment), SegmentEncoders at a time, each into a file of dir, and calls
// done with the segment and its file as each one is finished; done may be called from several goroutines at
// once. Options.Progress is called once per frame written, one call at a time, with the frames written of all
// of segs and their total. The first error stops the others and is returned.
func (tl *Timeline) EncodeSegments(ctx context.Context, segs []Segment, dir string, done func(s Segment, path string) error) error {
	total := 0
	for _, s := range segs {
		total += s.To - s.From
	}
	return tl.encodeSegments(ctx, segs, dir, 0, total, done)
}

// encodeSegments is EncodeSegments reporting progress as frames of a whole of total, before of them done
// before it starts (RenderReusing: the reused segments' frames).
func (tl *Timeline) encodeSegments(ctx context.Context, segs []Segment, dir string, before, total int, done func(s Segment, path string) error) error {
	var progress func(int, int)
	if report := tl.opts.Progress; report != nil {
		var mu sync.Mutex
		written := before
		progress = func(int, int) { // one frame more, of whichever segment
			mu.Lock()
			defer mu.Unlock()
			written++
			report(written, total)
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan Segment)
	var wg sync.WaitGroup
	for range min(tl.SegmentEncoders(), len(segs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range next {
				path := filepath.Join(dir, fmt.Sprintf("encoded-%04d.mp4", s.Index))
				err := tl.encodeSegment(ctx, s.From, s.To, path, segmentThreads, progress)
				if err == nil {
					err = done(s, path)
				}
				if err != nil {
					cancel(fmt.Errorf("segment %d: %w", s.Index, err))
				}
			}
		}()
	}
feed:
	for _, s := range segs {
		select {
		case next <- s:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}

// DirSegmentCache is a SegmentCache in a folder: one file per key, written whole (through a rename). Files
// are hard-linked in and out when the folders share a file system (a stored segment is never changed in
// place, only replaced), and copied otherwise.
type DirSegmentCache string

// Get implements SegmentCache.
func (d DirSegmentCache) Get(_ context.Context, key, path string) (bool, error) {
	stored := filepath.Join(string(d), key+".mp4")
	if err := os.Link(stored, path); err == nil {
		return true, nil
	}
	src, err := os.Open(stored)
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("segment cache: %w", err)
	}
	defer src.Close()
	return true, copyFile(src, path)
}

// Put implements SegmentCache.
func (d DirSegmentCache) Put(_ context.Context, key, path string) error {
	if err := os.MkdirAll(string(d), 0o755); err != nil {
		return fmt.Errorf("segment cache: %w", err)
	}
	tmp, err := os.CreateTemp(string(d), ".segment-*")
	if err != nil {
		return fmt.Errorf("segment cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	written := tmp.Name()
	if link := tmp.Name() + ".link"; os.Link(path, link) == nil { // a unique name while tmp exists
		tmp.Close()
		written = link
	} else { // another file system: copy
		src, err := os.Open(path)
		if err != nil {
			tmp.Close()
			return err
		}
		_, err = io.Copy(tmp, src)
		src.Close()
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("segment cache: %w", err)
		}
	}
	if err := os.Rename(written, filepath.Join(string(d), key+".mp4")); err != nil {
		os.Remove(written)
		return fmt.Errorf("segment cache: %w", err)
	}
	return nil
}

func copyFile(src io.Reader, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var _ SegmentCache = DirSegmentCache("")
