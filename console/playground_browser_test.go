package console_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pgActionTimeout bounds one browser step; a render from the playground is the slowest.
const pgActionTimeout = 120 * time.Second

// pgBrowser is a headless Chromium tab for one playground test (the player tests' pattern).
type pgBrowser struct {
	t   *testing.T
	ctx context.Context
}

// newPGBrowser starts headless Chromium with a width × height window. Without Chromium the test is
// skipped with a message on a developer machine, and fails in CI (CI=true), where setup installs it.
func newPGBrowser(t *testing.T, width, height int) *pgBrowser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but chromium is not installed: scripts/setup.sh test installs Debian's chromium package, and the browser tests must run in CI")
		}
		t.Skip("chromium is not installed, so the browser tests are skipped (apt-get install chromium to run them)")
	}
	// Not t.TempDir: Chromium's helpers may write to their profile for a moment after it is cancelled.
	profile, err := os.MkdirTemp("", "framecast-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("mute-audio", true),
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
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	b := &pgBrowser{t: t, ctx: ctx}
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot("failure")
		}
	})
	return b
}

// do runs steps, failing the test on error.
func (b *pgBrowser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pgActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// pgEval evaluates a JavaScript expression into T, failing the test on error.
func pgEval[T any](b *pgBrowser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pgActionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// pgWait polls a JavaScript expression until it is truthy and returns its value, or fails the test
// saying what it waited for.
func pgWait[T any](b *pgBrowser, what, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, pgActionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(pgActionTimeout)))
	if err != nil {
		b.t.Fatalf("waiting for %s: %v", what, err)
	}
	return v
}

// screenshot saves the whole page as a PNG in $FRAMECAST_SCREENSHOTS (default
// $TMPDIR/framecast-console-screenshots) and logs where.
func (b *pgBrowser) screenshot(kind string) {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("no screenshot: %v", err)
		return
	}
	dir := os.Getenv("FRAMECAST_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "framecast-console-screenshots")
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

// screenshots saves the page at 1280 px and at 375 px wide when FRAMECAST_SCREENSHOTS is set.
func (b *pgBrowser) screenshots() {
	if os.Getenv("FRAMECAST_SCREENSHOTS") == "" {
		return
	}
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Sleep(500*time.Millisecond))
	b.screenshot("1280")
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Sleep(time.Second))
	b.screenshot("375")
	b.do(chromedp.EmulateViewport(1280, 900))
}

// pgShown is the frame the playground shows, with the document it is of.
type pgShown struct {
	Drawn int     // how many frames the page has shown
	T     float64 // the frame's time
	Text  string  // the document it was drawn from
	PNG   string  // its pixels, as a data: URL
}

// shownFrame waits until the playground shows the frame of the editor's document at the scrubber's time,
// with no request pending, and returns it.
func (b *pgBrowser) shownFrame(after int) pgShown {
	b.t.Helper()
	return pgWait[pgShown](b, "the playground's frame of the document", fmt.Sprintf(`(() => {
		const p = window.framecastPlayground, s = p.state, img = document.getElementById('pg-frame');
		if (s.pending || s.drawn <= %d || s.shownText !== p.text() || !img.complete || img.naturalWidth === 0) return null;
		const c = document.createElement('canvas');
		c.width = img.naturalWidth; c.height = img.naturalHeight;
		c.getContext('2d').drawImage(img, 0, 0);
		return {Drawn: s.drawn, T: s.shownT, Text: s.shownText, PNG: c.toDataURL('image/png')};
	})()`, after))
}

// decodePNG decodes a data: URL of a PNG.
func decodePNG(t *testing.T, dataURL string) image.Image {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(dataURL, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// meanRGB is the mean colour of the pixels of img inside r (fractions of its size), per channel, 0..255.
func meanRGB(img image.Image, x0, y0, x1, y1 float64) [3]float64 {
	b := img.Bounds()
	var sum [3]float64
	n := 0.0
	for y := b.Min.Y + int(y0*float64(b.Dy())); y < b.Min.Y+int(y1*float64(b.Dy())); y++ {
		for x := b.Min.X + int(x0*float64(b.Dx())); x < b.Min.X+int(x1*float64(b.Dx())); x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			sum[0] += float64(r >> 8)
			sum[1] += float64(g >> 8)
			sum[2] += float64(bl >> 8)
			n++
		}
	}
	return [3]float64{sum[0] / n, sum[1] / n, sum[2] / n}
}
