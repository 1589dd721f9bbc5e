package mcp

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"github.com/framecast/framecast/httpapi"
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

// HTTPHandlers serve MCP over HTTP for every account of a service: each request must carry an API key
// of the REST API, given in the same four ways (Authorization: Bearer or Token, X-API-Key, the api_key
// query parameter), and the tools act for that key's account.
type HTTPHandlers struct {
	// Streamable serves streamable HTTP (POST, GET and DELETE on StreamablePath). Progress notifications
	// go through an in-memory event store, so that one sent just before a tool returns is delivered and
	// a client that reconnects with Last-Event-ID gets what it missed.
	Streamable http.Handler
	// SSE serves the event stream of the HTTP+SSE transport, and Message the messages its clients post
	// (to the URL the stream announces, MessagePath with the session id).
	SSE, Message http.Handler

	svc        *core.Service
	streamable *server.StreamableHTTPServer
	sse        *server.SSEServer
	sessions   sync.Map // SSE session id → account id
}

// HTTPHandler returns the MCP HTTP handlers of svc.
//
// Protection against DNS rebinding (refusing loopback requests whose Host is not localhost) is off:
// every request needs an API key, which a rebinding web page does not have, and a reverse proxy on the
// same host commonly forwards with the public Host.
func HTTPHandler(svc *core.Service, opts Options) *HTTPHandlers {
	srv, checker := newServer(NewLocal(svc, ""), opts)
	h := &HTTPHandlers{svc: svc}
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
	h.Streamable = h.authenticate(checker.gateHTTP(h.streamable))
	h.SSE = h.authenticate(h.trackSSE(h.sse.SSEHandler()))
	h.Message = h.authenticate(h.checkSSEOwner(h.sse.MessageHandler()))
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

// authenticate admits requests with a valid API key and puts its account in the context; others get the
// REST API's JSON error with its status (401 with the authentication code).
func (h *HTTPHandlers) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		account, err := h.svc.Authenticate(r.Context(), httpapi.APIKey(r))
		if err != nil {
			writeHTTPError(w, err)
			return
		}
		next.ServeHTTP(flushWriter{w}, r.WithContext(ContextWithAccount(r.Context(), account.ID)))
	})
}

// writeHTTPError writes err as the REST API's error body.
func writeHTTPError(w http.ResponseWriter, err error) {
	e := core.AsError(err)
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	if e.Code == core.CodeMissingAPIKey || e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="framecast"`)
	}
	writeJSON(w, e.Status, ErrorBody{Error: e.Message, Code: e.Code, Details: details})
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
			writeHTTPError(w, core.NotFound("MCP session", r.URL.Query().Get("sessionId")))
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
