package player

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/preview"
	"github.com/framecast/framecast/schemas"
)

// PosterWidth is the width of the poster frame a page shows before its script runs.
const PosterWidth = 960

// pageSecurityPolicy allows the page's own script, styles, frames and JSON, and videos and images from
// anywhere (the files' public URL may be another host).
const pageSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'self' data: *; media-src 'self' blob: *; base-uri 'none'; form-action 'none'"

// page is what the page template shows.
type page struct {
	Title   string
	Heading string
	Notice  *notice     // a message page (expired, not found, unavailable) instead of a player
	Player  *playerView // the engine-frame player, nil for none
	Task    *taskView   // the task's state, on task pages
	Details *details    // facts and the document, on detail pages
	CSS, JS string      // URLs of the embedded assets
}

// notice is a page that only says something.
type notice struct{ Text string }

// playerView configures the player: the script reads these as data attributes.
type playerView struct {
	FrameURL, ProxyURL string // endpoints, without query
	PosterURL          string
	Width, Height      int // the document's size: the stage's aspect ratio
	FPS, Duration      float64
	Proxy              proxyState // as the page was made
}

// proxyState is the JSON of the proxy endpoint, and the player's starting point.
type proxyState struct {
	Ready    bool    `json:"ready"`
	Progress float64 `json:"progress"` // 0..1 while not ready
	URL      string  `json:"url,omitempty"`
	Err      string  `json:"err,omitempty"`
	// PartialURL, while the proxy renders, plays its first PartialSeconds (without sound).
	PartialURL     string  `json:"partialUrl,omitempty"`
	PartialSeconds float64 `json:"partialSeconds,omitempty"`
}

// taskView is the task part of a task page, and the JSON of /v/{id}/status.
type taskView struct {
	Status       core.TaskStatus `json:"status"`
	Progress     *float64        `json:"progress,omitempty"`
	VideoURL     string          `json:"videoUrl,omitempty"`
	ThumbnailURL string          `json:"thumbnailUrl,omitempty"`
	Error        string          `json:"error,omitempty"`
	StatusURL    string          `json:"-"`
}

// details are the facts of a detail page.
type details struct {
	Facts    [][2]string // label, value
	Warnings []string
	Document string // indented JSON
}

// Percent is the task's progress as a whole percentage.
func (t *taskView) Percent() int {
	if t.Progress == nil {
		return 0
	}
	return int(100*min(max(*t.Progress, 0), 1) + 0.5)
}

// Label says where the task stands, for people.
func (t *taskView) Label() string {
	switch t.Status {
	case core.TaskCompleted:
		return "Rendered"
	case core.TaskRendering:
		return fmt.Sprintf("Rendering… %d%%", t.Percent())
	case core.TaskFailed:
		return "The render failed"
	}
	return "Not rendered yet"
}

// previewPage serves /t/{id} (the clean player) and, with details, /preview/{id}. An expired, deleted or
// unknown preview is 410 Gone with an expiry page: core does not tell them apart, and ids are
// unguessable, so an unknown id is almost always one that expired.
func (p *Player) previewPage(withDetails bool) http.HandlerFunc {
	src := p.previewSource()
	return func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "id")
		pv, err := p.svc.PublicPreview(r.Context(), id)
		if err != nil {
			p.writeLookupError(w, r, err, src)
			return
		}
		pg := p.newPage("Preview", pv.Config)
		pg.Player = p.playerView(r, src, id, pv.Config)
		if withDetails {
			pg.Details = p.details(pv.Config, "Expires", pv.ExpiresAt)
		}
		p.writePage(w, r, http.StatusOK, pg)
	}
}

// taskPage serves /v/{id} and, with details, /viewer/{id}: the video once rendered, otherwise the task's
// state above the player of its document.
func (p *Player) taskPage(withDetails bool) http.HandlerFunc {
	src := p.taskSource()
	return func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "id")
		t, doc, err := p.svc.PublicTask(r.Context(), id)
		if err != nil {
			p.writeLookupError(w, r, err, src)
			return
		}
		pg := p.newPage("Video", doc)
		if t.Title != "" {
			pg.Title, pg.Heading = t.Title, t.Title
		}
		pg.Task = newTaskView(t)
		pg.Task.StatusURL = "/v/" + id + "/status"
		if t.Status != core.TaskCompleted {
			pg.Player = p.playerView(r, src, id, doc)
		}
		if withDetails {
			pg.Details = p.details(doc, "Created", t.CreatedAt)
		}
		p.writePage(w, r, http.StatusOK, pg)
	}
}

// newTaskView shows the public state of a task.
func newTaskView(t core.TaskView) *taskView {
	return &taskView{Status: t.Status, Progress: t.Progress, VideoURL: t.VideoURL, ThumbnailURL: t.ThumbnailURL, Error: t.Error}
}

// newPage starts a page about raw, titled by the document's title or fallback.
func (p *Player) newPage(fallback string, raw []byte) page {
	pg := page{Title: fallback, Heading: fallback, CSS: staticURL("player.css"), JS: staticURL("player.js")}
	if doc, err := schemas.Parse(raw); err == nil && doc.Meta.Title != "" {
		pg.Title, pg.Heading = doc.Meta.Title, doc.Meta.Title
	}
	return pg
}

// playerView configures the player of document raw served under src, and asks for its proxy so that
// it is being made by the time someone presses Play. Without a Renderer there is no player.
func (p *Player) playerView(r *http.Request, src source, id string, raw []byte) *playerView {
	if p.cfg.Renderer == nil {
		return nil
	}
	doc, err := schemas.Parse(raw)
	if err != nil {
		p.cfg.NoteError(r, fmt.Errorf("player: stored document %s: %w", id, err))
		return nil
	}
	base := src.base + id
	return &playerView{
		FrameURL: base + "/frame", ProxyURL: base + "/proxy",
		PosterURL: fmt.Sprintf("%s/frame?t=0&w=%d", base, min(PosterWidth, doc.Meta.Width)),
		Width:     doc.Meta.Width, Height: doc.Meta.Height, FPS: doc.Meta.FrameRate(), Duration: schemas.Duration(doc),
		Proxy: p.proxyState(r, src.proxyKey+id, raw),
	}
}

// proxyState asks the Renderer for the proxy of raw.
func (p *Player) proxyState(r *http.Request, key string, raw []byte) proxyState {
	st, err := p.cfg.Renderer.Proxy(r.Context(), key, raw)
	if err != nil {
		p.cfg.NoteError(r, fmt.Errorf("player: proxy %s: %w", key, err))
		return proxyState{Err: "the preview video could not be prepared"}
	}
	return fromStatus(st)
}

func fromStatus(st preview.Status) proxyState {
	return proxyState{Ready: st.Ready, Progress: min(max(st.Progress, 0), 1), URL: st.URL, Err: st.Err,
		PartialURL: st.PartialURL, PartialSeconds: st.PartialSeconds}
}

// details lists the facts of document raw (size, frame rate, duration, what a render costs, warnings)
// with one more fact (label, value), and the document itself.
func (p *Player) details(raw []byte, label, value string) *details {
	d := &details{Document: indentJSON(raw)}
	res := schemas.Validate(raw, p.svc.Config().Limits)
	for _, w := range res.Warnings {
		d.Warnings = append(d.Warnings, w.String())
	}
	if doc := res.Document; doc != nil {
		dur := schemas.Duration(doc)
		q, cost := core.RenderCost(doc.Meta.Width, doc.Meta.Height, dur)
		d.Facts = [][2]string{
			{"Size", fmt.Sprintf("%d × %d", doc.Meta.Width, doc.Meta.Height)},
			{"Frame rate", fmt.Sprintf("%g fps", doc.Meta.FrameRate())},
			{"Duration", fmt.Sprintf("%.2f s", dur)},
			{"Render cost", fmt.Sprintf("%d credit%s (%s)", cost, plural(cost), q.Name)},
		}
	}
	d.Facts = append(d.Facts, [2]string{label, value})
	return d
}

// writeLookupError answers a page whose object could not be found or read.
func (p *Player) writeLookupError(w http.ResponseWriter, r *http.Request, err error, src source) {
	pg := page{CSS: staticURL("player.css"), JS: staticURL("player.js")}
	status := http.StatusOK
	switch {
	case core.CodeOf(err) == core.CodeNotFound && src.missing == http.StatusGone:
		status, pg.Title, pg.Heading = http.StatusGone, "Preview expired", "This preview has expired"
		pg.Notice = &notice{"Preview links last a limited time, and this one has expired or was deleted. " +
			"Ask for a new link, or convert previews you want to keep into tasks."}
	case core.CodeOf(err) == core.CodeNotFound:
		status, pg.Title, pg.Heading = http.StatusNotFound, "Video not found", "Video not found"
		pg.Notice = &notice{"There is no video at this address: it was deleted, or the link is wrong."}
	default:
		e := core.AsError(err)
		p.cfg.NoteError(r, e)
		status, pg.Title, pg.Heading = failureStatus(e), "Temporarily unavailable", "Temporarily unavailable"
		pg.Notice = &notice{"This page cannot be shown right now; try again in a moment."}
	}
	p.writePage(w, r, status, pg)
}

// writePage renders pg as HTML with status.
func (p *Player) writePage(w http.ResponseWriter, r *http.Request, status int, pg page) {
	var buf bytes.Buffer
	if err := p.pages.ExecuteTemplate(&buf, "page.html", pg); err != nil {
		p.cfg.NoteError(r, fmt.Errorf("player: page template: %w", err))
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

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}
