package metrics

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/framecast/framecast/core/blob"
)

// presigningStore is a local store that also presigns, as the S3 store does.
type presigningStore struct{ *blob.Local }

func (presigningStore) PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error) {
	return "https://signed.example/" + key, nil
}

// CountBlob counts the bytes stored and read, and keeps the store's ability to presign URLs (which
// --files-redirect depends on).
func TestCountBlob(t *testing.T) {
	ctx := context.Background()
	local, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	in, out := testutil.ToFloat64(BlobBytes.WithLabelValues("in")), testutil.ToFloat64(BlobBytes.WithLabelValues("out"))
	s := CountBlob(local)
	if _, ok := s.(blob.Presigner); ok {
		t.Error("a counted local store claims to presign")
	}
	if _, err := s.Put(ctx, "a/b", strings.NewReader("hello world"), "text/plain"); err != nil {
		t.Fatal(err)
	}
	obj, err := s.Open(ctx, "a/b")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, obj)
	obj.Close()
	if d := testutil.ToFloat64(BlobBytes.WithLabelValues("in")) - in; d != 11 {
		t.Errorf("bytes in moved by %v, want 11", d)
	}
	if d := testutil.ToFloat64(BlobBytes.WithLabelValues("out")) - out; d != 11 {
		t.Errorf("bytes out moved by %v, want 11", d)
	}

	p := CountBlob(presigningStore{local})
	signer, ok := p.(blob.Presigner)
	if !ok {
		t.Fatal("a counted presigning store no longer presigns")
	}
	if u, _ := signer.PresignGet(ctx, "a/b", time.Minute); u != "https://signed.example/a/b" {
		t.Errorf("PresignGet = %q", u)
	}
	if CountBlob(p) != p {
		t.Error("a counted store is counted twice")
	}
}

// ObserveHTTP files an unmatched request under "unmatched", and Handler serves the text format.
func TestHandler(t *testing.T) {
	ObserveHTTP("GET", "", 404, time.Millisecond)
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{`framecast_http_requests_total{method="GET",route="unmatched",status="404"}`,
		"# TYPE framecast_frames_rendered_total counter", `framecast_render_failures_total{reason="lost"} 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
