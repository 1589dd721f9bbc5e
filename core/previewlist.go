package core

import (
	"context"
	"time"

	"github.com/framecast/framecast/schemas"
)

// PreviewSummary is a preview in a list: its id, links, size and when it expires.
type PreviewSummary struct {
	TempID    string
	Title     string
	Width     int
	Height    int
	Duration  float64
	PlayerURL string
	ViewerURL string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ListPreviewsResult is a page of an account's previews.
type ListPreviewsResult struct {
	Previews   []PreviewSummary
	Pagination Pagination
}

// ListPreviews returns a page of the account's live previews, newest first (the console's list; the API
// has none).
func (s *Service) ListPreviews(ctx context.Context, accountID string, in PageInput) (ListPreviewsResult, error) {
	page, limit, err := in.normalize()
	if err != nil {
		return ListPreviewsResult{}, err
	}
	list, total, err := s.store.ListPreviews(ctx, accountID, s.now(), (page-1)*limit, limit)
	if err != nil {
		return ListPreviewsResult{}, fail(err)
	}
	out := ListPreviewsResult{Previews: make([]PreviewSummary, len(list)), Pagination: Pagination{Page: page, Limit: limit, Total: total}}
	for i, p := range list {
		sum := PreviewSummary{TempID: p.ID, PlayerURL: s.url(previewPlayerPath(p.ID)), ViewerURL: s.url(previewViewerPath(p.ID)),
			CreatedAt: p.CreatedAt.Time, ExpiresAt: p.ExpiresAt.Time}
		if doc, err := schemas.Parse([]byte(p.Config)); err == nil {
			info := infoOf(doc)
			sum.Title, sum.Width, sum.Height, sum.Duration = doc.Meta.Title, info.Width, info.Height, info.Duration
		}
		out.Previews[i] = sum
	}
	return out, nil
}
