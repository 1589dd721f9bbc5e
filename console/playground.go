package console

// The playground: a document editor beside the engine's frame of it. The page
// (web/pages/playground.html) holds the editor (web/static/editor.js: CodeMirror 6 with completion and
// linting from the document JSON Schema, built ahead by scripts/build-playground.sh), a scrubber, the
// problems of the document, its cost, and the buttons that save it as a preview, create a task or render
// it. Every picture and every check comes from the service, through the operations the API and MCP use.
// Routes, under /console:
//
//	GET  /playground             the page (web/static/playground.js drives it)
//	POST /playground/draw?t=&w=  core.Service.Validate then Frames (MCP's render_frame): the problems
//	                             with their paths, the cost of a render, and the frame at t as a JPEG
//	GET  /playground/first.jpg   the starting document's first frame (Frames), named in the page's HTML
//	POST /playground/preview     core.Service.CreatePreview
//	POST /playground/task        core.Service.CreateTask
//	POST /playground/render      core.Service.CreateTask then RenderTask (charges the credits)
//	GET  /playground/task/{id}   core.Service.GetTask: status and progress, polled while a render runs
//	POST /playground/start?from= a starting point: example:NAME (package examples, its media uploaded
//	                             to the account's files) or template:NAME (schemas.Templates)
//
// The POST bodies are the document itself, as the editor holds it; the console's session and CSRF checks
// apply to them as to every console form.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"math"
	"net/http"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/examples"
	"github.com/framecast/framecast/internal/httpjson"
	"github.com/framecast/framecast/schemas"
)

// playgroundStart is the document the editor opens with.
//
//go:embed web/playground-start.json
var playgroundStart []byte

// playgroundPath is where the playground is, under Path.
const playgroundPath = "/playground"

// Frame sizes of the playground: the frame is drawn as wide as the page shows it (the script asks for its
// box's width in device pixels), within these bounds.
const (
	playgroundDefaultWidth = 640
	playgroundMaxWidth     = 1280 // a phone's or laptop's panel at 2× is at most this wide; larger costs draw time
	frameJPEGQuality       = 85   // the player pages' quality
)

func init() {
	routes = append(routes, func(c *Console, r chi.Router) {
		r.Get(playgroundPath, c.playground)
		r.Post(playgroundPath+"/start", c.playgroundStartingPoint)
		r.Post(playgroundPath+"/draw", c.playgroundDraw)
		r.Get(playgroundPath+"/first.jpg", c.playgroundFirstFrame)
		r.Post(playgroundPath+"/preview", c.playgroundSavePreview)
		r.Post(playgroundPath+"/task", c.playgroundCreateTask)
		r.Post(playgroundPath+"/render", c.playgroundRender)
		r.Get(playgroundPath+"/task/{id}", c.playgroundTaskState)
	})
}

// playgroundPage is what the page template shows.
type playgroundPage struct {
	Base      string
	Start     string // the document the editor opens with
	Examples  []startingPoint
	Templates []startingPoint
	Credits   int64
	SchemaURL string
	Width     int // the default frame width
	// FirstFrame is the URL of the starting document's first frame.
	FirstFrame string
	// StyleNonce lets the editor add its style element under the console's Content-Security-Policy.
	StyleNonce string
}

// startingPoint is one entry of the starting points' menu.
type startingPoint struct {
	Value, Label string
}

// playground serves GET /playground: the page.
func (c *Console) playground(w http.ResponseWriter, r *http.Request) {
	credits, err := c.svc.GetCredits(c.ctx(r), c.account(r).ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := playgroundPage{Base: Path + playgroundPath, Start: string(playgroundStart), Credits: credits.Credits,
		SchemaURL: core.SchemaPath, Width: playgroundDefaultWidth, StyleNonce: allowStyleElement(w),
		FirstFrame: Path + playgroundPath + "/first.jpg?v=" + playgroundStartVersion}
	for _, name := range playgroundExamples() {
		title := strings.TrimSuffix(name, path.Ext(name))
		data.Examples = append(data.Examples, startingPoint{Value: "example:" + title, Label: "Example: " + strings.ReplaceAll(title, "-", " ")})
	}
	for _, t := range schemas.Templates {
		data.Templates = append(data.Templates, startingPoint{Value: "template:" + t.Name, Label: "Template: " + t.Name + " — " + t.Description})
	}
	c.render(w, r, "playground", "Playground", data)
}

// allowStyleElement lets this response's page add one kind of inline style: <style> elements carrying the
// nonce it returns. CodeMirror writes its themes into such an element (style-mod, generated at run time),
// which the console's policy (style-src 'self', securityHeaders) would otherwise refuse; inline style
// attributes and scripts stay refused.
func allowStyleElement(w http.ResponseWriter) string {
	var b [16]byte
	rand.Read(b[:])
	nonce := base64.RawURLEncoding.EncodeToString(b[:])
	h := w.Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"),
		"style-src 'self'", "style-src 'self' 'nonce-"+nonce+"'", 1))
	return nonce
}

// playgroundExamples lists the embedded example documents' file names, sorted.
func playgroundExamples() []string {
	entries, _ := examples.FS.ReadDir(".") // the files are embedded: the directory exists
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if path.Ext(e.Name()) == ".json" {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// startingPoint serves POST /playground/start?from=example:NAME|template:NAME: the document to start
// from, as JSON text {document, note}. An example's media (its assets/… paths) are uploaded to the
// account's files, once (see withExampleMedia), and the document names them by their URLs, so that it
// draws and renders as it is; the note says so.
func (c *Console) playgroundStartingPoint(w http.ResponseWriter, r *http.Request) {
	kind, name, _ := strings.Cut(r.URL.Query().Get("from"), ":")
	var doc []byte
	note := ""
	switch kind {
	case "example":
		b, err := examples.FS.ReadFile(name + ".json")
		if err != nil || strings.ContainsAny(name, "/\\") {
			httpjson.WriteUncached(w, http.StatusNotFound, map[string]string{"error": "there is no example " + strconv.Quote(name)})
			return
		}
		doc, note, err = c.withExampleMedia(c.ctx(r), c.account(r).ID, b)
		if err != nil {
			c.failJSON(w, r, err)
			return
		}
	case "template":
		spec, ok := schemas.TemplateSpecOf(name)
		if !ok {
			httpjson.WriteUncached(w, http.StatusNotFound, map[string]string{"error": "there is no template " + strconv.Quote(name)})
			return
		}
		doc = templateStartDocument(spec)
	default:
		httpjson.WriteUncached(w, http.StatusBadRequest, map[string]string{"error": `from must be "example:NAME" or "template:NAME"`})
		return
	}
	httpjson.WriteUncached(w, http.StatusOK, map[string]string{"document": string(doc), "note": note})
}

// exampleMedia matches an example's media reference, "assets/NAME" as a JSON string.
var exampleMedia = regexp.MustCompile(`"assets/([A-Za-z0-9._-]+)"`)

// exampleUploadPrefix starts the names of the example media uploaded for the playground.
const exampleUploadPrefix = "example-"

// exampleUploadScan bounds how many of the account's newest files are looked through for example media
// uploaded before, in pages of core.MaxPageLimit.
const exampleUploadScan = 5

// withExampleMedia returns an example document whose assets/… media are replaced by the URLs of the same
// files in the account's library (named example-NAME), uploading those not there yet with core's Upload,
// and a note that says what was done.
func (c *Console) withExampleMedia(ctx context.Context, accountID string, doc []byte) ([]byte, string, error) {
	var names []string
	for _, m := range exampleMedia.FindAllSubmatch(doc, -1) {
		if name := string(m[1]); !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return doc, "", nil
	}
	// Uploaded before: the same name and size among the newest files.
	have := map[string]string{} // name and size → URL
	for page := 1; page <= exampleUploadScan; page++ {
		res, err := c.svc.ListFiles(ctx, accountID, core.ListFilesInput{PageInput: core.PageInput{Page: page, Limit: core.MaxPageLimit}})
		if err != nil {
			return nil, "", err
		}
		for _, f := range res.Files {
			have[fmt.Sprint(f.Name, "/", f.Size)] = f.URL
		}
		if page*core.MaxPageLimit >= res.Pagination.Total {
			break
		}
	}
	urls := map[string]string{}
	var upload []core.UploadFile
	var uploadNames []string
	for _, name := range names {
		body, err := examples.Assets.ReadFile("assets/" + name)
		if err != nil {
			continue // not a file of the examples: the problems list will name the path
		}
		if url, ok := have[fmt.Sprint(exampleUploadPrefix+name, "/", len(body))]; ok {
			urls[name] = url
			continue
		}
		upload = append(upload, core.UploadFile{Name: exampleUploadPrefix + name, Content: bytes.NewReader(body)})
		uploadNames = append(uploadNames, name)
	}
	if len(upload) > 0 {
		res, err := c.svc.Upload(ctx, accountID, upload)
		if err != nil {
			return nil, "", err
		}
		for i, a := range res.Assets {
			urls[uploadNames[i]] = a.URL
		}
	}
	out := exampleMedia.ReplaceAllFunc(doc, func(m []byte) []byte {
		if url, ok := urls[string(exampleMedia.FindSubmatch(m)[1])]; ok {
			q, _ := json.Marshal(url)
			return q
		}
		return m
	})
	note := fmt.Sprintf("This example's media are in your files as %s%s", exampleUploadPrefix, strings.Join(names, ", "+exampleUploadPrefix))
	if len(upload) > 0 {
		note += fmt.Sprintf(" (%d uploaded now)", len(upload))
	}
	return out, note + ".", nil
}

// templateStartDocument is a 1280 × 720 document of one clip of the template spec showing its sample data,
// without the sample's media fields (their URLs are placeholders that would not load), over a backdrop
// when the template is drawn over other clips.
func templateStartDocument(spec schemas.TemplateSpec) []byte {
	data := map[string]any{}
	for k, v := range spec.Sample {
		if f, ok := spec.Field(k); ok && strings.Contains(f.Type, "media") {
			continue
		}
		data[k] = v
	}
	clips := []any{}
	if spec.Overlay {
		clips = append(clips, map[string]any{"type": "rect", "start": 0, "duration": 5,
			"transform": map[string]any{"width": "100%", "height": "100%"},
			"style":     map[string]any{"fill": "#1e3a8a"}})
	}
	clips = append(clips, map[string]any{"type": "template", "template": spec.Name, "start": 0, "duration": 5, "zIndex": 1, "data": data})
	doc, _ := json.MarshalIndent(map[string]any{
		"meta":   map[string]any{"version": schemas.Version, "width": 1280, "height": 720, "fps": 30, "title": spec.Name},
		"tracks": []any{map[string]any{"id": "main", "clips": clips}},
	}, "", "  ")
	return doc
}

// drawResult is the answer of POST /draw.
type drawResult struct {
	// Check is the document's validation: its problems (with paths), and for a valid document its size,
	// duration and cost.
	Check core.ValidationResult `json:"check"`
	// Frame is the engine's frame at T as a data: URL of a JPEG, when the document is valid and drew.
	Frame string  `json:"frame,omitempty"`
	T     float64 `json:"t"`
	// Error says why a valid document drew no frame (the engine refused it, or the server is busy).
	Error string `json:"error,omitempty"`
	// Busy is true when the error is SERVER_BUSY: the page asks again in a moment.
	Busy bool `json:"busy,omitempty"`
}

// draw serves POST /draw?t=SECONDS&w=WIDTH with the document as the body.
func (c *Console) playgroundDraw(w http.ResponseWriter, r *http.Request) {
	doc, ok := c.readDocument(w, r)
	if !ok {
		return
	}
	ctx := c.ctx(r)
	check, err := c.svc.Validate(ctx, doc)
	if err != nil {
		c.failJSON(w, r, err)
		return
	}
	out := drawResult{Check: check}
	if !check.Valid {
		httpjson.WriteUncached(w, http.StatusOK, out)
		return
	}
	q := r.URL.Query()
	t, err := strconv.ParseFloat(q.Get("t"), 64)
	if err != nil || math.IsNaN(t) || t < 0 {
		t = 0
	}
	out.T = math.Min(t, check.Duration)
	if q.Get("frame") == "0" { // the page shows this frame already (the starting document's first frame)
		httpjson.WriteUncached(w, http.StatusOK, out)
		return
	}
	width, err := strconv.Atoi(q.Get("w"))
	if err != nil || width <= 0 {
		width = playgroundDefaultWidth
	}
	width = max(min(width, playgroundMaxWidth, check.Width), core.MinFrameWidth)
	frame, err := c.drawJPEG(ctx, c.account(r).ID, doc, out.T, width)
	if err != nil {
		if errors.Is(err, ctx.Err()) && ctx.Err() != nil {
			return // the page asked for a newer frame and left
		}
		e := core.AsError(err)
		out.Error, out.Busy = e.Message, e.Code == core.CodeServerBusy
		if problems, ok := e.Details["errors"].([]core.Problem); ok && len(problems) > 0 {
			out.Check.Errors = append(out.Check.Errors, problems...)
		}
		httpjson.WriteUncached(w, http.StatusOK, out)
		return
	}
	out.Frame = "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(frame)
	httpjson.WriteUncached(w, http.StatusOK, out)
}

// drawJPEG draws the frame of doc at t, width px wide, as a JPEG, with core's frame operation.
func (c *Console) drawJPEG(ctx context.Context, accountID string, doc []byte, t float64, width int) ([]byte, error) {
	frames, err := c.svc.Frames(ctx, accountID, core.FramesInput{Document: doc, Times: []float64{t}, Width: width})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, frames[0], &jpeg.Options{Quality: frameJPEGQuality}); err != nil {
		return nil, fmt.Errorf("console: encoding the frame: %w", err)
	}
	return buf.Bytes(), nil
}

// playgroundFirstFrame serves GET /playground/first.jpg: the starting document's frame at 0 s, which the
// page names in its HTML, so that the browser asks for it while it reads the page rather than after the
// scripts ran. The starting document is part of the binary: the URL's v names it, and it is cached.
func (c *Console) playgroundFirstFrame(w http.ResponseWriter, r *http.Request) {
	frame, err := c.drawJPEG(c.ctx(r), c.account(r).ID, playgroundStart, 0, playgroundDefaultWidth)
	if err != nil {
		c.failJSON(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/jpeg")
	if r.URL.Query().Get("v") == playgroundStartVersion {
		h.Set("Cache-Control", "private, max-age=31536000, immutable")
	}
	w.Write(frame)
}

// playgroundStartVersion names the starting document in the first frame's URL.
var playgroundStartVersion = func() string {
	sum := sha256.Sum256(playgroundStart)
	return hex.EncodeToString(sum[:6])
}()

// savePreview serves POST /preview: the document kept as a preview (free), with its player links.
func (c *Console) playgroundSavePreview(w http.ResponseWriter, r *http.Request) {
	doc, ok := c.readDocument(w, r)
	if !ok {
		return
	}
	res, err := c.svc.CreatePreview(c.ctx(r), c.account(r).ID, doc)
	c.answerJSON(w, r, res, err)
}

// createTask serves POST /task: the document stored as a task, not rendered.
func (c *Console) playgroundCreateTask(w http.ResponseWriter, r *http.Request) {
	doc, ok := c.readDocument(w, r)
	if !ok {
		return
	}
	res, err := c.svc.CreateTask(c.ctx(r), c.account(r).ID, core.CreateTaskInput{Config: doc,
		TaskOptions: core.TaskOptions{Category: playgroundCategory}})
	c.answerJSON(w, r, res, err)
}

// playgroundCategory is the category of the tasks the playground creates, to find them in the task list.
const playgroundCategory = "playground"

// playgroundRenderResult is the answer of POST /render.
type playgroundRenderResult struct {
	TaskID           string `json:"taskId"`
	Cost             int64  `json:"cost"`
	RemainingCredits int64  `json:"remainingCredits"`
	ViewerURL        string `json:"viewerUrl"`
}

// render serves POST /render: a task made of the document and its render started, which charges
// the cost shown. The page then polls /task/{id}.
func (c *Console) playgroundRender(w http.ResponseWriter, r *http.Request) {
	doc, ok := c.readDocument(w, r)
	if !ok {
		return
	}
	ctx, account := c.ctx(r), c.account(r).ID
	task, err := c.svc.CreateTask(ctx, account, core.CreateTaskInput{Config: doc,
		TaskOptions: core.TaskOptions{Category: playgroundCategory}})
	if err != nil {
		c.answerJSON(w, r, nil, err)
		return
	}
	res, err := c.svc.RenderTask(ctx, account, task.TaskID, core.RenderInput{})
	if err != nil {
		// The task stays, unrendered, in the task list: the error (such as too few credits) says why.
		c.answerJSON(w, r, nil, err)
		return
	}
	c.answerJSON(w, r, playgroundRenderResult{TaskID: res.TaskID, Cost: res.Cost, RemainingCredits: res.RemainingCredits, ViewerURL: res.ViewerURL}, nil)
}

// renderState is the answer of GET /task/{id}.
type renderState struct {
	Status   core.TaskStatus `json:"status"`
	Progress float64         `json:"progress"` // 0..1
	VideoURL string          `json:"videoUrl,omitempty"`
	Error    string          `json:"error,omitempty"`
}

// taskState serves GET /task/{id}: where the render of one of the account's tasks stands.
func (c *Console) playgroundTaskState(w http.ResponseWriter, r *http.Request) {
	t, err := c.svc.GetTask(c.ctx(r), c.account(r).ID, chi.URLParam(r, "id"))
	if err != nil {
		c.answerJSON(w, r, nil, err)
		return
	}
	st := renderState{Status: t.Status, VideoURL: t.VideoURL, Error: t.Error}
	switch {
	case t.Status == core.TaskCompleted:
		st.Progress = 1
	case t.Progress != nil:
		st.Progress = *t.Progress
	}
	c.answerJSON(w, r, st, nil)
}

// readDocument reads the request's body, the document, bounded by the service's document size limit.
func (c *Console) readDocument(w http.ResponseWriter, r *http.Request) (json.RawMessage, bool) {
	limit := int64(c.svc.Config().Limits.MaxBytes)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			httpjson.WriteUncached(w, http.StatusRequestEntityTooLarge, map[string]string{
				"error": fmt.Sprintf("the document is larger than the limit of %d bytes", limit)})
			return nil, false
		}
		httpjson.WriteUncached(w, http.StatusBadRequest, map[string]string{"error": "the document could not be read"})
		return nil, false
	}
	return body, true
}

// answer writes an operation's result as JSON, or its error as {error, code, problems} with the API's
// status for the code.
func (c *Console) answerJSON(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		c.failJSON(w, r, err)
		return
	}
	httpjson.WriteUncached(w, http.StatusOK, v)
}

// fail writes err as {error, code, problems}.
func (c *Console) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	e := core.AsError(err)
	body := map[string]any{"error": e.Message, "code": e.Code}
	if problems, ok := e.Details["errors"]; ok {
		body["problems"] = problems
	}
	status := c.statusOf(e.Code)
	if status >= 500 {
		c.cfg.NoteError(r, err)
	}
	httpjson.WriteUncached(w, status, body)
}
