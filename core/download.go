package core

import (
	"context"
	"path"
	"time"

	"github.com/framecast/framecast/netguard"
)

// maxDownloadTime bounds the download of a file to upload from a URL.
const maxDownloadTime = 5 * time.Minute

// DownloadUpload starts downloading the file at rawURL, for an upload given by URL (MCP's upload_file):
// only public addresses are reached unless allowPrivate, at dial time too. name "" takes the URL's last
// segment. The caller passes the file to Upload and then calls closeBody. A URL that cannot be fetched is
// INVALID_REQUEST.
func DownloadUpload(ctx context.Context, rawURL, name string, allowPrivate bool) (file UploadFile, closeBody func(), err error) {
	body, final, err := netguard.Policy{AllowPrivate: allowPrivate}.Get(ctx, rawURL, maxDownloadTime)
	if err != nil {
		return UploadFile{}, nil, InvalidRequest("downloading %s failed: %v", rawURL, err)
	}
	if name == "" {
		name = path.Base(final.Path)
	}
	return UploadFile{Name: name, Content: body}, func() { body.Close() }, nil
}
