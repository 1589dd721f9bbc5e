package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/docs"
	"github.com/framecast/framecast/schemas"
)

// readyTimeout bounds the database ping of /readyz.
const readyTimeout = 2 * time.Second

// credits is GET /api/v1/credits.
func (s *server) credits(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.GetCredits(r.Context(), accountID(r))
	respond(w, r, http.StatusOK, res, err)
}

// webhookSecret is GET /api/v1/webhooks/secret (our addition): the key that signs the account's webhooks.
func (s *server) webhookSecret(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.GetWebhookSecret(r.Context(), accountID(r))
	respond(w, r, http.StatusOK, res, err)
}

// capabilities is GET /api/v1/capabilities. It describes the server only, so it needs no API key.
func (s *server) capabilities(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Capabilities(r.Context())
	respond(w, r, http.StatusOK, res, err)
}

// healthStatus is the body of /healthz and /readyz.
type healthStatus struct {
	Status string `json:"status"` // "ok" or "unavailable"
	Error  string `json:"error,omitempty"`
}

// healthz is GET /healthz: the process is up and serving.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, healthStatus{Status: "ok"})
}

// readyz is GET /readyz: the database answers a ping within readyTimeout (503 otherwise).
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		noteError(r, err)
		writeJSON(w, http.StatusServiceUnavailable, healthStatus{Status: "unavailable", Error: "database unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, healthStatus{Status: "ok"})
}

// documentSchema is the JSON Schema of the video document, generated once.
var documentSchema = sync.OnceValues(schemas.JSONSchema)

// serveSchema is GET core.SchemaPath: the JSON Schema of the video document, as the capabilities link it.
func (s *server) serveSchema(w http.ResponseWriter, r *http.Request) {
	body, err := documentSchema()
	if err != nil {
		writeError(w, r, core.Internal(fmt.Errorf("generate the document schema: %w", err)))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeRawJSON(w, http.StatusOK, body)
}

// serveDocs is GET /docs: the video document guide, in Markdown (the capabilities' docs.documentation).
func (s *server) serveDocs(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(docs.Guide)
}
