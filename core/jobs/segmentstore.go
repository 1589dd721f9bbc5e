package jobs

import (
	"context"
	"regexp"
	"time"

	"github.com/framecast/framecast/core/blob"
)

// How long stored segments live.
//
// A render stores each segment it draws under its account (SegmentStoreKey), for later renders of the
// account to reuse. The periodic purge (purgeExpiredSegments) deletes the segments whose object was
// stored more than Config.SegmentTTL ago, and a segment job that reuses a stored segment stores it again
// (reuseStored) when it is older than a segmentRefreshShare of the TTL: so a segment is deleted between
// (1 − 1/segmentRefreshShare) × SegmentTTL and SegmentTTL after the last render that used it, and a segment
// reused by a batch of thousands of items is written again at most once every SegmentTTL/segmentRefreshShare,
// not once per item.
//
// Deleting a segment never fails a render: a render that found it stored but whose finalize step no
// longer finds it (the purge ran in between) draws it again (finalizeWorker.fetchSegments).

// segmentRefreshShare: a reused segment is stored again once older than SegmentTTL/segmentRefreshShare.
const segmentRefreshShare = 8

// storedSegmentPattern matches the blob key of an account's stored segment (SegmentStoreKey).
var storedSegmentPattern = regexp.MustCompile(`^accounts/[^/]+/segments/[0-9a-f]{64}\.mp4$`)

// reuseStored reports whether the segment under key is stored and, when it is, refreshes it if it is
// older than SegmentTTL/segmentRefreshShare (stores it again, which restarts its time to live). A failed
// refresh is only logged: the segment is there for this render, which draws it again should the purge
// take it before the finalize step reads it.
func (q *Queue) reuseStored(ctx context.Context, key string) bool {
	obj, err := q.svc.Blob().Open(ctx, key)
	if err != nil {
		return false
	}
	defer obj.Close()
	if time.Since(obj.ModTime()) < q.cfg.SegmentTTL/segmentRefreshShare {
		return true
	}
	if _, err := q.svc.Blob().Put(ctx, key, obj, "video/mp4"); err != nil {
		q.cfg.Logger.Warn("jobs: refresh a stored segment", "key", key, "error", err)
	}
	return true
}

// purgeExpiredSegments deletes the stored segments of every account stored (or last refreshed) more than
// SegmentTTL before now, and returns how many it deleted.
func (q *Queue) purgeExpiredSegments(ctx context.Context, now time.Time) (int, error) {
	var expired []string
	err := q.svc.Blob().List(ctx, "accounts/", func(info blob.Info) error {
		if storedSegmentPattern.MatchString(info.Key) && now.Sub(info.ModTime) > q.cfg.SegmentTTL {
			expired = append(expired, info.Key)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	q.deleteKeys(ctx, expired...)
	return len(expired), nil
}
