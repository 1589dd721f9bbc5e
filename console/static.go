package console

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// staticFiles are the files of web/static by name, with a short hash of their content for cache busting.
var staticFiles = loadStatic()

type staticFile struct {
	body    []byte
	version string
}

func loadStatic() map[string]staticFile {
	files := map[string]staticFile{}
	entries, err := fs.ReadDir(web, "web/static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		body, err := fs.ReadFile(web, "web/static/"+e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		files[e.Name()] = staticFile{body: body, version: hex.EncodeToString(sum[:6])}
	}
	return files
}

// assetURL returns the URL of static file name; it changes when the file does, so it is cached for good.
func assetURL(name string) (string, error) {
	f, ok := staticFiles[name]
	if !ok {
		return "", fmt.Errorf("console: no static file %s", name)
	}
	return Path + "/static/" + name + "?v=" + f.version, nil
}

// serveStatic serves GET /static/{file}.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "file")
	f, ok := staticFiles[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	if r.URL.Query().Get("v") == f.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("ETag", `"`+f.version+`"`)
	if strings.Contains(r.Header.Get("If-None-Match"), f.version) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(f.body)
}

// templateFuncs are the functions the page templates use.
var templateFuncs = template.FuncMap{
	"asset": assetURL,
	"bytes": formatBytes,
	"when":  formatTime,
	"pct": func(part, whole int64) int64 {
		if whole <= 0 {
			return 0
		}
		return min(100, part*100/whole)
	},
	"progress": func(p *float64) int {
		if p == nil {
			return 0
		}
		return int(*p*100 + 0.5)
	},
	"seconds": func(s float64) string { return fmt.Sprintf("%.1f s", s) },
	"prefix":  strings.HasPrefix,
}

// formatBytes writes n bytes the way people read them: 12.3 MB.
func formatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// formatTime writes a time in UTC to the minute ("" for the zero time); it takes a time.Time, or an RFC
// 3339 string as the API's views carry.
func formatTime(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case interface{ UTC() time.Time }:
		t = x.UTC()
	case string:
		t, _ = time.Parse(time.RFC3339Nano, x)
	}
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
