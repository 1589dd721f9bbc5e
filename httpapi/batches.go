package httpapi

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// csvMediaType is the media type of a CSV body of variable sets.
const csvMediaType = "text/csv"

// createBatch is POST /api/v1/batches, in three forms:
//   - JSON: {templateId, items: [{variables, metadata?, title?}], webhook_url?, num_workers?, category?, metadata?};
//   - a text/csv body, the other fields in the query (?templateId=…&webhook_url=…);
//   - multipart/form-data with the CSV in the part "file" and the other fields as form fields.
//
// The CSV's header row names the variables; see core.ReadCSVRows.
func (s *server) createBatch(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case csvMediaType:
		in, err := batchFields(r.URL.Query().Get)
		if err != nil {
			writeError(w, r, err)
			return
		}
		res, err := s.svc.CreateBatchFromCSV(r.Context(), accountID(r), in, r.Body)
		respond(w, r, http.StatusCreated, res, err)
	case "multipart/form-data":
		if !parseMultipart(w, r) {
			return
		}
		defer r.MultipartForm.RemoveAll()
		in, err := batchFields(r.FormValue)
		if err != nil {
			writeError(w, r, err)
			return
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			writeError(w, r, core.InvalidRequest(`send the CSV in the multipart part "file" (header row: the variable names)`))
			return
		}
		defer f.Close()
		res, err := s.svc.CreateBatchFromCSV(r.Context(), accountID(r), in, f)
		respond(w, r, http.StatusCreated, res, err)
	default:
		var in core.CreateBatchInput
		if err := decodeBody(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		res, err := s.svc.CreateBatch(r.Context(), accountID(r), in)
		respond(w, r, http.StatusCreated, res, err)
	}
}

// batchFields reads the fields of a CSV batch from the query or the form.
func batchFields(get func(string) string) (core.CreateBatchInput, error) {
	in := core.CreateBatchInput{TemplateID: get("templateId"), WebhookURL: get("webhook_url"), Category: get("category")}
	if v := get("num_workers"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return in, core.InvalidRequest("num_workers must be a whole number")
		}
		in.NumWorkers = n
	}
	if v := get("metadata"); v != "" {
		if !json.Valid([]byte(v)) || !bytes.HasPrefix(bytes.TrimSpace([]byte(v)), []byte("{")) {
			return in, core.InvalidRequest("metadata must be a JSON object")
		}
		in.Metadata = json.RawMessage(v)
	}
	return in, nil
}

// getBatch is GET /api/v1/batches/{batchId}?page&limit: counts by status, progress and a page of items.
func (s *server) getBatch(w http.ResponseWriter, r *http.Request) {
	page, err := queryPage(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.GetBatch(r.Context(), accountID(r), chi.URLParam(r, "batchId"), core.GetBatchInput{PageInput: page})
	respond(w, r, http.StatusOK, res, err)
}
