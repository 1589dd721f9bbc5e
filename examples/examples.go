// Package examples embeds the example documents of this folder, for the MCP server's resources and for
// anyone who wants a working document to start from. Their media paths are relative to this folder.
package examples

import "embed"

// FS holds the example documents (*.json).
//
//go:embed *.json
var FS embed.FS
