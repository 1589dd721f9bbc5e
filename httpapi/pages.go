package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/schemas"
)

// pageRefreshSeconds is how often a page whose video is not ready yet reloads itself.
const pageRefreshSeconds = 2

// pageSecurityPolicy lets a page show its inline styles and videos and images from anywhere (the public
// URL of the files may be another host), and nothing else: no script at all.
const pageSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; media-src * data: blob:; img-src * data:"

// page is what the page template shows.
type page struct {
	Title    string
	Heading  string
	Facts    [][2]string // label, value: size, duration, …
	VideoURL string      // the video to play, "" for none
	Poster   string
	Status   string // a line about the state of the video, "" for none
	Error    string
	Refresh  bool   // reload every pageRefreshSeconds
	Document string // the document, indented, on detail pages
}

// previewPage serves /t/{tempId} (the clean player) or, with details, /preview/{tempId}. Expired, deleted
// and unknown previews answer 410 Gone with an expiry page: core does not tell them apart, and ids are
// unguessable, so an unknown id is almost always one that has expired.
func (s *server) previewPage(details bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tempID := chi.URLParam(r, "tempId")
		p, err := s.svc.PublicPreview(r.Context(), tempID)
		if core.CodeOf(err) == core.CodeNotFound {
			s.writePage(w, r, http.StatusGone, page{Title: "Preview expired", Heading: "This preview has expired",
				Status: "Preview links last a limited time, and this one has expired or was deleted. Create a new preview, or convert previews you want to keep into tasks."})
			return
		}
		if err != nil {
			s.writeErrorPage(w, r, err)
			return
		}
		pg := s.documentPage(p.Config, "Preview")
		if details {
			pg.Facts = append(pg.Facts, [2]string{"Expires", p.ExpiresAt})
			pg.Document = indentJSON(p.Config)
		}
		pv := s.proxy(r, "preview/"+tempID, p.Config)
		pg.VideoURL, pg.Status, pg.Error, pg.Refresh = pv.videoURL, pv.status, pv.err, pv.refresh
		s.writePage(w, r, http.StatusOK, pg)
	}
}

// taskPage serves /v/{taskId} (the player) or, with details, /viewer/{taskId}: the rendered video when
// the task is completed, otherwise its status (and error) above a proxy of the document.
func (s *server) taskPage(details bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		taskID := chi.URLParam(r, "taskId")
		t, doc, err := s.svc.PublicTask(r.Context(), taskID)
		if core.CodeOf(err) == core.CodeNotFound {
			s.writePage(w, r, http.StatusNotFound, page{Title: "Video not found", Heading: "Video not found",
				Status: "There is no video at this address: it was deleted, or the link is wrong."})
			return
		}
		if err != nil {
			s.writeErrorPage(w, r, err)
			return
		}
		pg := s.documentPage(doc, "Video")
		if t.Title != "" {
			pg.Title, pg.Heading = t.Title, t.Title
		}
		if details {
			pg.Facts = append(pg.Facts, [2]string{"Status", t.Status}, [2]string{"Quality", t.Quality}, [2]string{"Created", t.CreatedAt})
			pg.Document = indentJSON(doc)
		}
		switch t.Status {
		case store.TaskCompleted:
			pg.VideoURL, pg.Poster = t.VideoURL, t.ThumbnailURL
			s.writePage(w, r, http.StatusOK, pg)
			return
		case store.TaskRendering:
			progress := 0.0
			if t.Progress != nil {
				progress = *t.Progress
			}
			pg.Status, pg.Refresh = fmt.Sprintf("Rendering… %.0f%%", 100*progress), true
		case store.TaskFailed:
			pg.Status, pg.Error = "The render failed.", t.Error
		default:
			pg.Status = "Not rendered yet."
		}
		// Until the video exists, the page plays a proxy of the document.
		pv := s.proxy(r, "task/"+taskID, doc)
		pg.VideoURL, pg.Refresh = pv.videoURL, pg.Refresh || pv.refresh
		if pv.status != "" {
			pg.Status += " (" + pv.status + ")"
		}
		s.writePage(w, r, http.StatusOK, pg)
	}
}

// documentPage describes a stored document: its title, size and duration.
func (s *server) documentPage(raw json.RawMessage, fallbackTitle string) page {
	pg := page{Title: fallbackTitle, Heading: fallbackTitle}
	doc, err := schemas.Parse(raw)
	if err != nil {
		return pg
	}
	if doc.Meta.Title != "" {
		pg.Title, pg.Heading = doc.Meta.Title, doc.Meta.Title
	}
	pg.Facts = [][2]string{
		{"Size", fmt.Sprintf("%d × %d", doc.Meta.Width, doc.Meta.Height)},
		{"Duration", fmt.Sprintf("%.2f s", schemas.Duration(doc))},
		{"Frame rate", fmt.Sprintf("%g fps", doc.Meta.FrameRate())},
	}
	return pg
}

// proxyView is how a page shows the proxy render of its document.
type proxyView struct {
	videoURL string // the proxy to play, "" until it is ready
	status   string // its progress while it is being made
	err      string // why it failed
	refresh  bool   // the page should reload to pick it up
}

// proxy asks for the proxy render of doc, cached under key. Without a ProxyRenderer there is none.
func (s *server) proxy(r *http.Request, key string, doc []byte) proxyView {
	if s.cfg.Proxies == nil {
		return proxyView{}
	}
	st, err := s.cfg.Proxies.Proxy(r.Context(), key, doc)
	switch {
	case err != nil:
		noteError(r, err)
		return proxyView{err: "The preview could not be prepared."}
	case st.Err != "":
		return proxyView{err: "The preview could not be prepared: " + st.Err}
	case st.Ready:
		return proxyView{videoURL: st.URL}
	}
	return proxyView{status: fmt.Sprintf("preparing preview… %.0f%%", 100*min(max(st.Progress, 0), 1)), refresh: true}
}

// writeErrorPage answers a page request whose lookup failed for another reason than not found.
func (s *server) writeErrorPage(w http.ResponseWriter, r *http.Request, err error) {
	e := core.AsError(err)
	noteError(r, e)
	s.writePage(w, r, e.Status, page{Title: "Temporarily unavailable", Heading: "Temporarily unavailable",
		Status: "This page cannot be shown right now; try again in a moment."})
}

// writePage renders pg as HTML with status.
func (s *server) writePage(w http.ResponseWriter, r *http.Request, status int, pg page) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, pg); err != nil {
		noteError(r, err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// indentJSON returns raw indented for reading, or as it is if it is not JSON.
func indentJSON(raw []byte) string {
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") != nil {
		return string(raw)
	}
	return buf.String()
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
{{if .Refresh}}<meta http-equiv="refresh" content="` + fmt.Sprint(pageRefreshSeconds) + `">{{end}}
<title>{{.Title}} · Framecast</title>
<style>
body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#0f172a;color:#e2e8f0}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:1.4rem;margin:0 0 12px}
video{width:100%;max-height:70vh;background:#000;border-radius:8px}
.status{padding:48px 16px;text-align:center;background:#1e293b;border-radius:8px}
.error{color:#fca5a5}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;color:#94a3b8}
dd{margin:0;color:#e2e8f0}
pre{background:#1e293b;padding:12px;border-radius:8px;overflow:auto;font-size:13px}
</style>
</head>
<body>
<main>
<h1>{{.Heading}}</h1>
{{if .VideoURL}}<video controls playsinline preload="metadata" src="{{.VideoURL}}"{{if .Poster}} poster="{{.Poster}}"{{end}}></video>{{end}}
{{if .Status}}<p class="status">{{.Status}}</p>{{end}}
{{if .Error}}<p class="status error">{{.Error}}</p>{{end}}
{{if .Facts}}<dl>{{range .Facts}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>{{end}}
{{if .Document}}<details><summary>Document</summary><pre>{{.Document}}</pre></details>{{end}}
</main>
</body>
</html>
`))
