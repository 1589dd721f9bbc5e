package mcp

import (
	"context"
	"strings"

	"github.com/framecast/framecast/core"
)

// The template and batch operations of Local.

// CreateTemplate implements Backend.
func (l *Local) CreateTemplate(ctx context.Context, in core.TemplateInput) (core.TemplateResult, error) {
	return call(ctx, l, func(a string) (core.TemplateResult, error) { return l.svc.CreateTemplate(ctx, a, in) })
}

// ListTemplates implements Backend.
func (l *Local) ListTemplates(ctx context.Context, in core.PageInput) (core.ListTemplatesResult, error) {
	return call(ctx, l, func(a string) (core.ListTemplatesResult, error) { return l.svc.ListTemplates(ctx, a, in) })
}

// GetTemplate implements Backend.
func (l *Local) GetTemplate(ctx context.Context, templateID string) (core.TemplateResult, error) {
	return call(ctx, l, func(a string) (core.TemplateResult, error) { return l.svc.GetTemplate(ctx, a, templateID) })
}

// UpdateTemplate implements Backend.
func (l *Local) UpdateTemplate(ctx context.Context, templateID string, in core.TemplateInput) (core.TemplateResult, error) {
	return call(ctx, l, func(a string) (core.TemplateResult, error) { return l.svc.UpdateTemplate(ctx, a, templateID, in) })
}

// DeleteTemplate implements Backend.
func (l *Local) DeleteTemplate(ctx context.Context, templateID string) (core.DeleteTemplateResult, error) {
	return call(ctx, l, func(a string) (core.DeleteTemplateResult, error) { return l.svc.DeleteTemplate(ctx, a, templateID) })
}

// RenderTemplate implements Backend.
func (l *Local) RenderTemplate(ctx context.Context, templateID string, in core.RenderTemplateInput) (core.RenderTemplateResult, error) {
	return call(ctx, l, func(a string) (core.RenderTemplateResult, error) { return l.svc.RenderTemplate(ctx, a, templateID, in) })
}

// PreviewTemplate implements Backend.
func (l *Local) PreviewTemplate(ctx context.Context, templateID string, in core.PreviewTemplateInput) (core.PreviewTemplateResult, error) {
	return call(ctx, l, func(a string) (core.PreviewTemplateResult, error) {
		return l.svc.PreviewTemplate(ctx, a, templateID, in)
	})
}

// CreateBatch implements Backend.
func (l *Local) CreateBatch(ctx context.Context, in core.CreateBatchInput) (core.BatchResult, error) {
	return call(ctx, l, func(a string) (core.BatchResult, error) { return l.svc.CreateBatch(ctx, a, in) })
}

// CreateBatchFromCSV implements Backend.
func (l *Local) CreateBatchFromCSV(ctx context.Context, in core.CreateBatchInput, csv string) (core.BatchResult, error) {
	return call(ctx, l, func(a string) (core.BatchResult, error) {
		return l.svc.CreateBatchFromCSV(ctx, a, in, strings.NewReader(csv))
	})
}

// GetBatch implements Backend.
func (l *Local) GetBatch(ctx context.Context, batchID string, in core.GetBatchInput) (core.BatchResult, error) {
	return call(ctx, l, func(a string) (core.BatchResult, error) { return l.svc.GetBatch(ctx, a, batchID, in) })
}
