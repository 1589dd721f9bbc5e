package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// createPreview is POST /api/v1/preview; the body is the bare document.
func (s *server) createPreview(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.CreatePreview(r.Context(), accountID(r), body)
	respond(w, r, http.StatusOK, res, err)
}

// getPreview is GET /api/v1/preview/{tempId}.
func (s *server) getPreview(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.GetPreview(r.Context(), accountID(r), chi.URLParam(r, "tempId"))
	respond(w, r, http.StatusOK, res, err)
}

// deletePreview is DELETE /api/v1/preview/{tempId}.
func (s *server) deletePreview(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.DeletePreview(r.Context(), accountID(r), chi.URLParam(r, "tempId"))
	respond(w, r, http.StatusOK, res, err)
}

// convertPreview is POST /api/v1/preview/{tempId}/convert with an optional {category, metadata, title}.
func (s *server) convertPreview(w http.ResponseWriter, r *http.Request) {
	var in core.TaskOptions
	if err := decodeBody(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.ConvertPreview(r.Context(), accountID(r), chi.URLParam(r, "tempId"), in)
	respond(w, r, http.StatusOK, res, err)
}

// renderPreview is POST /api/v1/preview/{tempId}/render with an optional {category, metadata, title,
// webhook_url, num_workers}.
func (s *server) renderPreview(w http.ResponseWriter, r *http.Request) {
	var in core.RenderPreviewInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.RenderPreview(r.Context(), accountID(r), chi.URLParam(r, "tempId"), in)
	respond(w, r, http.StatusOK, res, err)
}
