package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 10 item 13 (CLI): every missing local file is named at once, not only the first.
func TestEveryMissingLocalFileIsNamed(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "doc.json")
	os.WriteFile(doc, []byte(`{"meta":{"version":"2.0.0","width":320,"height":180},"tracks":[{"clips":[
		{"type":"image","src":"assets/photo1.jpg","start":0,"duration":1},
		{"type":"image","src":"assets/photo2.jpg","start":1,"duration":1},
		{"type":"audio","src":"music.m4a","start":0,"duration":2}]}]}`), 0o644)
	for _, cmd := range []string{"frame", "render"} {
		out, err := runCLI(t, cmd, doc, "-o", filepath.Join(dir, "out."+map[string]string{"frame": "png", "render": "mp4"}[cmd]))
		if err == nil {
			t.Fatalf("%s succeeded with missing files:\n%s", cmd, out)
		}
		for _, want := range []string{"3 local file(s) not found", `tracks[0].clips[0].src: "assets/photo1.jpg"`, `tracks[0].clips[1].src: "assets/photo2.jpg"`, `tracks[0].clips[2].src: "music.m4a"`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q:\n%s", cmd, want, out)
			}
		}
	}
}

// `frame --at 10` on a 3 s document is an error saying which times exist (it drew an empty frame silently).
func TestFrameAtPastTheEndFails(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "doc.json")
	os.WriteFile(doc, []byte(`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30},"tracks":[{"clips":[
		{"type":"rect","start":0,"duration":3}]}]}`), 0o644)
	out, err := runCLI(t, "frame", doc, "--at", "10", "-o", filepath.Join(dir, "f.png"))
	if err == nil || !strings.Contains(out, "--at 10 is outside the document") || !strings.Contains(out, "from 0 to 2.967") {
		t.Errorf("frame --at 10 on a 3 s document: err %v\n%s", err, out)
	}
	if out, err := runCLI(t, "frame", doc, "--at", "2.9", "-o", filepath.Join(dir, "f.png")); err != nil {
		t.Errorf("frame --at 2.9: %v\n%s", err, out)
	}
}

// Item 12: the printed length matches the frame count: 1.01 s at 24 fps is 24 frames, 1.000 s of video.
func TestPrintedLengthMatchesTheFrames(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "doc.json")
	os.WriteFile(doc, []byte(`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":24},"tracks":[{"clips":[
		{"type":"rect","start":0,"duration":1.01}]}]}`), 0o644)
	out, err := runCLI(t, "validate", doc)
	if err != nil || !strings.Contains(out, "24 frames at 24 fps: 1.000 s (the document's 1.010 s rounded to whole frames)") {
		t.Errorf("validate: %v\n%s", err, out)
	}
}
