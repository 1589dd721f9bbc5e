// Package preview makes what the player pages show before anyone pays for a render: single frames and a
// low-resolution proxy video, both drawn by the same engine as the final render, free of charge and cached.
//
// A proxy is an ordinary render of the same document at a smaller size and frame rate; it is made on first
// request, in the background, at most a few at a time, and kept in the blob store under a key derived from the
// document's content, so the same document is never rendered twice. Proxies are kept for Config.ProxyTTL:
// PurgeProxies deletes the older ones, and a proxy asked for again after that is simply rendered again.
package preview

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

// Config sets the proxies' size and how much work previews may take.
type Config struct {
	// ProxyWidth and ProxyFPS are the proxy's size and frame rate (defaults 480 and 15).
	ProxyWidth int
	ProxyFPS   float64
	// Concurrent is how many proxies render at once (default 1).
	Concurrent int
	// FrameCache is how many encoded frames are kept in memory (default 256).
	FrameCache int
	// ProxyTTL is how long a proxy is kept after it is rendered (default DefaultProxyTTL, as long as a
	// preview lives). It is not enforced by the service: whoever runs PurgeProxies passes the cutoff,
	// usually now minus ProxyTTL.
	ProxyTTL time.Duration
	// RetryFailedAfter is how long a failed proxy render is reported before a new request tries again (a
	// remote asset may have been down for a moment; default 1 minute).
	RetryFailedAfter time.Duration
	// Assets configures fetching the documents' media.
	Assets assets.Options
	// URL turns a blob key into the URL the browser loads it from.
	URL func(key string) string
	// Logger receives render failures.
	Logger *slog.Logger
	// AcquireDraw, when set, takes a slot of the process's limit of concurrent draws before a frame that is
	// not cached is drawn, and returns its release (core.Service.AcquireDraw: it waits briefly, then
	// fails with SERVER_BUSY).
	AcquireDraw func(ctx context.Context) (release func(), err error)
}

// DefaultProxyTTL is the default Config.ProxyTTL: 7 days.
const DefaultProxyTTL = 7 * 24 * time.Hour

// proxyPrefix begins the blob keys of all proxies.
const proxyPrefix = "proxies/"

// Status is where a proxy stands.
type Status struct {
	Ready    bool
	Progress float64 // 0..1 while rendering
	URL      string  // when ready
	Err      string  // when the render failed
	// PartialURL, while the proxy renders, is a playable proxy of its first PartialSeconds (without sound):
	// a page can start playing it while the rest renders.
	PartialURL     string
	PartialSeconds float64
}

// headSeconds is how much of a proxy is rendered, and published, first.
const headSeconds = 2

// Service renders and caches proxies and frames.
type Service struct {
	cfg  Config
	blob blob.Store
	sem  chan struct{}

	mu        sync.Mutex
	jobs      map[string]*job   // by proxy blob key
	owners    map[string]string // caller's object key -> proxy blob key of the render it asked for
	frames    *lru
	timelines *timelineCache

	// renders are the proxy renders in flight; stop ends them (Close).
	renders sync.WaitGroup
	base    context.Context
	stop    context.CancelFunc
	// stopStandby lets go of the standby decoders kept for the frames' random access (ffmpeg.KeepStandby).
	stopStandby func()
}

type job struct {
	progress float64
	err      string
	failedAt time.Time
	done     bool
	// owners are the callers' object keys waiting for this render (one document may be shown by several
	// previews); cancel stops the render, which CancelProxy does when the last owner is gone.
	owners   map[string]bool
	cancel   context.CancelFunc
	partial  string        // blob key of the head proxy, once written
	partialS float64       // its duration
	changed  chan struct{} // closed (and replaced) whenever the job changes
}

// touch tells the waiters of j that it changed. Call with s.mu held.
func (j *job) touch() {
	close(j.changed)
	j.changed = make(chan struct{})
}

// New returns a preview service storing proxies in b.
func New(cfg Config, b blob.Store) *Service {
	if cfg.ProxyWidth <= 0 {
		cfg.ProxyWidth = 480
	}
	if cfg.ProxyFPS <= 0 {
		cfg.ProxyFPS = 15
	}
	if cfg.Concurrent <= 0 {
		cfg.Concurrent = 1
	}
	if cfg.FrameCache <= 0 {
		cfg.FrameCache = 256
	}
	if cfg.RetryFailedAfter <= 0 {
		cfg.RetryFailedAfter = time.Minute
	}
	if cfg.ProxyTTL <= 0 {
		cfg.ProxyTTL = DefaultProxyTTL
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	base, stop := context.WithCancel(context.Background())
	return &Service{cfg: cfg, blob: b, sem: make(chan struct{}, cfg.Concurrent), jobs: map[string]*job{}, owners: map[string]string{},
		frames: newLRU(cfg.FrameCache), timelines: newTimelineCache(8), base: base, stop: stop,
		stopStandby: ffmpeg.KeepStandby()}
}

// Close stops the proxy renders in flight and waits for them, so nothing writes to the blob store after it
// returns. Proxies asked for afterwards are not rendered.
func (s *Service) Close() {
	s.mu.Lock() // Proxy starts renders under mu: none starts after this
	s.stop()
	s.mu.Unlock()
	s.renders.Wait()
	s.stopStandby()
}

// ProxyKey is the blob key of the proxy of a document: the same content gives the same key.
func (s *Service) ProxyKey(doc []byte) string {
	sum := sha256.Sum256(append([]byte(fmt.Sprintf("%d/%g/", s.cfg.ProxyWidth, s.cfg.ProxyFPS)), doc...))
	return proxyPrefix + hex.EncodeToString(sum[:16]) + ".mp4"
}

// ProxyTTL returns how long proxies are kept (Config.ProxyTTL, or its default).
func (s *Service) ProxyTTL() time.Duration { return s.cfg.ProxyTTL }

// PurgeProxies deletes the proxies last written before olderThan and reports how many it deleted. Proxies
// are shared by documents of the same content, so one is purged by its age alone, whoever still shows it.
func (s *Service) PurgeProxies(ctx context.Context, olderThan time.Time) (int, error) {
	purged := 0
	err := s.blob.List(ctx, proxyPrefix, func(info blob.Info) error {
		if !info.ModTime.Before(olderThan) {
			return nil
		}
		// Forget the finished render first, so that Proxy renders the document again rather than
		// reporting a proxy that is gone.
		s.mu.Lock()
		if j, ok := s.jobs[info.Key]; ok && j.done {
			delete(s.jobs, info.Key)
		}
		s.mu.Unlock()
		if err := s.blob.Delete(ctx, info.Key); err != nil {
			return err
		}
		purged++
		return nil
	})
	if err != nil {
		return purged, fmt.Errorf("preview: purge proxies: %w", err)
	}
	return purged, nil
}

// WaitProxy is Proxy, except that while the proxy renders it waits, at most wait, for something to change
// (the first seconds playable, ready, failed; progress alone does not wake it) before reporting: a page
// learns of readiness when it happens instead of polling every second.
func (s *Service) WaitProxy(ctx context.Context, key string, doc []byte, wait time.Duration) (Status, error) {
	st, err := s.Proxy(ctx, key, doc)
	if err != nil || st.Ready || st.Err != "" {
		return st, err
	}
	bk := s.ProxyKey(doc)
	s.mu.Lock()
	j, ok := s.jobs[bk]
	s.mu.Unlock()
	if !ok {
		return st, nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	s.mu.Lock()
	changed := j.changed
	s.mu.Unlock()
	select {
	case <-changed:
	case <-timer.C:
	case <-ctx.Done():
		return st, nil
	}
	// Report the same render without starting another: it may have been cancelled meanwhile (CancelProxy).
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.jobs[bk] != j:
		return st, nil
	case j.err != "":
		return Status{Err: j.err}, nil
	case j.done:
		return Status{Ready: true, Progress: 1, URL: s.cfg.URL(bk)}, nil
	}
	st = Status{Progress: j.progress}
	if j.partial != "" {
		st.PartialURL, st.PartialSeconds = s.cfg.URL(j.partial), j.partialS
	}
	return st, nil
}

// Proxy reports the proxy of doc, starting its render when there is none. key names the caller's object
// (such as "preview/temp_…"): the cache is by content, but a render in progress is cancelled by
// CancelProxy when every object that asked for it is gone.
func (s *Service) Proxy(ctx context.Context, key string, doc []byte) (Status, error) {
	bk := s.ProxyKey(doc)
	if obj, err := s.blob.Open(ctx, bk); err == nil {
		obj.Close()
		return Status{Ready: true, Progress: 1, URL: s.cfg.URL(bk)}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if j, ok := s.jobs[bk]; ok && (j.err == "" || time.Since(j.failedAt) < s.cfg.RetryFailedAfter) {
		if !j.done && j.err == "" {
			j.owners[key] = true
			s.owners[key] = bk
		}
		if j.err != "" {
			return Status{Err: j.err}, nil
		}
		if j.done {
			return Status{Ready: true, Progress: 1, URL: s.cfg.URL(bk)}, nil
		}
		st := Status{Progress: j.progress}
		if j.partial != "" {
			st.PartialURL, st.PartialSeconds = s.cfg.URL(j.partial), j.partialS
		}
		return st, nil
	}
	if s.base.Err() != nil {
		return Status{Err: "the preview service is shutting down"}, nil
	}
	ctx, cancel := context.WithTimeout(s.base, 30*time.Minute)
	j := &job{owners: map[string]bool{key: true}, cancel: cancel, changed: make(chan struct{})}
	s.jobs[bk] = j
	s.owners[key] = bk
	s.renders.Add(1)
	go s.renderProxy(ctx, bk, key, doc, j)
	return Status{}, nil
}

// CancelProxy tells the service that the object key (as given to Proxy) is gone, such as a deleted
// preview. When no other object waits for the same proxy, its render stops (within the engine's
// cancellation latency) and its partial output is discarded; a finished proxy is left for PurgeProxies.
func (s *Service) CancelProxy(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	bk, ok := s.owners[key]
	if !ok {
		return
	}
	delete(s.owners, key)
	j := s.jobs[bk]
	if j == nil || j.done || j.err != "" {
		return
	}
	delete(j.owners, key)
	if len(j.owners) == 0 {
		j.cancel()
		delete(s.jobs, bk) // a new request renders afresh rather than reporting the cancellation
	}
}

func (s *Service) renderProxy(ctx context.Context, bk, key string, raw []byte, j *job) {
	defer s.renders.Done()
	defer j.cancel()
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	case <-ctx.Done(): // cancelled or shut down while waiting for a turn
		s.finish(bk, key, j, ctx.Err())
		return
	}
	s.finish(bk, key, j, s.makeProxy(ctx, bk, raw, j))
}

// finish records the outcome of j's render and forgets its owners.
func (s *Service) finish(bk, key string, j *job, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer j.touch()
	for owner := range j.owners {
		if s.owners[owner] == bk {
			delete(s.owners, owner)
		}
	}
	if s.jobs[bk] != j {
		return // cancelled by CancelProxy: nothing to report
	}
	if err != nil {
		s.cfg.Logger.Warn("proxy render failed", "object", key, "err", err)
		j.err, j.failedAt = err.Error(), time.Now()
		return
	}
	j.done, j.progress = true, 1
}

// makeProxy renders the proxy on all cores. A proxy longer than headSeconds is rendered in two segments: the
// first seconds are published at once as a playable partial proxy (video only), then the rest follows and
// both are joined by stream copy with the sound, mixed meanwhile (after the head).
func (s *Service) makeProxy(ctx context.Context, bk string, raw []byte, j *job) error {
	doc, err := schemas.Parse(raw)
	if err != nil {
		return err
	}
	w := min(s.cfg.ProxyWidth, doc.Meta.Width)
	w += w % 2
	h := int(float64(w)*float64(doc.Meta.Height)/float64(doc.Meta.Width)+0.5) &^ 1
	var offset, total float64 // frames already done, and in all, for the progress of the segment drawing
	opts := render.Options{
		Assets: s.cfg.Assets, Width: w, Height: max(h, 2), FPS: min(s.cfg.ProxyFPS, doc.Meta.FrameRate()),
		Preset: "ultrafast", CRF: 28,
		SoundLater: schemas.Duration(doc) > 2*headSeconds, // mixed after the head is out: its probes wait too
		Progress: func(done, _ int) {
			s.mu.Lock()
			if total > 0 {
				j.progress = 0.95 * (offset + float64(done)) / total
			}
			s.mu.Unlock()
		},
	}
	tl, err := render.Load(ctx, doc, opts)
	if err != nil {
		return err
	}
	defer tl.Close()
	tmp, err := os.MkdirTemp("", "framecast-proxy-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "proxy.mp4")
	head := render.FrameCount(headSeconds, tl.FPS)
	if tl.Frames <= 2*head {
		total = float64(tl.Frames)
		if err := tl.Render(ctx, out); err != nil {
			return err
		}
		return s.putFile(ctx, bk, out)
	}
	total = float64(tl.Frames)

	// The sound is mixed once the first seconds are out (it is not in them): its probe and FFmpeg launches
	// would otherwise compete with the head's for the cores, and it is needed only by the final join.
	type mixResult struct {
		path string
		err  error
	}
	first, rest := filepath.Join(tmp, "head.mp4"), filepath.Join(tmp, "rest.mp4")
	if err := tl.RenderHead(ctx, head, first); err != nil {
		return err
	}
	mixing := make(chan mixResult, 1)
	go func() {
		path := filepath.Join(tmp, "audio.m4a")
		has, err := tl.MixAudio(ctx, path)
		if !has {
			path = ""
		}
		mixing <- mixResult{path, err}
	}()
	published := make(chan error, 1)
	go func() { // publish the head while the rest is drawn: it plays as it is, no remux
		headKey := strings.TrimSuffix(bk, ".mp4") + "-head.mp4"
		err := s.putFile(ctx, headKey, first)
		if err == nil {
			s.mu.Lock()
			j.partial, j.partialS = headKey, float64(head)/tl.FPS
			j.touch()
			s.mu.Unlock()
		}
		published <- err
	}()
	offset = float64(head)
	err = tl.RenderSegment(ctx, head, tl.Frames, rest)
	mix := <-mixing
	if perr := <-published; err == nil {
		err = perr
	}
	if err == nil {
		err = mix.err
	}
	if err != nil {
		return err
	}
	if err := tl.Join(ctx, []string{first, rest}, mix.path, out); err != nil {
		return err
	}
	return s.putFile(ctx, bk, out)
}

// putFile stores the MP4 at path under key.
func (s *Service) putFile(ctx context.Context, key, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = s.blob.Put(ctx, key, f, "video/mp4")
	return err
}

// Frame returns the frame of doc shown at t seconds (schemas.FrameAt) as a JPEG width px wide (0: the
// document's width, at most schemas.MaxFrameWidth), cached by content, frame and width.
func (s *Service) Frame(ctx context.Context, raw []byte, t float64, width int) ([]byte, error) {
	doc, err := schemas.Parse(raw)
	if err != nil {
		return nil, err
	}
	if width <= 0 || width > doc.Meta.Width {
		width = doc.Meta.Width
	}
	width = min(width, schemas.MaxFrameWidth)
	fps := doc.Meta.FrameRate()
	n := schemas.FrameAt(t, schemas.Duration(doc), fps)
	sum := sha256.Sum256(raw)
	key := fmt.Sprintf("%x/%d/%d", sum[:12], n, width)
	if b, ok := s.frames.get(key); ok {
		return b, nil
	}
	if s.cfg.AcquireDraw != nil {
		release, err := s.cfg.AcquireDraw(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	// Standbys replacing those this frame takes are launched once it is encoded, not beside its drawing.
	defer ffmpeg.HoldStandby()()
	tl, release, err := s.timelines.acquire(ctx, fmt.Sprintf("%x/%d", sum[:12], width), func() (*render.Timeline, error) {
		return render.Load(ctx, doc, render.Options{Assets: s.cfg.Assets, Width: width, Workers: 1, RandomAccess: true})
	})
	if err != nil {
		return nil, err
	}
	img, err := tl.Frame(ctx, float64(n)/fps)
	release()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := ffmpeg.EncodeImage(&buf, img, "jpeg", 85); err != nil {
		return nil, err
	}
	s.frames.put(key, buf.Bytes())
	return buf.Bytes(), nil
}

// timelineCache keeps loaded timelines for the next frames of a scrub. A timeline in use is never closed;
// of the idle ones, the least recently used beyond max are.
type timelineCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]*cachedTimeline
	clock   int64
}

type cachedTimeline struct {
	ready chan struct{} // closed when tl or err is set
	tl    *render.Timeline
	err   error
	refs  int
	used  int64
}

func newTimelineCache(max int) *timelineCache {
	return &timelineCache{max: max, entries: map[string]*cachedTimeline{}}
}

// acquire returns the timeline under key, loading it once however many callers ask at the same time. The
// caller calls release when done drawing.
func (c *timelineCache) acquire(ctx context.Context, key string, load func() (*render.Timeline, error)) (*render.Timeline, func(), error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &cachedTimeline{ready: make(chan struct{})}
		c.entries[key] = e
	}
	e.refs++
	c.mu.Unlock()
	if !ok {
		e.tl, e.err = load()
		close(e.ready)
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		c.release(key, e)
		return nil, nil, ctx.Err()
	}
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key) // let the next request try again
		}
		c.mu.Unlock()
		c.release(key, e)
		return nil, nil, e.err
	}
	return e.tl, func() { c.release(key, e) }, nil
}

func (c *timelineCache) release(key string, e *cachedTimeline) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.refs--
	c.clock++
	e.used = c.clock
	for len(c.entries) > c.max {
		var oldKey string
		var old *cachedTimeline
		for k, v := range c.entries {
			if v.refs == 0 && (old == nil || v.used < old.used) {
				oldKey, old = k, v
			}
		}
		if old == nil {
			return // all in use
		}
		delete(c.entries, oldKey)
		if old.tl != nil {
			old.tl.Close()
		}
	}
}

// lru is a small least-recently-used cache of encoded frames.
type lru struct {
	mu    sync.Mutex
	max   int
	order *list.List
	items map[string]*list.Element
}

type entry struct {
	key string
	val []byte
}

func newLRU(n int) *lru { return &lru{max: n, order: list.New(), items: map[string]*list.Element{}} }

func (c *lru) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*entry).val, true
	}
	return nil, false
}

func (c *lru) put(key string, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		e.Value.(*entry).val = v
		return
	}
	c.items[key] = c.order.PushFront(&entry{key, v})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		en := old.Value.(*entry)
		delete(c.items, en.key)
	}
}
