package render

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"sync"

	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/templates"
	"github.com/framecast/framecast/render/text"
	"github.com/framecast/framecast/schemas"
)

// Timeline is a document prepared for drawing: media fetched and decoded, fonts loaded, templates expanded,
// layouts arranged and the paint order fixed. Frame is safe for concurrent use.
type Timeline struct {
	Doc *schemas.Document
	// Width, Height and FPS are the output's (the document's unless Options overrode them).
	Width, Height int
	FPS           float64
	// Duration is the video's length in seconds; Frames = round(Duration × FPS).
	Duration float64
	Frames   int

	docW, docH     float64 // the document's canvas; scaleX, scaleY map it to the output
	scaleX, scaleY float64

	opts    Options
	fetcher *assets.Fetcher
	fonts   *text.Registry
	items   []*item // top-level drawables in paint order
	bg      background

	// life bounds what the timeline keeps running between frames (the video decoders' FFmpeg processes): it
	// begins with Load and ends with Close, whoever asks for frames meanwhile. A decoder started by one frame
	// request serves the next ones, so it must not die with the request that happened to start it.
	life    context.Context
	endLife context.CancelFunc
	probes  probeCache

	mu       sync.Mutex
	closers  []func() error
	warnings []string
}

// Load prepares doc for drawing. It fetches every asset the document uses (once), so a Timeline that loaded
// without error can draw every frame without network access.
func Load(ctx context.Context, doc *schemas.Document, opts Options) (*Timeline, error) {
	if doc == nil {
		return nil, fmt.Errorf("render: no document")
	}
	if doc.Meta.Width <= 0 || doc.Meta.Height <= 0 {
		return nil, fmt.Errorf("render: meta.width and meta.height must be positive")
	}
	doc, templateWarnings, err := templates.ExpandDocument(doc)
	if err != nil {
		return nil, err
	}
	tl := &Timeline{
		Doc:   doc,
		opts:  opts,
		docW:  float64(doc.Meta.Width),
		docH:  float64(doc.Meta.Height),
		fonts: text.NewRegistry(),
	}
	tl.life, tl.endLife = context.WithCancel(context.WithoutCancel(ctx))
	for _, w := range templateWarnings {
		tl.warn("%s", w)
	}
	tl.Width, tl.Height, tl.FPS = doc.Meta.Width, doc.Meta.Height, doc.Meta.FrameRate()
	switch {
	case opts.Width > 0 && opts.Height > 0:
		tl.Width, tl.Height = opts.Width, opts.Height
	case opts.Width > 0:
		tl.Width = opts.Width
		tl.Height = max(1, int(math.Round(float64(opts.Width)*tl.docH/tl.docW)))
	case opts.Height > 0:
		tl.Height = opts.Height
		tl.Width = max(1, int(math.Round(float64(opts.Height)*tl.docW/tl.docH)))
	}
	if opts.FPS > 0 {
		tl.FPS = opts.FPS
	}
	if px := tl.Width * tl.Height; px > budget.MaxFramePixels || tl.Width > budget.MaxLayerSide || tl.Height > budget.MaxLayerSide {
		return nil, docErrorf("meta", "frames of %d×%d px are %.1f million pixels; the limit is %.1f million", tl.Width, tl.Height, float64(px)/1e6, float64(budget.MaxFramePixels)/1e6)
	}
	tl.scaleX, tl.scaleY = float64(tl.Width)/tl.docW, float64(tl.Height)/tl.docH
	tl.Duration = schemas.Duration(doc)
	tl.Frames = FrameCount(tl.Duration, tl.FPS)
	if opts.Assets.CacheDir == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			opts.Assets.CacheDir = dir + "/framecast/assets"
		}
	}
	tl.fetcher = assets.NewFetcher(opts.Assets)

	// Media are fetched and probed (mostly waiting for ffprobe) while the background and fonts are prepared.
	probed := make(chan struct{})
	go func() {
		defer close(probed)
		tl.probeMediaAhead(ctx)
	}()
	if tl.bg, err = newBackground(doc.Meta.Background, tl.Width, tl.Height); err != nil {
		<-probed
		tl.endLife()
		return nil, fmt.Errorf("meta.background: %w", err)
	}
	if err := tl.loadFonts(ctx); err != nil {
		<-probed
		tl.endLife()
		return nil, err
	}
	<-probed
	canvas := motion.Box{W: tl.docW, H: tl.docH}
	var all []*item
	for ti, track := range doc.Tracks {
		var onTrack []*item
		for ci, c := range track.Clips {
			path := fmt.Sprintf("tracks[%d].clips[%d]", ti, ci)
			it, err := tl.newItem(ctx, c, canvas, path)
			if err != nil {
				tl.Close()
				return nil, err
			}
			if it == nil { // audio: heard, not drawn
				continue
			}
			it.track, it.index = ti, ci
			onTrack = append(onTrack, it)
		}
		// The clip before a transition is the one before it in time, whatever the order of the list.
		sort.SliceStable(onTrack, func(i, j int) bool { return onTrack[i].base.Start < onTrack[j].base.Start })
		for i := 1; i < len(onTrack); i++ {
			prev, it := onTrack[i-1], onTrack[i]
			if it.base.Transition != nil && motion.Adjoins(prev.base, it.base, tl.FPS) {
				prev.next = it
			}
		}
		all = append(all, onTrack...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.base.ZIndex != b.base.ZIndex {
			return a.base.ZIndex < b.base.ZIndex
		}
		if a.base.Start != b.base.Start {
			return a.base.Start < b.base.Start
		}
		if a.track != b.track {
			return a.track < b.track
		}
		return a.index < b.index
	})
	tl.items = all
	return tl, nil
}

// FrameCount is the number of frames of a video of duration seconds at fps: round(duration × fps).
func FrameCount(duration, fps float64) int { return schemas.FrameCount(duration, fps) }

// Warnings returns what went wrong without stopping the render so far.
func (tl *Timeline) Warnings() []string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return append([]string(nil), tl.warnings...)
}

func (tl *Timeline) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	tl.mu.Lock()
	for _, w := range tl.warnings {
		if w == msg {
			tl.mu.Unlock()
			return
		}
	}
	tl.warnings = append(tl.warnings, msg)
	tl.mu.Unlock()
	if tl.opts.Warn != nil {
		tl.opts.Warn(msg)
	}
}

// Close releases the decoders the timeline holds and stops their processes. Frames fail after Close.
func (tl *Timeline) Close() error {
	tl.mu.Lock()
	closers := tl.closers
	tl.closers = nil
	tl.mu.Unlock()
	var first error
	for _, c := range closers {
		if err := c(); err != nil && first == nil {
			first = err
		}
	}
	tl.endLife()
	return first
}

func (tl *Timeline) onClose(f func() error) {
	tl.mu.Lock()
	tl.closers = append(tl.closers, f)
	tl.mu.Unlock()
}

// fetch resolves a media reference ($ref or URL) and returns the local path of its content.
func (tl *Timeline) fetch(ctx context.Context, m schemas.MediaRef) (string, error) {
	src, err := tl.Doc.ResolveMedia(m)
	if err != nil {
		return "", err
	}
	return tl.fetchURL(ctx, src)
}

// fetchURL fetches src. A source the document may not use (too large, a local file where none are
// allowed, an unsupported scheme) is a DocumentError; other failures (network, cache) are the machine's and
// are marked so that documentError leaves them alone.
func (tl *Timeline) fetchURL(ctx context.Context, src string) (string, error) {
	path, err := tl.fetcher.Fetch(ctx, src)
	switch {
	case err == nil:
		return path, nil
	case errors.Is(err, assets.ErrTooLarge), errors.Is(err, assets.ErrLocalNotAllowed), errors.Is(err, assets.ErrUnsupported):
		return "", &DocumentError{Message: err.Error(), Cause: err}
	}
	return "", machineError{err}
}

func (tl *Timeline) loadFonts(ctx context.Context) error {
	if tl.Doc.Assets == nil {
		return nil
	}
	for i, f := range tl.Doc.Assets.Fonts {
		path, err := tl.fetcher.Fetch(ctx, f.Src)
		if err != nil {
			return fmt.Errorf("assets.fonts[%d] (%s): %w", i, f.Family, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("assets.fonts[%d] (%s): %w", i, f.Family, err)
		}
		weight := 400
		if f.Weight != nil {
			weight = f.Weight.Value
		}
		if err := tl.fonts.Add(f.Family, weight, f.Style == schemas.FontStyleItalic, data); err != nil {
			return fmt.Errorf("assets.fonts[%d] (%s): %w", i, f.Family, err)
		}
	}
	return nil
}
