// Package docs holds the user guide to the video document, embedded so that the server (GET /docs) and the
// MCP server (a resource) hand out the same text. It is the project's copy of the document contract.
package docs

import _ "embed"

// Guide is the video document guide, in Markdown.
//
//go:embed document.md
var Guide []byte
