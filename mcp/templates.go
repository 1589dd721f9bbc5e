package mcp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/schemas"
)

// Templates as data: framecast://templates lists every built-in template with its data fields (type,
// default, description), a sample and the link of a thumbnail, framecast://templates/{name}/thumbnail.png,
// a frame of the sample drawn by the engine. get_capabilities carries the same list and links.

// TemplatesURI is the resource listing the built-in templates.
const TemplatesURI = "framecast://templates"

// thumbnailURI returns the resource of a template's thumbnail frame.
func thumbnailURI(name string) string { return TemplatesURI + "/" + name + "/thumbnail.png" }

// withThumbnails returns caps with each template's thumbnail link set to its resource.
func withThumbnails(caps core.CapabilitiesResult) core.CapabilitiesResult {
	list := make([]core.TemplateInfo, len(caps.Schema.Templates))
	for i, t := range caps.Schema.Templates {
		t.Thumbnail = thumbnailURI(t.Name)
		list[i] = t
	}
	caps.Schema.Templates = list
	return caps
}

// thumbnailDocument is a 640×360 document of template name showing its sample for four seconds, with
// the sample's media fields left out (they are placeholders), so that it draws without the network.
func thumbnailDocument(spec schemas.TemplateSpec) json.RawMessage {
	data := map[string]any{}
	for k, v := range spec.Sample {
		if f, ok := spec.Field(k); ok && strings.Contains(f.Type, "media") {
			continue
		}
		data[k] = v
	}
	clips := []any{}
	if spec.Overlay || spec.Name == "talking-head" {
		// A template that frames other clips is shown over a backdrop, as it would be used.
		clips = append(clips, map[string]any{"type": "rect", "start": 0, "duration": 4,
			"transform": map[string]any{"width": "100%", "height": "100%"},
			"style": map[string]any{"fill": map[string]any{"type": "linear", "angle": 45, "stops": []any{
				map[string]any{"offset": 0, "color": "#1e3a8a"}, map[string]any{"offset": 1, "color": "#0ea5e9"}}}}})
	}
	clips = append(clips, map[string]any{"type": "template", "template": spec.Name, "start": 0, "duration": 4, "zIndex": 1, "data": data})
	doc, _ := json.Marshal(map[string]any{
		"meta":   map[string]any{"version": schemas.Version, "width": 640, "height": 360, "fps": 30},
		"tracks": []any{map[string]any{"clips": clips}},
	})
	return doc
}

// thumbnailTime is the moment of the sample a thumbnail shows: the animations have settled.
const thumbnailTime = 2.5

// addTemplateResources registers framecast://templates and one thumbnail resource per template.
func addTemplateResources(srv *server.MCPServer, b Backend) {
	srv.AddResource(mcp.NewResource(TemplatesURI, "Built-in templates",
		mcp.WithResourceDescription("Every built-in template (a template clip's \"template\"): what it draws, its data fields with type, default and description, a sample data object, its variants and a thumbnail frame."),
		mcp.WithMIMEType("application/json")),
		func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			caps, err := b.Capabilities(ctx)
			if err != nil {
				return nil, err
			}
			raw, err := json.MarshalIndent(withThumbnails(caps).Schema.Templates, "", "  ")
			if err != nil {
				return nil, err
			}
			return textResource(TemplatesURI, "application/json", string(raw)), nil
		})
	for _, spec := range schemas.Templates {
		uri := thumbnailURI(spec.Name)
		srv.AddResource(mcp.NewResource(uri, "Thumbnail of the "+spec.Name+" template",
			mcp.WithResourceDescription(fmt.Sprintf("A frame (PNG, 640×360) of the %s template (%s) drawn from its sample data.", spec.Name, spec.Description)),
			mcp.WithMIMEType("image/png")),
			func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				frames, err := b.Frames(ctx, thumbnailDocument(spec), []float64{thumbnailTime}, 640)
				if err != nil {
					return nil, fmt.Errorf("draw the %s thumbnail: %w", spec.Name, err)
				}
				var buf bytes.Buffer
				if err := encodePNG(&buf, frames[0]); err != nil {
					return nil, err
				}
				return []mcp.ResourceContents{mcp.BlobResourceContents{URI: uri, MIMEType: "image/png", Blob: base64.StdEncoding.EncodeToString(buf.Bytes())}}, nil
			})
	}
}
