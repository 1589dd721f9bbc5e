package blob_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/blob/blobtest"
	"github.com/framecast/framecast/internal/s3test"
)

// TestS3 runs the store suite against a real S3 server (versitygw), each subtest in a fresh bucket, under
// a prefix as a deployment sharing a bucket would.
func TestS3(t *testing.T) {
	srv := s3test.Start(t)
	srv.SetEnv(t)
	blobtest.Run(t, func(t *testing.T) blob.Store {
		s, err := blob.FromURL(context.Background(), srv.URL(srv.NewBucket(t), "deploy/one"), "")
		if err != nil {
			t.Fatal(err)
		}
		if !blob.IsRemote(s) {
			t.Fatalf("%T is not a remote store", s)
		}
		return s
	})
}

// TestS3PrefixKeepsDeploymentsApart checks that two stores on one bucket with other prefixes do not see
// each other's objects.
func TestS3PrefixKeepsDeploymentsApart(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.SetEnv(t)
	bucket := srv.NewBucket(t)
	a, err := blob.FromURL(ctx, srv.URL(bucket, "a"), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := blob.FromURL(ctx, srv.URL(bucket, "b/"), "")
	if err != nil {
		t.Fatal(err)
	}
	a.Put(ctx, "files/x", strings.NewReader("from a"), "text/plain")
	if _, err := b.Open(ctx, "files/x"); err == nil {
		t.Fatal("store b sees store a's object")
	}
	var keys []string
	b.List(ctx, "", func(i blob.Info) error { keys = append(keys, i.Key); return nil })
	a.List(ctx, "", func(i blob.Info) error { keys = append(keys, i.Key); return nil })
	if len(keys) != 1 || keys[0] != "files/x" {
		t.Fatalf("listed %q, want only files/x from store a", keys)
	}
}

// TestS3PresignedGet fetches an object by its presigned URL with a plain HTTP client, as a browser
// following --files-redirect does.
func TestS3PresignedGet(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.SetEnv(t)
	s, err := blob.FromURL(ctx, srv.URL(srv.NewBucket(t), ""), "")
	if err != nil {
		t.Fatal(err)
	}
	s.Put(ctx, "renders/r/video.mp4", strings.NewReader("not really a video"), "video/mp4")
	url, err := s.(blob.Presigner).PresignGet(ctx, "renders/r/video.mp4", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "not really a video" || resp.Header.Get("Content-Type") != "video/mp4" {
		t.Fatalf("GET presigned: %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
	// The signature covers the URL: a changed key is refused.
	resp, err = http.Get(strings.Replace(url, "video.mp4", "other.mp4", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("GET with a changed key: %d, want 403", resp.StatusCode)
	}
}

// TestFromURLErrors checks that each bad setting fails at once with an error that says what is wrong.
func TestFromURLErrors(t *testing.T) {
	ctx := context.Background()
	for raw, want := range map[string]string{
		"ftp://host/x":          "scheme ftp: is not supported",
		"/var/lib/objects":      "use file:///PATH or s3://BUCKET/PREFIX",
		"file://host/x":         "three slashes",
		"s3:///prefix":          "names no bucket",
		"s3://b/p?pathstyle=1":  `unknown option "pathstyle"`,
		"s3://b/p?path_style=x": "path_style must be true or false",
	} {
		_, err := blob.FromURL(ctx, raw, t.TempDir())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FromURL(%q): %v, want an error containing %q", raw, err, want)
		}
	}
	dir := t.TempDir()
	if s, err := blob.FromURL(ctx, "file://"+dir, ""); err != nil || s.(*blob.Local).Dir() != dir || blob.IsRemote(s) {
		t.Errorf("file URL: %v", err)
	}

	srv := s3test.Start(t)
	srv.SetEnv(t)
	if _, err := blob.FromURL(ctx, srv.URL("no-such-bucket", ""), ""); err == nil || !strings.Contains(err.Error(), `bucket "no-such-bucket" does not exist`) {
		t.Errorf("missing bucket: %v", err)
	}
	bucket := srv.NewBucket(t)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	if _, err := blob.FromURL(ctx, srv.URL(bucket, ""), ""); err == nil || !strings.Contains(err.Error(), "refuses these credentials") {
		t.Errorf("wrong secret: %v", err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	if _, err := blob.FromURL(ctx, srv.URL(bucket, ""), ""); err == nil || !strings.Contains(err.Error(), "no S3 credentials found") {
		t.Errorf("no credentials: %v", err)
	}
}
