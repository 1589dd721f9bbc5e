// Command gen writes the JSON Schema of the video document to schemas/video-document.schema.json.
// Run it with `go generate ./schemas`; it writes into the current directory, which go generate sets to
// the schemas package.
package main

import (
	"fmt"
	"os"

	"github.com/framecast/framecast/schemas"
)

func main() {
	out, err := schemas.JSONSchema()
	if err == nil {
		err = os.WriteFile(schemas.SchemaFile, out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
