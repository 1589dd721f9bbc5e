package render

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/schemas"
)

var errOffline = errors.New("fuzzing: no fetching")

// FuzzLoadFrame: a document that validates loads and draws its first, middle and last frames at a tiny
// size, or fails only for want of its media (nothing is fetched while fuzzing). It never panics and never
// fails as the document's fault (a DocumentError): a document that validates renders.
func FuzzLoadFrame(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, c := range edgeDocuments {
		// The documents at the limits are left out: drawing text 4096 px tall takes seconds in the
		// instrumented fuzzing binary, which the fuzzer takes for a hung worker.
		if len(c.doc) < 4096 && !strings.Contains(c.name, "limit") && !strings.Contains(c.name, "area") {
			f.Add([]byte(c.doc))
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		res := schemas.Validate(raw, schemas.DefaultLimits())
		if !res.OK() {
			return
		}
		opts := Options{Width: 32, Height: 18, Workers: 1, Assets: assets.Options{
			CacheDir: t.TempDir(), Timeout: time.Second,
			Resolver: func(_ context.Context, url string) (string, bool, error) {
				if strings.HasPrefix(url, "data:") {
					return "", false, nil
				}
				return "", false, errOffline
			},
		}}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		tl, err := Load(ctx, res.Document, opts)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		defer tl.Close()
		for _, at := range []float64{0, tl.Duration / 2, max(0, tl.Duration-1/tl.FPS)} {
			if _, err := tl.Frame(ctx, at); err != nil {
				checkFuzzError(t, err)
				return
			}
		}
	})
}

// checkFuzzError fails on an error that blames a document that validated.
func checkFuzzError(t *testing.T, err error) {
	var de *DocumentError
	switch {
	case errors.Is(err, errOffline), errors.Is(err, context.DeadlineExceeded):
	case errors.As(err, &de) && errors.Is(de.Cause, errOffline):
	case errors.As(err, &de):
		t.Fatalf("the document validates, but the engine refuses it: %v", err)
	}
}

// FuzzParseCues: SRT and WebVTT parsing never panics; cues point at words in order, and every word lies
// within its cue's time.
func FuzzParseCues(f *testing.F) {
	f.Add("1\n00:00:00,500 --> 00:00:02,000\nHello there\n\n2\n00:00:04,000 --> 00:00:05,500\nGeneral Kenobi,\n")
	f.Add("WEBVTT\n\n00:01.000 --> 00:02.500\n<i>Hi</i> <c.yellow>you</c>\n\nNOTE x\n\n01:00:00.000 --> 01:00:01.000\nlate\n")
	f.Add("00:00:02,000 --> 00:00:01,000\nbackwards\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, src string) {
		words, cues, err := parseCues(src)
		if err != nil {
			return
		}
		last := -1
		for _, c := range cues {
			if c.first <= last || c.first >= len(words) || !(c.end > c.start) {
				t.Fatalf("cue %+v after word %d of %d", c, last, len(words))
			}
			last = c.first
		}
		for _, w := range words {
			if w.End < w.Start {
				t.Fatalf("word %+v ends before it starts", w)
			}
		}
	})
}
