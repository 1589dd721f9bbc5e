package player_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"flag"
	"image"
	"image/jpeg"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

var saveScreenshots = flag.Bool("screenshots", false, "save a screenshot of every browser test's last page (phone and desktop widths) to the screenshot directory")

// actionTimeout bounds one browser step; the proxy render the Play step waits for is the slowest.
const actionTimeout = 90 * time.Second

// browser is a headless Chromium tab, for one test.
type browser struct {
	t   *testing.T
	ctx context.Context
}

// newBrowser starts headless Chromium with a width × height window. Without Chromium the test is skipped
// with a message on a developer machine, and fails in CI (CI=true), where .ci/run installs it.
func newBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but chromium is not installed: .ci/run installs Debian's chromium package, and the browser tests must run in CI")
		}
		t.Skip("chromium is not installed, so the browser tests are skipped (apt-get install chromium to run them)")
	}
	// Not t.TempDir: Chromium's helper processes may still write to their profile for a moment after the
	// browser is cancelled, and TempDir's cleanup then fails the test. Remove it with retries instead.
	profile, err := os.MkdirTemp("", "framecast-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("mute-audio", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser, without a timeout (see chromedp.Run)
		t.Fatalf("starting chromium: %v", err)
	}
	b := &browser{t: t, ctx: ctx}
	t.Cleanup(func() { // runs before the browser stops
		if t.Failed() {
			b.screenshot("failure")
		} else if *saveScreenshots {
			b.screenshot("desktop")
			b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Sleep(time.Second))
			b.screenshot("phone")
		}
	})
	return b
}

// do runs steps, failing the test on error.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression into T, failing the test on error.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript expression until it is truthy and returns its value, or fails the test
// saying what it waited for.
func waitFor[T any](b *browser, what, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(actionTimeout)))
	if err != nil {
		b.t.Fatalf("waiting for %s: %v", what, err)
	}
	return v
}

// screenshot saves the page as a PNG in the screenshot directory ($FRAMECAST_SCREENSHOTS, default
// $TMPDIR/framecast-player-screenshots) and logs where.
func (b *browser) screenshot(kind string) {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("no screenshot: %v", err)
		return
	}
	dir := os.Getenv("FRAMECAST_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "framecast-player-screenshots")
	}
	name := filepath.Join(dir, strings.ReplaceAll(b.t.Name(), "/", "_")+"-"+kind+".png")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		err = os.WriteFile(name, shot, 0o644)
	}
	if err != nil {
		b.t.Logf("saving the screenshot: %v", err)
		return
	}
	b.t.Logf("screenshot: %s", name)
}

// rect is an element's box on the page.
type rect struct{ X, Y, W, H float64 }

func TestBrowserPreviewPlayer(t *testing.T) {
	s := newStack(t, stackOptions{})
	doc := movingDoc(640, 360, 3)
	id := s.newPreview(t, doc)
	b := newBrowser(t, 1280, 900)
	b.do(chromedp.Navigate(s.srv.URL + "/t/" + id))

	// The poster, an engine frame, shows at once.
	waitFor[bool](b, "the poster frame", `(() => { const i = document.getElementById('frame'), r = i.getBoundingClientRect();
		return i.complete && i.naturalWidth > 0 && r.width > 200 && r.height > 100 && getComputedStyle(i).visibility === 'visible'; })()`)
	if !eval[bool](b, `document.createElement('video').canPlayType('video/mp4; codecs="avc1.42E01E"') !== ''`) {
		t.Fatal("this Chromium cannot play H.264 MP4, which proxies are")
	}

	// Play plays the proxy render.
	{
		b.do(chromedp.Click(chromedp.CSS("#play")))
		waitFor[bool](b, "playback to advance", `(() => { const v = document.getElementById('proxy');
			return !v.hidden && !v.paused && v.currentTime > 0.5; })()`)
		if label := eval[string](b, `document.getElementById('play').getAttribute('aria-label')`); label != "Pause" {
			t.Errorf("while playing the button is labelled %q, want Pause", label)
		}
		b.do(chromedp.KeyEvent(" ")) // space pauses, and the still becomes the engine's frame there
		waitFor[bool](b, "space to pause", `document.getElementById('proxy').paused`)
		b.settledFrame()
	}

	// Dragging the scrubber shows the engine's frame at the time dragged to.
	{
		box := eval[rect](b, `(() => { const r = document.getElementById('scrub').getBoundingClientRect();
			return {X: r.x, Y: r.y, W: r.width, H: r.height}; })()`)
		y := box.Y + box.H/2
		left := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
		steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, box.X+box.W*0.1, y, left, chromedp.ClickCount(1))}
		for f := 0.15; f < 0.7; f += 0.05 { // a drag: every move asks for a frame
			steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, box.X+box.W*f, y, left), chromedp.Sleep(20*time.Millisecond))
		}
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, box.X+box.W*0.7, y, left, chromedp.ClickCount(1)))
		b.do(steps...)

		shown := b.settledFrame()
		if shown.T < 1.5 || shown.T > 2.4 {
			t.Fatalf("after dragging to 70%% of 3 s the player shows the frame at %.3f s", shown.T)
		}
		b.checkFrame(s, doc, shown)

		// One frame forward with '.', two back with ','.
		n := shown.N
		b.do(chromedp.KeyEvent("."))
		if got := b.settledFrame(); got.N != n+1 {
			t.Errorf("'.' went from frame %d to %d, want %d", n, got.N, n+1)
		}
		b.do(chromedp.KeyEvent(","), chromedp.KeyEvent(","))
		got := b.settledFrame()
		if got.N != n-1 {
			t.Errorf("',' twice went to frame %d, want %d", got.N, n-1)
		}
		b.checkFrame(s, doc, got)

		// One second forward with the right arrow.
		b.do(chromedp.KeyEvent(kb.ArrowRight))
		if after := b.settledFrame(); after.N != got.N+30 {
			t.Errorf("→ went from frame %d to %d, want %d", got.N, after.N, got.N+30)
		}
	}
}

// shownFrame is the still the player shows.
type shownFrame struct {
	N   int     // frame number
	T   float64 // its time
	Src string  // the URL it came from
	PNG string  // its pixels, as a data URL
}

// settledFrame waits until the player shows the frame its scrubber is at, with no request pending, and
// returns it.
func (b *browser) settledFrame() shownFrame {
	b.t.Helper()
	return waitFor[shownFrame](b, "the scrubbed frame", `(() => {
		const p = window.framecastPlayer, n = p.frameAt(parseFloat(p.scrub.value));
		if (p.loading || p.pending !== null || p.shown !== n || !p.video.hidden || !p.img.complete) return null;
		const c = document.createElement('canvas');
		c.width = p.img.naturalWidth; c.height = p.img.naturalHeight;
		c.getContext('2d').drawImage(p.img, 0, 0);
		return {N: n, T: n / p.fps, Src: p.img.src, PNG: c.toDataURL('image/png')};
	})()`)
}

// checkFrame compares the pixels the player shows with the engine's own frame at the same time and
// width, within JPEG-decoder differences, and checks that a frame half a second away would not match.
func (b *browser) checkFrame(s *stack, doc []byte, shown shownFrame) {
	t := b.t
	t.Helper()
	u, err := url.Parse(shown.Src)
	if err != nil {
		t.Fatal(err)
	}
	width, _ := strconv.Atoi(u.Query().Get("w"))
	if qt, _ := strconv.ParseFloat(u.Query().Get("t"), 64); int(qt*30+1e-6) != shown.N {
		t.Errorf("the still's URL %s asks for t=%g, not frame %d", shown.Src, qt, shown.N)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(shown.PNG, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	engineFrame := func(tm float64) image.Image {
		j, err := s.preview.Frame(context.Background(), doc, tm, width)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(j))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	same := meanDiff(t, got, engineFrame(shown.T))
	other := meanDiff(t, got, engineFrame(max(0, shown.T-0.5)))
	t.Logf("frame %d at %.3f s, %d px wide: mean difference %.2f from the engine's frame, %.2f from the frame 0.5 s earlier", shown.N, shown.T, width, same, other)
	const tolerance = 2.0 // per channel, of 255: browsers and Go decode JPEG slightly differently
	if same > tolerance {
		t.Errorf("the still differs from the engine's frame at %.3f s by %.2f per channel (tolerance %.1f)", shown.T, same, tolerance)
	}
	if other <= 2*same || other <= tolerance {
		t.Errorf("the test document does not change enough over 0.5 s (%.2f) to tell frames apart", other)
	}
}

// meanDiff is the mean absolute difference of two same-size images per RGB channel, on the 0..255 scale.
func meanDiff(t *testing.T, a, b image.Image) float64 {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("images of sizes %v and %v", a.Bounds().Size(), b.Bounds().Size())
	}
	var sum, n float64
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			sum += absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2)
			n += 3
		}
	}
	return sum / n / 257
}

func absDiff(a, b uint32) float64 {
	if a > b {
		return float64(a - b)
	}
	return float64(b - a)
}
