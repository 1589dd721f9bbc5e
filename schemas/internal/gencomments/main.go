// Command gencomments writes schemas/comments_gen.go: the doc comments of the document's Go types and
// fields, which JSONSchema uses as descriptions where a field's tag gives none, so that the JSON Schema,
// the REST reference and the MCP tools describe every field with the words of the Go source. Run it with
// `go generate ./schemas` (before gen, which then compiles the new map); it reads and writes the current
// directory, which go generate sets to the schemas package.
package main

import (
	"fmt"
	"os"

	"github.com/framecast/framecast/schemas"
)

func main() {
	comments, err := schemas.ReadGoComments(".")
	if err == nil {
		err = os.WriteFile(schemas.CommentsFile, schemas.CommentsSource(comments), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencomments:", err)
		os.Exit(1)
	}
}
