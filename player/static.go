package player

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"mime"
	"net/http"
	"path"

	"github.com/go-chi/chi/v5"
)

// web holds the page template, the script and the style sheet.
//
//go:embed web
var web embed.FS

// staticPath is where the script and style sheet are served.
const staticPath = "/player/static/"

// pageTemplates is the parsed page template.
var pageTemplates = template.Must(template.ParseFS(web, "web/page.html"))

// staticFiles are the served files by name, with a short hash of their content for cache busting.
var staticFiles = loadStatic("player.js", "player.css")

type staticFile struct {
	body    []byte
	version string
}

func loadStatic(names ...string) map[string]staticFile {
	files := map[string]staticFile{}
	for _, name := range names {
		body, err := web.ReadFile("web/" + name)
		if err != nil {
			panic("player: embedded file missing: " + name) // a build mistake, found by any test
		}
		sum := sha256.Sum256(body)
		files[name] = staticFile{body: body, version: hex.EncodeToString(sum[:6])}
	}
	return files
}

// staticURL returns the URL of the embedded file name; it changes when the file does, so it is cached for good.
func staticURL(name string) string {
	return staticPath + name + "?v=" + staticFiles[name].version
}

// serveStatic serves GET /player/static/{file}.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := staticFiles[chi.URLParam(r, "file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", mime.TypeByExtension(path.Ext(chi.URLParam(r, "file"))))
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") == f.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	w.Write(f.body)
}
