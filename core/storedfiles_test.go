package core

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// A /files/ URL of this deployment names its object whatever way the public URL is written: every process
// reads the object from the blob store instead of fetching the URL (which may name a host it cannot reach,
// or itself).
func TestFilesKeyMatchesThisDeploymentOnly(t *testing.T) {
	s := mustNew(t, Config{PublicURL: "https://Video.Example.com/fc/"}, nil, nil, nil)
	for raw, want := range map[string]string{
		"https://video.example.com/fc/files/files/acc/asset_1":     "files/acc/asset_1",
		"HTTPS://VIDEO.EXAMPLE.COM:443/fc/files/files/acc/asset_1": "files/acc/asset_1",
		"https://video.example.com/fc/files/renders/r%201/v.mp4":   "renders/r 1/v.mp4",
		"/files/files/acc/asset_1":                                 "files/acc/asset_1",
		"http://video.example.com/fc/files/files/acc/asset_1":      "", // another scheme
		"https://video.example.com:8443/fc/files/files/acc/a":      "", // another port
		"https://other.example.com/fc/files/files/acc/asset_1":     "", // another host
		"https://video.example.com/files/files/acc/asset_1":        "", // outside the base path
		"https://video.example.com/fc/files/":                      "",
		"https://video.example.com/fc/files/files/acc/a?x=1":       "",
		"https://u:p@video.example.com/fc/files/files/acc/a":       "",
	} {
		key, ok := s.filesKey(raw)
		if key != want || ok != (want != "") {
			t.Errorf("filesKey(%q) = %q, %v; want %q", raw, key, ok, want)
		}
	}
	s = mustNew(t, Config{PublicURL: "http://10.0.0.5:8080"}, nil, nil, nil)
	if key, ok := s.filesKey("http://10.0.0.5:8080/files/files/a/b"); !ok || key != "files/a/b" {
		t.Errorf("with a port: %q %v", key, ok)
	}
	if _, ok := s.filesKey("http://10.0.0.5/files/files/a/b"); ok {
		t.Error("port 80 matched a public URL on port 8080")
	}
}

func TestOpenStoredFile(t *testing.T) {
	forEachBackend(t, Config{FilesRedirect: true}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.blob.Put(ctx, "renders/r/video.mp4", strings.NewReader("mp4 bytes"), "video/mp4")
		// A local store cannot presign: the bytes are served even with FilesRedirect.
		f, err := e.svc.OpenStoredFile(ctx, "renders/r/video.mp4")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f.Content)
		f.Content.Close()
		if f.Redirect != "" || string(b) != "mp4 bytes" || f.Size != 9 || f.ContentType != "video/mp4" || f.ModTime.IsZero() {
			t.Fatalf("stored file %+v %q", f, b)
		}
		for _, key := range []string{"renders/r/missing.mp4", "../etc/passwd", ""} {
			if _, err := e.svc.OpenStoredFile(ctx, key); !errors.Is(err, ErrStoredFileNotFound) {
				t.Errorf("OpenStoredFile(%q): %v", key, err)
			}
		}
	})
}
