package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// createTask is POST /api/v1/video: {"config": <document>, metadata?, title?, category?} → 201.
func (s *server) createTask(w http.ResponseWriter, r *http.Request) {
	var in core.CreateTaskInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.CreateTask(r.Context(), accountID(r), in)
	respond(w, r, http.StatusCreated, res, err)
}

// listTasks is GET /api/v1/video?page&limit&status&category.
func (s *server) listTasks(w http.ResponseWriter, r *http.Request) {
	page, err := queryPage(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	res, err := s.svc.ListTasks(r.Context(), accountID(r), core.ListTasksInput{PageInput: page, Status: core.TaskStatus(q.Get("status")), Category: q.Get("category")})
	respond(w, r, http.StatusOK, res, err)
}

// getTask is GET /api/v1/video/{taskId}.
func (s *server) getTask(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.GetTask(r.Context(), accountID(r), chi.URLParam(r, "taskId"))
	respond(w, r, http.StatusOK, res, err)
}

// getTaskConfig is GET /api/v1/video/{taskId}/config, the task's configUrl: the stored video document
// itself, unwrapped, so that it can be saved and posted again as is.
func (s *server) getTaskConfig(w http.ResponseWriter, r *http.Request) {
	doc, err := s.svc.GetTaskConfig(r.Context(), accountID(r), chi.URLParam(r, "taskId"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeRawJSON(w, http.StatusOK, doc)
}

// deleteTask is DELETE /api/v1/video/{taskId}.
func (s *server) deleteTask(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.DeleteTask(r.Context(), accountID(r), chi.URLParam(r, "taskId"))
	respond(w, r, http.StatusOK, res, err)
}

// renderTask is POST /api/v1/video/{taskId}/render with an optional {"webhook_url", "num_workers"} body.
func (s *server) renderTask(w http.ResponseWriter, r *http.Request) {
	var in core.RenderInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.RenderTask(r.Context(), accountID(r), chi.URLParam(r, "taskId"), in)
	respond(w, r, http.StatusOK, res, err)
}

// listWebhooks is GET /api/v1/video/{taskId}/webhooks (Framecast's addition): the webhook delivery
// attempts of one of the account's tasks.
func (s *server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.GetWebhookAttempts(r.Context(), accountID(r), chi.URLParam(r, "taskId"))
	respond(w, r, http.StatusOK, res, err)
}
