package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

// probeCache probes each file once for the whole render: the video look, its decoder and the audio mix all
// ask about the same sources (ffmpeg.Probe reads most MP4 files in Go, in a few milliseconds, and launches
// ffprobe, a fifth of a second of CPU, for the rest). Paths are the asset cache's,
// named by content, so a path stands for one content. Concurrent askers of the same path wait for one probe.
type probeCache struct {
	mu    sync.Mutex
	items map[string]*probeEntry
}

type probeEntry struct {
	done chan struct{}
	res  *ffmpeg.ProbeResult
	err  error
}

// probe returns ffprobe's view of path, probing it only the first time it is asked for. A probe cancelled by
// its caller's ctx is not kept, so the next caller probes again.
func (c *probeCache) probe(ctx context.Context, path string) (*ffmpeg.ProbeResult, error) {
	c.mu.Lock()
	if c.items == nil {
		c.items = map[string]*probeEntry{}
	}
	e, ok := c.items[path]
	if !ok {
		e = &probeEntry{done: make(chan struct{})}
		c.items[path] = e
	}
	c.mu.Unlock()
	if !ok {
		e.res, e.err = sharedProbes.probe(ctx, path)
		if e.err != nil && ctx.Err() != nil {
			c.mu.Lock()
			delete(c.items, path)
			c.mu.Unlock()
		}
		close(e.done)
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return e.res, e.err
}

// sharedProbes remembers the probes of the whole process, across timelines: a preview's proxy, its frames
// and the next preview of the same media load timelines of their own, and an ffprobe launch (seconds on a
// loaded machine) would be most of the wait for a first frame.
var sharedProbes = newProcessProbes(512)

// processProbes is a bounded cache of successful probes keyed by the identity of the file's content (see
// contentIdentity); failures are not kept.
type processProbes struct {
	mu    sync.Mutex
	max   int
	items map[string]*ffmpeg.ProbeResult
	order []string // insertion order, oldest first, for eviction
}

func newProcessProbes(max int) *processProbes {
	return &processProbes{max: max, items: map[string]*ffmpeg.ProbeResult{}}
}

// probe returns the remembered probe of path's content, or probes it.
func (p *processProbes) probe(ctx context.Context, path string) (*ffmpeg.ProbeResult, error) {
	id, ok := contentIdentity(path)
	if ok {
		p.mu.Lock()
		r := p.items[id]
		p.mu.Unlock()
		if r != nil {
			return r, nil
		}
	}
	r, err := ffmpeg.Probe(ctx, path)
	if err != nil || !ok {
		return r, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.items[id]; !dup {
		p.items[id] = r
		p.order = append(p.order, id)
		if len(p.order) > p.max {
			delete(p.items, p.order[0])
			p.order = p.order[1:]
		}
	}
	return r, nil
}

// contentIdentity names the content of the file at path: the file name itself for the asset cache's objects
// (named by the SHA-256 of their bytes), else the path with the file's size and modification time (in
// nanoseconds), which change when the file is rewritten. ok is false when the file cannot be read.
func contentIdentity(path string) (id string, ok bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	if name := filepath.Base(path); len(name) >= 64 && isHex(name[:64]) && filepath.Base(filepath.Dir(path)) == "objects" {
		return "sha256:" + name, true
	}
	return fmt.Sprintf("file:%s|%d|%d", path, fi.Size(), fi.ModTime().UnixNano()), true
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// probeAudio is the audio mixer's view of a source, from the same cache.
func (tl *Timeline) probeAudio(ctx context.Context, path string) (hasAudio bool, channels int, duration float64, err error) {
	r, err := tl.probes.probe(ctx, path)
	if err != nil {
		return false, 0, 0, err
	}
	a, _ := r.Audio()
	return r.HasAudio, a.Channels, r.Duration, nil
}

// probeMediaAhead fetches and probes every video and audio source of the document at once, a few at a time, so
// that the clips, loaded one after another, and the mixer (planned before the encoder starts) find them ready:
// with two videos and a music track that is three ffprobe launches side by side instead of in a row (and
// beside the rest of Load). A timeline for frames asked in any order (Options.RandomAccess: a preview's
// frames) fetches its audio sources but does not probe them: nothing drawn needs them, and a frame should not
// wait for the music's ffprobe launch; nor does one whose sound is mixed later (Options.SoundLater: a
// proxy's first seconds are published before its sound is mixed, and its ffprobe competed with their
// decoders' and encoder's launches for the cores). Errors are left for the clip that needs the source to report.
func (tl *Timeline) probeMediaAhead(ctx context.Context) {
	seen := map[schemas.MediaRef]bool{}
	var refs []schemas.MediaRef
	toProbe := map[schemas.MediaRef]bool{}
	var walk func(clips []schemas.Clip)
	walk = func(clips []schemas.Clip) {
		for _, c := range clips {
			var ref schemas.MediaRef
			switch s := c.Spec.(type) {
			case *schemas.VideoClip:
				ref = s.Src
				toProbe[ref] = true
			case *schemas.AudioClip:
				ref = s.Src
				toProbe[ref] = toProbe[ref] || !(tl.opts.RandomAccess || tl.opts.SoundLater)
			case *schemas.LayoutClip:
				walk(s.Children)
				continue
			default:
				continue
			}
			if !seen[ref] {
				seen[ref] = true
				refs = append(refs, ref)
			}
		}
	}
	for _, tr := range tl.Doc.Tracks {
		walk(tr.Clips)
	}
	if len(refs) == 0 {
		return
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, ref := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if path, err := tl.fetch(ctx, ref); err == nil && toProbe[ref] {
				_, _ = tl.probes.probe(ctx, path)
			}
		}()
	}
	wg.Wait()
}
