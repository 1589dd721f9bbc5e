package schemas

import (
	"os"
	"strings"
	"testing"
)

func mustParseFile(t *testing.T, path string) *Document {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestDuration(t *testing.T) {
	for path, want := range map[string]float64{
		"testdata/valid/basic.json":     8,  // image 5 + 3
		"testdata/valid/shapes.json":    15, // template 10 + 5
		"testdata/valid/media.json":     10,
		"testdata/valid/subtitles.json": 8,
	} {
		if got := Duration(mustParseFile(t, path)); got != want {
			t.Errorf("Duration(%s) = %g, want %g", path, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	doc := mustParseFile(t, "testdata/valid/media.json")
	if e, ok := doc.Asset("music"); !ok || e.Group != "audios" || e.Src != "https://example.com/music.mp3" {
		t.Errorf("Asset(music) = %+v, %v", e, ok)
	}
	if _, ok := doc.Asset("nope"); ok {
		t.Error("Asset(nope) found something")
	}
	url, err := doc.ResolveMedia(MediaRef{Ref: "intro"})
	if err != nil || url != "https://example.com/intro.mp4" {
		t.Errorf("ResolveMedia($ref intro) = %q, %v", url, err)
	}
	if url, err := doc.ResolveMedia(MediaRef{URL: "https://x/y.png"}); err != nil || url != "https://x/y.png" {
		t.Errorf("ResolveMedia(URL) = %q, %v", url, err)
	}
	if _, err := doc.ResolveMedia(MediaRef{Ref: "badge"}); err == nil || !strings.Contains(err.Error(), "no src") {
		t.Errorf("ResolveMedia of an inline svg asset: %v", err)
	}
	if _, err := doc.ResolveMedia(MediaRef{Ref: "nope"}); err == nil {
		t.Error("ResolveMedia(unknown) succeeded")
	}
	markup, url, err := doc.ResolveSVG(SVGSource{Ref: "badge"})
	if err != nil || !strings.HasPrefix(markup, "<svg") || url != "" {
		t.Errorf("ResolveSVG(badge) = %q, %q, %v", markup, url, err)
	}
	if markup, url, err := doc.ResolveSVG(SVGSource{Ref: "remote"}); err != nil || markup != "" || url != "https://example.com/badge.svg" {
		t.Errorf("ResolveSVG(remote) = %q, %q, %v", markup, url, err)
	}
	words, err := doc.ResolveWords(Words{Ref: "captions"})
	if err != nil || len(words.List) != 2 || words.List[0].PunctuatedWord != "Hello," {
		t.Errorf("ResolveWords(captions) = %+v, %v", words, err)
	}
	if _, err := doc.ResolveWords(Words{Ref: "music"}); err == nil {
		t.Error("ResolveWords of an audio asset succeeded")
	}
}

func TestParseReportsBadJSON(t *testing.T) {
	if _, err := Parse([]byte(`{"tracks": [{"clips": [{"type": "nope"}]}]}`)); err == nil || !strings.Contains(err.Error(), `unknown clip type "nope"`) {
		t.Errorf("Parse: %v", err)
	}
}

func TestMediaURLs(t *testing.T) {
	d, err := Parse([]byte(`{"meta":{"version":"2.0.0","width":10,"height":10},
		"assets":{"images":[{"id":"a","src":"https://x/a.png"}],"fonts":[{"id":"f","src":"https://x/f.ttf","family":"F"}]},
		"tracks":[{"clips":[{"type":"image","src":{"$ref":"a"},"start":0,"duration":1},
			{"type":"layout","start":0,"duration":1,"children":[{"type":"video","src":"https://x/v.mp4"}]},
			{"type":"subtitle","start":0,"duration":1,"words":{"src":"https://x/w.srt"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range d.MediaURLs() {
		got[m.Path] = m.URL
	}
	want := map[string]string{
		"assets.images[0].src":               "https://x/a.png",
		"assets.fonts[0].src":                "https://x/f.ttf",
		"tracks[0].clips[1].children[0].src": "https://x/v.mp4",
		"tracks[0].clips[2].words.src":       "https://x/w.srt",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for p, u := range want {
		if got[p] != u {
			t.Errorf("%s: got %q, want %q", p, got[p], u)
		}
	}
}
