// Package httpapi is Framecast's HTTP interface: the REST API under /api/v1 (wire-compatible with the
// RenderingVideo API and its SDKs), the public player pages, blob file serving and the health probes.
//
// It is a thin adapter over package core: every handler decodes the request, calls one core.Service
// operation with the authenticated account, and writes the typed result (or the *core.Error) as JSON.
// What the adapter adds is HTTP machinery only: API-key extraction, per-key rate limiting, body size limits,
// request ids and access logs, Idempotency-Key replay, Range-capable file serving and HTML pages.
//
// Routes:
//
//	GET  /healthz, /readyz                     liveness, and readiness (the database answers)
//	GET  /files/{key...}                       blob objects (outputs, thumbnails, uploads), no key needed
//	GET  /t/{tempId}, /preview/{tempId}        preview player pages, and the task pages /v/{taskId} and
//	GET  /v/{taskId}, /viewer/{taskId}         /viewer/{taskId} with their endpoints, when Config.Pages
//	                                           mounts them (package player)
//	GET  /schemas/video-document.schema.json   the video document's JSON Schema, and /docs its guide
//	GET  /openapi.json                         the REST API's OpenAPI 3.1 document (see below)
//	     /api/v1/...                           the REST API, API key required (but for /capabilities)
//
// The REST API is written once, in the table apiOperations (routes.go): New mounts its rows, and the
// OpenAPI document (OpenAPI, served at /openapi.json and committed as docs/openapi.json) and the
// reference (APIReference, docs/api.md) are generated from the same rows and from core's Go types. To add
// an operation: a core method, a handler, one row; then `go generate ./httpapi` rewrites the published
// copies. Tests fail when a route is not in the table (or a row not routed), when a published copy is
// stale, and when Redocly CLI finds fault with the document.
package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// Defaults of Config.
const (
	DefaultRateLimit    = 10      // requests per second per API key
	DefaultRateBurst    = 20      // requests a key may send at once
	DefaultMaxBodyBytes = 6 << 20 // JSON request bodies
)

// Config holds the HTTP layer's settings. Zero fields take the defaults listed.
type Config struct {
	// RateLimit is the sustained number of requests per second allowed per API key (default 10). A
	// negative value turns rate limiting off, including the player pages' per-IP limits.
	RateLimit float64
	// RateBurst is how many requests a key may send at once before RateLimit applies (default 20, or
	// twice RateLimit when that is larger).
	RateBurst int
	// MaxBodyBytes bounds JSON request bodies (default 6 MiB); a larger body is 413 STORAGE_LIMIT_EXCEEDED.
	MaxBodyBytes int64
	// MaxUploadBytes bounds the files of one multipart upload request together (default: the service's
	// MaxUploadBytes, which also bounds each file); the request may be 64 KiB larger for the framing.
	MaxUploadBytes int64
	// Logger receives one line per request (default slog.Default()).
	Logger *slog.Logger
	// Pages, when set, mounts the public pages (package player's Register) at the root; they need no key.
	Pages func(r chi.Router)
	// Extra, when set, is called to mount more routes (such as /mcp); they need an API key, share the
	// API's per-key rate limit and its body limits, and may stream their answers (see streamWrites).
	Extra func(r chi.Router)

	// Timeouts; zero takes the Default… constants of limits.go, where their reasons are. NewServer applies
	// the server-wide ones (ReadHeaderTimeout, IdleTimeout), the handler the per-route ones.
	ReadHeaderTimeout  time.Duration // the request line and headers
	BodyReadTimeout    time.Duration // a JSON body, read whole before the handler runs
	UploadReadTimeout  time.Duration // a multipart upload
	IdleTimeout        time.Duration // a kept-alive connection between requests
	WriteTimeout       time.Duration // a whole response, except on streaming routes
	StreamStallTimeout time.Duration // one write of a streaming route (files, MCP)

	// ObserveRequest, when set, is called after each request with its method, the route pattern that
	// served it ("/api/v1/video/{taskId}", "" when none matched), its status and duration: the hook the
	// process's metrics hang on.
	ObserveRequest func(method, route string, status int, elapsed time.Duration)
}

// withDefaults returns c with zero fields set from the defaults and the service's settings.
func (c Config) withDefaults(svc Service) Config {
	if c.RateLimit == 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.RateBurst <= 0 {
		c.RateBurst = max(DefaultRateBurst, int(2*c.RateLimit))
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = svc.Config().MaxUploadBytes
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c.withTimeouts()
}

// server holds what the handlers share.
type server struct {
	svc     Service
	cfg     Config
	limiter *rateLimiter
}

// New returns the HTTP handler of the whole service over svc.
func New(svc Service, cfg Config) http.Handler {
	cfg = cfg.withDefaults(svc)
	s := &server{svc: svc, cfg: cfg}
	if cfg.RateLimit > 0 {
		s.limiter = newRateLimiter(cfg.RateLimit, cfg.RateBurst)
	}

	r := chi.NewRouter()
	r.Use(requestID, accessLog(cfg.Logger, cfg.ObserveRequest), recoverPanic(cfg.Logger), s.writeDeadline)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, core.NewError(core.CodeNotFound, "No such endpoint: "+r.Method+" "+r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeErrorStatus(w, r, http.StatusMethodNotAllowed, core.InvalidRequest("Method %s is not allowed on %s", r.Method, r.URL.Path))
	})

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.With(s.streamWrites).Get(core.FilesPath+"*", s.serveFile)
	r.With(s.streamWrites).Head(core.FilesPath+"*", s.serveFile)
	if cfg.Pages != nil {
		cfg.Pages(r)
	}

	r.Get(core.SchemaPath, s.serveSchema)
	r.Get(core.DocsPath, s.serveDocs)

	r.Get(OpenAPIPath, s.serveOpenAPI)
	r.Route("/api/v1", s.mountAPI) // the table of routes.go

	if cfg.Extra != nil {
		r.Group(func(r chi.Router) {
			r.Use(s.authenticate, s.limitBody, s.streamWrites) // the same keys, rate and body limits as the API
			cfg.Extra(r)
		})
	}
	return r
}
