// Package mcp is Framecast's MCP server: the API's operations as tools an AI agent can call, with the
// document's JSON Schema, its guide, the capability lists and example documents as resources, and a
// make_video prompt that walks an agent from a brief to a rendered video.
//
// The tools are adapters over a Backend, one per operation, and add free helpers for authoring:
// validate_document (every problem with its path), render_frame and render_frames (PNG images of the
// video before paying for it) and wait_for_video (progress notifications until a render ends). Failed
// operations come back as tool results with isError set, the API code and the problems' paths, never as
// protocol errors.
//
// Transports: RunStdio serves one client over standard input and output (framecast mcp --stdio);
// HTTPHandler serves streamable HTTP at /mcp and SSE at /mcp/sse, authenticated with the REST API's keys.
//
//	srv := mcp.NewServer(mcp.NewLocal(svc, accountID), mcp.Options{})
//	err := mcp.RunStdio(ctx, srv, os.Stdin, os.Stdout)
package mcp

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/framecast/framecast/schemas"
)

// Options configure an MCP server. Zero fields take the defaults listed.
type Options struct {
	// Name and Version are what the server calls itself at initialization (default "framecast" and the
	// document protocol's version).
	Name, Version string
	// AllowPrivateURLs lets upload_file download from loopback and private addresses (default: public
	// addresses only).
	AllowPrivateURLs bool
	// AllowLocalFiles lets upload_file read a local file by its absolute path: set by `framecast mcp
	// --stdio` running the service in its own process, whose files are the user's; never on a server.
	AllowLocalFiles bool
	// PollInterval is how often wait_for_video looks at a render (default 1 s).
	PollInterval time.Duration
	// Logger receives failures of the transports (default slog.Default()).
	Logger *slog.Logger
}

// DefaultPollInterval is the default of Options.PollInterval.
const DefaultPollInterval = time.Second

func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = "framecast"
	}
	if o.Version == "" {
		o.Version = schemas.Version
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// instructions tell a model how to use the server, at initialization.
const instructions = `Framecast turns a JSON video document (meta, assets, tracks of timed clips: text, image, video, audio, shapes, layouts, subtitles, with animations, keyframes and transitions) into an MP4.
Workflow: read framecast://docs/document.md (and an example from framecast://examples/...), write a document, call validate_document and fix every error, look at it with render_frames (free PNG contact sheet), then create_video + render_video (costs credits) and wait_for_video until it completes. The prompt make_video walks through this.
Everything is free except render_video and render_preview. Errors come back as tool errors with an API code (INVALID_CONFIG lists every problem with its JSON path).`

// NewServer returns the MCP server of b: every tool, resource and the make_video prompt. It panics
// only if a tool's schema cannot be generated, which the package's tests rule out.
func NewServer(b Backend, opts Options) *server.MCPServer {
	srv, _ := newServer(b, opts)
	return srv
}

// newServer returns the MCP server of b and the checker of its tools' arguments, for the transports
// that answer bad calls with -32602 before the server sees them (argChecker.gate).
func newServer(b Backend, opts Options) (*server.MCPServer, *argChecker) {
	opts = opts.withDefaults()
	ts := &toolset{b: b, opts: opts}
	specs := append(ts.specs(), ts.extraSpecs()...)
	checker, err := newArgChecker(specs)
	if err != nil {
		panic(fmt.Sprintf("mcp: %v", err))
	}
	srv := server.NewMCPServer(opts.Name, opts.Version,
		server.WithToolCapabilities(false),
		server.WithResourceCapabilities(false, false),
		server.WithPromptCapabilities(false),
		server.WithInstructions(instructions),
		server.WithRecovery(),
		server.WithToolHandlerMiddleware(checker.middleware),
	)
	for _, spec := range specs {
		tool, err := spec.tool()
		if err != nil {
			panic(fmt.Sprintf("mcp: %v", err))
		}
		srv.AddTool(tool, spec.handle)
	}
	addResources(srv, b)
	addPrompts(srv)
	return srv, checker
}
