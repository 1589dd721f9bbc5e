package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// createTemplate is POST /api/v1/templates: {name?, description?, config, variables} → 201.
func (s *server) createTemplate(w http.ResponseWriter, r *http.Request) {
	var in core.TemplateInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.CreateTemplate(r.Context(), accountID(r), in)
	respond(w, r, http.StatusCreated, res, err)
}

// listTemplates is GET /api/v1/templates?page&limit.
func (s *server) listTemplates(w http.ResponseWriter, r *http.Request) {
	page, err := queryPage(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.ListTemplates(r.Context(), accountID(r), page)
	respond(w, r, http.StatusOK, res, err)
}

// getTemplate is GET /api/v1/templates/{templateId}.
func (s *server) getTemplate(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.GetTemplate(r.Context(), accountID(r), chi.URLParam(r, "templateId"))
	respond(w, r, http.StatusOK, res, err)
}

// updateTemplate is PUT /api/v1/templates/{templateId}: the same body as createTemplate; the version
// goes up by one.
func (s *server) updateTemplate(w http.ResponseWriter, r *http.Request) {
	var in core.TemplateInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.UpdateTemplate(r.Context(), accountID(r), chi.URLParam(r, "templateId"), in)
	respond(w, r, http.StatusOK, res, err)
}

// deleteTemplate is DELETE /api/v1/templates/{templateId}.
func (s *server) deleteTemplate(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.DeleteTemplate(r.Context(), accountID(r), chi.URLParam(r, "templateId"))
	respond(w, r, http.StatusOK, res, err)
}

// renderTemplate is POST /api/v1/templates/{templateId}/render: {variables, webhook_url?, num_workers?,
// metadata?, title?, category?} → a new task, rendering.
func (s *server) renderTemplate(w http.ResponseWriter, r *http.Request) {
	var in core.RenderTemplateInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.RenderTemplate(r.Context(), accountID(r), chi.URLParam(r, "templateId"), in)
	respond(w, r, http.StatusOK, res, err)
}

// previewTemplate is POST /api/v1/templates/{templateId}/preview: {variables} → a preview link, as
// POST /api/v1/preview answers.
func (s *server) previewTemplate(w http.ResponseWriter, r *http.Request) {
	var in core.PreviewTemplateInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.PreviewTemplate(r.Context(), accountID(r), chi.URLParam(r, "templateId"), in)
	respond(w, r, http.StatusOK, res, err)
}
