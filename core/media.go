package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render/assets"
)

// localPather is a blob store that keeps objects as local files (blob.Local): uploads are read in place.
type localPather interface {
	Path(key string) (string, error)
}

// AssetOptions are the media fetching settings for rendering a document of the account: remote URLs go
// through the address policy, and the account's own uploads (their /files/ URLs) are read from the blob
// store without HTTP. cacheDir holds downloads (and copies of uploads when the blob store is not local).
//
// With accountID "", any upload of this server resolves: that is for the public preview pages, whose
// proxies read only what /files/ already serves to anyone holding the URL.
func (w *Worker) AssetOptions(accountID, cacheDir string) assets.Options {
	return w.s.assetOptions(accountID, cacheDir)
}

func (s *Service) assetOptions(accountID, cacheDir string) assets.Options {
	return assets.Options{
		CacheDir: cacheDir,
		Policy:   netguard.Policy{AllowPrivate: s.cfg.AllowPrivateURLs},
		Resolver: func(ctx context.Context, url string) (string, bool, error) {
			key, ok := s.uploadKey(ctx, accountID, url)
			if !ok {
				return "", false, nil
			}
			path, err := s.uploadPath(ctx, cacheDir, key)
			return path, err == nil, err
		},
	}
}

func (s *Service) uploadKey(ctx context.Context, accountID, url string) (string, bool) {
	if accountID != "" {
		return s.ResolveFileURL(ctx, accountID, url)
	}
	// Upload keys are files/<account>/<asset id>: the owner is in the key.
	key, found := s.filesKey(url)
	parts := strings.Split(key, "/")
	if !found || len(parts) != 3 || parts[0] != "files" {
		return "", false
	}
	return s.ResolveFileURL(ctx, parts[1], url)
}

// uploadPath returns a local file holding the upload stored under key: the object itself when the blob
// store is local, else a copy in the cache (uploads never change under a key).
func (s *Service) uploadPath(ctx context.Context, cacheDir, key string) (string, error) {
	if l, ok := s.blob.(localPather); ok {
		return l.Path(key)
	}
	sum := sha256.Sum256([]byte(key))
	dir := filepath.Join(cacheDir, "uploads")
	path := filepath.Join(dir, hex.EncodeToString(sum[:])+filepath.Ext(key))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("upload cache: %w", err)
	}
	obj, err := s.blob.Open(ctx, key)
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
