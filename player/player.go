// Package player serves Framecast's public player pages: the links a preview or a task hands out
// (previewUrl, viewerUrl) for customers and teammates to look at a video before and after it is rendered.
//
// Every picture on these pages comes from the engine that renders the final video: a still is one frame
// drawn by the engine (a JPEG from the frame endpoint), and Play plays a proxy, an ordinary render of the
// same document at a smaller size and frame rate. Nothing is re-implemented in the browser, so what people
// see is what the render will produce.
//
// The pages are plain server-rendered HTML (html/template) with a small vanilla script and style sheet
// embedded in the binary: no build step, no CDN, and they work offline. Pages need no API key: their ids
// are unguessable, as in the original service.
//
// Routes (Register adds them to a chi router):
//
//	GET /t/{tempId}                  the clean preview player (410 with an expiry page once expired or deleted)
//	GET /preview/{tempId}            the player with details: size, fps, duration, warnings, cost, the document
//	GET /t/{tempId}/frame?t=&w=      one engine-drawn frame as JPEG (cached, rate-limited per client)
//	GET /t/{tempId}/proxy            the proxy's state as JSON {ready, progress, url, err}, starting its render
//	GET /v/{taskId}, /viewer/{taskId} the task page: status, live progress, the video, or the error
//	GET /v/{taskId}/frame, /proxy    as for previews, for the task's document
//	GET /v/{taskId}/status           the task's state as JSON {status, progress, videoUrl, thumbnailUrl, error}
//	GET /player/static/{file}        the embedded script and style sheet
package player

import (
	"context"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/preview"
)

// Renderer draws what the pages show with the real engine. *preview.Service is one.
type Renderer interface {
	// Proxy returns the state of the proxy render of doc (cached under key), starting it when there is
	// none yet. It does not wait: the page polls until the proxy is ready.
	Proxy(ctx context.Context, key string, doc []byte) (preview.Status, error)
	// Frame returns the frame of doc shown at t seconds as a JPEG width px wide.
	Frame(ctx context.Context, doc []byte, t float64, width int) ([]byte, error)
}

// Limiter decides whether the client key (an IP address) may make one more request now; when it may not,
// retryAfter is how many seconds to wait. A token bucket per key is the usual implementation.
type Limiter func(key string) (ok bool, retryAfter int)

// Per-client-IP limits of the pages' endpoints (Config.WithLimits). A scrub asks for frames as fast as the
// engine draws them, one at a time; the pages poll their JSON about once a second.
const (
	FrameRateLimit  = 20 // frames per second per client IP
	FrameRateBurst  = 40
	StatusRateLimit = 5 // proxy and task status polls per second per client IP
	StatusRateBurst = 20
)

// Config is what the pages need besides the service. Zero fields are valid.
type Config struct {
	// Renderer draws frames and proxies; nil shows the pages without pictures.
	Renderer Renderer
	// FrameLimit limits the frame endpoint per client IP; nil does not limit.
	FrameLimit Limiter
	// StatusLimit limits the JSON endpoints the pages poll (proxy, status) per client IP; nil does not limit.
	StatusLimit Limiter
	// NoteError is told about failures behind error responses, for the logs (default: slog.Default()).
	NoteError func(r *http.Request, err error)
}

// WithLimits returns c with FrameLimit and StatusLimit made by newLimiter (such as httpapi.NewLimiter) at
// this package's rates.
func (c Config) WithLimits(newLimiter func(rate float64, burst int) func(key string) (ok bool, retryAfter int)) Config {
	c.FrameLimit = newLimiter(FrameRateLimit, FrameRateBurst)
	c.StatusLimit = newLimiter(StatusRateLimit, StatusRateBurst)
	return c
}

// Player serves the pages. Create it with New.
type Player struct {
	svc   Service
	cfg   Config
	pages *template.Template
}

// New returns the pages over svc.
func New(svc Service, cfg Config) *Player {
	if cfg.NoteError == nil {
		cfg.NoteError = func(r *http.Request, err error) {
			slog.Default().Warn("player page failed", "path", r.URL.Path, "err", err)
		}
	}
	if c, ok := cfg.Renderer.(core.ProxyCanceller); ok {
		svc.SetProxyCanceller(c) // deleting a preview or task stops its proxy render
	}
	return &Player{svc: svc, cfg: cfg, pages: pageTemplates}
}

// Register adds the pages' routes (listed in the package documentation) to r.
func (p *Player) Register(r chi.Router) {
	previews, tasks := p.previewSource(), p.taskSource()
	r.Get("/t/{id}", p.previewPage(false))
	r.Get("/preview/{id}", p.previewPage(true))
	r.Get("/v/{id}", p.taskPage(false))
	r.Get("/viewer/{id}", p.taskPage(true))
	for _, src := range []source{previews, tasks} {
		r.Get(src.base+"{id}/frame", p.frame(src))
		r.Get(src.base+"{id}/proxy", p.proxy(src))
	}
	r.Get("/v/{id}/status", p.taskStatus)
	r.Get(staticPath+"{file}", serveStatic)
}

// source is where the documents of one kind of page come from.
type source struct {
	base     string // URL prefix of the page and its endpoints, such as "/t/"
	proxyKey string // prefix of the Renderer's proxy key
	missing  int    // the status of an unknown id: 410 for previews (expired), 404 for tasks
	load     func(ctx context.Context, id string) (json.RawMessage, error)
}

func (p *Player) previewSource() source {
	return source{base: "/t/", proxyKey: core.PreviewProxyKey(""), missing: http.StatusGone,
		load: func(ctx context.Context, id string) (json.RawMessage, error) {
			pv, err := p.svc.PublicPreview(ctx, id)
			return pv.Config, err
		}}
}

func (p *Player) taskSource() source {
	return source{base: "/v/", proxyKey: core.TaskProxyKey(""), missing: http.StatusNotFound,
		load: func(ctx context.Context, id string) (json.RawMessage, error) {
			_, doc, err := p.svc.PublicTask(ctx, id)
			return doc, err
		}}
}
