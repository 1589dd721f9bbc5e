package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/internal/s3test"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

// blobQueue returns a queue (not working) whose service keeps its objects in bl.
func blobQueue(t *testing.T, bl blob.Store, cfg Config) *Queue {
	t.Helper()
	e := newEnvOn(t, storetest.Backends(t)[0].Open(t), bl, cfg, false)
	e.queue.svc = e.svc.Worker()
	return e.queue
}

func storedSegment(account string, n int) string {
	return SegmentStoreKey(account, fmt.Sprintf("%064x", n))
}

func putObject(t *testing.T, bl blob.Store, key string) {
	t.Helper()
	if _, err := bl.Put(context.Background(), key, strings.NewReader("mp4 of "+key), "video/mp4"); err != nil {
		t.Fatal(err)
	}
}

func isStored(t *testing.T, bl blob.Store, key string) bool {
	t.Helper()
	obj, err := bl.Open(context.Background(), key)
	if err != nil {
		return false
	}
	obj.Close()
	return true
}

func modTime(t *testing.T, bl blob.Store, key string) time.Time {
	t.Helper()
	obj, err := bl.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	return obj.ModTime()
}

// On the local store (whose objects can be aged): the purge deletes the stored segments older than
// SegmentTTL, of every account, and nothing else; a reuse refreshes a segment older than an eighth of the
// TTL (restarting its time to live) and leaves a younger one alone.
func TestStoredSegmentsExpireLocal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bl, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.SegmentTTL = 72 * time.Hour
	q := blobQueue(t, bl, cfg)
	now := time.Now()
	age := func(key string, d time.Duration) {
		putObject(t, bl, key)
		at := now.Add(-d)
		if err := os.Chtimes(filepath.Join(dir, key), at, at); err != nil {
			t.Fatal(err)
		}
	}
	expired := []string{storedSegment("acc_a", 1), storedSegment("acc_b", 2)}
	kept := []string{
		storedSegment("acc_a", 3),             // younger than the TTL
		"accounts/acc_a/segments/notakey.mp4", // not a segment key
		"accounts/acc_a/other/" + strings.Repeat("0", 64) + ".mp4",
		"renders/acc_a/task/rt_x.mp4", // an output
	}
	for _, k := range expired {
		age(k, 73*time.Hour)
	}
	age(kept[0], 71*time.Hour)
	for _, k := range kept[1:] {
		age(k, 100*time.Hour)
	}
	n, err := q.purgeExpiredSegments(ctx, now)
	if err != nil || n != len(expired) {
		t.Fatalf("purged %d (%v), want %d", n, err, len(expired))
	}
	for _, k := range expired {
		if isStored(t, bl, k) {
			t.Errorf("%s kept, want it purged", k)
		}
	}
	for _, k := range kept {
		if !isStored(t, bl, k) {
			t.Errorf("%s purged, want it kept", k)
		}
	}

	// Reuse: a segment used 10 h after it was stored (more than 72/8 = 9 h) starts a new TTL; one used after
	// 1 h is not rewritten.
	refreshed, young := storedSegment("acc_a", 4), storedSegment("acc_a", 5)
	age(refreshed, 10*time.Hour)
	age(young, time.Hour)
	youngAt := modTime(t, bl, young)
	if !q.reuseStored(ctx, refreshed) || !q.reuseStored(ctx, young) {
		t.Fatal("reuseStored reports a stored segment missing")
	}
	if q.reuseStored(ctx, storedSegment("acc_a", 6)) {
		t.Error("reuseStored reports a missing segment stored")
	}
	if at := modTime(t, bl, refreshed); at.Before(now) {
		t.Errorf("a segment reused 10 h after it was stored was not refreshed (stored at %v)", at)
	}
	if got, err := os.ReadFile(filepath.Join(dir, refreshed)); err != nil || string(got) != "mp4 of "+refreshed {
		t.Errorf("the refreshed segment reads %q (%v)", got, err)
	}
	if at := modTime(t, bl, young); !at.Equal(youngAt) {
		t.Errorf("a segment reused 1 h after it was stored was rewritten (%v, was %v)", at, youngAt)
	}
	if n, err := q.purgeExpiredSegments(ctx, now.Add(71*time.Hour+30*time.Minute)); err != nil || n != 2 ||
		!isStored(t, bl, refreshed) || isStored(t, bl, young) {
		t.Errorf("71.5 h later: purged %d (%v), refreshed kept %v, young kept %v; want the young one purged and the refreshed one kept",
			n, err, isStored(t, bl, refreshed), isStored(t, bl, young))
	}
}

// On S3 (versitygw): the purge lists the accounts' segments and deletes only those older than the TTL, and a
// reuse rewrites a segment in place (read and stored again under the same key) with its bytes unchanged.
func TestStoredSegmentsExpireS3(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.SetEnv(t)
	bl, err := blob.FromURL(ctx, srv.URL(srv.NewBucket(t), "deploy"), "")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.SegmentTTL = 8 * time.Second // refreshed once older than 1 s
	q := blobQueue(t, bl, cfg)
	segs := []string{storedSegment("acc_a", 1), storedSegment("acc_b", 2)}
	others := []string{"accounts/acc_a/segments/notakey.mp4", "renders/acc_a/task/rt_x.mp4"}
	for _, k := range append(append([]string{}, segs...), others...) {
		putObject(t, bl, k)
	}
	if n, err := q.purgeExpiredSegments(ctx, time.Now()); err != nil || n != 0 {
		t.Fatalf("purged %d (%v) of fresh segments, want 0", n, err)
	}
	before := modTime(t, bl, segs[0])
	time.Sleep(2100 * time.Millisecond) // S3 times have whole seconds
	if !q.reuseStored(ctx, segs[0]) {
		t.Fatal("reuseStored reports a stored segment missing")
	}
	if after := modTime(t, bl, segs[0]); !after.After(before) {
		t.Errorf("the reused segment was not refreshed: stored at %v, then %v", before, after)
	}
	obj, err := bl.Open(ctx, segs[0])
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 100)
	n, _ := obj.Read(b)
	obj.Close()
	if string(b[:n]) != "mp4 of "+segs[0] {
		t.Errorf("the refreshed segment reads %q", b[:n])
	}
	// 7 s after the refresh, 9 s after both were stored: only the other segment has outlived the TTL.
	if n, err := q.purgeExpiredSegments(ctx, before.Add(9*time.Second)); err != nil || n != 1 || !isStored(t, bl, segs[0]) || isStored(t, bl, segs[1]) {
		t.Errorf("purged %d (%v); refreshed kept %v, unused kept %v; want only the unused one purged", n, err,
			isStored(t, bl, segs[0]), isStored(t, bl, segs[1]))
	}
	for _, k := range others {
		if !isStored(t, bl, k) {
			t.Errorf("%s purged, want it kept", k)
		}
	}
}

// A segment the purge deleted after a segment job found it stored is drawn again by the finalize step:
// the render completes with every frame, and the segment is stored again.
func TestFinalizeDrawsAPurgedSegment(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bl, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	q := blobQueue(t, bl, testConfig(t))
	doc, err := schemas.Parse([]byte(document(320, 180, 4, "")))
	if err != nil {
		t.Fatal(err)
	}
	tl, err := render.Load(ctx, doc, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	segs, err := tl.Segments(ctx)
	if err != nil || len(segs) != 2 {
		t.Fatalf("segments %v, %v; want 2", segs, err)
	}
	first := filepath.Join(t.TempDir(), "first.mp4")
	if err := tl.EncodeSegment(ctx, segs[0], first); err != nil {
		t.Fatal(err)
	}
	if err := q.putFile(ctx, SegmentStoreKey("acc_a", segs[0].Key), first, "video/mp4"); err != nil {
		t.Fatal(err)
	}
	w := &finalizeWorker{q: q}
	a := finalizeArgs{renderRef: renderRef{TaskID: "task_x", RenderTaskID: "rt_x", AccountID: "acc_a"}}
	scratch := t.TempDir()
	paths, err := w.fetchSegments(ctx, a, tl, segs, scratch)
	if err != nil {
		t.Fatal(err)
	}
	if !isStored(t, bl, SegmentStoreKey("acc_a", segs[1].Key)) {
		t.Error("the segment drawn again was not stored")
	}
	out := filepath.Join(scratch, "video.mp4")
	if err := tl.Join(ctx, paths, "", out); err != nil {
		t.Fatal(err)
	}
	probe, err := ffmpeg.Probe(ctx, out, ffmpeg.CountFrames)
	if err != nil {
		t.Fatal(err)
	}
	if video, _ := probe.Video(); video.NbFrames != 120 {
		t.Errorf("video has %d frames, want 120", video.NbFrames)
	}
}
