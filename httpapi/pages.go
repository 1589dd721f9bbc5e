package httpapi

import (
	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core/preview"
	"github.com/framecast/framecast/player"
)

// ProxyRenderer draws what the player pages show with the render engine: single frames and quick,
// low-resolution proxy renders. *preview.Service is one.
type ProxyRenderer = player.Renderer

// ProxyStatus is how far a proxy render is.
type ProxyStatus = preview.Status

// Per-client-IP limits of the player pages' endpoints. A scrub asks for frames as fast as the engine draws
// them, one at a time; the pages poll their JSON about once a second.
const (
	FrameRateLimit  = 20 // frames per second per client IP
	FrameRateBurst  = 40
	StatusRateLimit = 5 // proxy and task status polls per second per client IP
	StatusRateBurst = 20
)

// mountPages adds the public player pages (package player) to r. Their endpoints are limited per client IP
// unless Config.RateLimit is negative, which turns all rate limiting off.
func (s *server) mountPages(r chi.Router) {
	cfg := player.Config{Renderer: s.cfg.Proxies, NoteError: noteError}
	if s.cfg.RateLimit > 0 {
		cfg.FrameLimit = newRateLimiter(FrameRateLimit, FrameRateBurst).allow
		cfg.StatusLimit = newRateLimiter(StatusRateLimit, StatusRateBurst).allow
	}
	player.New(s.svc, cfg).Register(r)
}
