package main

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/render/ffmpeg"
)

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err
}

func TestValidateReportsEveryProblemAndFails(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"meta":{"version":"2.0.0","width":0,"height":720},"tracks":[{"clips":[
		{"type":"txt","start":0,"duration":1},
		{"type":"text","text":"x","start":0,"duration":-1,"animations":[{"type":"fadein","duration":1}]}]}]}`), 0o644)
	out, err := runCLI(t, "validate", bad)
	if err == nil {
		t.Fatalf("validate succeeded on a bad document:\n%s", out)
	}
	for _, want := range []string{"meta.width", "tracks[0].clips[0].type", "tracks[0].clips[1].duration", `did you mean "fadeIn"`} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output lacks %q:\n%s", want, out)
		}
	}
	if out, err := runCLI(t, "validate", "../../examples/slideshow.json"); err != nil || !strings.Contains(out, "valid") {
		t.Errorf("a good document: %v\n%s", err, out)
	}
}

func TestFrameAndSegmentedRender(t *testing.T) {
	dir := t.TempDir()
	frame := filepath.Join(dir, "f.png")
	if out, err := runCLI(t, "frame", "../../examples/data-shapes.json", "--at", "2", "-o", frame, "--width", "640"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, err := os.Open(frame)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 640 || cfg.Height != 360 {
		t.Errorf("frame: %v %dx%d, want 640x360", err, cfg.Width, cfg.Height)
	}
	out := filepath.Join(dir, "a.mp4")
	if o, err := runCLI(t, "render", "../../examples/audio-ducking.json", "-o", out, "--segments", "3", "-q"); err != nil {
		t.Fatalf("%v\n%s", err, o)
	}
	p, err := ffmpeg.Probe(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := p.Video()
	if v.NbFrames != 180 || !p.HasAudio {
		t.Errorf("segmented render: %d frames, audio %v; want 180 frames with audio", v.NbFrames, p.HasAudio)
	}
}

func TestSchemaPrintsTheCheckedInSchema(t *testing.T) {
	out, err := runCLI(t, "schema")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../schemas/video-document.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(out)) != strings.TrimSpace(string(want)) {
		t.Error("framecast schema differs from schemas/video-document.schema.json")
	}
}

// The operator commands: a key for a new account (printed alone on stdout), credits added with flags on either
// side of the number, a key revoked by its id, a key for an operator account (--admin).
func TestKeysAndCredits(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	key := run("keys", "create", "--account", "acme", "--data", data)
	if !strings.HasPrefix(key, "sk-") || strings.Contains(key, "\n") {
		t.Fatalf("keys create printed %q, want one sk- key", key)
	}
	if got := run("credits", "add", "--account", "acme", "250", "--data", data); got != "1250" {
		t.Errorf("credits add: %q, want the new balance 1250", got)
	}
	list := run("keys", "list", "--account", "acme", "--data", data)
	id := strings.Fields(strings.Split(list, "\n")[1])[0]
	run("keys", "revoke", id, "--account", "acme", "--data", data)
	if list := run("keys", "list", "--data", data, "--account", "acme"); !strings.Contains(list, "revoked") {
		t.Errorf("after revoke: %s", list)
	}

	// --admin makes the account an operator of the console.
	run("keys", "create", "--account", "ops", "--admin", "--data", data)
	st, err := store.Open(context.Background(), filepath.Join(data, "framecast.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	accounts, err := st.ListAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	admins := map[string]bool{}
	for _, a := range accounts {
		admins[a.Name] = a.Admin
	}
	if !admins["ops"] || admins["acme"] || len(admins) != 2 {
		t.Errorf("operators after keys create --admin: %v, want ops only", admins)
	}
}
