package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/framecast/framecast/core/blob"
)

// DefaultFilesRedirectTTL is how long a presigned URL handed out by OpenStoredFile stays valid: long enough
// to play a long video through, short enough that a leaked URL soon stops working.
const DefaultFilesRedirectTTL = time.Hour

// ErrStoredFileNotFound is returned by OpenStoredFile for a key that holds no object (or is malformed).
var ErrStoredFileNotFound = errors.New("no such stored file")

// StoredFile is an object served under FilesPath: either Redirect, a URL the client fetches it from
// directly (a presigned URL of the object store), or Content to send, with its size, type and time.
type StoredFile struct {
	Redirect    string
	Content     io.ReadSeekCloser // the caller closes it
	Size        int64
	ContentType string
	ModTime     time.Time
}

// OpenStoredFile opens the object with key for serving at PublicURL + FilesPath + key. Keys are
// unguessable, so no account is checked. With Config.FilesRedirect and an object store that presigns
// (S3), the result is a Redirect valid for Config.FilesRedirectTTL and the object is not read; otherwise
// it is the Content, which reads from the object store as it is read (Range requests read only their
// range).
func (s *Service) OpenStoredFile(ctx context.Context, key string) (StoredFile, error) {
	if blob.ValidateKey(key) != nil {
		return StoredFile{}, ErrStoredFileNotFound
	}
	if p, ok := s.blob.(blob.Presigner); ok && s.cfg.FilesRedirect {
		// A missing object would redirect to the store's own 404: check it exists first, so that a
		// deleted render answers 404 here like without redirects.
		obj, err := s.blob.Open(ctx, key)
		if err != nil {
			return StoredFile{}, storedFileError(err)
		}
		obj.Close()
		u, err := p.PresignGet(ctx, key, s.cfg.FilesRedirectTTL)
		if err != nil {
			return StoredFile{}, err
		}
		return StoredFile{Redirect: u}, nil
	}
	obj, err := s.blob.Open(ctx, key)
	if err != nil {
		return StoredFile{}, storedFileError(err)
	}
	return StoredFile{Content: obj, Size: obj.Size(), ContentType: obj.ContentType(), ModTime: obj.ModTime()}, nil
}

func storedFileError(err error) error {
	if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrInvalidKey) {
		return ErrStoredFileNotFound
	}
	return fmt.Errorf("read stored file: %w", err)
}

// filesKey returns the blob key a /files/ URL of this deployment names: the URL is PublicURL + FilesPath
// + key (the scheme and host compared without regard to case, a default port written or not) or the bare
// path FilesPath + key. ok is false for any other URL. Nothing is fetched: every process of a deployment,
// on whatever machine, reads the object from the blob store, never over HTTP from the URL's host.
func (s *Service) filesKey(raw string) (key string, ok bool) {
	if key, ok := strings.CutPrefix(raw, FilesPath); ok {
		return key, key != ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", false
	}
	base, err := url.Parse(s.cfg.PublicURL)
	if err != nil || !strings.EqualFold(u.Scheme, base.Scheme) || hostPort(u) != hostPort(base) {
		return "", false
	}
	key, ok = strings.CutPrefix(u.EscapedPath(), strings.TrimRight(base.EscapedPath(), "/")+FilesPath)
	if !ok || key == "" {
		return "", false
	}
	if unescaped, err := url.PathUnescape(key); err == nil {
		key = unescaped
	}
	return key, true
}

// hostPort is a URL's host in lower case with its port, the scheme's default port when none is written.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}
