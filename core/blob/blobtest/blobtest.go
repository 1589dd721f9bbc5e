// Package blobtest is the behaviour every blob.Store must have, as one suite run against each
// implementation (Local on a temporary folder, S3 on a real versitygw):
//
//	func TestS3(t *testing.T) { blobtest.Run(t, func(t *testing.T) blob.Store { return newS3(t) }) }
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
)

// Run runs the suite; newStore returns a fresh, empty store for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"PutOpenDelete", testPutOpenDelete},
		{"RejectsBadKeys", testRejectsBadKeys},
		{"FailedPutLeavesOldObject", testFailedPutLeavesOldObject},
		{"ConcurrentPuts", testConcurrentPuts},
		{"LargeObjectStreams", testLargeObjectStreams},
		{"RangeRequests", testRangeRequests},
		{"ListByPrefix", testListByPrefix},
		{"ListReportsSizeAndModTime", testListReportsSizeAndModTime},
		{"ListCallbackMayDelete", testListCallbackMayDelete},
		{"ListStopsOnCallbackError", testListStopsOnCallbackError},
		{"ListRejectsBadPrefixes", testListRejectsBadPrefixes},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

func read(t *testing.T, s blob.Store, key string) (string, blob.Object) {
	t.Helper()
	obj, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return string(b), obj
}

func testPutOpenDelete(t *testing.T, s blob.Store) {
	ctx := context.Background()
	size, err := s.Put(ctx, "files/acc/asset_1", strings.NewReader("hello"), "text/plain")
	if err != nil || size != 5 {
		t.Fatalf("put: %d %v", size, err)
	}
	obj, err := s.Open(ctx, "files/acc/asset_1")
	if err != nil {
		t.Fatal(err)
	}
	if obj.Size() != 5 || obj.ContentType() != "text/plain" || obj.ModTime().IsZero() {
		t.Fatalf("object: size %d type %q modtime %v", obj.Size(), obj.ContentType(), obj.ModTime())
	}
	if d := time.Since(obj.ModTime()); d > time.Minute || d < -time.Minute {
		t.Fatalf("modification time %v is not now", obj.ModTime())
	}
	obj.Seek(1, io.SeekStart)
	rest, _ := io.ReadAll(obj)
	if string(rest) != "ello" {
		t.Fatalf("read after seek: %q", rest)
	}
	if end, _ := obj.Seek(0, io.SeekEnd); end != 5 {
		t.Fatalf("seek to end: %d", end)
	}
	obj.Seek(0, io.SeekStart)
	all, _ := io.ReadAll(obj)
	obj.Close()
	if string(all) != "hello" {
		t.Fatalf("read after seeking back: %q", all)
	}
	// Replacing keeps one object, with the new type.
	if _, err := s.Put(ctx, "files/acc/asset_1", strings.NewReader("bye"), "text/x"); err != nil {
		t.Fatal(err)
	}
	if got, obj := read(t, s, "files/acc/asset_1"); got != "bye" || obj.ContentType() != "text/x" {
		t.Fatalf("after replace: %q %q", got, obj.ContentType())
	}
	// An empty object, and one without a type.
	if size, err := s.Put(ctx, "empty", strings.NewReader(""), ""); err != nil || size != 0 {
		t.Fatalf("put empty: %d %v", size, err)
	}
	if got, obj := read(t, s, "empty"); got != "" || obj.Size() != 0 || obj.ContentType() != "application/octet-stream" {
		t.Fatalf("empty object: %q size %d type %q", got, obj.Size(), obj.ContentType())
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
	if _, err := s.Open(ctx, "never/stored"); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("open missing: %v", err)
	}
}

// BadKeys are keys every store refuses with ErrInvalidKey.
var BadKeys = []string{"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", `a\b`, "a/b/", "x\x00y"}

func testRejectsBadKeys(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for _, key := range BadKeys {
		if _, err := s.Put(ctx, key, strings.NewReader("x"), ""); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%q): %v", key, err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Open(%q): %v", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Delete(%q): %v", key, err)
		}
	}
	if keys := listKeys(t, s, ""); len(keys) != 0 {
		t.Fatalf("bad keys stored objects: %q", keys)
	}
}

// FailingReader yields N bytes of 'x' and then fails, like a client that hangs up mid-upload.
type FailingReader struct{ N int }

// ErrReset is the error of a FailingReader.
var ErrReset = errors.New("connection reset")

func (f *FailingReader) Read(p []byte) (int, error) {
	if f.N <= 0 {
		return 0, ErrReset
	}
	n := min(len(p), f.N)
	for i := range n {
		p[i] = 'x'
	}
	f.N -= n
	return n, nil
}

func testFailedPutLeavesOldObject(t *testing.T, s blob.Store) {
	ctx := context.Background()
	s.Put(ctx, "k/v", strings.NewReader("old"), "text/plain")
	// Small (one request) and large (a multipart upload in S3) failures alike.
	for _, n := range []int{3, 20 << 20} {
		_, err := s.Put(ctx, "k/v", &FailingReader{N: n}, "text/plain")
		if !errors.Is(err, ErrReset) {
			t.Fatalf("put of %d bytes from a failing reader: %v, want an error wrapping the reader's", n, err)
		}
		if got, _ := read(t, s, "k/v"); got != "old" {
			t.Fatalf("old object changed to %d bytes", len(got))
		}
		if _, err := s.Open(ctx, "k/new"); err == nil {
			t.Fatal("found an object never stored")
		}
		if _, err := s.Put(ctx, "k/new", &FailingReader{N: n}, ""); err == nil {
			t.Fatal("put from a failing reader succeeded")
		}
		if keys := listKeys(t, s, "k/"); !slices.Equal(keys, []string{"k/v"}) {
			t.Fatalf("after failed puts the store lists %q", keys)
		}
	}
	// A cancelled context stops a put too.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Put(cctx, "k/v", strings.NewReader("new"), ""); err == nil {
		t.Fatal("put under a cancelled context succeeded")
	}
	if got, _ := read(t, s, "k/v"); got != "old" {
		t.Fatalf("old object changed to %q", got)
	}
}

// testConcurrentPuts checks that readers only ever see a whole object while writers replace it.
func testConcurrentPuts(t *testing.T, s blob.Store) {
	ctx := context.Background()
	a, b := strings.Repeat("a", 1<<16), strings.Repeat("b", 1<<16)
	s.Put(ctx, "k", strings.NewReader(a), "")
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				s.Put(ctx, "k", strings.NewReader([]string{a, b}[(i+j)%2]), "")
			}
		}()
	}
	for j := 0; j < 30; j++ {
		obj, err := s.Open(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(obj)
		obj.Close()
		if err != nil {
			continue // the object was replaced after it was opened: an error, never a mix
		}
		if string(got) != a && string(got) != b {
			t.Fatalf("read a mixed object of %d bytes", len(got))
		}
	}
	wg.Wait()
}

// testLargeObjectStreams stores an object larger than one upload part from a plain reader (not seekable,
// length unknown, as an upload or a pipe is) and reads it back whole.
func testLargeObjectStreams(t *testing.T, s blob.Store) {
	ctx := context.Background()
	data := make([]byte, 19<<20+12345)
	rand.Read(data)
	size, err := s.Put(ctx, "renders/r/video.mp4", io.MultiReader(bytes.NewReader(data[:1000]), bytes.NewReader(data[1000:])), "video/mp4")
	if err != nil || size != int64(len(data)) {
		t.Fatalf("put %d bytes: %d %v", len(data), size, err)
	}
	obj, err := s.Open(ctx, "renders/r/video.mp4")
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	if obj.Size() != int64(len(data)) || obj.ContentType() != "video/mp4" {
		t.Fatalf("stored %d bytes of %q", obj.Size(), obj.ContentType())
	}
	got, err := io.ReadAll(obj)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (equal %v): %v", len(got), bytes.Equal(got, data), err)
	}
}

// testRangeRequests serves an object with http.ServeContent, as /files/ does, and asks for ranges.
func testRangeRequests(t *testing.T, s blob.Store) {
	ctx := context.Background()
	data := make([]byte, 100000)
	for i := range data {
		data[i] = byte(i % 251)
	}
	s.Put(ctx, "v.mp4", bytes.NewReader(data), "video/mp4")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		obj, err := s.Open(r.Context(), "v.mp4")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer obj.Close()
		http.ServeContent(w, r, "v.mp4", obj.ModTime(), obj)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		rng      string
		from, to int // the bytes expected, to exclusive
	}{
		{"bytes=0-99", 0, 100},
		{"bytes=50000-", 50000, 100000},
		{"bytes=-10", 99990, 100000},
		{"bytes=99999-200000", 99999, 100000},
	} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.Header.Set("Range", tc.rng)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data[tc.from:tc.to]) {
			t.Errorf("Range %s: status %d, %d bytes (want %d)", tc.rng, resp.StatusCode, len(body), tc.to-tc.from)
		}
	}
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

func testListByPrefix(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for _, key := range []string{"proxies/a.mp4", "proxies/sub/c.mp4", "proxiesX/d", "files/acc/asset_1", "files/acc2/asset_2", "top"} {
		if _, err := s.Put(ctx, key, strings.NewReader(key), "text/plain"); err != nil {
			t.Fatal(err)
		}
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
		if got := listKeys(t, s, prefix); !slices.Equal(got, want) {
			t.Errorf("List(%q) = %q, want %q", prefix, got, want)
		}
	}
}

func testListReportsSizeAndModTime(t *testing.T, s blob.Store) {
	ctx := context.Background()
	before := time.Now().Add(-time.Minute)
	s.Put(ctx, "proxies/p.mp4", strings.NewReader("12345"), "video/mp4")
	var got []blob.Info
	s.List(ctx, "proxies/", func(info blob.Info) error {
		got = append(got, info)
		return nil
	})
	if len(got) != 1 || got[0].Key != "proxies/p.mp4" || got[0].Size != 5 || got[0].ModTime.Before(before) || got[0].ModTime.After(time.Now().Add(time.Minute)) {
		t.Fatalf("List reported %+v, want one object of 5 bytes written now", got)
	}
}

func testListCallbackMayDelete(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for _, key := range []string{"proxies/a", "proxies/b", "proxies/sub/c", "files/keep"} {
		s.Put(ctx, key, strings.NewReader("x"), "")
	}
	var deleted int
	err := s.List(ctx, "proxies/", func(info blob.Info) error {
		deleted++
		return s.Delete(ctx, info.Key)
	})
	if err != nil || deleted != 3 {
		t.Fatalf("deleted %d objects while listing, error %v; want 3", deleted, err)
	}
	if got := listKeys(t, s, ""); !slices.Equal(got, []string{"files/keep"}) {
		t.Fatalf("left after deleting proxies: %q", got)
	}
}

func testListStopsOnCallbackError(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for _, key := range []string{"k/a", "k/b", "k/c"} {
		s.Put(ctx, key, strings.NewReader("x"), "")
	}
	stop := errors.New("stop here")
	calls := 0
	err := s.List(ctx, "k/", func(blob.Info) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("List after the callback failed: %d calls, error %v", calls, err)
	}
}

func testListRejectsBadPrefixes(t *testing.T, s blob.Store) {
	for _, prefix := range []string{"/", "/etc", "../", "a/../", "a//", "./", `a\`, "x\x00"} {
		err := s.List(context.Background(), prefix, func(blob.Info) error { return nil })
		if !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("List(%q): %v, want ErrInvalidKey", prefix, err)
		}
	}
}
