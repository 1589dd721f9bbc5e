// Command gencomments writes core/comments_gen.go: the doc comments of core's exported types and fields
// (core.GoComments). Run it with `go generate ./core`; it reads and writes the current directory, which go
// generate sets to the core package.
package main

import (
	"fmt"
	"os"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/internal/gocomments"
)

func main() {
	comments, err := gocomments.Read(".", core.PackagePath)
	if err == nil {
		err = os.WriteFile(core.CommentsFile, gocomments.Source("core", "goComments", "core/internal/gencomments", comments), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencomments:", err)
		os.Exit(1)
	}
}
