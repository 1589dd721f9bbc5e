package mcp

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/framecast/framecast/core"
)

// The paths HTTPHandlers.Mount serves.
const (
	StreamablePath = "/mcp"         // streamable HTTP (the current MCP transport)
	SSEPath        = "/mcp/sse"     // the SSE stream of the older HTTP+SSE transport
	MessagePath    = "/mcp/message" // where SSE clients post their messages
)

// HTTPHandlers serve MCP over HTTP for every account of a service. They are mounted behind the REST
// API's key check (httpapi.Config.Extra), which puts the key's account in each request's context
// (core.WithAccountID); the tools act for that account, and a request without one fails every tool with
// MISSING_API_KEY.
type HTTPHandlers struct {
	// Streamable serves streamable HTTP (POST, GET and DELETE on StreamablePath). Progress notifications
	// go through an in-memory event store, so that one sent just before a tool returns is delivered and
	// a client that reconnects with Last-Event-ID gets what it missed.
	Streamable http.Handler
	// SSE serves the event stream of the HTTP+SSE transport, and Message the messages its clients post
	// (to the URL the stream announces, MessagePath with the session id).
	SSE, Message http.Handler

	streamable *server.StreamableHTTPServer
	sse        *server.SSEServer
	sessions   sync.Map // SSE session id → account id
}

// HTTPHandler returns the MCP HTTP handlers of svc.
//
// Protection against DNS rebinding (refusing loopback requests whose Host is not localhost) is off:
// every request needs an API key, which a rebinding web page does not have, and a reverse proxy on the
// same host commonly forwards with the public Host.
func HTTPHandler(svc LocalService, opts Options) *HTTPHandlers {
	srv, checker := newServer(NewLocal(svc, ""), opts)
	h := &HTTPHandlers{}
	h.streamable = server.NewStreamableHTTPServer(srv,
		server.WithEventStore(server.NewInMemoryEventStore()),
		// Only the session-oriented protocol revisions are offered: mcp-go v1.2.1 replays through the event
		// store only for them, and on the stateless 2026-07-28 revision a notification sent just before a
		// tool returns can be dropped (wait_for_video's last progress notification).
		server.WithStreamableHTTPProtocolVersions(mcpgo.LegacyProtocolVersions()...),
		server.WithDisableLocalhostProtection(true),
		server.WithStreamableHTTPLogger(opts.withDefaults().Logger),
	)
	h.sse = server.NewSSEServer(srv,
		server.WithStaticBasePath(strings.TrimSuffix(SSEPath, "/sse")),
		server.WithSSEEndpoint("/sse"),
		server.WithMessageEndpoint("/message"),
		server.WithAppendQueryToMessageEndpoint(), // a key given as ?api_key= is needed on the messages too
		server.WithSSEDisableLocalhostProtection(true),
		server.WithSessionIDGenerator(h.newSSESession),
		server.WithKeepAlive(true),
	)
	h.Streamable = flushing(checker.gateHTTP(h.streamable))
	h.SSE = flushing(h.trackSSE(h.sse.SSEHandler()))
	h.Message = flushing(h.checkSSEOwner(h.sse.MessageHandler()))
	return h
}

// Mount routes StreamablePath, SSEPath and MessagePath of r to the handlers (for httpapi.Config.Extra).
func (h *HTTPHandlers) Mount(r chi.Router) {
	r.Handle(StreamablePath, h.Streamable)
	r.Handle(SSEPath, h.SSE)
	r.Handle(MessagePath, h.Message)
}

// Shutdown ends the sessions of both transports.
func (h *HTTPHandlers) Shutdown(ctx context.Context) error {
	return errors.Join(h.streamable.Shutdown(ctx), h.sse.Shutdown(ctx))
}

// flushing makes the response writer of next an http.Flusher (flushWriter).
func flushing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(flushWriter{w}, r) })
}

// flushWriter makes a wrapped ResponseWriter (such as a logging middleware's, reaching the connection
// through Unwrap) an http.Flusher, which the SSE streams need.
type flushWriter struct{ http.ResponseWriter }

// Flush sends what was written so far.
func (f flushWriter) Flush() { _ = http.NewResponseController(f.ResponseWriter).Flush() }

// Unwrap returns the wrapped writer, for http.ResponseController.
func (f flushWriter) Unwrap() http.ResponseWriter { return f.ResponseWriter }

// sseSessionKey holds, in an SSE stream request's context, where the id of its new session is written.
type sseSessionKey struct{}

// newSSESession names a new SSE session and records its account, so that only that account may post to it.
func (h *HTTPHandlers) newSSESession(ctx context.Context, r *http.Request) (string, error) {
	id := rand.Text() // 26 characters, 130 random bits
	h.sessions.Store(id, AccountFromContext(r.Context()))
	if slot, ok := r.Context().Value(sseSessionKey{}).(*string); ok {
		*slot = id
	}
	return id, nil
}

// trackSSE forgets an SSE session's account when its stream ends.
func (h *HTTPHandlers) trackSSE(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id string
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sseSessionKey{}, &id)))
		if id != "" {
			h.sessions.Delete(id)
		}
	})
}

// checkSSEOwner refuses messages posted to another account's SSE session.
func (h *HTTPHandlers) checkSSEOwner(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		owner, ok := h.sessions.Load(r.URL.Query().Get("sessionId"))
		if ok && owner != AccountFromContext(r.Context()) {
			e := core.NotFound("MCP session", r.URL.Query().Get("sessionId"))
			writeJSON(w, http.StatusNotFound, ErrorBody{Error: e.Message, Code: e.Code, Details: map[string]any{}})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writeJSON writes v as a JSON response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v) // ErrorBody always encodes
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
