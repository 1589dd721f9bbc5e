package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// Templates and batches (Framecast's additions, docs/templates.md). Bodies are any value that encodes to
// the API's body; answers are the API's JSON as it came.

// CSVBatch is a batch whose variable sets are the rows of a CSV, for CreateBatch: the CSV is sent as a
// text/csv body and the other fields as the query.
type CSVBatch struct {
	TemplateID, WebhookURL, Category, Metadata string
	NumWorkers                                 int
	CSV                                        io.Reader
}

func raw(ctx context.Context, c *Client, method, path string, query url.Values, body any) (json.RawMessage, error) {
	out, err := call[json.RawMessage](ctx, c, method, path, query, body)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// CreateTemplate saves a template: {name?, description?, config, variables}.
func (c *Client) CreateTemplate(ctx context.Context, in any) (json.RawMessage, error) {
	return raw(ctx, c, http.MethodPost, "/templates", nil, in)
}

// ListTemplates returns a page of the saved templates.
func (c *Client) ListTemplates(ctx context.Context, query url.Values) (json.RawMessage, error) {
	return raw(ctx, c, http.MethodGet, "/templates", query, nil)
}

// GetTemplate returns a saved template.
func (c *Client) GetTemplate(ctx context.Context, templateID string) (json.RawMessage, error) {
	if templateID == "" {
		return nil, errEmptyID
	}
	return raw(ctx, c, http.MethodGet, pathOf("templates", templateID), nil, nil)
}

// UpdateTemplate replaces a saved template (its version goes up by one).
func (c *Client) UpdateTemplate(ctx context.Context, templateID string, in any) (json.RawMessage, error) {
	if templateID == "" {
		return nil, errEmptyID
	}
	return raw(ctx, c, http.MethodPut, pathOf("templates", templateID), nil, in)
}

// DeleteTemplate deletes a saved template.
func (c *Client) DeleteTemplate(ctx context.Context, templateID string) (json.RawMessage, error) {
	if templateID == "" {
		return nil, errEmptyID
	}
	return raw(ctx, c, http.MethodDelete, pathOf("templates", templateID), nil, nil)
}

// RenderTemplate renders a template with one variable set: {variables, webhook_url?, num_workers?, …}.
func (c *Client) RenderTemplate(ctx context.Context, templateID string, in any) (json.RawMessage, error) {
	if templateID == "" {
		return nil, errEmptyID
	}
	return raw(ctx, c, http.MethodPost, pathOf("templates", templateID)+"/render", nil, in)
}

// PreviewTemplate previews a template with one variable set: {variables}.
func (c *Client) PreviewTemplate(ctx context.Context, templateID string, in any) (json.RawMessage, error) {
	if templateID == "" {
		return nil, errEmptyID
	}
	return raw(ctx, c, http.MethodPost, pathOf("templates", templateID)+"/preview", nil, in)
}

// CreateBatch renders a template with many variable sets: a JSON body {templateId, items, …}, or a
// CSVBatch.
func (c *Client) CreateBatch(ctx context.Context, in any) (json.RawMessage, error) {
	b, ok := in.(CSVBatch)
	if !ok {
		return raw(ctx, c, http.MethodPost, "/batches", nil, in)
	}
	q := url.Values{}
	for k, v := range map[string]string{"templateId": b.TemplateID, "webhook_url": b.WebhookURL, "category": b.Category, "metadata": b.Metadata} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if b.NumWorkers > 0 {
		q.Set("num_workers", strconv.Itoa(b.NumWorkers))
	}
	var out json.RawMessage
	err := c.do(ctx, http.MethodPost, "/batches", q, "text/csv", b.CSV, &out)
	return out, err
}

// GetBatch returns a batch's counts, progress and a page of its items.
func (c *Client) GetBatch(ctx context.Context, batchID string, query url.Values) (json.RawMessage, error) {
	if batchID == "" {
		return nil, errEmptyID
	}
	return raw(ctx, c, http.MethodGet, pathOf("batches", batchID), query, nil)
}
