package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/internal/s3test"
)

// Settings that cannot work fail at start, with an error that names the setting and says why.
func TestBadStorageSettingsFailAtStart(t *testing.T) {
	data := t.TempDir()
	sqlite := filepath.Join(data, "fc.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--blob", "ftp://host/objects"}, "--blob (FRAMECAST_BLOB): \"ftp://host/objects\": scheme ftp: is not supported"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--blob", "objects"}, "--blob (FRAMECAST_BLOB): \"objects\" is not a blob store URL"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--files-redirect"}, "--files-redirect needs an S3 object store"},
		{[]string{"worker", "--data", data, "--db", sqlite, "--cluster"}, "--cluster needs a PostgreSQL database"},
	} {
		out, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("framecast %s: %v\n%s\nwant an error containing %q", strings.Join(tc.args, " "), err, out, tc.want)
		}
	}
	// A worker on SQLite without a public URL: the database has none recorded.
	if out, err := runCLI(t, "worker", "--data", data, "--db", sqlite); err == nil || !strings.Contains(out, "--public-url (FRAMECAST_PUBLIC_URL) is needed") {
		t.Errorf("worker without a public URL: %v\n%s", err, out)
	}

	srv := s3test.Start(t)
	srv.SetEnv(t)
	bucket := srv.NewBucket(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"worker", "--data", data, "--db", sqlite, "--public-url", "http://fc.test", "--blob", srv.URL(bucket, "")}, "a worker with an S3 object store is one of a cluster, which needs a PostgreSQL database"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--blob", srv.URL("missing", "")}, `--blob (FRAMECAST_BLOB): S3 bucket "missing" does not exist`},
	} {
		out, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("framecast %s: %v\n%s\nwant an error containing %q", strings.Join(tc.args, " "), err, out, tc.want)
		}
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	if out, err := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--data", data, "--blob", srv.URL(bucket, "")); err == nil || !strings.Contains(out, "--blob (FRAMECAST_BLOB): no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") {
		t.Errorf("serve without S3 credentials: %v\n%s", err, out)
	}
	if os.Getenv(storetest.EnvPostgresURL) != "" {
		pg := storetest.Backends(t)[1].DSN(t)
		if out, err := runCLI(t, "worker", "--data", data, "--db", pg, "--cluster"); err == nil || !strings.Contains(out, "--cluster needs a shared object store") {
			t.Errorf("clustered worker on a local store: %v\n%s", err, out)
		}
	}
}

// serve on S3: an upload is stored in the bucket, served through Framecast with Range requests, and with
// --files-redirect answered by a 302 to a presigned URL that a plain client follows.
func TestServeFilesFromS3(t *testing.T) {
	srv := s3test.Start(t)
	srv.SetEnv(t)
	bucket := srv.NewBucket(t)
	photo, err := os.ReadFile("../../examples/assets/photo1.jpg")
	if err != nil {
		t.Fatal(err)
	}
	for _, redirect := range []bool{false, true} {
		args := []string{"--blob", srv.URL(bucket, "deploy")}
		if redirect {
			args = append(args, "--files-redirect")
		}
		s := startServe(t, args...)
		fileURL := s.upload(t, "photo.jpg", photo)
		_, key, ok := strings.Cut(fileURL, "/files/")
		if !ok {
			t.Fatalf("upload URL %q", fileURL)
		}
		if _, err := os.Stat(filepath.Join(srv.Dir, bucket, "deploy", key)); err != nil {
			t.Fatalf("the upload is not in the bucket: %v", err)
		}
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		req, _ := http.NewRequest("GET", fileURL, nil)
		req.Header.Set("Range", "bytes=100-199")
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !redirect {
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, photo[100:200]) {
				t.Fatalf("range through Framecast: %d, %d bytes", resp.StatusCode, len(body))
			}
			continue
		}
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, srv.Endpoint+"/"+bucket+"/deploy/files/") || !strings.Contains(loc, "X-Amz-Signature=") {
			t.Fatalf("with --files-redirect: %d Location %q", resp.StatusCode, loc)
		}
		resp, err = http.Get(fileURL) // followed, as a browser or an SDK does
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(body, photo) || resp.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("following the redirect: %d, %d bytes of %q", resp.StatusCode, len(body), resp.Header.Get("Content-Type"))
		}
		resp, err = noFollow.Get(s.url + "/files/files/nobody/missing")
		if err != nil || resp.StatusCode != 404 {
			t.Fatalf("a missing file with --files-redirect: %v %v", resp, err)
		}
		resp.Body.Close()
	}
}

// upload sends one file to POST /api/v1/upload and returns its URL.
func (s *server) upload(t *testing.T, name string, content []byte) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", s.url+"/api/v1/upload", &buf)
	req.Header.Set("Authorization", "Bearer "+s.key)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Assets []struct {
			URL string `json:"url"`
		} `json:"assets"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := jsonUnmarshal(b, &out); err != nil || len(out.Assets) != 1 {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	return out.Assets[0].URL
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
