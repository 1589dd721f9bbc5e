package player_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core/store"
)

func TestFrameEndpoint(t *testing.T) {
	s := newStack(t, stackOptions{})
	doc := movingDoc(640, 360, 2)
	id := s.newPreview(t, doc)

	res, body := s.get(t, "/t/"+id+"/frame?t=1&w=320")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("frame: %s %s %q", res.Status, res.Header.Get("Content-Type"), body)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=") {
		t.Errorf("Cache-Control %q: frames of an immutable document should be kept", cc)
	}
	img, err := jpeg.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("frame is not a JPEG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 180 {
		t.Errorf("frame is %v, want 320 × 180", b)
	}
	want, err := s.preview.Frame(context.Background(), doc, 1, 320)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want) {
		t.Error("the endpoint's frame is not the engine's frame at 1 s")
	}

	// The end of the scrubber is the last frame, not a blank one past the end.
	_, end := s.get(t, "/t/"+id+"/frame?t=2&w=320")
	last, err := s.preview.Frame(context.Background(), doc, 59.0/30, 320)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(end, last) {
		t.Error("t at the end does not show the last frame")
	}

	for _, query := range []string{"t=-1", "t=abc", "t=NaN", "w=8", "w=5000", "w=wide"} {
		if res, body := s.get(t, "/t/"+id+"/frame?"+query); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %s %q, want 400", query, res.Status, body)
		}
	}
}

func TestExpiredPreviewEndpoints(t *testing.T) {
	s := newStack(t, stackOptions{})
	past := time.Now().Add(-time.Hour)
	err := s.store.InsertPreview(context.Background(), store.Preview{ID: "temp_expired0000000", AccountID: s.account,
		Config: string(movingDoc(320, 180, 1)), CreatedAt: store.NewTime(past.Add(-time.Hour)), ExpiresAt: store.NewTime(past)})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/t/temp_expired0000000", "/preview/temp_expired0000000", "/t/temp_expired0000000/frame",
		"/t/temp_expired0000000/proxy", "/t/temp_nosuchpreview0"} {
		res, body := s.get(t, path)
		if res.StatusCode != http.StatusGone {
			t.Errorf("%s: %s, want 410 Gone", path, res.Status)
		}
		if !strings.Contains(string(body), "expired") {
			t.Errorf("%s does not say the preview expired: %q", path, body)
		}
	}
	if res, _ := s.get(t, "/v/nosuchtask0000/status"); res.StatusCode != http.StatusNotFound {
		t.Errorf("status of an unknown task: %s, want 404", res.Status)
	}
}

func TestPageEndpointsAreRateLimited(t *testing.T) {
	s := newStack(t, stackOptions{rateLimit: 10})
	id := s.newPreview(t, movingDoc(320, 180, 1))
	limited := 0
	for range 60 {
		res, _ := s.get(t, "/t/"+id+"/frame?t=0&w=160")
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
			if res.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
	if limited == 0 {
		t.Error("60 frames at once from one client were all served")
	}
}

func TestDetailsPage(t *testing.T) {
	s := newStack(t, stackOptions{})
	doc := movingDoc(1920, 1080, 2)
	var withTypo map[string]any
	json.Unmarshal(doc, &withTypo)
	withTypo["meta"].(map[string]any)["colour"] = "red" // an unknown field: a warning
	raw, _ := json.Marshal(withTypo)
	id := s.newPreview(t, raw)
	res, body := s.get(t, "/preview/"+id)
	page := string(body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("details page: %s", res.Status)
	}
	for _, want := range []string{"1920 × 1080", "30 fps", "2.00 s", "3 credits (1080p)", "colour", "&#34;tracks&#34;: [", "Copy JSON", "Expires"} {
		if !strings.Contains(page, want) {
			t.Errorf("details page lacks %q", want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for _, asset := range []string{"player.js", "player.css"} {
		i := strings.Index(page, "/player/static/"+asset+"?v=")
		if i < 0 {
			t.Fatalf("page does not load %s", asset)
		}
		url := page[i : i+strings.IndexByte(page[i:], '"')]
		res, body := s.get(t, url)
		if res.StatusCode != http.StatusOK || len(body) == 0 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %s %s (%d bytes)", url, res.Status, res.Header.Get("Cache-Control"), len(body))
		}
	}
}
