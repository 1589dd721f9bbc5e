package httpapi

import (
	"errors"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// fileSecurityHeaders are set on every served object. Uploads are user content: the sandbox keeps an
// SVG (or anything else) opened directly from running script in this origin, and nosniff keeps browsers
// from reading a file as another type than the one given.
var fileSecurityHeaders = map[string]string{
	"X-Content-Type-Options":       "nosniff",
	"Content-Security-Policy":      "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox",
	"Cross-Origin-Resource-Policy": "cross-origin",
	"Access-Control-Allow-Origin":  "*",
}

// serveFile is GET /files/{key...}: the stored object under key, with Range requests, Last-Modified and
// conditional requests handled by http.ServeContent (the object store is read only for the range asked),
// or, with the service's FilesRedirect, a 302 to a presigned URL of the object store. Keys are unguessable,
// so no API key is asked for; a key that is malformed (absolute, "..", control characters) is simply not
// found.
func (s *server) serveFile(w http.ResponseWriter, r *http.Request) {
	key := chi.URLParam(r, "*")
	f, err := s.svc.OpenStoredFile(r.Context(), key)
	if err != nil {
		if errors.Is(err, core.ErrStoredFileNotFound) {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		noteError(r, err)
		http.Error(w, "the file could not be read", http.StatusBadGateway)
		return
	}
	h := w.Header()
	if f.Redirect != "" {
		// Not cached longer than the signature lives; each request gets a fresh one.
		h.Set("Cache-Control", "private, max-age=300")
		h.Set("Access-Control-Allow-Origin", "*")
		http.Redirect(w, r, f.Redirect, http.StatusFound)
		return
	}
	defer f.Content.Close()
	for k, v := range fileSecurityHeaders {
		h.Set(k, v)
	}
	h.Set("Content-Type", contentTypeOf(key, f.ContentType))
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, path.Base(key), f.ModTime, f.Content)
}

// contentTypeOf returns the stored content type of an object, or the type of its key's extension when
// none was stored, or application/octet-stream.
func contentTypeOf(key, stored string) string {
	if stored != "" && stored != "application/octet-stream" {
		return stored
	}
	if ext := path.Ext(key); ext != "" {
		if t := mime.TypeByExtension(strings.ToLower(ext)); t != "" {
			return t
		}
	}
	return "application/octet-stream"
}
