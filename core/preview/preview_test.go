package preview

import (
	"net/http"
	"net/http/httptest"
	"strings"

	"bytes"
	"context"
	"fmt"
	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render/assets"
	"image"
	"image/jpeg"
	"math"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

const doc = `{"meta":{"version":"2.0.0","width":640,"height":360,"fps":30,"background":"#123456"},
	"tracks":[{"clips":[{"type":"text","text":"Preview","start":0,"duration":2,"style":{"fontSize":64},
	"animations":[{"type":"fadeIn","duration":1}]}]}]}`

func newService(t *testing.T) *Service {
	b, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{URL: func(k string) string { return "/files/" + k }}, b)
	t.Cleanup(s.Close)
	return s
}

// Frames come back as JPEGs of the width asked for, even when many widths are drawn at once and the
// timeline cache evicts while others draw.
func TestFramesUnderConcurrencyAndEviction(t *testing.T) {
	s := newService(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			w := 160 + 16*(i%12) // 12 widths: more than the 8 timelines kept
			b, err := s.Frame(context.Background(), []byte(doc), float64(i%4)*0.4, w)
			if err != nil {
				errs <- err
				return
			}
			img, err := jpeg.Decode(bytes.NewReader(b))
			if err != nil || img.Bounds().Dx() != w {
				errs <- fmt.Errorf("width %d: got %v, %v", w, img.Bounds(), err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestProxyIsMadeOnceAndCached(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	st, err := s.Proxy(ctx, "preview/x", []byte(doc))
	if err != nil || st.Ready {
		t.Fatalf("first call: %+v %v, want a render started", st, err)
	}
	st = waitForProxy(t, s, doc)
	if !st.Ready || st.URL != "/files/"+s.ProxyKey([]byte(doc)) {
		t.Fatalf("proxy: %+v", st)
	}
	// A new service over the same blob store finds it without rendering.
	s2 := New(Config{URL: s.cfg.URL}, s.blob)
	if st2, _ := s2.Proxy(ctx, "task/y", []byte(doc)); !st2.Ready {
		t.Fatalf("cached proxy not found: %+v", st2)
	}
}

// waitForProxy asks for the proxy of doc until it is ready or failed, for at most a minute.
func waitForProxy(t *testing.T, s *Service, doc string) Status {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, err := s.Proxy(context.Background(), "preview/x", []byte(doc))
		if err != nil || st.Ready || st.Err != "" || time.Now().After(deadline) {
			if err != nil || !st.Ready {
				t.Fatalf("proxy never became ready: %+v %v", st, err)
			}
			return st
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// backdate makes the object under key look written age ago.
func backdate(t *testing.T, s *Service, key string, age time.Duration) {
	t.Helper()
	path, err := s.blob.(*blob.Local).Path(key)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(-age)
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
}

// Old proxies are deleted and newer ones kept; a purged proxy asked for again is rendered again.
func TestPurgeProxiesDeletesOldOnesAndTheyComeBack(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	waitForProxy(t, s, doc)
	oldKey := s.ProxyKey([]byte(doc))
	backdate(t, s, oldKey, 2*s.ProxyTTL())
	const freshKey, otherKey = "proxies/fresh.mp4", "files/acc/old_upload"
	for _, key := range []string{freshKey, otherKey} {
		if _, err := s.blob.Put(ctx, key, strings.NewReader("x"), "video/mp4"); err != nil {
			t.Fatal(err)
		}
	}
	backdate(t, s, otherKey, 2*s.ProxyTTL()) // old, but not a proxy

	n, err := s.PurgeProxies(ctx, time.Now().Add(-s.ProxyTTL()))
	if err != nil || n != 1 {
		t.Fatalf("PurgeProxies = %d, %v; want 1 purged", n, err)
	}
	for key, want := range map[string]bool{oldKey: false, freshKey: true, otherKey: true} {
		obj, err := s.blob.Open(ctx, key)
		if err == nil {
			obj.Close()
		}
		if exists := err == nil; exists != want {
			t.Errorf("after the purge, %s exists: %v, want %v", key, exists, want)
		}
	}

	st, err := s.Proxy(ctx, "preview/x", []byte(doc))
	if err != nil || st.Ready {
		t.Fatalf("purged proxy asked for again: %+v %v, want a new render started", st, err)
	}
	if st := waitForProxy(t, s, doc); st.URL != "/files/"+oldKey {
		t.Fatalf("re-rendered proxy: %+v", st)
	}
}

// A failed proxy is reported as failed, and tried again after RetryFailedAfter.
func TestFailedProxyIsRetried(t *testing.T) {
	up := false
	var mu sync.Mutex
	media := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !up {
			http.Error(w, "down for a moment", http.StatusServiceUnavailable)
			return
		}
		http.ServeFile(w, r, "../../examples/assets/photo1.jpg")
	}))
	defer media.Close()
	b, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{URL: func(k string) string { return "/files/" + k }, RetryFailedAfter: 50 * time.Millisecond,
		Assets: assets.Options{CacheDir: t.TempDir(), Policy: netguard.Policy{AllowPrivate: true}}}, b)
	t.Cleanup(s.Close)
	doc := []byte(`{"meta":{"version":"2.0.0","width":320,"height":180},"tracks":[{"clips":[{"type":"image","src":"` +
		media.URL + `/p.jpg","start":0,"duration":1}]}]}`)
	wait := func(want func(Status) bool) Status {
		deadline := time.Now().Add(60 * time.Second)
		for {
			st, err := s.Proxy(context.Background(), "preview/x", doc)
			if err != nil {
				t.Fatal(err)
			}
			if want(st) || time.Now().After(deadline) {
				return st
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if st := wait(func(st Status) bool { return st.Err != "" }); !strings.Contains(st.Err, "503") {
		t.Fatalf("with the asset down: %+v, want a failure naming the 503", st)
	}
	mu.Lock()
	up = true
	mu.Unlock()
	time.Sleep(60 * time.Millisecond)
	if st := wait(func(st Status) bool { return st.Ready }); !st.Ready {
		t.Fatalf("after the asset came back: %+v, want a ready proxy", st)
	}
}

// A preview with a video answers every frame, in any order (backwards too), although each request's context
// ends when it is answered: the cached timeline's decoders outlive the request that started them. Each frame
// is the engine's frame at that time.
func TestVideoPreviewFramesInAnyOrder(t *testing.T) {
	b, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opts := assets.Options{CacheDir: t.TempDir(), AllowLocal: true, BaseDir: "../../examples"}
	s := New(Config{URL: func(k string) string { return "/files/" + k }, Assets: opts}, b)
	t.Cleanup(s.Close)
	raw := []byte(`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":30},"tracks":[{"clips":[
		{"type":"video","src":"assets/clip.mp4","start":0,"duration":3,"transform":{"width":"100%","height":"100%"}},
		{"type":"text","text":"over video","start":0,"duration":3,"style":{"fontSize":24}}]}]}`)
	doc, err := schemas.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	want, err := render.Load(context.Background(), doc, render.Options{Assets: opts})
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	for _, at := range []float64{1, 0.5, 2.5, 0.1, 2.9, 0, 1.5, 1.4667} {
		ctx, cancel := context.WithCancel(context.Background())
		got, err := s.Frame(ctx, raw, at, 0)
		cancel() // the request is over
		if err != nil {
			t.Fatalf("frame at %vs: %v", at, err)
		}
		img, err := jpeg.Decode(bytes.NewReader(got))
		if err != nil {
			t.Fatalf("frame at %vs: %v", at, err)
		}
		ref, err := want.Frame(context.Background(), float64(int(at*30+1e-6))/30)
		if err != nil {
			t.Fatal(err)
		}
		// JPEG at quality 85 costs about 3 per channel on this test pattern; a frame 5 frames away differs by 10.
		if d := meanDifference(img, ref); d > 5 {
			t.Errorf("frame at %vs differs from the engine's by %.2f per channel on average, want ≤ 5", at, d)
		}
	}
}

// meanDifference is the mean absolute difference per RGB channel of two images of the same size, in 0..255.
func meanDifference(a image.Image, b *image.RGBA) float64 {
	var sum, n float64
	r := b.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, _ := a.At(x, y).RGBA()
			c := b.RGBAAt(x, y)
			sum += math.Abs(float64(ar>>8)-float64(c.R)) + math.Abs(float64(ag>>8)-float64(c.G)) + math.Abs(float64(ab>>8)-float64(c.B))
			n += 3
		}
	}
	return sum / n
}

// Cancelling the last object that asked for a proxy stops its render promptly; while another object
// still waits for the same proxy (same document), it keeps going.
func TestCancelProxyStopsRender(t *testing.T) {
	s := newService(t)
	long := `{"meta":{"version":"2.0.0","width":640,"height":360,"fps":30},
	"tracks":[{"clips":[{"type":"text","text":"Long","start":0,"duration":3600}]}]}`
	for _, key := range []string{"preview/temp_a", "preview/temp_b"} {
		if st, err := s.Proxy(context.Background(), key, []byte(long)); err != nil || st.Err != "" || st.Ready {
			t.Fatalf("Proxy(%s): %+v %v", key, st, err)
		}
	}
	waitProgress := func() float64 {
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			st, _ := s.Proxy(context.Background(), "preview/temp_b", []byte(long))
			if st.Progress > 0 {
				return st.Progress
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("the proxy render made no progress")
		return 0
	}
	waitProgress()
	s.CancelProxy("preview/temp_a") // temp_b still shows the same document
	time.Sleep(300 * time.Millisecond)
	s.mu.Lock()
	running := s.jobs[s.ProxyKey([]byte(long))] != nil
	s.mu.Unlock()
	if !running {
		t.Fatal("the render stopped while another preview still waits for it")
	}

	s.CancelProxy("preview/temp_b")
	done := make(chan struct{})
	go func() { s.renders.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the proxy render kept running after its last preview was deleted")
	}
	// Asked for again, it starts afresh instead of reporting the cancellation.
	if st, err := s.Proxy(context.Background(), "preview/temp_c", []byte(long)); err != nil || st.Err != "" {
		t.Fatalf("after cancel: %+v %v", st, err)
	}
}

// A proxy longer than twice the head is published in two steps: its first seconds as a playable partial
// proxy, then the whole. WaitProxy reports each change as it happens (the page's long poll).
func TestProxyPublishesItsFirstSecondsFirst(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	long := `{"meta":{"version":"2.0.0","width":640,"height":360,"fps":30,"background":"#123456"},
	"tracks":[{"clips":[{"type":"text","text":"Long preview","start":0,"duration":5,"style":{"fontSize":64},
	"animations":[{"type":"fadeIn","duration":1}]},
	{"type":"circle","size":80,"start":0,"duration":5,"keyframes":[{"property":"x","frames":[{"time":0,"value":50},{"time":5,"value":590}]}]}]}]}`
	var sawPartial string
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st, err := s.WaitProxy(ctx, "preview/long", []byte(long), time.Minute)
		if err != nil || st.Err != "" {
			t.Fatalf("proxy: %+v %v", st, err)
		}
		if st.PartialURL != "" {
			sawPartial = st.PartialURL
			if st.PartialSeconds != headSeconds {
				t.Errorf("partial proxy of %v s, want %v", st.PartialSeconds, headSeconds)
			}
		}
		if st.Ready {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the proxy never became ready")
		}
	}
	headKey := strings.TrimSuffix(s.ProxyKey([]byte(long)), ".mp4") + "-head.mp4"
	if sawPartial != "" && sawPartial != "/files/"+headKey {
		t.Errorf("partial URL %q, want /files/%s", sawPartial, headKey)
	}
	for key, want := range map[string]struct {
		frames int
		secs   float64
	}{headKey: {30, 2}, s.ProxyKey([]byte(long)): {75, 5}} {
		path, err := s.blob.(*blob.Local).Path(key)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ffmpeg.Probe(ctx, path, ffmpeg.CountFrames)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		v, _ := p.Video()
		if v.NbFrames != want.frames || math.Abs(p.Duration-want.secs) > 0.05 {
			t.Errorf("%s: %d frames, %v s; want %d frames, %v s", key, v.NbFrames, p.Duration, want.frames, want.secs)
		}
		// Both play while they download: the index (moov) comes before the pictures (mdat).
		if boxes := topLevelBoxes(t, path); strings.Index(boxes, "moov") > strings.Index(boxes, "mdat") {
			t.Errorf("%s: boxes %s, want moov before mdat", key, boxes)
		}
	}
}

// topLevelBoxes lists the top-level MP4 boxes of the file at path, such as "ftyp moov mdat".
func topLevelBoxes(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i := 0; i+8 <= len(data); {
		size := int(data[i])<<24 | int(data[i+1])<<16 | int(data[i+2])<<8 | int(data[i+3])
		names = append(names, string(data[i+4:i+8]))
		if size < 8 {
			break // 64-bit or to-the-end sizes: the boxes that matter come before
		}
		i += size
	}
	return strings.Join(names, " ")
}
