package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/jobs"
	"github.com/framecast/framecast/internal/teststack"
)

// consoleDoc is a short document whose render is quick: a gradient and a title. It lasts 3 s, so that it is
// cut into two reuse segments (a 2 s grid) and a render on two workers has two segment jobs to show.
const consoleDoc = `{"meta":{"version":"2.0.0","width":320,"height":180,"fps":10,"background":"#0f172a"},"tracks":[{"id":"t","clips":[
 {"type":"rect","start":0,"duration":3,"transform":{"x":0,"y":0,"width":"100%","height":"100%"},"style":{"fill":"#1d4ed8"}},
 {"type":"text","text":"Framecast","start":0,"duration":3,"transform":{"x":"50%","y":"50%"},"style":{"fontSize":40,"fontWeight":700,"fill":"#ffffff"}}]}]}`

// api calls the REST API with key and decodes the answer into v (when not nil), returning the status.
func api(t *testing.T, base, key, method, path, body string, v any) int {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if v != nil && json.Unmarshal(raw, v) != nil {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	return res.StatusCode
}

// webhookReceiver is an endpoint that answers 200 and counts what it got.
type webhookReceiver struct {
	mu   sync.Mutex
	got  int
	srv  *httptest.Server
	sigs []string
}

func newWebhookReceiver(t *testing.T) *webhookReceiver {
	w := &webhookReceiver{}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.got++
		w.sigs = append(w.sigs, r.Header.Get("webhook-signature"))
		w.mu.Unlock()
	}))
	t.Cleanup(w.srv.Close)
	return w
}

// photo writes a 320 × 180 PNG gradient to upload, and returns its path.
func photo(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 320, 180))
	for y := 0; y < 180; y++ {
		for x := 0; x < 320; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / 320), uint8(y * 255 / 180), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "gradient.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// acceptDialogs makes confirm() say yes on the current page (the console asks before deleting).
const acceptDialogs = `window.confirm = () => true; true`

// TestConsoleBrowser walks the console in Chromium as a person would: sign in with a key, watch a task
// created over the API render and show its thumbnail, redeliver its webhook, upload a file with the file
// input, create a key and revoke it (the API then answers it 401), send a test webhook, see that a POST
// without the CSRF token is refused, and that a second account sees none of the first's tasks. With
// FRAMECAST_SCREENSHOTS set it saves every page at 1280 and 375 px, and it logs the page weight of the
// console's first load.
func TestConsoleBrowser(t *testing.T) {
	e := newEnv(t, teststack.Options{Queue: true, AllowPrivateURLs: true,
		Jobs: jobs.Config{Workers: 2, PollInterval: 50 * time.Millisecond, ProgressInterval: 100 * time.Millisecond}})
	ctx := context.Background()
	if err := e.Service.SetAccountAdmin(ctx, e.Account.ID, true); err != nil {
		t.Fatal(err)
	}
	base := e.srv.URL
	hook := newWebhookReceiver(t)
	b := newPGBrowser(t, 1280, 900)

	// The first load of the console, on an empty cache: every byte of the sign-in page and its files.
	b.do(chromedp.Navigate(base + "/console/signin"))
	weight := pgEval[map[string]float64](b, `(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		const res = performance.getEntriesByType('resource');
		return {transferred: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
			body: nav.encodedBodySize + res.reduce((s, r) => s + r.encodedBodySize, 0), files: 1 + res.length};
	})()`)
	t.Logf("page weight, sign-in page first load: %.0f bytes transferred (%.0f of bodies) in %.0f requests",
		weight["transferred"], weight["body"], weight["files"])

	// Sign in with the key, through the form.
	b.do(chromedp.SendKeys(chromedp.CSS("#key"), e.Key), chromedp.Submit(chromedp.CSS("#key")),
		chromedp.WaitVisible(chromedp.CSS("nav.side")))
	weight = pgEval[map[string]float64](b, `(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		const res = performance.getEntriesByType('resource');
		return {transferred: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0), files: 1 + res.length};
	})()`)
	t.Logf("page weight, overview after sign-in (script and style cached): %.0f bytes transferred in %.0f requests",
		weight["transferred"], weight["files"])
	if got := pgEval[string](b, `document.getElementById('credits').textContent`); got != "1000" {
		t.Fatalf("credits on the overview: %q", got)
	}

	// A task created and rendered over the API appears, renders live and shows its thumbnail.
	var created struct{ TaskID string }
	if st := api(t, base, e.Key, "POST", "/api/v1/video", `{"title":"Launch teaser","config":`+consoleDoc+`}`, &created); st != http.StatusCreated {
		t.Fatalf("create task: %d", st)
	}
	b.do(chromedp.Navigate(base + "/console/tasks"))
	pgWait[bool](b, "the new task in the list", fmt.Sprintf(`!!document.querySelector('[data-task="%s"]')`, created.TaskID))
	if st := api(t, base, e.Key, "POST", "/api/v1/video/"+created.TaskID+"/render", `{"webhook_url":"`+hook.srv.URL+`/hook","num_workers":2}`, nil); st != 200 {
		t.Fatalf("render: %d", st)
	}
	b.do(chromedp.Reload())
	waitThroughReload(b, "the task's thumbnail, shown by the live update when its render completes", fmt.Sprintf(`(() => {
		const row = document.querySelector('[data-task="%s"]');
		const img = row && row.querySelector('img.thumb');
		return !!img && img.complete && img.naturalWidth > 0 && row.querySelector('.status').textContent === 'completed';
	})()`, created.TaskID))

	// Its page: the video, the timeline of its two segments and the assembly, its webhook; redeliver it.
	b.do(chromedp.Navigate(base + "/console/tasks/" + created.TaskID))
	pgWait[bool](b, "the task's video", `!!document.querySelector('video[src]')`)
	if n := pgEval[int](b, `document.querySelectorAll('.timeline .lane').length`); n != 3 {
		t.Errorf("timeline lanes: %d, want 2 segments and the assembly", n)
	}
	waitFor(t, "the webhook's first delivery", func() bool { return hook.count() >= 1 })
	time.Sleep(200 * time.Millisecond) // its attempt is recorded just after the answer
	b.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#webhook-attempts")))
	before := hook.count()
	b.do(chromedp.Click(chromedp.CSS(`form[action$="/redeliver"] button`)), chromedp.WaitVisible(chromedp.CSS(".notice")))
	waitFor(t, "the redelivered webhook", func() bool { return hook.count() > before })

	// Upload a file with the file input: a progress bar, then the file in the library.
	b.do(chromedp.Navigate(base+"/console/files"), chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{photo(t)}))
	waitThroughReload(b, "the uploaded file in the library", `(() => {
		const img = document.querySelector('#files img.thumb');
		return !!img && img.complete && img.naturalWidth === 320 && document.querySelector('#files .name').textContent === 'gradient.png';
	})()`)

	// Create a key: shown once, with a copy button. Then revoke it: the API answers 401.
	b.do(chromedp.Navigate(base+"/console/keys"), chromedp.SendKeys(chromedp.CSS("#key-name"), "ci runner"),
		chromedp.Submit(chromedp.CSS("#key-name")), chromedp.WaitVisible(chromedp.CSS("#new-key")))
	newKey := pgEval[string](b, `document.getElementById('new-key').textContent`)
	if st := api(t, base, newKey, "GET", "/api/v1/credits", "", nil); st != 200 {
		t.Fatalf("the new key: %d", st)
	}
	b.do(chromedp.Navigate(base + "/console/keys"))
	pgEval[bool](b, acceptDialogs)
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`button[aria-label="Revoke key %s"]`, newKey[:11]))), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if st := api(t, base, newKey, "GET", "/api/v1/credits", "", nil); st != http.StatusUnauthorized {
		t.Fatalf("the revoked key: %d, want 401", st)
	}
	if got := pgEval[string](b, `[...document.querySelectorAll('#keys tr')].find(r => r.textContent.includes('ci runner')).querySelector('.status').textContent`); got != "revoked" {
		t.Errorf("the revoked key's status on the page: %q", got)
	}

	// A test event to the receiver.
	before = hook.count()
	b.do(chromedp.Navigate(base+"/console/webhooks"), chromedp.SendKeys(chromedp.CSS("#test-url"), hook.srv.URL+"/hook"),
		chromedp.Submit(chromedp.CSS("#test-url")), chromedp.WaitVisible(chromedp.CSS("#test-result")))
	if got := pgEval[string](b, `document.querySelector('#test-result .notice').textContent`); !strings.Contains(got, "200") || hook.count() != before+1 {
		t.Errorf("test event: %q, receiver got %d", got, hook.count()-before)
	}

	// A POST without the CSRF token, from the page's own script, is refused.
	forged, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`fetch('/console/keys', {method: 'POST', body: new URLSearchParams({name: 'forged'})}).then(r => r.status)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if st := forged; st != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: %d, want 403", st)
	}

	// Every page, at 1280 and 375 px.
	for _, p := range []struct{ name, path string }{
		{"overview", "/"}, {"tasks", "/tasks"}, {"task", "/tasks/" + created.TaskID}, {"previews", "/previews"},
		{"files", "/files"}, {"keys", "/keys"}, {"webhooks", "/webhooks"}, {"credits", "/credits"}, {"accounts", "/accounts"},
		{"workers", "/workers"},
	} {
		t.Run("page_"+p.name, func(t *testing.T) {
			pb := &pgBrowser{t: t, ctx: b.ctx}
			pb.do(chromedp.Navigate(base+"/console"+p.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
			if strings.Contains(pgEval[string](pb, `document.title`), "Error") {
				t.Fatalf("%s shows an error", p.path)
			}
			fitsAPhone(pb)
			pb.screenshots()
		})
	}

	var bob core.Account
	// Another account signs in: it sees none of the first account's tasks, even by their address.
	bob, err = e.Service.CreateAccount(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	bobKey, _, err := e.Service.CreateKey(ctx, bob.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(base + "/console/keys"))
	b.do(chromedp.Click(chromedp.CSS(`form[action="/console/signout"] button`)), chromedp.WaitVisible(chromedp.CSS("#key")))
	t.Run("page_signin", func(t *testing.T) {
		pb := &pgBrowser{t: t, ctx: b.ctx}
		fitsAPhone(pb)
		pb.screenshots()
	})
	b.do(chromedp.SendKeys(chromedp.CSS("#key"), bobKey), chromedp.Submit(chromedp.CSS("#key")), chromedp.WaitVisible(chromedp.CSS("nav.side")))
	b.do(chromedp.Navigate(base + "/console/tasks"))
	if n := pgEval[int](b, `document.querySelectorAll('[data-task]').length`); n != 0 || strings.Contains(pgEval[string](b, `document.body.textContent`), "Launch teaser") {
		t.Errorf("the second account's task list shows %d tasks", n)
	}
	b.do(chromedp.Navigate(base + "/console/tasks/" + created.TaskID))
	if strings.Contains(pgEval[string](b, `document.body.textContent`), "Launch teaser") || pgEval[int](b, `document.querySelectorAll('video').length`) != 0 {
		t.Errorf("the second account opens the first's task page")
	}
	if pgEval[int](b, `document.querySelectorAll('a[href="/console/workers"]').length`) != 0 {
		t.Errorf("an account that is no operator sees the Workers page in the navigation")
	}
}

func (w *webhookReceiver) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.got
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: timed out", what)
		}
	}
}

// waitThroughReload polls a JavaScript expression until it is true, across the reloads of the page that
// the console's script makes (after an upload): an evaluation cut by one is tried again.
func waitThroughReload(b *pgBrowser, what, expr string) {
	b.t.Helper()
	for deadline := time.Now().Add(pgActionTimeout); ; time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("waiting for %s: timed out (last error: %v)", what, err)
		}
	}
}

// fitsAPhone checks that the page needs no sideways scrolling at 375 px: wide tables scroll inside their
// own box, the rest wraps. It names the elements that stick out.
func fitsAPhone(b *pgBrowser) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Sleep(300*time.Millisecond))
	defer b.do(chromedp.EmulateViewport(1280, 900))
	out := pgEval[[]string](b, `(() => {
		const w = document.documentElement.clientWidth, out = [];
		if (document.documentElement.scrollWidth <= w) return out;
		for (const el of document.querySelectorAll('body *')) {
			const r = el.getBoundingClientRect();
			if (r.right > w + 1 && r.width > 0 && !el.closest('.table-wrap, .side ul, pre')) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
		}
		return out.slice(0, 8);
	})()`)
	if len(out) > 0 {
		b.t.Errorf("at 375 px the page scrolls sideways; sticking out: %v", out)
	}
}
