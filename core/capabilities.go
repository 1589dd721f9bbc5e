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
			},
		},
		Docs: map[string]string{
			"schema":        s.url(SchemaPath),
			"documentation": s.url(DocsPath),
		},
	}, nil
}
