package httpapi

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/framecast/framecast/core"
)

func TestUpload(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		img := pngBytes(t)
		// The type comes from the content: a PNG named .mp3 is an image.
		r := e.send(t, e.uploadRequest(t, part{"file", "song.mp3", img}))
		wantOK(t, r, http.StatusOK)
		assets := r.get("assets").([]any)
		a := assets[0].(map[string]any)
		if r.num("count") != 1 || a["type"] != "image" || a["mimeType"] != "image/png" || a["name"] != "song.mp3" ||
			a["width"] != 3.0 || a["height"] != 2.0 || !strings.HasPrefix(a["id"].(string), "asset_") {
			t.Fatalf("upload: %s", r.body)
		}
		served := e.get(t, strings.TrimPrefix(a["url"].(string), e.srv.URL))
		wantStatus(t, served, http.StatusOK)
		if !bytes.Equal(served.body, img) || served.header.Get("Content-Type") != "image/png" {
			t.Fatalf("served upload differs (%s)", served.header.Get("Content-Type"))
		}

		wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 64)...)
		r = e.send(t, e.uploadRequest(t, part{"files", "a.png", img}, part{"files[]", "b.wav", wav}))
		wantOK(t, r, http.StatusOK)
		if r.num("count") != 2 {
			t.Fatalf("several files: %s", r.body)
		}

		r = e.api(t, http.MethodGet, "/api/v1/files?type=image&limit=1", nil)
		wantOK(t, r, http.StatusOK)
		if r.num("pagination.total") != 2 || len(r.get("files").([]any)) != 1 {
			t.Fatalf("list images: %s", r.body)
		}
		wantError(t, e.api(t, http.MethodGet, "/api/v1/files?type=pdf", nil), http.StatusBadRequest, "INVALID_REQUEST")
		wantError(t, e.api(t, http.MethodGet, "/api/v1/files?page=x", nil), http.StatusBadRequest, "INVALID_REQUEST")

		id := a["id"].(string)
		_, other := e.newAccount(t, "mallory")
		wantError(t, e.apiAs(t, other, http.MethodDelete, "/api/v1/files/"+id, nil), http.StatusNotFound, "NOT_FOUND")
		r = e.api(t, http.MethodDelete, "/api/v1/files/"+id, nil)
		wantOK(t, r, http.StatusOK)
		if r.get("deleted") != true || r.str("fileId") != id {
			t.Fatalf("delete file: %s", r.body)
		}
		wantStatus(t, e.get(t, strings.TrimPrefix(a["url"].(string), e.srv.URL)), http.StatusNotFound)
		wantError(t, e.api(t, http.MethodDelete, "/api/v1/files/"+id, nil), http.StatusNotFound, "NOT_FOUND")
	})
}

func TestUploadErrors(t *testing.T) {
	forEachBackend(t, options{core: core.Config{MaxUploadBytes: 4096}}, func(t *testing.T, e *env) {
		elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 100)...)
		r := e.send(t, e.uploadRequest(t, part{"file", "photo.png", elf}))
		wantError(t, r, http.StatusBadRequest, "UNSUPPORTED_FILE_TYPE")
		if r.str("details.detectedType") != "executable" {
			t.Errorf("details: %s", r.body)
		}
		wantError(t, e.send(t, e.uploadRequest(t)), http.StatusBadRequest, "NO_FILES")
		wantError(t, e.send(t, e.uploadRequest(t, part{"attachment", "a.png", pngBytes(t)})), http.StatusBadRequest, "NO_FILES")
		wantError(t, e.api(t, http.MethodPost, "/api/v1/upload", `{"file": "x"}`), http.StatusBadRequest, "NO_FILES")

		// Over the file limit but within the request's room for multipart framing: core refuses it.
		big := append(pngBytes(t), make([]byte, 5000)...)
		wantError(t, e.send(t, e.uploadRequest(t, part{"file", "big.png", big})), http.StatusRequestEntityTooLarge, "STORAGE_LIMIT_EXCEEDED")
		// Far over: the request body itself is too large.
		huge := append(pngBytes(t), make([]byte, 200<<10)...)
		wantError(t, e.send(t, e.uploadRequest(t, part{"file", "huge.png", huge})), http.StatusRequestEntityTooLarge, "STORAGE_LIMIT_EXCEEDED")
		if r := e.api(t, http.MethodGet, "/api/v1/files", nil); r.num("pagination.total") != 0 {
			t.Fatalf("refused uploads were kept: %s", r.body)
		}
	})
}

func TestFileServing(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		content := []byte("0123456789abcdefghij")
		if _, err := e.blob.Put(t.Context(), "renders/x/clip.mp4", bytes.NewReader(content), ""); err != nil {
			t.Fatal(err)
		}
		req := e.request(t, http.MethodGet, "/files/renders/x/clip.mp4", nil)
		req.Header.Set("Range", "bytes=5-9")
		r := e.send(t, req)
		wantStatus(t, r, http.StatusPartialContent)
		if string(r.body) != "56789" || r.header.Get("Content-Range") != "bytes 5-9/20" {
			t.Fatalf("range: %q %q", r.body, r.header.Get("Content-Range"))
		}
		if ct := r.header.Get("Content-Type"); ct != "video/mp4" {
			t.Errorf("Content-Type by extension = %q", ct)
		}
		if r.header.Get("Last-Modified") == "" || r.header.Get("Accept-Ranges") != "bytes" {
			t.Errorf("headers: %v", r.header)
		}
		for _, path := range []string{"/files/../go.mod", "/files/renders/x/../../../etc/passwd", "/files/renders/x/clip.mp4.content-type",
			"/files/%2e%2e/%2e%2e/etc/passwd", "/files/", "/files/nothing"} {
			req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.URL.Opaque = path // sent as is, not cleaned by the client
			if r := e.send(t, req); r.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", path, r.status)
			}
		}
	})
}

func TestCapabilitiesHealthAndSchema(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		r := e.get(t, "/api/v1/capabilities") // no key needed
		wantOK(t, r, http.StatusOK)
		if r.str("apiVersion") != "v1" || r.str("schema.version") != "2.0.0" || r.str("render.qualitySelection") != "auto" {
			t.Fatalf("capabilities: %s", r.body)
		}
		if types, _ := r.get("schema.clipTypes").([]any); len(types) < 10 {
			t.Fatalf("clipTypes: %s", r.body)
		}
		schema := e.get(t, strings.TrimPrefix(r.str("docs.schema"), e.srv.URL))
		wantStatus(t, schema, http.StatusOK)
		if schema.json["$schema"] == nil && schema.json["properties"] == nil && schema.json["$defs"] == nil {
			t.Errorf("schema body: %.200s", schema.body)
		}

		guide := e.get(t, strings.TrimPrefix(r.str("docs.documentation"), e.srv.URL))
		wantStatus(t, guide, http.StatusOK)
		if !strings.Contains(string(guide.body), "## Clip types") {
			t.Errorf("the documentation link does not serve the document guide: %.200s", guide.body)
		}

		if r := e.get(t, "/healthz"); r.status != http.StatusOK || r.str("status") != "ok" {
			t.Fatalf("healthz: %d %s", r.status, r.body)
		}
		if r := e.get(t, "/readyz"); r.status != http.StatusOK || r.str("status") != "ok" {
			t.Fatalf("readyz: %d %s", r.status, r.body)
		}
		e.store.Close()
		if r := e.get(t, "/readyz"); r.status != http.StatusServiceUnavailable || r.str("status") != "unavailable" {
			t.Fatalf("readyz with the database closed: %d %s", r.status, r.body)
		}
		wantStatus(t, e.get(t, "/healthz"), http.StatusOK)
	})
}
