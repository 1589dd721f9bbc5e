package render

import (
	"context"
	"sync"

	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

// probeCache runs ffprobe once per file for the whole render: the video look, its decoder and the audio mix
// all ask about the same sources, and each ffprobe launch costs 0.1–0.25 s. Paths are the asset cache's,
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
		e.res, e.err = ffmpeg.Probe(ctx, path)
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

// probeAudio is the audio mixer's view of a source, from the same cache.
func (tl *Timeline) probeAudio(ctx context.Context, path string) (hasAudio bool, channels int, duration float64, err error) {
	r, err := tl.probes.probe(ctx, path)
	if err != nil {
		return false, 0, 0, err
	}
	a, _ := r.Audio()
	return r.HasAudio, a.Channels, r.Duration, nil
}

// probeMediaAhead fetches and probes every video and audio source of the document at once, a few at a time,
// so that the clips, loaded one after another, and the mixer find them ready: with two videos and a music
// track that is three ffprobe launches side by side instead of in a row. Errors are left for the clip that
// needs the source to report.
func (tl *Timeline) probeMediaAhead(ctx context.Context) {
	seen := map[schemas.MediaRef]bool{}
	var refs []schemas.MediaRef
	var walk func(clips []schemas.Clip)
	walk = func(clips []schemas.Clip) {
		for _, c := range clips {
			var ref schemas.MediaRef
			switch s := c.Spec.(type) {
			case *schemas.VideoClip:
				ref = s.Src
			case *schemas.AudioClip:
				ref = s.Src
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
	if len(refs) < 2 {
		return // nothing to overlap
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, ref := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if path, err := tl.fetch(ctx, ref); err == nil {
				_, _ = tl.probes.probe(ctx, path)
			}
		}()
	}
	wg.Wait()
}
