package core

import (
	"bytes"
	"encoding/json"
)

// Paging defaults and bounds.
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 100
)

// PageInput selects a page of a list: Page from 1 (0 means 1), Limit 1..100 (0 means 20, more means 100).
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
	page, limit = max(p.Page, 1), p.Limit
	if limit == 0 {
		limit = DefaultPageLimit
	}
	return page, min(limit, MaxPageLimit), nil
}

// decodeObject decodes a JSON object body into v; an empty body leaves v as it is. Anything else is
// INVALID_REQUEST.
func decodeObject(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return InvalidRequest("the request body must be a JSON object")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return InvalidRequest("invalid JSON body: %v", err)
	}
	return nil
}
