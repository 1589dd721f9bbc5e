package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/render/ffmpeg"
)

// buildBinary builds this command once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "framecast-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "framecast")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// server is a `framecast serve` process on a free loopback port.
type server struct {
	url, key string
	cmd      *exec.Cmd
}

// startServe runs `framecast serve` with a fresh data folder and returns its base URL and first-run key.
func startServe(t *testing.T, extra ...string) *server {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--allow-private-urls", "--workers", "2"}, extra...)
	if pg := os.Getenv("FRAMECAST_TEST_POSTGRES_URL"); pg != "" && os.Getenv("FRAMECAST_E2E_POSTGRES") != "" {
		args = append(args, "--db", pg)
	}
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	s := &server{cmd: cmd}
	keyRe, addrRe := regexp.MustCompile(`sk-[A-Za-z0-9]+`), regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)
	lines := bufio.NewScanner(stderr)
	deadline := time.Now().Add(60 * time.Second)
	for (s.key == "" || s.url == "") && time.Now().Before(deadline) && lines.Scan() {
		if k := keyRe.FindString(lines.Text()); k != "" && s.key == "" {
			s.key = k
		}
		if m := addrRe.FindStringSubmatch(lines.Text()); m != nil {
			s.url = "http://" + m[1]
		}
	}
	if s.key == "" || s.url == "" {
		t.Fatalf("serve did not print its key and address")
	}
	go func() { // keep draining the log
		for lines.Scan() {
		}
	}()
	return s
}

// call makes an API request and decodes the JSON answer.
func (s *server) call(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, r)
	req.Header.Set("Authorization", "Bearer "+s.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// receiver records webhook deliveries.
type receiver struct {
	mu   sync.Mutex
	got  []delivery
	done chan struct{}
}

type delivery struct {
	header http.Header
	body   []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, delivery{r.Header.Clone(), b})
	if len(rc.got) == 1 {
		close(rc.done)
	}
	rc.mu.Unlock()
}

func toneWAV(t *testing.T) []byte {
	out := filepath.Join(t.TempDir(), "tone.wav")
	b, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
		"aevalsrc=0.5*sin(2*PI*440*t)|0.5*sin(2*PI*440*t):s=48000:d=3", out).CombinedOutput()
	if err != nil {
		t.Fatalf("tone: %v %s", err, b)
	}
	data, _ := os.ReadFile(out)
	return data
}

// The whole flow a SaaS backend runs: create a task with an image, a text and a tone, render it in 3 segments
// with a webhook, poll to completed, download the MP4, verify the webhook, and check the credits charged.
// Then the same with a dead asset: the task fails, the webhook says so, the credits come back.
func TestEndToEndOverHTTP(t *testing.T) {
	if _, _, err := ffmpeg.FindFFmpeg(); err != nil {
		t.Fatal(err)
	}
	photo, err := os.ReadFile("../../examples/assets/photo1.jpg")
	if err != nil {
		t.Fatal(err)
	}
	tone := toneWAV(t)
	media := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/photo.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			_, _ = w.Write(photo)
		case "/tone.wav":
			w.Header().Set("Content-Type", "audio/wav")
			_, _ = w.Write(tone)
		default:
			http.NotFound(w, r)
		}
	}))
	defer media.Close()
	s := startServe(t)

	_, secret := s.call(t, "GET", "/api/v1/webhooks/secret", nil)
	_, before := s.call(t, "GET", "/api/v1/credits", nil)

	doc := func(image string) map[string]any {
		return map[string]any{"meta": map[string]any{"version": "2.0.0", "width": 640, "height": 360, "fps": 25},
			"tracks": []any{map[string]any{"clips": []any{
				map[string]any{"type": "image", "src": media.URL + image, "start": 0, "duration": 2.4, "transform": map[string]any{"width": "100%", "height": "100%"}},
				map[string]any{"type": "text", "text": "End to end", "start": 0, "duration": 2.4, "style": map[string]any{"fontSize": 48}},
				map[string]any{"type": "audio", "src": media.URL + "/tone.wav", "start": 0, "duration": 2.4},
			}}}}
	}
	run := func(image string) (task map[string]any, hook delivery) {
		rc := &receiver{done: make(chan struct{})}
		hooks := httptest.NewServer(rc)
		defer hooks.Close()
		code, created := s.call(t, "POST", "/api/v1/video", map[string]any{"config": doc(image), "title": "e2e"})
		if code != 201 && code != 200 {
			t.Fatalf("create: %d %v", code, created)
		}
		id := created["taskId"].(string)
		code, started := s.call(t, "POST", "/api/v1/video/"+id+"/render", map[string]any{"webhook_url": hooks.URL + "/hook", "num_workers": 3})
		if code != 200 || started["status"] != "rendering" {
			t.Fatalf("render: %d %v", code, started)
		}
		deadline := time.Now().Add(3 * time.Minute)
		for time.Now().Before(deadline) {
			_, task = s.call(t, "GET", "/api/v1/video/"+id, nil)
			if task["status"] == "completed" || task["status"] == "failed" {
				break
			}
			time.Sleep(300 * time.Millisecond)
		}
		select {
		case <-rc.done:
		case <-time.After(60 * time.Second):
			t.Fatal("no webhook arrived")
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		return task, rc.got[0]
	}

	task, hook := run("/photo.jpg")
	if task["status"] != "completed" {
		t.Fatalf("task ended %v: %v", task["status"], task["error"])
	}
	// Download the video the API points to, and check it.
	resp, err := http.Get(task["videoUrl"].(string))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("download: %v %v", err, resp)
	}
	mp4 := filepath.Join(t.TempDir(), "out.mp4")
	f, _ := os.Create(mp4)
	_, _ = io.Copy(f, resp.Body)
	resp.Body.Close()
	f.Close()
	p, err := ffmpeg.Probe(context.Background(), mp4)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := p.Video()
	if v.Width != 640 || v.Height != 360 || v.NbFrames != 60 || !p.HasAudio || math.Abs(p.Duration-2.4) > 0.1 {
		t.Errorf("output: %dx%d, %d frames, audio %v, %.2fs; want 640x360, 60 frames, audio, 2.4s", v.Width, v.Height, v.NbFrames, p.HasAudio, p.Duration)
	}
	// The webhook is signed with the account's secret (Standard Webhooks).
	var payload map[string]any
	_ = json.Unmarshal(hook.body, &payload)
	if payload["status"] != "completed" || payload["taskId"] != task["taskId"] || payload["videoUrl"] != task["videoUrl"] {
		t.Errorf("webhook payload %v", payload)
	}
	verifySignature(t, secret["secret"].(string), hook)
	// Credits charged = ceil(2.4 s × 1.0) for 360p ("720p" tier) = 3.
	_, after := s.call(t, "GET", "/api/v1/credits", nil)
	if charged := before["credits"].(float64) - after["credits"].(float64); charged != 3 || task["costCredits"].(float64) != 3 {
		t.Errorf("charged %v credits (task says %v), want 3", charged, task["costCredits"])
	}

	// A dead asset: failed, said so by the webhook, refunded.
	task, hook = run("/missing.jpg")
	if task["status"] != "failed" || !strings.Contains(fmt.Sprint(task["error"]), "missing.jpg") {
		t.Errorf("dead asset: status %v error %v", task["status"], task["error"])
	}
	_ = json.Unmarshal(hook.body, &payload)
	if payload["status"] != "failed" || payload["error"] == nil {
		t.Errorf("dead asset webhook: %v", payload)
	}
	verifySignature(t, secret["secret"].(string), hook)
	_, final := s.call(t, "GET", "/api/v1/credits", nil)
	if final["credits"] != after["credits"] {
		t.Errorf("credits after a failed render: %v, want %v (refunded)", final["credits"], after["credits"])
	}
}

func verifySignature(t *testing.T, secret string, d delivery) {
	t.Helper()
	id, ts := d.header.Get("webhook-id"), d.header.Get("webhook-timestamp")
	var unix int64
	if _, err := fmt.Sscan(ts, &unix); err != nil || id == "" {
		t.Fatalf("webhook headers: id %q timestamp %q", id, ts)
	}
	// Verified by hand, as a receiver following the Standard Webhooks spec would.
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.%s", id, unix, d.body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if got := d.header.Get("webhook-signature"); !strings.Contains(got, want) {
		t.Errorf("webhook-signature %q, want %q", got, want)
	}
}
