package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/framecast/framecast/docs"
	"github.com/framecast/framecast/examples"
	"github.com/framecast/framecast/schemas"
)

// The URIs of the resources.
const (
	SchemaURI = "framecast://schema/document"
	// legacySchemaURI is the document schema's first URI, still served.
	legacySchemaURI = "framecast://schema/video-document"
	GuideURI        = "framecast://docs/document.md"
	CapabilitiesURI = "framecast://capabilities"
	examplesURI     = "framecast://examples/" // + file name
)

// exampleNames lists the embedded example documents' file names, sorted.
func exampleNames() []string {
	entries, _ := examples.FS.ReadDir(".") // the files are embedded: the directory exists
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// textResource returns one text content of uri.
func textResource(uri, mime, text string) []mcp.ResourceContents {
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: mime, Text: text}}
}

// addResources registers the schema, the guide, the capabilities and one resource per example.
func addResources(srv *server.MCPServer, b Backend) {
	for _, uri := range []string{SchemaURI, legacySchemaURI} {
		desc := "The JSON Schema (draft 2020-12) of a video document: every clip type, field, enumeration, range and default, each described. The tools that take a document refer to it; framecast://schema/clip/{type} and get_schema give one clip type's part."
		if uri == legacySchemaURI {
			desc = "The same as " + SchemaURI + " (its former URI)."
		}
		srv.AddResource(mcp.NewResource(uri, "Video document JSON Schema",
			mcp.WithResourceDescription(desc), mcp.WithMIMEType("application/schema+json")),
			func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				raw, err := schemas.JSONSchema()
				if err != nil {
					return nil, err
				}
				return textResource(uri, "application/schema+json", string(raw)), nil
			})
	}
	addSchemaResources(srv)
	addTemplateResources(srv, b)
	srv.AddResource(mcp.NewResource(GuideURI, "Video document guide",
		mcp.WithResourceDescription("How to write a video document: structure, timing, clip types, animations, keyframes, transitions, with examples. Read this first."),
		mcp.WithMIMEType("text/markdown")),
		func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return textResource(GuideURI, "text/markdown", string(docs.Guide)), nil
		})
	srv.AddResource(mcp.NewResource(CapabilitiesURI, "Capabilities",
		mcp.WithResourceDescription("What this server accepts: clip types, animation types, easings, transitions, keyframe properties, qualities and their prices, limits."),
		mcp.WithMIMEType("application/json")),
		func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			caps, err := b.Capabilities(ctx)
			if err != nil {
				return nil, err
			}
			raw, err := json.MarshalIndent(caps, "", "  ")
			if err != nil {
				return nil, err
			}
			return textResource(CapabilitiesURI, "application/json", string(raw)), nil
		})
	for _, name := range exampleNames() {
		uri := examplesURI + name
		title := strings.TrimSuffix(name, path.Ext(name))
		srv.AddResource(mcp.NewResource(uri, "Example: "+title,
			mcp.WithResourceDescription(fmt.Sprintf("An example video document (%s). Its media paths are relative to the examples folder: replace them with URLs (or upload_file results) before rendering.", title)),
			mcp.WithMIMEType("application/json")),
			func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				doc, err := examples.FS.ReadFile(name)
				if err != nil {
					return nil, err
				}
				return textResource(uri, "application/json", string(doc)), nil
			})
	}
}

// addPrompts registers make_video.
func addPrompts(srv *server.MCPServer) {
	srv.AddPrompt(mcp.NewPrompt("make_video",
		mcp.WithPromptDescription("Make a video from a brief: write the document, check it, look at its frames, render it and wait for it."),
		mcp.WithArgument("brief", mcp.ArgumentDescription("What the video should show and say, its audience and tone."), mcp.RequiredArgument()),
		mcp.WithArgument("format", mcp.ArgumentDescription("Aspect and size, such as 1920x1080 (landscape), 1080x1920 (vertical) or 1080x1080 (default 1920x1080).")),
		mcp.WithArgument("duration", mcp.ArgumentDescription("Target length in seconds (default: what the brief needs, about 10 to 30).")),
	), func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		args := req.Params.Arguments
		brief := strings.TrimSpace(args["brief"])
		if brief == "" { // the stdio and streamable HTTP transports answer -32602 before this (argChecker.gate)
			return nil, fmt.Errorf("make_video: missing required argument brief")
		}
		return mcp.NewGetPromptResult("Make a video from a brief", []mcp.PromptMessage{
			mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(makeVideoText(brief, args["format"], args["duration"]))),
		}), nil
	})
}

// makeVideoText is the make_video prompt's message.
func makeVideoText(brief, format, duration string) string {
	if format == "" {
		format = "1920x1080"
	}
	if duration == "" {
		duration = "what the brief needs (about 10 to 30 seconds)"
	} else {
		duration += " seconds"
	}
	return fmt.Sprintf(`Make a video with Framecast.

Brief: %s
Format: %s. Duration: %s.

Steps:
1. Read the resource %s (the document guide) and one example from framecast://examples/ that is close to the brief. The full schema is %s; get_capabilities lists clip types, easings and prices.
2. Plan the video as scenes: for each, the time window, the text on screen, the visuals and the motion. Keep text large and readable, and on screen long enough to read (about 3 words per second).
3. Write the document (meta with width, height, fps, background; tracks of clips with start and duration). Media must be URLs: use upload_file for files you have, and its url as the clip's src.
4. Call validate_document and fix every error (each has a JSON path and often a did-you-mean). Repeat until valid; read the warnings too. It also tells you the render's cost.
5. Call render_frames (about 6 to 12 frames) and look at the sheet: text legible and inside the frame, nothing overlapping by mistake, the timing right. Use render_frame for a closer look at one moment. Fix and repeat.
6. When it looks right, call create_video, then render_video (this costs credits; get_credits shows the balance), then wait_for_video until it is completed.
7. Reply with the videoUrl, and what you made.`, brief, format, duration, GuideURI, SchemaURI)
}
