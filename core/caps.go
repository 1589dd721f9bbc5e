package core

import (
	"context"
	"fmt"
	"time"

	"github.com/framecast/framecast/core/store"
)

// Per-account caps on what documents keep in the database. Every document is bounded (schemas.Limits,
// 5 MB by default), but their number is not: without these, one account creating previews in a loop grows
// the database without bound. Both are 413 STORAGE_LIMIT_EXCEEDED, like the upload quota.
const (
	// DefaultMaxDocumentBytes bounds the documents of one account's tasks and live previews together:
	// 256 MiB, some 50 documents at the largest size and tens of thousands of ordinary ones.
	DefaultMaxDocumentBytes = 256 << 20
	// DefaultMaxLivePreviews bounds an account's previews that have not expired (they expire after
	// PreviewTTL, or are deleted).
	DefaultMaxLivePreviews = 500
)

// documentCounter is a Store or a Tx.
type documentCounter interface {
	DocumentUsage(ctx context.Context, accountID string, now time.Time) (store.DocumentUsage, error)
}

// checkDocumentRoom fails with STORAGE_LIMIT_EXCEEDED when the account cannot keep one more document of
// size bytes (as a live preview when preview is true) within Config.MaxDocumentBytes and MaxLivePreviews.
func (s *Service) checkDocumentRoom(ctx context.Context, q documentCounter, accountID string, size int, preview bool) error {
	maxBytes, maxPreviews := s.cfg.MaxDocumentBytes, s.cfg.MaxLivePreviews
	if maxBytes < 0 && (maxPreviews < 0 || !preview) {
		return nil
	}
	u, err := q.DocumentUsage(ctx, accountID, s.now())
	if err != nil {
		return fail(err)
	}
	if preview && maxPreviews >= 0 && u.LivePreviews >= maxPreviews {
		return StorageLimitExceeded(fmt.Sprintf("This account has %d live previews, the most allowed; delete some "+
			"(DELETE /api/v1/preview/{tempId}) or wait for them to expire", u.LivePreviews), maxPreviews)
	}
	if maxBytes >= 0 && u.Bytes+int64(size) > maxBytes {
		return StorageLimitExceeded(fmt.Sprintf("This account's stored documents would exceed %d bytes (%d in use, this one is %d); "+
			"delete tasks or previews it no longer needs", maxBytes, u.Bytes, size), maxBytes)
	}
	return nil
}
