package jobs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
)

// What a killed worker leaves behind, and who clears it:
//
//   - Segment files of versions before segment reuse (renders/<renderId>/seg-NNN.mp4) of a render that
//     failed or was cancelled: the periodic purge job (one process of the cluster at a time) deletes the
//     segment files of renders that have ended or no longer exist, once older than Config.OrphanAge.
//     Segments now live under the account by content key (SegmentStoreKey) and are kept for reuse.
//   - Scratch folders (ScratchDir/seg-… and final-…) of a process killed mid-job: every process sweeps
//     its ScratchDir at start and every PurgeInterval (see maintain), deleting the job folders older than JobTimeout
//     (no job runs longer; several processes sharing a folder are therefore safe).

// segmentKeyPattern matches the blob key of a segment file and captures its render's id.
var segmentKeyPattern = regexp.MustCompile(`^renders/([^/]+)/seg-[0-9]+\.mp4$`)

// purgeOrphanSegments deletes the segment files, older than OrphanAge, of renders that have ended or
// were deleted, and returns how many it deleted.
func (q *Queue) purgeOrphanSegments(ctx context.Context, now time.Time) (int, error) {
	status := map[string]string{} // render id -> status ("" when the render is gone)
	var stale []string
	err := q.svc.Blob().List(ctx, "renders/", func(info blob.Info) error {
		m := segmentKeyPattern.FindStringSubmatch(info.Key)
		if m == nil || now.Sub(info.ModTime) < q.cfg.OrphanAge {
			return nil
		}
		s, seen := status[m[1]]
		if !seen {
			var err error
			s, err = q.store.RenderStatus(ctx, m[1])
			if errors.Is(err, store.ErrNotFound) {
				s = ""
			} else if err != nil {
				return err
			}
			status[m[1]] = s
		}
		if s != store.RenderQueued && s != store.RenderRunning {
			stale = append(stale, info.Key)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	q.deleteKeys(ctx, stale...)
	return len(stale), nil
}

// scratchPrefixes are the names of the job folders under ScratchDir (see Queue.scratch).
var scratchPrefixes = []string{"seg-", "final-"}

// purgeScratch deletes the job folders under ScratchDir last changed more than JobTimeout before now and
// returns how many it deleted.
func (q *Queue) purgeScratch(now time.Time) int {
	entries, err := os.ReadDir(q.cfg.ScratchDir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || !hasAnyPrefix(e.Name(), scratchPrefixes) {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < q.cfg.JobTimeout {
			continue
		}
		if err := os.RemoveAll(filepath.Join(q.cfg.ScratchDir, e.Name())); err != nil {
			q.cfg.Logger.Warn("jobs: delete scratch folder", "name", e.Name(), "error", err)
			continue
		}
		n++
	}
	return n
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
