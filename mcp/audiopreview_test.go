package mcp

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/framecast/framecast/core"
)

// TestRenderAudioPreview uploads a music file, asks for the soundtrack of a 3 s document that fades it
// in over 1 s, and listens: audio content (Ogg Opus) 3 s long, quiet at the start of the fade and loud
// after it. A document without sound says so.
func TestRenderAudioPreview(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg is not installed")
	}
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	music, err := os.ReadFile(filepath.Join("..", "examples", "assets", "music.m4a"))
	if err != nil {
		t.Fatal(err)
	}
	var up core.UploadResult
	ok(t, "upload_file", callTool(t, c, "upload_file", map[string]any{"content_base64": base64.StdEncoding.EncodeToString(music), "name": "music.m4a"}, nil), &up)

	d := doc(320, 180, 10, 3)
	d["tracks"] = append(d["tracks"].([]any), map[string]any{"clips": []any{
		map[string]any{"type": "audio", "src": up.Assets[0].URL, "start": 0, "duration": 3, "fadeIn": 1, "loop": true},
	}})
	res := callTool(t, c, "render_audio_preview", map[string]any{"document": d}, nil)
	var out core.AudioPreviewResult
	ok(t, "render_audio_preview", res, &out)
	var clip *mcp.AudioContent
	for _, content := range res.Content {
		if a, isAudio := content.(mcp.AudioContent); isAudio {
			clip = &a
		}
	}
	if !out.HasAudio || out.Duration != 3 || clip == nil || clip.MIMEType != "audio/ogg" {
		t.Fatalf("render_audio_preview: %+v, audio content %v", out, clip != nil)
	}
	raw, _ := base64.StdEncoding.DecodeString(clip.Data)
	file := filepath.Join(t.TempDir(), "preview.ogg")
	os.WriteFile(file, raw, 0o644)
	pcm, err := exec.Command("ffmpeg", "-v", "error", "-i", file, "-f", "s16le", "-ac", "1", "-ar", "8000", "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	samples := make([]int16, len(pcm)/2)
	binary.Read(bytes.NewReader(pcm), binary.LittleEndian, samples)
	if seconds := float64(len(samples)) / 8000; math.Abs(seconds-3) > 0.1 {
		t.Errorf("the preview lasts %.2f s, want 3 (the document's duration)", seconds)
	}
	rms := func(from, to float64) float64 {
		sum, n := 0.0, 0
		for _, s := range samples[int(from*8000):int(to*8000)] {
			sum += float64(s) * float64(s)
			n++
		}
		return math.Sqrt(sum / float64(n))
	}
	start, after := rms(0, 0.15), rms(1.5, 2.5)
	t.Logf("RMS first 0.15 s %.0f, 1.5-2.5 s %.0f", start, after)
	if after < 300 || start > after/4 {
		t.Errorf("fadeIn not heard: RMS %.0f at the start, %.0f after the fade", start, after)
	}

	var silent core.AudioPreviewResult
	ok(t, "render_audio_preview", callTool(t, c, "render_audio_preview", map[string]any{"document": doc(320, 180, 10, 2)}, nil), &silent)
	if silent.HasAudio {
		t.Errorf("a document without sound: %+v", silent)
	}
	failed(t, "render_audio_preview", callTool(t, c, "render_audio_preview", map[string]any{"document": badDoc()}, nil), core.CodeInvalidConfig)
}
