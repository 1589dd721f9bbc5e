package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render/assets"
)

// localPather is a blob store that keeps objects as local files (blob.Local): uploads are read in place.
type localPather interface {
	Path(key string) (string, error)
}

// assetOptions are the media fetching settings of a render for the account: remote URLs through the
// address policy, and the account's own uploads read from the blob store.
func (q *Queue) assetOptions(accountID string) assets.Options {
	return assets.Options{
		CacheDir: q.cfg.AssetCacheDir,
		Policy:   netguard.Policy{AllowPrivate: q.cfg.AllowPrivateURLs},
		Resolver: func(ctx context.Context, url string) (string, bool, error) {
			key, ok := q.svc.ResolveFileURL(ctx, accountID, url)
			if !ok {
				return "", false, nil
			}
			path, err := q.uploadPath(ctx, key)
			return path, err == nil, err
		},
	}
}

// uploadPath returns a local file holding the upload stored under key: the object itself when the blob
// store is local, else a copy in the asset cache (uploads never change under a key).
func (q *Queue) uploadPath(ctx context.Context, key string) (string, error) {
	if l, ok := q.svc.Blob().(localPather); ok {
		return l.Path(key)
	}
	sum := sha256.Sum256([]byte(key))
	dir := filepath.Join(q.cfg.AssetCacheDir, "uploads")
	path := filepath.Join(dir, hex.EncodeToString(sum[:])+filepath.Ext(key))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("upload cache: %w", err)
	}
	obj, err := q.svc.Blob().Open(ctx, key)
	if err != nil {
		return "", fmt.Errorf("read upload %s: %w", key, err)
	}
	defer obj.Close()
	tmp, err := os.CreateTemp(dir, ".download-*")
	if err != nil {
		return "", fmt.Errorf("upload cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, obj); err != nil {
		tmp.Close()
		return "", fmt.Errorf("read upload %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}
