package core

import (
	"context"

	"github.com/framecast/framecast/schemas"
)

// CapabilitiesResult is the response of GET /api/v1/capabilities.
type CapabilitiesResult struct {
	Success    bool               `json:"success"`
	APIVersion string             `json:"apiVersion"`
	Schema     SchemaCapabilities `json:"schema"`
	Render     RenderCapabilities `json:"render"`
	Features   map[string]any     `json:"features"`
	Docs       map[string]string  `json:"docs"`
}

// SchemaCapabilities lists the names the document accepts, read from the schemas package.
type SchemaCapabilities struct {
	Version            string   `json:"version"`
	ClipTypes          []string `json:"clipTypes"`
	AnimationTypes     []string `json:"animationTypes"`
	EasingFunctions    []string `json:"easingFunctions"`
	TransitionTypes    []string `json:"transitionTypes"`
	KeyframeProperties []string `json:"keyframeProperties"`
	// Templates are the built-in templates with their data fields and a sample (schemas.Templates).
	Templates []TemplateInfo `json:"templates"`
}

// TemplateInfo is one built-in template as the capabilities list it: its name, what it draws, its data
// fields (type, default, description), a sample data object, its variants and, where an adapter can draw
// one, a link to a thumbnail frame of the sample.
type TemplateInfo struct {
	schemas.TemplateSpec
	Variants  []string `json:"variants"`
	Thumbnail string   `json:"thumbnail,omitempty"`
}

// templateVariants are the color variants every built-in template has (render/templates' palettes).
var templateVariants = []string{"default", "dark", "light"}

// templateInfos lists schemas.Templates for the capabilities.
func templateInfos() []TemplateInfo {
	out := make([]TemplateInfo, len(schemas.Templates))
	for i, t := range schemas.Templates {
		out[i] = TemplateInfo{TemplateSpec: t, Variants: templateVariants}
	}
	return out
}

// RenderCapabilities describes output qualities and their prices (the Qualities table).
type RenderCapabilities struct {
	QualitySelection string    `json:"qualitySelection"` // "auto": by the short edge of the video
	Qualities        []Quality `json:"qualities"`
	DefaultWorkers   int       `json:"defaultWorkers"`
	MaxWorkers       int       `json:"maxWorkers"`
}

// Paths of documentation the capabilities point to (served by the HTTP layer).
const (
	SchemaPath = "/schemas/video-document.schema.json"
	DocsPath   = "/docs"
)

// Capabilities describes what this server accepts; it has no side effects and needs no account.
func (s *Service) Capabilities(ctx context.Context) (CapabilitiesResult, error) {
	return CapabilitiesResult{
		Success:    true,
		APIVersion: "v1",
		Schema: SchemaCapabilities{
			Version:            schemas.Version,
			ClipTypes:          schemas.Names(schemas.ClipTypes()),
			AnimationTypes:     schemas.Names(schemas.AnimationTypes),
			EasingFunctions:    schemas.Names(schemas.Easings),
			TransitionTypes:    schemas.Names(schemas.TransitionTypes),
			KeyframeProperties: schemas.Names(schemas.KeyframeProperties),
			Templates:          templateInfos(),
		},
		Render: RenderCapabilities{QualitySelection: "auto", Qualities: Qualities,
			DefaultWorkers: s.cfg.DefaultWorkers, MaxWorkers: s.cfg.MaxWorkers},
		Features: map[string]any{
			"previews":        true,
			"webhooks":        true,
			"webhookSigning":  "standard-webhooks",
			"uploads":         true,
			"maxUploadBytes":  s.cfg.MaxUploadBytes,
			"parallelRender":  true,
			"idempotencyKeys": true,
			"limits": map[string]any{
				"maxWidth": s.cfg.Limits.MaxWidth, "maxHeight": s.cfg.Limits.MaxHeight, "maxFps": s.cfg.Limits.MaxFPS,
				"maxDuration": s.cfg.Limits.MaxDuration, "maxClips": s.cfg.Limits.MaxClips, "maxBytes": s.cfg.Limits.MaxBytes,
				"drawing": schemas.DrawBudget().Map(), // the engine's budget, checked by validation too
			},
		},
		Docs: map[string]string{
			"schema":        s.url(SchemaPath),
			"documentation": s.url(DocsPath),
		},
	}, nil
}
