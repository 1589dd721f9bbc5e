package blob_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

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
	for _, key := range []string{"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", `a\b`, "a/b/", "x\x00y", "a.content-type"} {
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
