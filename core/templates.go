package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/schemas"
)

// Saved templates: a video document with {{name}} placeholders and the declarations of its variables
// (schemas.Variables), kept per account and versioned. Rendering one merges a variable set into the
// document (schemas.Merge) and makes an ordinary task of the result, which records the template and the
// version it came from; previewing one makes an ordinary preview.

// Limits of a template's descriptive fields.
const (
	maxTemplateNameLength        = 200
	maxTemplateDescriptionLength = 2000
)

// TemplateInput is the body of POST /api/v1/templates and PUT /api/v1/templates/{templateId}.
type TemplateInput struct {
	// Name and Description say what the template is for.
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Config is the video document, with {{name}} placeholders in any string.
	Config json.RawMessage `json:"config"`
	// Variables declares each variable: its type, default, whether it is required, its constraints.
	Variables schemas.Variables `json:"variables,omitempty"`
}

// TemplateView is a saved template as the API shows it.
type TemplateView struct {
	TemplateID  string            `json:"templateId"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Version     int64             `json:"version"` // 1 when created, one more at every update
	Config      json.RawMessage   `json:"config,omitempty"`
	Variables   schemas.Variables `json:"variables"`
	CreatedAt   string            `json:"createdAt"`
	UpdatedAt   string            `json:"updatedAt"`
}

// TemplateResult is the response of the template operations that return one template (create, get,
// update). Warnings list placeholders without a declaration and declarations no placeholder uses.
type TemplateResult struct {
	Success bool `json:"success"`
	TemplateView
	Warnings []Problem `json:"warnings,omitempty"`
}

// ListTemplatesResult is the response of GET /api/v1/templates: the templates without their documents.
type ListTemplatesResult struct {
	Success    bool           `json:"success"`
	Templates  []TemplateView `json:"templates" jsonschema_description:"The saved templates on this page, newest first, without their documents."`
	Pagination Pagination     `json:"pagination"`
}

// DeleteTemplateResult is the response of DELETE /api/v1/templates/{templateId}.
type DeleteTemplateResult struct {
	Success    bool   `json:"success"`
	TemplateID string `json:"templateId"`
	Deleted    bool   `json:"deleted"`
	Message    string `json:"message"`
}

// RenderTemplateInput is the body of POST /api/v1/templates/{templateId}/render: the variable set, and
// the fields of a task and its render.
type RenderTemplateInput struct {
	Variables map[string]any `json:"variables,omitempty"`
	TaskOptions
	RenderInput
}

// RenderTemplateResult is the response of POST /api/v1/templates/{templateId}/render: the render of the
// new task, with the template and version it was merged from.
type RenderTemplateResult struct {
	Success         bool   `json:"success"`
	TemplateID      string `json:"templateId"`
	TemplateVersion int64  `json:"templateVersion"`
	RenderResult
	Warnings []Problem `json:"warnings,omitempty"`
}

// PreviewTemplateInput is the body of POST /api/v1/templates/{templateId}/preview.
type PreviewTemplateInput struct {
	Variables map[string]any `json:"variables,omitempty"`
}

// PreviewTemplateResult is the response of POST /api/v1/templates/{templateId}/preview: a preview of the
// merged document.
type PreviewTemplateResult struct {
	TemplateID      string `json:"templateId"`
	TemplateVersion int64  `json:"templateVersion"`
	CreatePreviewResult
}

// taskOrigin says where a new task's document comes from: the saved template (and version) it was merged
// from, and the batch it is an item of. The zero value is a document posted as it is.
type taskOrigin struct {
	TemplateID      string
	TemplateVersion int64
	BatchID         string
	BatchIndex      int64
	// roomChecked is set when the caller has checked the account's document room for this task already
	// (a batch checks all its items at once).
	roomChecked bool
}

// CreateTemplate checks and stores a new template (version 1). With an idempotency key in ctx, a repeat
// gets the first call's answer.
func (s *Service) CreateTemplate(ctx context.Context, accountID string, in TemplateInput) (TemplateResult, error) {
	return idempotent(ctx, s, accountID, "create_template", in, func() (TemplateResult, error) {
		t, warnings, err := s.checkTemplate(in)
		if err != nil {
			return TemplateResult{}, err
		}
		now := store.NewTime(s.now())
		t.ID, t.AccountID, t.Version, t.CreatedAt, t.UpdatedAt = newID("tpl_"), accountID, 1, now, now
		err = s.store.Tx(ctx, func(tx *store.Tx) error {
			if err := s.checkDocumentRoom(ctx, tx, accountID, len(t.Config)+len(t.Variables), false); err != nil {
				return err
			}
			return tx.InsertTemplate(ctx, t)
		})
		if err != nil {
			return TemplateResult{}, fail(err)
		}
		return TemplateResult{Success: true, TemplateView: templateView(t, true), Warnings: warnings}, nil
	})
}

// UpdateTemplate replaces one of the account's templates and adds one to its version. Tasks already made
// from it keep their documents and the version they used.
func (s *Service) UpdateTemplate(ctx context.Context, accountID, templateID string, in TemplateInput) (TemplateResult, error) {
	return idempotent(ctx, s, accountID, "update_template/"+templateID, in, func() (TemplateResult, error) {
		t, warnings, err := s.checkTemplate(in)
		if err != nil {
			return TemplateResult{}, err
		}
		t.ID, t.AccountID, t.UpdatedAt = templateID, accountID, store.NewTime(s.now())
		var stored store.Template
		err = s.store.Tx(ctx, func(tx *store.Tx) error {
			old, err := tx.GetTemplate(ctx, accountID, templateID)
			if err != nil {
				return notFound(err, "Template", templateID)
			}
			if grow := len(t.Config) + len(t.Variables) - len(old.Config) - len(old.Variables); grow > 0 {
				if err := s.checkDocumentRoom(ctx, tx, accountID, grow, false); err != nil {
					return err
				}
			}
			stored, err = tx.UpdateTemplate(ctx, t)
			return err
		})
		if err != nil {
			return TemplateResult{}, notFound(err, "Template", templateID)
		}
		return TemplateResult{Success: true, TemplateView: templateView(stored, true), Warnings: warnings}, nil
	})
}

// GetTemplate returns one of the account's templates with its document.
func (s *Service) GetTemplate(ctx context.Context, accountID, templateID string) (TemplateResult, error) {
	t, err := s.store.GetTemplate(ctx, accountID, templateID)
	if err != nil {
		return TemplateResult{}, notFound(err, "Template", templateID)
	}
	return TemplateResult{Success: true, TemplateView: templateView(t, true)}, nil
}

// ListTemplates returns a page of the account's templates, newest first, without their documents.
func (s *Service) ListTemplates(ctx context.Context, accountID string, in PageInput) (ListTemplatesResult, error) {
	page, limit, err := in.normalize()
	if err != nil {
		return ListTemplatesResult{}, err
	}
	list, total, err := s.store.ListTemplates(ctx, accountID, (page-1)*limit, limit)
	if err != nil {
		return ListTemplatesResult{}, fail(err)
	}
	out := ListTemplatesResult{Success: true, Templates: make([]TemplateView, len(list)), Pagination: Pagination{Page: page, Limit: limit, Total: total}}
	for i, t := range list {
		out.Templates[i] = templateView(t, false)
	}
	return out, nil
}

// DeleteTemplate removes one of the account's templates. Tasks made from it are kept.
func (s *Service) DeleteTemplate(ctx context.Context, accountID, templateID string) (DeleteTemplateResult, error) {
	if err := s.store.DeleteTemplate(ctx, accountID, templateID); err != nil {
		return DeleteTemplateResult{}, notFound(err, "Template", templateID)
	}
	return DeleteTemplateResult{Success: true, TemplateID: templateID, Deleted: true, Message: "Template deleted; videos made from it are kept"}, nil
}

// RenderTemplate merges a variable set into one of the account's templates and renders the result as a
// new task, in one transaction, as RenderPreview does: same fields, credits and webhook as rendering a
// task. With an idempotency key in ctx, a repeat gets the first call's answer and is not charged.
func (s *Service) RenderTemplate(ctx context.Context, accountID, templateID string, in RenderTemplateInput) (RenderTemplateResult, error) {
	return idempotent(ctx, s, accountID, "render_template/"+templateID, in, func() (RenderTemplateResult, error) {
		opts, err := s.renderOptions(in.RenderInput)
		if err != nil {
			return RenderTemplateResult{}, err
		}
		var res RenderTemplateResult
		err = s.store.Tx(ctx, func(tx *store.Tx) error {
			t, err := tx.GetTemplate(ctx, accountID, templateID)
			if err != nil {
				return notFound(err, "Template", templateID)
			}
			merged, info, warnings, err := s.mergeTemplate(t, in.Variables, "")
			if err != nil {
				return err
			}
			task, err := s.insertTaskFrom(ctx, tx, accountID, string(merged), info, in.TaskOptions, taskOrigin{TemplateID: t.ID, TemplateVersion: t.Version})
			if err != nil {
				return err
			}
			r, err := s.renderInTx(ctx, tx, accountID, task.ID, opts)
			if err != nil {
				return err
			}
			res = RenderTemplateResult{Success: true, TemplateID: t.ID, TemplateVersion: t.Version, RenderResult: r, Warnings: warnings}
			return nil
		})
		return res, err
	})
}

// PreviewTemplate merges a variable set into one of the account's templates and keeps the result as a
// free preview (CreatePreview).
func (s *Service) PreviewTemplate(ctx context.Context, accountID, templateID string, in PreviewTemplateInput) (PreviewTemplateResult, error) {
	return idempotent(ctx, s, accountID, "preview_template/"+templateID, in, func() (PreviewTemplateResult, error) {
		t, err := s.store.GetTemplate(ctx, accountID, templateID)
		if err != nil {
			return PreviewTemplateResult{}, notFound(err, "Template", templateID)
		}
		merged, _, _, err := s.mergeTemplate(t, in.Variables, "")
		if err != nil {
			return PreviewTemplateResult{}, err
		}
		p, err := s.createPreview(ctx, accountID, merged)
		if err != nil {
			return PreviewTemplateResult{}, err
		}
		return PreviewTemplateResult{TemplateID: t.ID, TemplateVersion: t.Version, CreatePreviewResult: p}, nil
	})
}

// checkTemplate checks a template: its fields, its declarations and placeholders (schemas.CheckTemplate),
// and its document with sample values merged in (each variable's default, or a value of its type), so that
// a template that could never render is refused when it is saved. A problem of the merged document at a
// placeholder's path depends on the value, so it is only a warning. It returns the template to store.
func (s *Service) checkTemplate(in TemplateInput) (store.Template, []Problem, error) {
	name, description := strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	switch {
	case utf8.RuneCountInString(name) > maxTemplateNameLength:
		return store.Template{}, nil, InvalidRequest("name is longer than %d characters", maxTemplateNameLength)
	case utf8.RuneCountInString(description) > maxTemplateDescriptionLength:
		return store.Template{}, nil, InvalidRequest("description is longer than %d characters", maxTemplateDescriptionLength)
	}
	if raw := strings.TrimSpace(string(in.Config)); raw == "" || raw == "null" {
		return store.Template{}, nil, InvalidRequest(`config is required: send {"config": <video document with {{name}} placeholders>, "variables": {…}}`)
	}
	if in.Variables == nil {
		in.Variables = schemas.Variables{}
	}
	errs, warnings := schemas.CheckTemplate(in.Config, in.Variables)
	if len(errs) == 0 {
		uses, _ := schemas.Placeholders(in.Config)
		merged, problems := schemas.Merge(in.Config, in.Variables.SampleValues())
		if len(problems) > 0 {
			errs = append(errs, problems...)
		} else {
			res, _ := CheckDocument(merged, s.rules())
			for _, p := range res.Errors {
				if ph := placeholderAt(uses, p.Path); ph != "" {
					warnings = append(warnings, Problem{Path: p.Path, Message: fmt.Sprintf("with the sample value of {{%s}}: %s", ph, p.Message)})
				} else {
					errs = append(errs, p)
				}
			}
			warnings = append(warnings, res.Warnings...)
		}
	}
	if len(errs) > 0 {
		return store.Template{}, nil, problemsError("Invalid template", errs, warnings)
	}
	config, err := compactJSON(in.Config)
	if err != nil {
		return store.Template{}, nil, err
	}
	vars, err := json.Marshal(in.Variables)
	if err != nil {
		return store.Template{}, nil, InvalidRequest("variables cannot be stored: %v", err)
	}
	return store.Template{Name: name, Description: description, Config: string(config), Variables: string(vars)}, warnings, nil
}

// placeholderAt returns the name of a placeholder whose string is at path or contains it, or "".
func placeholderAt(uses []schemas.PlaceholderUse, path string) string {
	for _, u := range uses {
		if path == u.Path || strings.HasPrefix(path, u.Path+".") || strings.HasPrefix(path, u.Path+"[") {
			return u.Name
		}
	}
	return ""
}

// mergeTemplate checks a variable set against a stored template and validates the merged document as any
// document is (CheckDocument). Problems of the variables are INVALID_CONFIG naming each variable; where
// prefixes their paths ("items[3]." for a batch item).
func (s *Service) mergeTemplate(t store.Template, given map[string]any, where string) (json.RawMessage, docInfo, []Problem, error) {
	var vars schemas.Variables
	if err := json.Unmarshal([]byte(t.Variables), &vars); err != nil {
		return nil, docInfo{}, nil, fail(fmt.Errorf("stored variables of template %s: %w", t.ID, err))
	}
	values, problems := vars.Resolve(given)
	if len(problems) > 0 {
		return nil, docInfo{}, nil, problemsError("Invalid variables", prefixPaths(where, problems), nil)
	}
	return s.validateMerged([]byte(t.Config), values, where)
}

// validateMerged merges values into a document and validates the result.
func (s *Service) validateMerged(config []byte, values map[string]any, where string) (json.RawMessage, docInfo, []Problem, error) {
	merged, problems := schemas.Merge(config, values)
	if len(problems) > 0 {
		return nil, docInfo{}, nil, problemsError("Invalid variables", prefixPaths(where, problems), nil)
	}
	res, doc := CheckDocument(merged, s.rules())
	if !res.Valid {
		res.Errors, res.Warnings = prefixPaths(where, res.Errors), prefixPaths(where, res.Warnings)
		e := res.invalidConfig()
		e.Message = strings.Replace(e.Message, "Invalid video configuration: ", "The document merged with these variables is invalid: ", 1)
		return nil, docInfo{}, nil, e
	}
	if len(res.Warnings) == 0 {
		res.Warnings = nil
	}
	return merged, infoOf(doc), res.Warnings, nil
}

// problemsError is INVALID_CONFIG with the first problem in the message and all of them in the details.
func problemsError(what string, errs, warnings []Problem) *Error {
	msg := what + ": " + errs[0].String()
	if n := len(errs) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more problem%s, listed in details.errors)", n, plural(n))
	}
	return InvalidConfig(msg, errs, warnings)
}

// prefixPaths returns problems with prefix before each path.
func prefixPaths(prefix string, problems []Problem) []Problem {
	if prefix == "" {
		return problems
	}
	out := make([]Problem, len(problems))
	for i, p := range problems {
		out[i] = Problem{Path: prefix + p.Path, Message: p.Message}
	}
	return out
}

// compactJSON returns raw compacted, or INVALID_CONFIG when it is not JSON.
func compactJSON(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, InvalidConfig("Invalid template: "+err.Error(), []Problem{{Path: "config", Message: err.Error()}}, nil)
	}
	return buf.Bytes(), nil
}

// templateView shows a stored template; withConfig includes its document.
func templateView(t store.Template, withConfig bool) TemplateView {
	v := TemplateView{TemplateID: t.ID, Name: t.Name, Description: t.Description, Version: t.Version,
		CreatedAt: timestamp(t.CreatedAt.Time), UpdatedAt: timestamp(t.UpdatedAt.Time)}
	if withConfig {
		v.Config = json.RawMessage(t.Config)
	}
	if json.Unmarshal([]byte(t.Variables), &v.Variables) != nil || v.Variables == nil {
		v.Variables = schemas.Variables{}
	}
	return v
}

// inlineMerge merges the "variables" given beside a document that declares none (CreateTaskInput): every
// placeholder needs a value and every value a placeholder (schemas.InlineValues).
func inlineMerge(config []byte, given map[string]any) ([]byte, error) {
	values, problems := schemas.InlineValues(config, given)
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Path < problems[j].Path })
		return nil, problemsError("Invalid variables", problems, nil)
	}
	merged, problems := schemas.Merge(config, values)
	if len(problems) > 0 {
		return nil, problemsError("Invalid variables", problems, nil)
	}
	return merged, nil
}
