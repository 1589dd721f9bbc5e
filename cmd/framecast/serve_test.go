package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/preview"
)

// The server purges old preview proxies as soon as it starts, and keeps the recent ones.
func TestServerPurgesOldProxiesAtStart(t *testing.T) {
	ctx := context.Background()
	store, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	proxies := preview.New(preview.Config{}, store)
	for _, key := range []string{"proxies/old.mp4", "proxies/new.mp4"} {
		if _, err := store.Put(ctx, key, strings.NewReader("mp4"), "video/mp4"); err != nil {
			t.Fatal(err)
		}
	}
	path, _ := store.Path("proxies/old.mp4")
	old := time.Now().Add(-2 * proxies.ProxyTTL())
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}

	purgeCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		purgeProxies(purgeCtx, proxies, slog.New(slog.DiscardHandler))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for exists(t, store, "proxies/old.mp4") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done
	if exists(t, store, "proxies/old.mp4") || !exists(t, store, "proxies/new.mp4") {
		t.Fatalf("after the first purge: old proxy kept %v, new proxy kept %v, want false and true",
			exists(t, store, "proxies/old.mp4"), exists(t, store, "proxies/new.mp4"))
	}
}

// exists reports whether store holds an object under key.
func exists(t *testing.T, store blob.Store, key string) bool {
	t.Helper()
	obj, err := store.Open(context.Background(), key)
	if errors.Is(err, blob.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	obj.Close()
	return true
}
