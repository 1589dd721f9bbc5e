package blob_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/blob/blobtest"
)

func newLocal(t *testing.T) *blob.Local {
	t.Helper()
	l, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLocal(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store { return newLocal(t) })
}

// TestLocalLeavesNoDirectories checks that deleting the last object of a folder removes the folder.
func TestLocalLeavesNoDirectories(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	l.Put(ctx, "files/acc/asset_1", strings.NewReader("hello"), "text/plain")
	if err := l.Delete(ctx, "files/acc/asset_1"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(l.Dir()); len(entries) != 0 {
		t.Fatalf("empty directories left behind: %v", entries)
	}
}

func TestLocalRejectsItsOwnFileNames(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	for _, key := range append(blobtest.BadKeys, "a.content-type", "a/.tmp-b") {
		if _, err := l.Put(ctx, key, strings.NewReader("x"), ""); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%q): %v", key, err)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(l.Dir()), "x")); err == nil {
		t.Fatal("a file escaped the store")
	}
}

func TestLocalFailedPutLeavesNoTemporaryFile(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	l.Put(ctx, "k/v", strings.NewReader("old"), "text/plain")
	if _, err := l.Put(ctx, "k/v", &blobtest.FailingReader{N: 3}, "text/plain"); err == nil {
		t.Fatal("put from a failing reader succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(l.Dir(), "k"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
}

func TestLocalListSkipsWritesInProgress(t *testing.T) {
	ctx := context.Background()
	l := newLocal(t)
	l.Put(ctx, "proxies/a.mp4", strings.NewReader("a"), "video/mp4")
	if err := os.WriteFile(filepath.Join(l.Dir(), "proxies", ".tmp-b.mp4-123"), []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	var keys []string
	l.List(ctx, "", func(info blob.Info) error { keys = append(keys, info.Key); return nil })
	if len(keys) != 1 || keys[0] != "proxies/a.mp4" {
		t.Fatalf("listed %q", keys)
	}
}

func TestLocalListReportsFileModTime(t *testing.T) {
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
