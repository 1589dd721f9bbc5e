package player

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/preview"
	"github.com/framecast/framecast/internal/httpjson"
	"github.com/framecast/framecast/schemas"
)

// Frame widths the endpoint accepts (core's bounds of drawn frames).
const (
	MinFrameWidth = core.MinFrameWidth
	MaxFrameWidth = core.MaxFrameWidth
)

// frameCacheControl lets browsers and proxies keep frames: a frame URL names an immutable document (a
// preview's or task's document never changes), a time and a width, so its bytes never change. The week
// matches the default preview lifetime.
const frameCacheControl = "public, max-age=604800, immutable"

// frame serves GET {base}{id}/frame?t=SECONDS&w=WIDTH: the engine's frame at t (default 0) as a JPEG
// w px wide (default the document's width, at most MaxFrameWidth).
func (p *Player) frame(src source) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, p.cfg.FrameLimit) {
			return
		}
		if p.cfg.Renderer == nil {
			http.Error(w, "frames are not available on this server", http.StatusNotFound)
			return
		}
		raw, ok := p.loadDoc(w, r, src)
		if !ok {
			return
		}
		doc, err := schemas.Parse(raw)
		if err != nil {
			p.fail(w, r, fmt.Errorf("player: stored document: %w", err))
			return
		}
		t, width, err := frameQuery(r, doc)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		jpeg, err := p.cfg.Renderer.Frame(r.Context(), raw, t, width)
		if err != nil {
			p.fail(w, r, fmt.Errorf("player: frame at %g s: %w", t, err))
			return
		}
		h := w.Header()
		h.Set("Content-Type", "image/jpeg")
		h.Set("Content-Length", strconv.Itoa(len(jpeg)))
		h.Set("Cache-Control", frameCacheControl)
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write(jpeg)
	}
}

// frameQuery reads t and w of a frame request for doc. t becomes the time of the frame the video shows at
// t (schemas.FrameTimeAt), so that the end of the scrubber shows the last frame.
func frameQuery(r *http.Request, doc *schemas.Document) (t float64, width int, err error) {
	q := r.URL.Query()
	if s := q.Get("t"); s != "" {
		t, err = strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return 0, 0, fmt.Errorf("t must be a time in seconds, 0 or more; got %q", s)
		}
	}
	t = schemas.FrameTimeAt(t, schemas.Duration(doc), doc.Meta.FrameRate())
	width = min(doc.Meta.Width, MaxFrameWidth)
	if s := q.Get("w"); s != "" {
		width, err = strconv.Atoi(s)
		if err != nil || width < MinFrameWidth || width > MaxFrameWidth {
			return 0, 0, fmt.Errorf("w must be a width in pixels from %d to %d; got %q", MinFrameWidth, MaxFrameWidth, s)
		}
	}
	return t, width, nil
}

// proxyLongPoll is how long GET {base}{id}/proxy?wait=1 holds a request while nothing changes.
const proxyLongPoll = 20 * time.Second

// proxyWaiter is a Renderer that can hold a proxy request until the render's state changes (a long poll:
// the page learns of readiness when it happens). *preview.Service is one.
type proxyWaiter interface {
	WaitProxy(ctx context.Context, key string, doc []byte, wait time.Duration) (preview.Status, error)
}

// proxy serves GET {base}{id}/proxy: the state of the document's proxy render, which it starts when there
// is none. With ?wait=1 it answers when the state changes (the first seconds playable, ready,
// failed) or after proxyLongPoll: pages ask again at once, without a polling delay.
func (p *Player) proxy(src source) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !allow(w, r, p.cfg.StatusLimit) {
			return
		}
		if p.cfg.Renderer == nil {
			httpjson.WriteUncached(w, http.StatusOK, proxyState{Err: "previews are not available on this server"})
			return
		}
		raw, ok := p.loadDoc(w, r, src)
		if !ok {
			return
		}
		key := src.proxyKey + chi.URLParam(r, "id")
		if r.URL.Query().Get("wait") == "" {
			httpjson.WriteUncached(w, http.StatusOK, p.proxyState(r, key, raw))
			return
		}
		waiter, ok := p.cfg.Renderer.(proxyWaiter)
		if !ok { // a renderer that cannot wait: a plain poll, paced here
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
				return
			}
			httpjson.WriteUncached(w, http.StatusOK, p.proxyState(r, key, raw))
			return
		}
		st, err := waiter.WaitProxy(r.Context(), key, raw, proxyLongPoll)
		if err != nil {
			p.cfg.NoteError(r, fmt.Errorf("player: proxy %s: %w", key, err))
			httpjson.WriteUncached(w, http.StatusOK, proxyState{Err: "the preview video could not be prepared"})
			return
		}
		httpjson.WriteUncached(w, http.StatusOK, fromStatus(st))
	}
}

// taskStatus serves GET /v/{id}/status: the task's public state, which the task page polls while it renders.
func (p *Player) taskStatus(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, p.cfg.StatusLimit) {
		return
	}
	t, _, err := p.svc.PublicTask(r.Context(), chi.URLParam(r, "id"))
	switch {
	case core.CodeOf(err) == core.CodeNotFound:
		httpjson.WriteUncached(w, http.StatusNotFound, map[string]string{"error": "no such task"})
	case err != nil:
		p.fail(w, r, err)
	default:
		httpjson.WriteUncached(w, http.StatusOK, newTaskView(t))
	}
}

// loadDoc loads the document of the request's id from src, or answers the request with why it cannot.
func (p *Player) loadDoc(w http.ResponseWriter, r *http.Request, src source) (json.RawMessage, bool) {
	raw, err := src.load(r.Context(), chi.URLParam(r, "id"))
	switch {
	case core.CodeOf(err) == core.CodeNotFound:
		http.Error(w, "this preview has expired or does not exist", src.missing)
		return nil, false
	case err != nil:
		p.fail(w, r, err)
		return nil, false
	}
	return raw, true
}

// fail answers a failure and notes it for the logs: 502 when a dependency failed, 500 otherwise.
func (p *Player) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := core.AsError(err)
	p.cfg.NoteError(r, err)
	if retry, ok := e.Details["retryAfter"].(int); ok {
		w.Header().Set("Retry-After", strconv.Itoa(retry))
	}
	http.Error(w, e.Message, failureStatus(e))
}

// failureStatus is the HTTP status of a failure other than a lookup's NOT_FOUND: 400 when the document
// cannot be drawn (the message names the clip and the limit), 503 when the server is busy, 502 when a
// dependency failed, 500 otherwise.
func failureStatus(e *core.Error) int {
	switch e.Code {
	case core.CodeInvalidConfig, core.CodeInvalidRequest:
		return http.StatusBadRequest
	case core.CodeServerBusy:
		return http.StatusServiceUnavailable
	case core.CodeRemoteError:
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// allow applies limit to the request's client IP; a refused request is answered 429 with Retry-After.
func allow(w http.ResponseWriter, r *http.Request, limit Limiter) bool {
	if limit == nil {
		return true
	}
	ok, retryAfter := limit(clientIP(r))
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		http.Error(w, "too many requests; slow down", http.StatusTooManyRequests)
	}
	return ok
}

// clientIP is the address the request came from. Forwarding headers are not trusted: behind a reverse
// proxy, have it rewrite RemoteAddr.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
