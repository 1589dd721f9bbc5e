package mcp

import (
	"bufio"
	"context"
	"io"
	"log/slog"

	"github.com/mark3labs/mcp-go/server"
)

// RunStdio serves the MCP server of b to one client over in and out (newline-delimited JSON-RPC, as
// `framecast mcp --stdio` does on standard input and output) until in ends or ctx is cancelled.
// Nothing else may write to out.
func RunStdio(ctx context.Context, b Backend, opts Options, in io.Reader, out io.Writer) error {
	opts = opts.withDefaults()
	srv, checker := newServer(b, opts)
	stdio := server.NewStdioServer(srv)
	stdio.SetErrorLogger(slog.NewLogLogger(opts.Logger.Handler(), slog.LevelError))
	locked := &lockedWriter{w: out}
	gated := &gatedReader{in: bufio.NewReaderSize(in, 1<<20), out: locked, gate: checker.gate}
	err := stdio.Listen(ctx, gated, locked)
	if ctx.Err() != nil {
		return nil // asked to stop
	}
	return err
}
