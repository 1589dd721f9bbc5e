package blob_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
)

func newLocal(t *testing.T) *blob.Local {
	t.Helper()
	l, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLocalPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	var s blob.Store = l
	size, err := s.Put(ctx, "files/acc/asset_1", strings.NewReader("hello"), "text/plain")
	if err != nil || size != 5 {
		t.Fatalf("put: %d %v", size, err)
	}
	obj, err := s.Open(ctx, "files/acc/asset_1")
	if err != nil {
		t.Fatal(err)
	}
	if obj.Size() != 5 || obj.ContentType() != "text/plain" || obj.ModTime().IsZero() {
		t.Fatalf("object: size %d type %q", obj.Size(), obj.ContentType())
	}
	obj.Seek(1, io.SeekStart)
	rest, _ := io.ReadAll(obj)
	obj.Close()
	if string(rest) != "ello" {
		t.Fatalf("read after seek: %q", rest)
	}
	// Replacing keeps one object.
	if _, err := s.Put(ctx, "files/acc/asset_1", strings.NewReader("bye"), "text/x"); err != nil {
		t.Fatal(err)
	}
	obj, _ = s.Open(ctx, "files/acc/asset_1")
	b, _ := io.ReadAll(obj)
	obj.Close()
	if string(b) != "bye" || obj.ContentType() != "text/x" {
		t.Fatalf("after replace: %q %q", b, obj.ContentType())
	}
	if err := s.Delete(ctx, "files/acc/asset_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "files/acc/asset_1"); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("open deleted: %v", err)
	}
	if err := s.Delete(ctx, "files/acc/asset_1"); err != nil {
		t.Fatalf("delete missing: %v", err)
	}
	if entries, _ := os.ReadDir(l.Dir()); len(entries) != 0 {
		t.Fatalf("empty directories left behind: %v", entries)
	}
}

func TestLocalRejectsBadKeys(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	for _, key := range []string{"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", `a\b`, "a/b/", "x\x00y", "a.content-type", "a/.tmp-b"} {
		if _, err := l.Put(ctx, key, strings.NewReader("x"), ""); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%q): %v", key, err)
		}
		if _, err := l.Open(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Open(%q): %v", key, err)
		}
		if err := l.Delete(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Delete(%q): %v", key, err)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(l.Dir()), "x")); err == nil {
		t.Fatal("a file escaped the store")
	}
}

// failingReader yields some bytes and then fails, like a client that hangs up mid-upload.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	f.n--
	p[0] = 'x'
	return 1, nil
}

func TestLocalFailedPutLeavesNothing(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	l.Put(ctx, "k/v", strings.NewReader("old"), "text/plain")
	if _, err := l.Put(ctx, "k/v", &failingReader{n: 3}, "text/plain"); err == nil {
		t.Fatal("put from a failing reader succeeded")
	}
	obj, err := l.Open(ctx, "k/v")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(obj)
	obj.Close()
	if string(b) != "old" {
		t.Fatalf("old object changed to %q", b)
	}
	entries, _ := os.ReadDir(filepath.Join(l.Dir(), "k"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
}

// TestLocalConcurrentPuts checks that readers only ever see a whole object while writers replace it.
func TestLocalConcurrentPuts(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	a, b := strings.Repeat("a", 1<<16), strings.Repeat("b", 1<<16)
	l.Put(ctx, "k", strings.NewReader(a), "")
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				l.Put(ctx, "k", strings.NewReader([]string{a, b}[(i+j)%2]), "")
			}
		}()
	}
	for j := 0; j < 50; j++ {
		obj, err := l.Open(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(obj)
		obj.Close()
		if string(got) != a && string(got) != b {
			t.Fatalf("read a mixed object of %d bytes", len(got))
		}
	}
	wg.Wait()
}

// listKeys returns the keys List reports under prefix, sorted, failing the test on an error.
func listKeys(t *testing.T, s blob.Store, prefix string) []string {
	t.Helper()
	var keys []string
	if err := s.List(context.Background(), prefix, func(info blob.Info) error {
		keys = append(keys, info.Key)
		return nil
	}); err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	slices.Sort(keys)
	return keys
}

func TestLocalListByPrefix(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	for _, key := range []string{"proxies/a.mp4", "proxies/sub/c.mp4", "proxiesX/d", "files/acc/asset_1", "files/acc2/asset_2", "top"} {
		if _, err := l.Put(ctx, key, strings.NewReader(key), "text/plain"); err != nil {
			t.Fatal(err)
		}
	}
	// A write in progress is not an object yet.
	if err := os.WriteFile(filepath.Join(l.Dir(), "proxies", ".tmp-b.mp4-123"), []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	for prefix, want := range map[string][]string{
		"proxies/":   {"proxies/a.mp4", "proxies/sub/c.mp4"},
		"proxies":    {"proxies/a.mp4", "proxies/sub/c.mp4", "proxiesX/d"},
		"files/acc":  {"files/acc/asset_1", "files/acc2/asset_2"},
		"files/acc/": {"files/acc/asset_1"},
		"top":        {"top"},
		"nothing/":   nil,
		"":           {"files/acc/asset_1", "files/acc2/asset_2", "proxies/a.mp4", "proxies/sub/c.mp4", "proxiesX/d", "top"},
	} {
		if got := listKeys(t, l, prefix); !slices.Equal(got, want) {
			t.Errorf("List(%q) = %q, want %q", prefix, got, want)
		}
	}
}

func TestLocalListReportsSizeAndModTime(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	l.Put(ctx, "proxies/old.mp4", strings.NewReader("12345"), "video/mp4")
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	path, _ := l.Path("proxies/old.mp4")
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	var got []blob.Info
	l.List(ctx, "proxies/", func(info blob.Info) error {
		got = append(got, info)
		return nil
	})
	if len(got) != 1 || got[0].Size != 5 || !got[0].ModTime.Equal(old) {
		t.Fatalf("List reported %+v, want one object of 5 bytes written at %v", got, old)
	}
}

func TestLocalListCallbackMayDelete(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	for _, key := range []string{"proxies/a", "proxies/b", "proxies/sub/c", "files/keep"} {
		l.Put(ctx, key, strings.NewReader("x"), "")
	}
	var deleted int
	err := l.List(ctx, "proxies/", func(info blob.Info) error {
		deleted++
		return l.Delete(ctx, info.Key)
	})
	if err != nil || deleted != 3 {
		t.Fatalf("deleted %d objects while listing, error %v; want 3", deleted, err)
	}
	if got := listKeys(t, l, ""); !slices.Equal(got, []string{"files/keep"}) {
		t.Fatalf("left after deleting proxies: %q", got)
	}
}

func TestLocalListStopsOnCallbackError(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	for _, key := range []string{"k/a", "k/b", "k/c"} {
		l.Put(ctx, key, strings.NewReader("x"), "")
	}
	stop := errors.New("stop here")
	calls := 0
	err := l.List(ctx, "k/", func(blob.Info) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("List after the callback failed: %d calls, error %v", calls, err)
	}
}

func TestLocalListRejectsBadPrefixes(t *testing.T) {
	l := newLocal(t)
	for _, prefix := range []string{"/", "/etc", "../", "a/../", "a//", "./", `a\`, "x\x00"} {
		err := l.List(context.Background(), prefix, func(blob.Info) error { return nil })
		if !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("List(%q): %v, want ErrInvalidKey", prefix, err)
		}
	}
}
