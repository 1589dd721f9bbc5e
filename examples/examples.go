// Package examples embeds the example documents of this folder, for the MCP server's resources, the
// console's playground and anyone who wants a working document to start from. Their media paths are
// relative to this folder ("assets/photo1.jpg"); Assets holds those files.
package examples

import "embed"

// FS holds the example documents (*.json).
//
//go:embed *.json
var FS embed.FS

// Assets holds the media the examples name, under assets/ (about 450 kB): the playground uploads the
// ones an example uses to the account that starts from it.
//
//go:embed assets
var Assets embed.FS
