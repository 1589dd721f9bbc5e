package core

import (
	"context"
	"strings"
	"testing"
)

// Media a render could never read is refused when the document is sent, with the field's path, before
// anything is stored or charged.
func TestUnreadableMediaIsRefusedUpFront(t *testing.T) {
	ctx := context.Background()
	withSrc := func(src string) []byte {
		return []byte(`{"meta":{"version":"2.0.0","width":320,"height":180},"tracks":[{"clips":[` +
			`{"type":"image","src":"` + src + `","start":0,"duration":1}]}]}`)
	}
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		for src, want := range map[string]string{
			"/etc/passwd":                         "not an http(s) URL",
			"file:///etc/passwd":                  "not an http(s) URL",
			"photo.jpg":                           "not an http(s) URL",
			"http://127.0.0.1:8080/x.png":         "cannot be fetched",
			"http://169.254.169.254/latest/x.png": "cannot be fetched",
			"http://localhost/x.png":              "own network",
		} {
			_, err := e.svc.CreatePreview(ctx, e.account.ID, withSrc(src))
			ce := wantCode(t, err, CodeInvalidConfig)
			if !strings.Contains(ce.Message, "tracks[0].clips[0].src") || !strings.Contains(ce.Message, want) {
				t.Errorf("%s: %q, want the path and %q", src, ce.Message, want)
			}
		}
		for _, src := range []string{"https://cdn.example.com/x.png", "data:image/png;base64,iVBORw0KGgo=", e.svc.cfg.PublicURL + FilesPath + "files/a/b"} {
			if _, err := e.svc.CreatePreview(ctx, e.account.ID, withSrc(src)); err != nil {
				t.Errorf("%s refused: %v", src, err)
			}
		}
	})
	forEachBackend(t, Config{AllowPrivateURLs: true}, func(t *testing.T, e *env) {
		if _, err := e.svc.CreatePreview(ctx, e.account.ID, withSrc("http://127.0.0.1:8080/x.png")); err != nil {
			t.Errorf("a loopback asset with private URLs allowed: %v", err)
		}
	})
}
