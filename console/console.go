// Package console is Framecast's web dashboard, served by `framecast serve` under /console: sign in with
// an API key, then see and manage the account's tasks, previews, files, API keys, webhooks and credits;
// operators (accounts flagged admin) also see every account and the render queue.
//
// It is an adapter like httpapi and player: every page calls the same core.Service operations as the API
// (no second path to the store), and core knows nothing of cookies or forms. Pages are server-rendered
// html/template with one small script and one style sheet embedded in the binary: no build step, no CDN,
// no Node at run time, and it works offline. Forms work without the script; the script adds live progress,
// drag-and-drop uploads with progress and copy buttons.
//
// # Adding a page (the seam)
//
// A page is three things, all in this package, and needs no change to the other files:
//
//  1. Routes: a file's init appends to routes a func that adds its handlers to the router it is given.
//     That router is already behind sign-in and the CSRF check: every POST, PUT, PATCH and DELETE must
//     carry the session's token (form field "csrf", or header X-CSRF-Token from fetch; every page has it
//     as .CSRF and in <meta name="csrf-token">). Paths are relative to /console.
//  2. A template web/pages/NAME.html defining "content" (and optionally "head" for more <link>s and
//     "scripts" for more <script>s). The handler shows it with c.render(w, r, "NAME", title, data), which
//     wraps it in the layout (navigation, account, sign-out). Templates get .Data, .CSRF, .Account,
//     .Operator and the func asset, the versioned URL of a static file.
//  3. Static files in web/static/, served at /console/static/NAME and cached for good through
//     {{asset "NAME"}} (a bundled editor goes there too).
//
// For example, the playground:
//
//	func init() {
//		routes = append(routes, func(c *Console, r chi.Router) {
//			r.Get("/playground", c.playground)
//			r.Post("/playground/preview", c.playgroundSave)
//		})
//	}
//
// The navigation is the nav table below; its "Playground" entry points at /console/playground. Helpers
// for handlers: c.account(r) is the signed-in account, c.ctx(r) the context to give core, c.fail(w, r,
// err) shows an error page with the status of the error's code, and c.redirect(w, r, path, notice)
// answers a form with a redirect and a notice. The Content-Security-Policy (securityHeaders) allows
// scripts and styles of this origin only: no inline script or style attribute.
//
// # Routes (under /console)
//
//	GET  /signin, POST /signin, POST /signout   sign in with an API key (a session cookie), sign out
//	GET  /                                      overview: credits, renders this week, failures, queue
//	GET  /tasks, /tasks/{id}                    tasks; one task: video, document, timeline, webhooks
//	GET  /tasks.json?ids=                       status and progress of tasks, for live progress bars
//	GET  /previews, /files, /keys, /webhooks, /credits
//	GET  /accounts, /workers                    operators only
//	GET  /static/{file}                         the embedded script, style sheet and icons
package console

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// Path is where the console is mounted.
const Path = "/console"

// Config is what the console needs besides the service. Zero fields are valid.
type Config struct {
	// StatusOf maps a core error code to an HTTP status (httpapi.StatusOf); nil uses 400 for request
	// errors, 404 for NOT_FOUND and 500 for the rest.
	StatusOf func(code string) int
	// NoteError is told about failures behind error pages, for the logs (default: slog.Default()).
	NoteError func(r *http.Request, err error)
	// Secure marks the session cookie Secure. New sets it when the service's public URL is https.
	Secure bool
}

// Console serves the dashboard. Create it with New.
type Console struct {
	svc   Service
	cfg   Config
	pages map[string]*template.Template
}

// New returns the console over svc.
func New(svc Service, cfg Config) *Console {
	if cfg.NoteError == nil {
		cfg.NoteError = func(r *http.Request, err error) {
			slog.Default().Warn("console page failed", "path", r.URL.Path, "err", err)
		}
	}
	if strings.HasPrefix(svc.Config().PublicURL, "https://") {
		cfg.Secure = true
	}
	return &Console{svc: svc, cfg: cfg, pages: pageTemplates}
}

// navItem is one entry of the navigation.
type navItem struct {
	Path     string // under /console
	Label    string
	Operator bool // shown to operators only
}

// nav is the navigation, in order. A page is highlighted when the request path starts with its Path.
var nav = []navItem{
	{Path: "/", Label: "Overview"},
	{Path: "/tasks", Label: "Tasks"},
	{Path: "/previews", Label: "Previews"},
	{Path: "/playground", Label: "Playground"},
	{Path: "/files", Label: "Files"},
	{Path: "/keys", Label: "API keys"},
	{Path: "/webhooks", Label: "Webhooks"},
	{Path: "/credits", Label: "Credits"},
	{Path: "/accounts", Label: "Accounts", Operator: true},
	{Path: "/workers", Label: "Workers", Operator: true},
}

// routes add the pages' handlers to the signed-in, CSRF-checked router (see "Adding a page").
var routes []func(c *Console, r chi.Router)

// Register mounts the console under Path on r.
func (c *Console) Register(r chi.Router) {
	r.Get(Path, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, Path+"/", http.StatusFound) })
	r.Route(Path, func(r chi.Router) {
		r.Use(securityHeaders)
		r.Get("/static/{file}", serveStatic)
		r.Group(func(r chi.Router) {
			r.Use(c.signInCSRF)
			r.Get("/signin", c.signInPage)
			r.Post("/signin", c.signIn)
		})
		r.Group(func(r chi.Router) {
			r.Use(c.requireSession, c.checkCSRF)
			r.Post("/signout", c.signOut)
			for _, add := range routes {
				add(c, r)
			}
		})
	})
}

// securityHeaders keeps the console's pages out of frames and caches and lets them load only their own
// script and style. Pictures and videos may come from the object store (FilesRedirect), hence img/media *.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src * data: blob:; media-src * blob:; script-src 'self'; "+
			"style-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// view is what every page template gets.
type view struct {
	Title    string
	Path     string // the request path under /console, for the navigation
	Account  core.Account
	Operator bool
	CSRF     string
	Nav      []navItem
	Notice   string // a message after a form, from the "notice" query parameter
	Data     any
}

// render shows page name (web/pages/NAME.html) with data inside the layout.
func (c *Console) render(w http.ResponseWriter, r *http.Request, name, title string, data any) {
	c.renderStatus(w, r, http.StatusOK, name, title, data)
}

func (c *Console) renderStatus(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := c.pages[name]
	if !ok {
		c.fail(w, r, core.Internal(errors.New("console: no page template "+name)))
		return
	}
	v := view{Title: title, Path: strings.TrimPrefix(r.URL.Path, Path), Data: data, Notice: r.URL.Query().Get("notice")}
	if s, ok := sessionFrom(r.Context()); ok {
		v.Account, v.Operator, v.CSRF = s.account, s.account.Admin, s.csrf
		for _, n := range nav {
			if !n.Operator || v.Operator {
				v.Nav = append(v.Nav, n)
			}
		}
	} else {
		v.CSRF = signInToken(r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		c.fail(w, r, core.Internal(err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows err as an error page with the status of its code.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := core.AsError(err)
	status := c.statusOf(e.Code)
	if status >= 500 {
		c.cfg.NoteError(r, err)
	}
	if t, ok := c.pages["error"]; ok && !strings.HasPrefix(e.Message, "console: no page template") {
		v := view{Title: "Error", Data: e}
		if s, ok := sessionFrom(r.Context()); ok {
			v.Account, v.Operator, v.CSRF = s.account, s.account.Admin, s.csrf
			for _, n := range nav {
				if !n.Operator || v.Operator {
					v.Nav = append(v.Nav, n)
				}
			}
		}
		var buf bytes.Buffer
		if t.ExecuteTemplate(&buf, "layout", v) == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(status)
			w.Write(buf.Bytes())
			return
		}
	}
	http.Error(w, e.Message, status)
}

// statusOf returns the HTTP status of a core error code.
func (c *Console) statusOf(code string) int {
	if c.cfg.StatusOf != nil {
		return c.cfg.StatusOf(code)
	}
	switch code {
	case core.CodeNotFound:
		return http.StatusNotFound
	case core.CodeInternal, core.CodeRemoteError:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// redirect answers a form: back to path (under /console), with notice shown on the page.
func (c *Console) redirect(w http.ResponseWriter, r *http.Request, to, notice string) {
	u := Path + to
	if notice != "" {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + "notice=" + urlQueryEscape(notice)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// account returns the signed-in account of a request behind requireSession.
func (c *Console) account(r *http.Request) core.Account {
	s, _ := sessionFrom(r.Context())
	return s.account
}

// ctx returns the request's context carrying its account id, as the API's handlers give core.
func (c *Console) ctx(r *http.Request) context.Context {
	return core.WithAccountID(r.Context(), c.account(r).ID)
}

//go:embed web
var web embed.FS

// pageTemplates are the pages of web/pages, each parsed with the layout.
var pageTemplates = parsePages()

func parsePages() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(templateFuncs).ParseFS(web, "web/layout.html"))
	names, err := fs.Glob(web, "web/pages/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		t := template.Must(template.Must(base.Clone()).ParseFS(web, name))
		out[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return out
}
