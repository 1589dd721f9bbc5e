package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framecast/framecast/netguard"
)

// server serves body at every path and counts requests.
func server(t *testing.T, body string) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/missing.png" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func local(t *testing.T) Options {
	return Options{CacheDir: t.TempDir(), Policy: netguard.Policy{AllowPrivate: true}}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestFetchHTTPIsContentAddressedAndCached(t *testing.T) {
	srv, hits := server(t, "PNG bytes")
	opts := local(t)
	path, err := NewFetcher(opts).Fetch(context.Background(), srv.URL+"/logo.PNG?v=1")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "PNG bytes" {
		t.Fatalf("content = %q", got)
	}
	if want := sha("PNG bytes") + ".png"; filepath.Base(path) != want {
		t.Fatalf("object name = %s, want %s", filepath.Base(path), want)
	}
	// A new Fetcher (a later render) sharing the cache does not ask the server again.
	again, err := NewFetcher(opts).Fetch(context.Background(), srv.URL+"/logo.PNG?v=1")
	if err != nil || again != path {
		t.Fatalf("second fetch = %s, %v; want %s", again, err, path)
	}
	if hits.Load() != 1 {
		t.Fatalf("server hit %d times, want 1", hits.Load())
	}
}

func TestDefaultPolicyRefusesLoopback(t *testing.T) {
	srv, hits := server(t, "secret")
	_, err := NewFetcher(Options{CacheDir: t.TempDir()}).Fetch(context.Background(), srv.URL+"/a.png")
	if !errors.Is(err, netguard.ErrForbiddenAddress) {
		t.Fatalf("err = %v, want ErrForbiddenAddress", err)
	}
	if !strings.Contains(err.Error(), srv.URL+"/a.png") {
		t.Errorf("error does not name the URL: %v", err)
	}
	if hits.Load() != 0 {
		t.Errorf("server was reached")
	}
}

func TestConcurrentFetchesShareOneDownload(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-release
		w.Write([]byte("video"))
	}))
	defer srv.Close()
	f := NewFetcher(local(t))

	var wg sync.WaitGroup
	paths := make([]string, 10)
	errs := make([]error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths[i], errs[i] = f.Fetch(context.Background(), srv.URL+"/v.mp4")
		}()
	}
	// Let the first request arrive, then answer it.
	for hits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i := range 10 {
		if errs[i] != nil || paths[i] != paths[0] {
			t.Fatalf("goroutine %d: %s, %v", i, paths[i], errs[i])
		}
	}
	if hits.Load() != 1 {
		t.Fatalf("server hit %d times, want 1", hits.Load())
	}
}

func TestHTTPStatusError(t *testing.T) {
	srv, _ := server(t, "")
	_, err := NewFetcher(local(t)).Fetch(context.Background(), srv.URL+"/missing.png")
	var status *StatusError
	if !errors.As(err, &status) || status.Code != 404 {
		t.Fatalf("err = %v, want a 404 StatusError", err)
	}
	if !strings.Contains(err.Error(), "/missing.png") || !strings.Contains(err.Error(), "404") {
		t.Errorf("error should name the URL and the status: %v", err)
	}
}

func objectsIn(t *testing.T, cacheDir string) []string {
	entries, _ := os.ReadDir(filepath.Join(cacheDir, "objects"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestTooLargeLeavesNoCacheEntry(t *testing.T) {
	big := strings.Repeat("x", 1000)
	// One server announces its length, the other streams without one.
	withLength, _ := server(t, big)
	chunked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 10 {
			w.Write([]byte(big[:100]))
			w.(http.Flusher).Flush()
		}
	}))
	defer chunked.Close()

	for _, u := range []string{withLength.URL + "/big.bin", chunked.URL + "/big.bin"} {
		opts := local(t)
		opts.MaxBytes = 500
		_, err := NewFetcher(opts).Fetch(context.Background(), u)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%s: err = %v, want ErrTooLarge", u, err)
		}
		if !strings.Contains(err.Error(), u) || !strings.Contains(err.Error(), "500 bytes") {
			t.Errorf("error should name the URL and the limit: %v", err)
		}
		if names := objectsIn(t, opts.CacheDir); len(names) != 0 {
			t.Errorf("partial cache entries left: %v", names)
		}
	}
}

func TestTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	opts := local(t)
	opts.Timeout = 100 * time.Millisecond
	_, err := NewFetcher(opts).Fetch(context.Background(), srv.URL+"/slow.mp3")
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v, want a timeout", err)
	}
}

func TestDataURLs(t *testing.T) {
	f := NewFetcher(Options{CacheDir: t.TempDir()})
	for src, want := range map[string]string{
		"data:text/plain;base64,aGVsbG8gd29ybGQ=": "hello world",
		"data:,hello%20world":                     "hello world",
		"data:image/png;base64,aGk":               "hi",
	} {
		path, err := f.Fetch(context.Background(), src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got, _ := os.ReadFile(path); string(got) != want {
			t.Errorf("%s: content %q, want %q", src, got, want)
		}
	}
	if path, _ := f.Fetch(context.Background(), "data:image/png;base64,aGk"); filepath.Ext(path) != ".png" {
		t.Errorf("data:image/png stored as %s", path)
	}
	if _, err := f.Fetch(context.Background(), "data:image/png;base64,!!!"); err == nil {
		t.Error("bad base64 accepted")
	}
}

func TestLocalFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "song.mp3"), []byte("mp3"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	server := NewFetcher(Options{CacheDir: t.TempDir(), BaseDir: dir})
	for _, src := range []string{"song.mp3", "file://" + filepath.Join(dir, "song.mp3"), "/etc/passwd"} {
		if _, err := server.Fetch(ctx, src); !errors.Is(err, ErrLocalNotAllowed) {
			t.Errorf("%s: err = %v, want ErrLocalNotAllowed", src, err)
		}
	}

	cli := NewFetcher(Options{CacheDir: t.TempDir(), BaseDir: dir, AllowLocal: true})
	for _, src := range []string{"song.mp3", "./song.mp3", "file://" + filepath.Join(dir, "song.mp3"), filepath.Join(dir, "song.mp3")} {
		path, err := cli.Fetch(ctx, src)
		if err != nil || path != filepath.Join(dir, "song.mp3") {
			t.Errorf("%s: %s, %v", src, path, err)
		}
	}
	if _, err := cli.Fetch(ctx, "nope.mp3"); err == nil || !strings.Contains(err.Error(), "nope.mp3") {
		t.Errorf("missing file: err = %v", err)
	}
	if _, err := cli.Fetch(ctx, "ftp://example.com/a.mp3"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ftp: err = %v, want ErrUnsupported", err)
	}
}

func TestResolverHook(t *testing.T) {
	dir := t.TempDir()
	stored := filepath.Join(dir, "upload-42")
	os.WriteFile(stored, []byte("uploaded"), 0o644)
	f := NewFetcher(Options{CacheDir: t.TempDir(), Resolver: func(ctx context.Context, u string) (string, bool, error) {
		if strings.HasPrefix(u, "https://framecast.example/files/") {
			return stored, true, nil
		}
		return "", false, nil
	}})
	path, err := f.Fetch(context.Background(), "https://framecast.example/files/42")
	if err != nil || path != stored {
		t.Fatalf("resolver: %s, %v", path, err)
	}
}

// A caller that gives up does not fail the others waiting for the same source.
func TestCancelledCallerDoesNotFailOthers(t *testing.T) {
	first := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			close(first)
			<-r.Context().Done() // the first request hangs until its caller gives up
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	f := NewFetcher(local(t))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := f.Fetch(ctx, srv.URL+"/a.mp3")
		errc <- err
	}()
	<-first
	done := make(chan string, 1)
	go func() {
		path, err := f.Fetch(context.Background(), srv.URL+"/a.mp3")
		if err != nil {
			t.Error(err)
		}
		done <- path
	}()
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("cancelled fetch succeeded")
	}
	if path := <-done; path == "" {
		t.Fatal("second caller got no file")
	}
}

func BenchmarkFetchCached(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("x")) }))
	defer srv.Close()
	opts := Options{CacheDir: b.TempDir(), Policy: netguard.Policy{AllowPrivate: true}}
	if _, err := NewFetcher(opts).Fetch(context.Background(), srv.URL+"/a.png"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		// A new Fetcher each time: the cost of a later render finding the asset in the disk cache.
		if _, err := NewFetcher(opts).Fetch(context.Background(), srv.URL+"/a.png"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestErrorsHidePasswords(t *testing.T) {
	_, err := NewFetcher(Options{CacheDir: t.TempDir()}).Fetch(context.Background(), "http://user:hunter2@127.0.0.1/a.png")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err = %v", err)
	}
}
