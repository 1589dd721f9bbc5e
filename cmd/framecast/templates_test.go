package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framecast/framecast/render/ffmpeg"
)

// TestRenderTemplateWithVarsAndCSV renders the example template with a variables file and with a CSV,
// one video per row named after its slug column, and checks each output's length with ffprobe; a CSV
// with a bad row renders nothing and names the row and the variable.
func TestRenderTemplateWithVarsAndCSV(t *testing.T) {
	dir := t.TempDir()
	tpl := "../../examples/templates/offer.json"
	vars := filepath.Join(dir, "vars.json")
	os.WriteFile(vars, []byte(`{"name": "Ada", "price": 9, "seconds": 2}`), 0o644)
	one := filepath.Join(dir, "ada.mp4")
	if out, err := runCLI(t, "render", tpl, "--vars", vars, "-o", one, "-q"); err != nil {
		t.Fatalf("render --vars: %v\n%s", err, out)
	}
	wantSeconds(t, one, 2)

	rows := filepath.Join(dir, "rows.csv")
	os.WriteFile(rows, []byte("slug,name,price,seconds,metadata.customer\nada,Ada,9,2,c1\n../grace,Grace,12.5,3,c2\n"), 0o644)
	if out, err := runCLI(t, "render", tpl, "--csv", rows, "-o", filepath.Join(dir, "out", "{{slug}}.mp4"), "-q"); err != nil {
		t.Fatalf("render --csv: %v\n%s", err, out)
	}
	wantSeconds(t, filepath.Join(dir, "out", "ada.mp4"), 2)
	wantSeconds(t, filepath.Join(dir, "out", "-grace.mp4"), 3) // a cell cannot leave the output folder

	os.WriteFile(rows, []byte("slug,name,price\nok,Ok,1\nbad,Bad,cheap\n"), 0o644)
	out, err := runCLI(t, "render", tpl, "--csv", rows, "-o", filepath.Join(dir, "bad", "{{slug}}.mp4"), "-q")
	if err == nil || !strings.Contains(out, `row 3: variables.price: expected a number, got "cheap"`) || !strings.Contains(out, "nothing was rendered") {
		t.Fatalf("a bad row: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); err == nil {
		t.Error("a CSV with a bad row rendered something")
	}
}

func wantSeconds(t *testing.T, path string, seconds float64) {
	t.Helper()
	p, err := ffmpeg.Probe(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Video(); v.NbFrames != int(seconds*30) {
		t.Errorf("%s: %d frames, want %g s at 30 fps", path, v.NbFrames, seconds)
	}
}
