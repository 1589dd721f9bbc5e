package core

// Paging defaults and bounds.
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 100
	// MaxPage is the highest page number accepted. It keeps the row offset ((page-1) × limit, at most
	// about 10^8) far from overflowing anywhere, so a huge page is refused instead of wrapping to page 1.
	MaxPage = 1_000_000
)

// PageInput selects a page of a list: Page 1..MaxPage (0 means 1), Limit 1..100 (0 means 20, more means
// 100). A negative value or a page over MaxPage is INVALID_REQUEST.
type PageInput struct {
	Page  int
	Limit int
}

// Pagination describes the page returned.
type Pagination struct {
	Page  int `json:"page"`
	Limit int `json:"limit"`
	Total int `json:"total"` // items matching, over all pages
}

func (p PageInput) normalize() (page, limit int, err error) {
	if p.Page < 0 || p.Limit < 0 {
		return 0, 0, InvalidRequest("page and limit must be positive numbers")
	}
	if p.Page > MaxPage {
		return 0, 0, InvalidRequest("page must be at most %d; narrow the list with its filters instead", MaxPage)
	}
	page, limit = max(p.Page, 1), p.Limit
	if limit == 0 {
		limit = DefaultPageLimit
	}
	return page, min(limit, MaxPageLimit), nil
}
