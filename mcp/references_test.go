package mcp

import (
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/core"
)

// TestUploadsByServerRelativePath: an uploaded file can be used by its /files/… path, without scheme,
// host or port, so a document keeps working when the in-process server of `framecast mcp --stdio` comes
// back on another port. And upload_file takes a local path when the server runs in this process.
func TestUploadsByServerRelativePath(t *testing.T) {
	st := newStack(t)
	local := NewLocal(st.svc, st.account.ID)
	c, _ := inProcessClient(t, local)
	var up core.UploadResult
	ok(t, "upload_file", callTool(t, c, "upload_file", map[string]any{"content_base64": base64.StdEncoding.EncodeToString(tinyPNG(t)), "name": "dot.png"}, nil), &up)
	u, err := url.Parse(up.Assets[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	d := doc(320, 180, 10, 1)
	d["tracks"] = append(d["tracks"].([]any), map[string]any{"clips": []any{
		map[string]any{"type": "image", "src": u.Path, "start": 0, "duration": 1, "transform": map[string]any{"width": "100%", "height": "100%"}},
	}})
	var v ValidationResult
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": d}, nil), &v)
	if !v.Valid {
		t.Fatalf("a /files/ path is refused: %+v", v.Errors)
	}
	img := imageOf(t, callTool(t, c, "render_frame", map[string]any{"document": d, "time": 0.5}, nil))
	if !near(img.At(160, 90), red) {
		t.Errorf("the uploaded red dot is not drawn from its path %s: %v", u.Path, img.At(160, 90))
	}

	// A local file, when the server runs in this process and allows it.
	file := filepath.Join(t.TempDir(), "dot.png")
	if err := os.WriteFile(file, tinyPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	failed(t, "upload_file", callTool(t, c, "upload_file", map[string]any{"path": file}, nil), core.CodeInvalidRequest)
	opts := testOptions()
	opts.AllowLocalFiles = true
	c2, _ := inProcessClientWith(t, local, opts)
	var fromPath core.UploadResult
	ok(t, "upload_file", callTool(t, c2, "upload_file", map[string]any{"path": file}, nil), &fromPath)
	if fromPath.Count != 1 || fromPath.Assets[0].Name != "dot.png" || fromPath.Assets[0].Type != "image" {
		t.Errorf("upload_file (path): %+v", fromPath)
	}
	failed(t, "upload_file", callTool(t, c2, "upload_file", map[string]any{"path": "relative/dot.png"}, nil), core.CodeInvalidRequest)
}
