package player_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store"
)

func TestBrowserTaskPage(t *testing.T) {
	s := newStack(t, stackOptions{})
	ctx := context.Background()
	task, err := s.svc.CreateTask(ctx, s.account, core.CreateTaskInput{Config: s.withMedia(movingDoc(640, 360, 2))})
	if err != nil {
		t.Fatal(err)
	}
	rendering, err := s.svc.RenderTask(ctx, s.account, task.TaskID, core.RenderInput{})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := s.svc.Worker().MarkRenderStarted(ctx, task.TaskID, rendering.RenderTaskID)
	if err != nil {
		t.Fatal(err)
	}
	setProgress := func(p float64) {
		if err := s.svc.Worker().SetProgress(ctx, task.TaskID, rendering.RenderTaskID, p); err != nil {
			t.Fatal(err)
		}
	}
	setProgress(0.3)

	b := newBrowser(t, 1280, 900)
	b.do(chromedp.Navigate(s.srv.URL + "/v/" + task.TaskID))
	b.do(chromedp.Evaluate[chromedp.Void](`window.sameDocument = true`)) // gone if the page reloads
	waitFor[bool](b, "30% on the progress bar", `document.getElementById('task-progress').value === 30 &&
		document.getElementById('task-state').textContent === 'Rendering… 30%'`)
	waitFor[bool](b, "the preview player before the video exists", `(() => { const i = document.getElementById('frame');
		return i !== null && i.complete && i.naturalWidth > 0; })()`)

	setProgress(0.6)
	waitFor[bool](b, "the progress bar to move to 60% by itself", `document.getElementById('task-progress').value === 60`)

	// The render finishes: a real MP4 in the blob store.
	mp4 := filepath.Join(t.TempDir(), "video.mp4")
	out, err := exec.Command("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=15:duration=1",
		"-pix_fmt", "yuv420p", "-c:v", "libx264", "-movflags", "+faststart", mp4).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	f, err := os.Open(mp4)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	size, err := s.blob.Put(ctx, spec.VideoKey, f, "video/mp4")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Worker().CompleteRender(ctx, task.TaskID, rendering.RenderTaskID, spec.VideoKey, "", size); err != nil {
		t.Fatal(err)
	}
	src := waitFor[string](b, "the rendered video to replace the player", `(() => { const v = document.getElementById('final');
		return v !== null && v.readyState >= 1 && document.getElementById('player') === null && v.src; })()`)
	if !strings.HasSuffix(src, core.FilesPath+spec.VideoKey) {
		t.Errorf("the page plays %s, want the render's video %s", src, spec.VideoKey)
	}
	if !eval[bool](b, `window.sameDocument === true`) {
		t.Error("the page reloaded to show the video")
	}
	if state := eval[string](b, `document.getElementById('task-state').textContent`); state != "Rendered" {
		t.Errorf("state %q, want Rendered", state)
	}
	if d := eval[float64](b, `document.getElementById('final').duration`); d < 0.9 || d > 1.1 {
		t.Errorf("the video lasts %.2f s, want the 1 s render", d)
	}
}

func TestBrowserExpiredPreview(t *testing.T) {
	s := newStack(t, stackOptions{})
	past := time.Now().Add(-time.Hour)
	err := s.store.InsertPreview(context.Background(), store.Preview{ID: "temp_expired0000000", AccountID: s.account,
		Config: string(movingDoc(320, 180, 1)), CreatedAt: store.NewTime(past.Add(-time.Hour)), ExpiresAt: store.NewTime(past)})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 1280, 900)
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(s.srv.URL+"/t/temp_expired0000000"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusGone {
		t.Errorf("status %d, want 410 Gone", res.Status)
	}
	if h1 := eval[string](b, `document.querySelector('h1').textContent`); h1 != "This preview has expired" {
		t.Errorf("heading %q", h1)
	}
	if eval[bool](b, `document.getElementById('player') !== null`) {
		t.Error("an expired preview shows a player")
	}
}

func TestBrowserDetailsPage(t *testing.T) {
	s := newStack(t, stackOptions{})
	id := s.newPreview(t, movingDoc(1280, 720, 3))
	b := newBrowser(t, 1280, 900)
	b.do(chromedp.Navigate(s.srv.URL + "/preview/" + id))
	waitFor[bool](b, "the poster frame", `document.getElementById('frame').complete && document.getElementById('frame').naturalWidth > 0`)
	facts := eval[string](b, `document.querySelector('.details dl').innerText`)
	for _, want := range []string{"1280 × 720", "30 fps", "3.00 s", "3 credits (720p)"} {
		if !strings.Contains(facts, want) {
			t.Errorf("details lack %q: %q", want, facts)
		}
	}
	b.do(chromedp.Click(chromedp.CSS("#copy")))
	waitFor[bool](b, "the copy button to say it copied", `document.getElementById('copied').textContent === 'Copied'`)
}
