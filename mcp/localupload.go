package mcp

import (
	"context"
	"os"
	"path/filepath"

	"github.com/framecast/framecast/core"
)

// uploadLocal stores the local file at in.Path, when the server runs in the user's own process
// (Options.AllowLocalFiles): a 2 MB clip is read from disk instead of travelling as 2.7 MB of base64.
func (t *toolset) uploadLocal(ctx context.Context, in UploadFileArgs) (core.UploadResult, error) {
	if !t.opts.AllowLocalFiles {
		return core.UploadResult{}, core.InvalidRequest("path is accepted only by `framecast mcp --stdio` running the service in its own process; give url or content_base64")
	}
	if !filepath.IsAbs(in.Path) {
		return core.UploadResult{}, core.InvalidRequest("path must be absolute, not %q", in.Path)
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return core.UploadResult{}, core.InvalidRequest("path cannot be read: %v", err)
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return core.UploadResult{}, core.InvalidRequest("path %s is not a regular file", in.Path)
	}
	name := in.Name
	if name == "" {
		name = filepath.Base(in.Path)
	}
	return t.b.Upload(ctx, []core.UploadFile{{Name: name, Content: f}})
}
