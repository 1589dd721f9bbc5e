package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/jobs"
	"github.com/framecast/framecast/examples"
	"github.com/framecast/framecast/internal/teststack"
	"github.com/framecast/framecast/schemas"
)

// pgStack is a Framecast server on loopback (the API, the player pages and the console) for the
// playground's tests.
type pgStack struct {
	*env
}

// newPGStack serves a fresh stack; withQueue starts a real render queue.
func newPGStack(t *testing.T, withQueue bool) *pgStack {
	t.Helper()
	opts := teststack.Options{}
	if withQueue {
		opts.Queue = true
		opts.Jobs = jobs.Config{Workers: 2, PollInterval: 50 * time.Millisecond, ProgressInterval: 100 * time.Millisecond}
	}
	return &pgStack{env: newEnv(t, opts)}
}

// signIn signs the browser in with the stack's API key, through the sign-in form.
func (s *pgStack) signIn(t *testing.T, b *pgBrowser) {
	t.Helper()
	b.do(chromedp.Navigate(s.srv.URL+"/console/signin"),
		chromedp.SendKeys(chromedp.CSS("#key"), s.Key),
		chromedp.Submit(chromedp.CSS("#key")),
		chromedp.WaitVisible(chromedp.CSS("nav.side"))) // the navigation shows once signed in
}

// openPlayground opens the playground and waits for its editor and its first frame, returning the frame
// and the time to it from the start of navigation.
func openPlayground(t *testing.T, s *pgStack, b *pgBrowser) (pgShown, time.Duration) {
	t.Helper()
	s.signIn(t, b)
	start := time.Now()
	b.do(chromedp.Navigate(s.srv.URL + "/console/playground"))
	first := b.shownFrame(0)
	elapsed := time.Since(start)
	// CodeMirror's themes are a <style> element the console's Content-Security-Policy must let in: without
	// them the editor is a column of unstyled lines.
	pgWait[bool](b, "the editor, styled", `(() => { const e = document.querySelector('#pg-editor .cm-editor');
		return window.framecastPlayground.editor !== null && e !== null && getComputedStyle(e).display === 'flex'; })()`)
	return first, elapsed
}

// replaceInEditor selects the first occurrence of old in the editor and types new over it, key by key.
func replaceInEditor(t *testing.T, b *pgBrowser, old, new string) {
	t.Helper()
	ok := pgEval[bool](b, fmt.Sprintf(`(() => { const v = window.framecastPlayground.editor.view, i = v.state.doc.toString().indexOf(%q);
		if (i < 0) return false; v.focus(); v.dispatch({selection: {anchor: i, head: i + %d}}); return true; })()`, old, len(old)))
	if !ok {
		t.Fatalf("the editor's document has no %q", old)
	}
	b.do(chromedp.KeyEvent(new))
}

func TestPlaygroundBrowserEditRedrawsTheFrame(t *testing.T) {
	s := newPGStack(t, false)
	b := newPGBrowser(t, 1280, 900)
	first, ttff := openPlayground(t, s, b)
	t.Logf("time to first frame: %v (navigation start to the frame shown; the page's own count: %.0f ms)",
		ttff.Round(time.Millisecond), pgEval[float64](b, `window.framecastPlayground.state.firstFrameMs`))
	t.Logf("the first frame: %s", pgEval[string](b, `(() => {
		const f = performance.getEntriesByType('resource').find((e) => e.name.includes('/playground/first.jpg'));
		const n = performance.getEntriesByType('navigation')[0];
		return 'page HTML received at ' + n.responseEnd.toFixed(0) + ' ms, frame asked at ' + f.startTime.toFixed(0) +
			' ms, received at ' + f.responseEnd.toFixed(0) + ' ms after navigation start (' + (f.responseEnd - f.requestStart).toFixed(0) + ' ms drawing and sending)';
	})()`))
	t.Logf("page weight of the playground's first load: %s", pgEval[string](b, `(() => {
		const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
		const sum = (f) => all.reduce((n, e) => n + (f(e) || 0), 0);
		return sum((e) => e.transferSize) + ' bytes transferred (' + sum((e) => e.decodedBodySize) + ' decoded) in ' + all.length + ' requests: ' +
			all.map((e) => e.name.replace(location.origin, '').replace(/\?.*/, '') + ' ' + e.transferSize).join(', ');
	})()`))

	// The frame is the engine's drawing of the starting document: its dark blue background.
	bg := meanRGB(decodePNG(t, first.PNG), 0.02, 0.02, 0.12, 0.12)
	if bg[2] < bg[0]+10 || bg[0] > 60 {
		t.Fatalf("the first frame's corner is %v, not the starting document's dark blue background #0f172a", bg)
	}
	if cost := pgEval[string](b, `document.getElementById('pg-cost').textContent`); !strings.Contains(cost, "Rendering costs 4 credits (720p") {
		t.Errorf("the cost reads %q, want the 4 credits of 4 s at 720p", cost)
	}

	// Typing a new background colour redraws the frame in it, with no click.
	replaceInEditor(t, b, "0f172a", "dc2626")
	after := b.shownFrame(first.Drawn)
	if !strings.Contains(after.Text, `"#dc2626"`) {
		t.Fatalf("the frame shown is of a document without the typed colour")
	}
	red := meanRGB(decodePNG(t, after.PNG), 0.02, 0.02, 0.12, 0.12)
	if red[0] < 180 || red[1] > 80 || red[2] > 80 {
		t.Fatalf("after typing #dc2626 the frame's corner is %v, want red (220, 38, 38)", red)
	}

	// The scrubber's right arrow steps one frame and the frame follows the time.
	b.do(chromedp.Focus(chromedp.CSS("#pg-scrub")), chromedp.KeyEvent(kb.End))
	end := b.shownFrame(after.Drawn)
	if want := 4 - 1.0/30; end.T < want-1e-3 || end.T > want+1e-3 {
		t.Errorf("End on the scrubber shows the frame at %.4f s, want the last frame at %.4f s", end.T, want)
	}
	// The orange square has crossed to the right by the end.
	sq := meanRGB(decodePNG(t, end.PNG), 0.80, 0.60, 0.95, 0.80)
	if sq[0] < 200 || sq[1] < 80 || sq[2] > 80 {
		t.Errorf("at the end the right of the frame is %v, want the orange square (249, 115, 22)", sq)
	}

	// At 375 px wide nothing is wider than the screen.
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Sleep(300*time.Millisecond))
	if w := pgEval[float64](b, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("at 375 px the page is %.0f px wide", w)
	}
	b.do(chromedp.EmulateViewport(1280, 900))
	b.screenshots()
}

func TestPlaygroundBrowserListsAMisspelledAnimation(t *testing.T) {
	s := newPGStack(t, false)
	b := newPGBrowser(t, 1280, 900)
	openPlayground(t, s, b)

	replaceInEditor(t, b, `"fadeIn"`, `"fadeInn"`)
	const path = "tracks[1].clips[0].animations[0].type"
	msg := pgWait[string](b, "the misspelled animation in the problems", fmt.Sprintf(`(() => {
		const p = window.framecastPlayground, b = document.querySelector('#pg-problems .pg-error .pg-path[data-path=%q]');
		return !p.state.pending && p.state.checkedText === p.text() && b ? b.parentElement.textContent : ''; })()`, path))
	if !strings.Contains(msg, `did you mean "fadeIn"`) {
		t.Errorf("the problem reads %q; want a did-you-mean naming fadeIn", msg)
	}
	if !pgEval[bool](b, `document.getElementById('pg-render').disabled && document.getElementById('pg-frame').classList.contains('pg-stale')`) {
		t.Error("with a problem the render button is enabled or the old frame is not marked stale")
	}
	if pgEval[bool](b, `window.framecastPlayground.state.shownText === window.framecastPlayground.text()`) {
		t.Errorf("the invalid document drew a frame")
	}

	// The problem's path is a button: Enter on it puts the editor's cursor on the misspelled field.
	b.do(chromedp.Focus(chromedp.CSS(fmt.Sprintf(`#pg-problems .pg-path[data-path=%q]`, path))), chromedp.KeyEvent(kb.Enter))
	got := pgWait[string](b, "the cursor at the problem", `(() => { const v = window.framecastPlayground.editor.view, sel = v.state.selection.main;
		if (!v.hasFocus) return ''; const line = v.state.doc.lineAt(sel.head); return v.state.sliceDoc(sel.from, sel.to) + ' | ' + line.text; })()`)
	if !strings.HasPrefix(got, `"type" | `) || !strings.Contains(got, "fadeInn") {
		t.Errorf("after Enter on the problem the editor selects %q; want the animation's \"type\" on the fadeInn line", got)
	}
	if os.Getenv("FRAMECAST_SCREENSHOTS") != "" {
		b.screenshot("problem")
	}

	// Tab indents in the editor; Escape then Tab leaves it, to the next control (no keyboard trap).
	b.do(chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent("\t"))
	if inEditor := pgEval[bool](b, `document.activeElement.closest('#pg-editor') !== null`); inEditor {
		t.Error("Escape then Tab left the focus in the editor")
	}

	// Starting from an example replaces the document (its media uploaded) and draws it.
	drawn := pgEval[int](b, `window.framecastPlayground.state.drawn`)
	b.do(chromedp.SetValue(chromedp.CSS("#pg-start"), "example:slideshow"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('pg-start').dispatchEvent(new Event('change'))`))
	ex := b.shownFrame(drawn)
	if !strings.Contains(ex.Text, "/files/") || pgEval[int](b, `document.querySelectorAll('#pg-problems .pg-error').length`) != 0 {
		t.Errorf("the slideshow example opened with problems or without its uploaded media:\n%s", ex.Text)
	}
}

func TestPlaygroundBrowserRenders(t *testing.T) {
	s := newPGStack(t, true)
	b := newPGBrowser(t, 1280, 900)
	first, _ := openPlayground(t, s, b)
	before, err := s.Service.GetCredits(context.Background(), s.Account.ID)
	if err != nil {
		t.Fatal(err)
	}

	// A short, small document, so that the render is quick: typed over the duration and the size.
	replaceInEditor(t, b, `"width": 1280,`, `"width": 640,`)
	replaceInEditor(t, b, `"height": 720,`, `"height": 360,`)
	b.shownFrame(first.Drawn)

	// Save as preview: a preview whose player the result links to.
	b.do(chromedp.Click(chromedp.CSS("#pg-save-preview")))
	player := pgWait[string](b, "the preview's link", `(() => { const a = document.querySelector('#pg-result a'); return a ? a.href : ''; })()`)
	_, tempID, _ := strings.Cut(player, "/t/")
	if _, err := s.Service.GetPreview(context.Background(), s.Account.ID, tempID); err != nil {
		t.Errorf("the saved preview's link %s: %v", player, err)
	}
	// Create a task: a task of the playground's category, linked to its console page.
	b.do(chromedp.Click(chromedp.CSS("#pg-create-task")))
	link := pgWait[string](b, "the task's link", `(() => { const a = document.querySelector('#pg-result a[href*="/console/tasks/"]'); return a ? a.getAttribute('href') : ''; })()`)
	created, err := s.Service.GetTask(context.Background(), s.Account.ID, strings.TrimPrefix(link, "/console/tasks/"))
	if err != nil || created.Status != core.TaskCreated || created.Category != "playground" {
		t.Errorf("the created task %s: %+v %v", link, created, err)
	}

	b.do(chromedp.Click(chromedp.CSS("#pg-render")))
	pgWait[bool](b, "the render to reach completed", `(() => { const p = document.getElementById('pg-progress');
		return !p.hidden && p.value === 100 && p.dataset.status === 'completed'; })()`)
	msg := pgEval[string](b, `document.getElementById('pg-result').textContent`)
	taskID := strings.Fields(strings.TrimPrefix(msg, "Task "))[0]
	task, err := s.Service.GetTask(context.Background(), s.Account.ID, taskID)
	if err != nil {
		t.Fatalf("the page names task %q (%q): %v", taskID, msg, err)
	}
	if task.Status != core.TaskCompleted || task.VideoURL == "" {
		t.Errorf("task %s is %s with video %q, want completed with a video", taskID, task.Status, task.VideoURL)
	}
	video := pgEval[string](b, `document.querySelector('#pg-result a').href`)
	if res, err := http.Get(video); err != nil || res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "video/mp4" {
		t.Errorf("the rendered video's link %s: %v %v", video, res, err)
	}
	after, _ := s.Service.GetCredits(context.Background(), s.Account.ID)
	if spent := before.Credits - after.Credits; spent != 4 || pgEval[string](b, `document.getElementById('pg-balance').textContent`) != fmt.Sprint(after.Credits) {
		t.Errorf("the render spent %d credits (want 4) and the page shows a balance of %s (want %d)", spent,
			pgEval[string](b, `document.getElementById('pg-balance').textContent`), after.Credits)
	}
}

// pgClient is a signed-in HTTP client of the playground's endpoints.
type pgClient struct {
	*client
	token string
}

func (s *pgStack) pgClient(t *testing.T) *pgClient {
	t.Helper()
	c := s.client(t)
	c.signIn(s.Key)
	return &pgClient{client: c, token: c.csrf("/console/playground")}
}

// post posts body to the playground's path with the session's CSRF token and decodes the JSON answer
// into v.
func (c *pgClient) post(t *testing.T, path, body string, v any) int {
	t.Helper()
	req, err := http.NewRequest("POST", c.base+"/console/playground"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.token)
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("POST %s: %d: %v", path, res.StatusCode, err)
	}
	return res.StatusCode
}

// drawAnswer is the answer of POST /console/playground/draw.
type drawAnswer struct {
	Check struct {
		Valid  bool
		Errors []schemas.Problem
	}
	Frame, Error string
}

// Every starting point opens as a document that draws: each template's, and each example's with its
// media uploaded to the account's files once (starting from it again uploads nothing).
func TestPlaygroundStartingPoints(t *testing.T) {
	s := newPGStack(t, false)
	c := s.pgClient(t)
	start := func(from string) (doc, note string) {
		t.Helper()
		var body map[string]string
		if code := c.post(t, "/start?from="+from, "", &body); code != http.StatusOK {
			t.Fatalf("start from %s: %d %v", from, code, body)
		}
		return body["document"], body["note"]
	}
	draws := func(what, doc string) {
		t.Helper()
		var out drawAnswer
		c.post(t, "/draw?t=2.5&w=320", doc, &out)
		if !out.Check.Valid || out.Frame == "" {
			t.Errorf("%s: valid %v, problems %v, error %q: the starting document does not draw", what, out.Check.Valid, out.Check.Errors, out.Error)
		}
	}
	for _, spec := range schemas.Templates {
		doc, _ := start("template:" + spec.Name)
		draws("template "+spec.Name, doc)
	}
	names, _ := fs.Glob(examples.FS, "*.json")
	for _, name := range names {
		doc, note := start("example:" + strings.TrimSuffix(name, ".json"))
		if strings.Contains(doc, `"assets/`) {
			t.Errorf("example %s still names media of the examples folder (note %q)", name, note)
		}
		draws("example "+name, doc)
	}
	files := func() int {
		res, err := s.Service.ListFiles(context.Background(), s.Account.ID, core.ListFilesInput{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Pagination.Total
	}
	before := files()
	if before == 0 {
		t.Fatal("the examples' media were not uploaded to the account's files")
	}
	doc, note := start("example:slideshow")
	if files() != before || strings.Contains(note, "uploaded now") || !strings.Contains(doc, "/files/") {
		t.Errorf("starting from an example again uploaded its media again: %d files, then %d; note %q", before, files(), note)
	}
	var refused map[string]string
	if code := c.post(t, "/start?from=example:../go", "", &refused); code != http.StatusNotFound {
		t.Errorf("a path as an example's name is answered %d, want 404", code)
	}
}

// The draw endpoint answers problems with their paths and no frame for an invalid document, a JSON
// syntax error with its line and column, and refuses a document over the size limit.
func TestPlaygroundDrawAnswers(t *testing.T) {
	s := newPGStack(t, false)
	c := s.pgClient(t)
	var out drawAnswer
	c.post(t, "/draw", `{"meta":{"version":"2.0.0","width":640,"height":360,"fps":30},"tracks":[{"clips":[
		{"type":"text","text":"hi","start":0,"duration":2,"animations":[{"type":"fadeInn","duration":1}]}]}]}`, &out)
	if out.Check.Valid || out.Frame != "" || len(out.Check.Errors) != 1 || out.Check.Errors[0].Path != "tracks[0].clips[0].animations[0].type" {
		t.Errorf("misspelled animation: %+v", out)
	}
	out = drawAnswer{}
	c.post(t, "/draw", "{\n  \"meta\": {\n", &out)
	if len(out.Check.Errors) != 1 || !strings.Contains(out.Check.Errors[0].Message, "line 3") {
		t.Errorf("truncated JSON: %+v", out.Check.Errors)
	}
	var refused map[string]string
	big := `{"meta":{"title":"` + strings.Repeat("x", s.Service.Config().Limits.MaxBytes) + `"}}`
	if code := c.post(t, "/draw", big, &refused); code != http.StatusRequestEntityTooLarge || !strings.Contains(refused["error"], "larger than the limit") {
		t.Errorf("an oversized document: %d %v", code, refused)
	}
}
