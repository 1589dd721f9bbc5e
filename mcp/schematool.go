package mcp

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/schemas"
)

// clipSchemaURIPrefix + a clip type is the resource of that clip type's schema (schemas.ClipSchema).
const clipSchemaURIPrefix = "framecast://schema/clip/"

// SchemaArgs are the arguments of get_schema.
type SchemaArgs struct {
	ClipType string `json:"clipType" jsonschema:"required" jsonschema_description:"The clip type whose fields to return: video, image, text, rect, circle, polygon, code, svg, icon, line, path, three, audio, subtitle, layout or template."`
}

// SchemaResult is the result of get_schema.
type SchemaResult struct {
	ClipType string         `json:"clipType" jsonschema_description:"The clip type described."`
	Schema   map[string]any `json:"schema" jsonschema_description:"The JSON Schema (draft 2020-12) of the clip type, with the definitions it uses under $defs."`
}

// extraSpecs are the tools added to the API's operations for authoring: get_schema and
// render_audio_preview.
func (t *toolset) extraSpecs() []toolSpec {
	return []toolSpec{t.audioPreviewSpec(), {
		name: "get_schema", title: "Get a clip type's schema",
		description: "Returns the JSON Schema of one clip type (its fields, types, ranges, defaults and descriptions, with the definitions it uses), a small part of the whole document schema (the resource " + SchemaURI + "). Free. " +
			"Read it before writing a clip type you have not used yet.",
		hints: hints{readOnly: true, idempotent: true}, args: SchemaArgs{}, result: SchemaResult{},
		handle: adapt(func(ctx context.Context, in SchemaArgs) (SchemaResult, error) {
			raw, err := schemas.ClipSchema(strings.TrimSpace(in.ClipType))
			if err != nil {
				return SchemaResult{}, core.InvalidRequest("clipType: %v", err)
			}
			out := SchemaResult{ClipType: in.ClipType}
			if err := json.Unmarshal(raw, &out.Schema); err != nil {
				return SchemaResult{}, err
			}
			return out, nil
		}),
	}}
}

// addSchemaResources registers the document schema under its short URI (SchemaURI), and one resource
// per clip type with that type's schema.
func addSchemaResources(srv *server.MCPServer) {
	for _, kind := range schemas.ClipKinds {
		uri := clipSchemaURIPrefix + kind.Name
		srv.AddResource(mcp.NewResource(uri, "Schema of "+kind.Name+" clips",
			mcp.WithResourceDescription("The JSON Schema of a "+kind.Name+" clip ("+kind.Description+"), with the definitions it uses."),
			mcp.WithMIMEType("application/schema+json")),
			func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				raw, err := schemas.ClipSchema(kind.Name)
				if err != nil {
					return nil, err
				}
				return textResource(uri, "application/schema+json", string(raw)), nil
			})
	}
}
