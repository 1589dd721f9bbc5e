package core

import (
	"bytes"
	"os"
	"testing"

	"github.com/framecast/framecast/internal/gocomments"
)

// TestCommentsFileIsCurrent fails when comments_gen.go differs from the doc comments of the source: run
// `go generate ./core`.
func TestCommentsFileIsCurrent(t *testing.T) {
	comments, err := gocomments.Read(".", PackagePath)
	if err != nil {
		t.Fatal(err)
	}
	want := gocomments.Source("core", "goComments", "core/internal/gencomments", comments)
	got, err := os.ReadFile(CommentsFile)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run `go generate ./core ./httpapi` (the OpenAPI document in docs/ shows these comments too)", CommentsFile)
	}
	if len(comments) == 0 {
		t.Fatal("no comments read")
	}
}
