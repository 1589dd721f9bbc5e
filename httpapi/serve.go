package httpapi

import (
	"errors"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core/blob"
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

// serveFile is GET /files/{key...}: the blob object under key, with Range requests, Last-Modified and
// conditional requests handled by http.ServeContent. Keys are unguessable, so no API key is asked for;
// a key that is malformed (absolute, "..", control characters) is simply not found.
func (s *server) serveFile(w http.ResponseWriter, r *http.Request) {
	key := chi.URLParam(r, "*")
	if blob.ValidateKey(key) != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	obj, err := s.svc.Blob().Open(r.Context(), key)
	if err != nil {
		if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrInvalidKey) {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		noteError(r, err)
		http.Error(w, "the file could not be read", http.StatusBadGateway)
		return
	}
	defer obj.Close()
	h := w.Header()
	for k, v := range fileSecurityHeaders {
		h.Set(k, v)
	}
	h.Set("Content-Type", contentTypeOf(key, obj.ContentType()))
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, path.Base(key), obj.ModTime(), obj)
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
