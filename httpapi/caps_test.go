package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/framecast/framecast/core"
)

// Each account may keep only so many live previews and so many bytes of documents (tasks and previews
// together); past either, creating is 413 STORAGE_LIMIT_EXCEEDED with the limit in the details, deleting
// makes room again, and other accounts are not affected.
func TestPerAccountDocumentCaps(t *testing.T) {
	d := doc(320, 180, 1)
	t.Run("live previews", func(t *testing.T) {
		forEachBackend(t, options{core: core.Config{MaxLivePreviews: 3}}, func(t *testing.T, e *env) {
			var ids []string
			for range 3 {
				r := e.api(t, http.MethodPost, "/api/v1/preview", d)
				wantOK(t, r, http.StatusOK)
				ids = append(ids, r.str("tempId"))
			}
			r := e.api(t, http.MethodPost, "/api/v1/preview", d)
			wantError(t, r, http.StatusRequestEntityTooLarge, "STORAGE_LIMIT_EXCEEDED")
			if r.num("details.limit") != 3 || !strings.Contains(r.str("error"), "live previews") {
				t.Fatalf("over the preview cap: %s", r.body)
			}
			_, otherKey := e.newAccount(t, "other")
			wantOK(t, e.apiAs(t, otherKey, http.MethodPost, "/api/v1/preview", d), http.StatusOK)
			wantOK(t, e.api(t, http.MethodDelete, "/api/v1/preview/"+ids[0], nil), http.StatusOK)
			wantOK(t, e.api(t, http.MethodPost, "/api/v1/preview", d), http.StatusOK)
		})
	})
	t.Run("document bytes", func(t *testing.T) {
		limit := int64(len(d))*5/2 + 10 // room for two documents, not three
		forEachBackend(t, options{core: core.Config{MaxDocumentBytes: limit}}, func(t *testing.T, e *env) {
			first := e.createTask(t, d)
			p := e.api(t, http.MethodPost, "/api/v1/preview", d) // previews count too
			wantOK(t, p, http.StatusOK)
			r := e.api(t, http.MethodPost, "/api/v1/video", map[string]any{"config": d})
			wantError(t, r, http.StatusRequestEntityTooLarge, "STORAGE_LIMIT_EXCEEDED")
			if r.num("details.limit") != float64(limit) {
				t.Fatalf("over the document cap: %s", r.body)
			}
			wantError(t, e.api(t, http.MethodPost, "/api/v1/preview/"+p.str("tempId")+"/convert", nil), http.StatusRequestEntityTooLarge, "STORAGE_LIMIT_EXCEEDED")
			wantError(t, e.api(t, http.MethodPost, "/api/v1/preview", d), http.StatusRequestEntityTooLarge, "STORAGE_LIMIT_EXCEEDED")
			_, otherKey := e.newAccount(t, "other")
			wantOK(t, e.apiAs(t, otherKey, http.MethodPost, "/api/v1/video", map[string]any{"config": d}), http.StatusCreated)
			wantOK(t, e.api(t, http.MethodDelete, "/api/v1/video/"+first, nil), http.StatusOK)
			wantOK(t, e.api(t, http.MethodPost, "/api/v1/preview/"+p.str("tempId")+"/convert", nil), http.StatusOK)
		})
	})
}
