package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// createTask is POST /api/v1/video: {"config": <document>, metadata?, title?, category?} → 201.
func (s *server) createTask(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.CreateTaskRaw(r.Context(), accountID(r), body)
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
	res, err := s.svc.ListTasks(r.Context(), accountID(r), core.ListTasksInput{PageInput: page, Status: q.Get("status"), Category: q.Get("category")})
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

// webhookAttemptView is one webhook delivery attempt as GET /api/v1/video/{taskId}/webhooks shows it.
type webhookAttemptView struct {
	ID           string `json:"id"`
	RenderTaskID string `json:"renderTaskId"`
	WebhookID    string `json:"webhookId"`
	URL          string `json:"url"`
	Attempt      int    `json:"attempt"`
	StatusCode   int    `json:"statusCode"` // 0 when the endpoint did not answer
	Error        string `json:"error,omitempty"`
	DurationMS   int64  `json:"durationMs"`
	CreatedAt    string `json:"createdAt"`
}

// webhooksResult is the body of GET /api/v1/video/{taskId}/webhooks.
type webhooksResult struct {
	Success  bool                 `json:"success"`
	TaskID   string               `json:"taskId"`
	Attempts []webhookAttemptView `json:"attempts"` // oldest first
}

// listWebhooks is GET /api/v1/video/{taskId}/webhooks (Framecast's addition): the webhook delivery
// attempts of one of the account's tasks.
func (s *server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	taskID := chi.URLParam(r, "taskId")
	// The attempts query answers an empty list for a task that is not the account's; asking for the task
	// first gives such a request its NOT_FOUND.
	if _, err := s.svc.GetTask(r.Context(), accountID(r), taskID); err != nil {
		writeError(w, r, err)
		return
	}
	attempts, err := s.svc.ListWebhookAttempts(r.Context(), accountID(r), taskID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res := webhooksResult{Success: true, TaskID: taskID, Attempts: make([]webhookAttemptView, len(attempts))}
	for i, a := range attempts {
		res.Attempts[i] = webhookAttemptView{ID: a.ID, RenderTaskID: a.RenderTaskID, WebhookID: a.WebhookID, URL: a.URL,
			Attempt: a.Attempt, StatusCode: a.StatusCode, Error: a.Error, DurationMS: a.DurationMS,
			CreatedAt: a.CreatedAt.UTC().Format(timeLayout)}
	}
	writeJSON(w, http.StatusOK, res)
}

// timeLayout is the API's timestamp form (core's): RFC 3339 UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"
