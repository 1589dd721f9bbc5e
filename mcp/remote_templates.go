package mcp

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	fc "github.com/framecast/framecast/client"
	"github.com/framecast/framecast/core"
)

// The template and batch operations of Remote, over the client's raw requests.

// rawCall runs a client call whose answer is the API's raw JSON, and converts it into T as remote does.
func rawCall[T any](ctx context.Context, r *Remote, call func(ctx context.Context) (json.RawMessage, error)) (T, error) {
	return remote[T](ctx, r, func(ctx context.Context) (any, error) { return call(ctx) })
}

// pageValues encodes a page selection, leaving out zero values.
func pageValues(p core.PageInput) url.Values {
	q := url.Values{}
	if p.Page > 0 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	return q
}

// CreateTemplate implements Backend.
func (r *Remote) CreateTemplate(ctx context.Context, in core.TemplateInput) (core.TemplateResult, error) {
	return rawCall[core.TemplateResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) { return r.api.CreateTemplate(ctx, in) })
}

// ListTemplates implements Backend.
func (r *Remote) ListTemplates(ctx context.Context, in core.PageInput) (core.ListTemplatesResult, error) {
	return rawCall[core.ListTemplatesResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) {
		return r.api.ListTemplates(ctx, pageValues(in))
	})
}

// GetTemplate implements Backend.
func (r *Remote) GetTemplate(ctx context.Context, templateID string) (core.TemplateResult, error) {
	return rawCall[core.TemplateResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) { return r.api.GetTemplate(ctx, templateID) })
}

// UpdateTemplate implements Backend.
func (r *Remote) UpdateTemplate(ctx context.Context, templateID string, in core.TemplateInput) (core.TemplateResult, error) {
	return rawCall[core.TemplateResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) {
		return r.api.UpdateTemplate(ctx, templateID, in)
	})
}

// DeleteTemplate implements Backend.
func (r *Remote) DeleteTemplate(ctx context.Context, templateID string) (core.DeleteTemplateResult, error) {
	return rawCall[core.DeleteTemplateResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) { return r.api.DeleteTemplate(ctx, templateID) })
}

// RenderTemplate implements Backend.
func (r *Remote) RenderTemplate(ctx context.Context, templateID string, in core.RenderTemplateInput) (core.RenderTemplateResult, error) {
	return rawCall[core.RenderTemplateResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) {
		return r.api.RenderTemplate(ctx, templateID, in)
	})
}

// PreviewTemplate implements Backend.
func (r *Remote) PreviewTemplate(ctx context.Context, templateID string, in core.PreviewTemplateInput) (core.PreviewTemplateResult, error) {
	return rawCall[core.PreviewTemplateResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) {
		return r.api.PreviewTemplate(ctx, templateID, in)
	})
}

// CreateBatch implements Backend.
func (r *Remote) CreateBatch(ctx context.Context, in core.CreateBatchInput) (core.BatchResult, error) {
	return rawCall[core.BatchResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) { return r.api.CreateBatch(ctx, in) })
}

// CreateBatchFromCSV implements Backend: the CSV is the text/csv body, the other fields the query.
func (r *Remote) CreateBatchFromCSV(ctx context.Context, in core.CreateBatchInput, csv string) (core.BatchResult, error) {
	return rawCall[core.BatchResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) {
		return r.api.CreateBatch(ctx, fc.CSVBatch{TemplateID: in.TemplateID, WebhookURL: in.WebhookURL, Category: in.Category,
			Metadata: string(in.Metadata), NumWorkers: in.NumWorkers, CSV: strings.NewReader(csv)})
	})
}

// GetBatch implements Backend.
func (r *Remote) GetBatch(ctx context.Context, batchID string, in core.GetBatchInput) (core.BatchResult, error) {
	return rawCall[core.BatchResult](ctx, r, func(ctx context.Context) (json.RawMessage, error) {
		return r.api.GetBatch(ctx, batchID, pageValues(in.PageInput))
	})
}
