package core

//go:generate go run ./internal/gencomments

import "maps"

// CommentsFile is the generated file holding the doc comments of this package's exported types and
// fields (goComments). `go generate ./core` rewrites it, and TestCommentsFileIsCurrent fails when it is
// stale: after editing a comment of core's types, run it, then `go generate ./httpapi` (docs/openapi.json and
// docs/api.md show them).
const CommentsFile = "comments_gen.go"

// PackagePath is this package's import path, the prefix of GoComments' keys.
const PackagePath = "github.com/framecast/framecast/core"

// GoComments returns the doc comments of core's exported types and fields, keyed
// "github.com/framecast/framecast/core.Type" and "….Type.Field" as invopop/jsonschema's CommentMap expects:
// the descriptions of the OpenAPI document's schemas (httpapi), written once, in the Go source.
func GoComments() map[string]string { return maps.Clone(goComments) }
