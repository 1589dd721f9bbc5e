// Package assets fetches the media a document refers to (images, videos, sounds, fonts, …) into local
// files, once per render, through a content-addressed cache on disk.
//
// A Fetcher turns a source string into a local path. Sources may be
//   - http and https URLs, fetched through a netguard client (no private or metadata addresses unless the
//     Policy allows them, checked at connection time, redirects included);
//   - data: URLs (base64 or percent-encoded);
//   - local paths and file:// URLs, when Options.AllowLocal is set (relative paths resolve against
//     Options.BaseDir);
//   - anything Options.Resolver recognises (the server maps its own upload URLs to storage with it).
//
// Cache layout under Options.CacheDir:
//
//	objects/<sha256 of the content><ext>   the bytes, named by their hash
//	urls/<sha256 of the URL>               one line: the object's file name
//
// Entries are written to a temporary file and renamed into place, so a failed, cancelled or oversize
// download never leaves a partial entry, and several processes may share one cache directory. The cache
// is "forever by URL": once a URL has been fetched, later renders use the cached bytes without asking the
// server again. Callers that need fresh content should use a fresh URL (or a fresh CacheDir).
//
// Within one Fetcher, concurrent requests for the same source share one download.
package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/framecast/framecast/netguard"
)

// Defaults for Options.
const (
	DefaultMaxBytes = 512 << 20
	DefaultTimeout  = 60 * time.Second
)

// Options configure a Fetcher. The zero value fetches public http(s) and data: URLs only.
type Options struct {
	// CacheDir holds the cache; default os.UserCacheDir()/framecast/assets (os.TempDir() when there is no
	// user cache directory).
	CacheDir string
	// MaxBytes is the largest asset accepted, in bytes; default 512 MiB.
	MaxBytes int64
	// Timeout bounds the download of one asset; default 60 s.
	Timeout time.Duration
	// Policy says which network addresses may be reached.
	Policy netguard.Policy
	// AllowLocal allows local paths and file:// URLs (the CLI allows them, the server does not).
	AllowLocal bool
	// BaseDir is the folder relative local paths resolve against (the document's folder); default the
	// working directory.
	BaseDir string
	// Resolver, when set, is asked first about every source. It returns ok=true and a local path for the
	// sources it knows (the server's own upload URLs), ok=false to let the Fetcher handle the source.
	Resolver func(ctx context.Context, url string) (path string, ok bool, err error)
}

// Errors a fetch can wrap; test them with errors.Is.
var (
	ErrTooLarge        = errors.New("asset too large")
	ErrLocalNotAllowed = errors.New("local files are not allowed here")
	ErrUnsupported     = errors.New("unsupported source")
)

// Error is a failed fetch: the source (shortened when long) and the cause.
type Error struct {
	Source string
	Err    error
}

// Error returns "fetch <source>: <cause>".
func (e *Error) Error() string { return fmt.Sprintf("fetch %s: %v", shorten(e.Source), e.Err) }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// shorten keeps error messages readable when the source is a long data: URL, and hides passwords
// written in URLs.
func shorten(s string) string {
	const max = 200
	if u, err := url.Parse(s); err == nil && u.User != nil {
		s = u.Redacted()
	}
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

// StatusError is an HTTP response that was not 200 OK.
type StatusError struct {
	Code   int
	Status string
}

// Error returns the HTTP status.
func (e *StatusError) Error() string { return "HTTP status " + e.Status }

// Fetcher fetches sources for one render. It is safe for concurrent use.
type Fetcher struct {
	opts   Options
	client *http.Client

	mu       sync.Mutex
	inflight map[string]*call
}

// call is one fetch in progress or done; waiters block on done.
type call struct {
	done chan struct{}
	path string
	err  error
}

// NewFetcher returns a Fetcher with o's defaults filled in.
func NewFetcher(o Options) *Fetcher {
	if o.CacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		o.CacheDir = filepath.Join(base, "framecast", "assets")
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return &Fetcher{opts: o, client: o.Policy.Client(o.Timeout), inflight: map[string]*call{}}
}

// Fetch returns a local file holding src's bytes. Errors are *Error values naming src and the cause
// (HTTP status, timeout, forbidden address, too large, local file not allowed, …).
func (f *Fetcher) Fetch(ctx context.Context, src string) (string, error) {
	path, err := f.fetchOnce(ctx, src)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			err = &Error{Source: src, Err: err}
		}
		return "", err
	}
	return path, nil
}

// fetchOnce makes concurrent callers for one source share one fetch. A result is remembered for the life
// of the Fetcher, except a failure caused by the caller's own context ending, which the next caller
// retries.
func (f *Fetcher) fetchOnce(ctx context.Context, src string) (string, error) {
	f.mu.Lock()
	c, ok := f.inflight[src]
	if !ok {
		c = &call{done: make(chan struct{})}
		f.inflight[src] = c
		f.mu.Unlock()
		c.path, c.err = f.fetch(ctx, src)
		if c.err != nil && ctx.Err() != nil {
			f.mu.Lock()
			delete(f.inflight, src)
			f.mu.Unlock()
		}
		close(c.done)
		return c.path, c.err
	}
	f.mu.Unlock()
	select {
	case <-c.done:
		f.mu.Lock()
		forgotten := f.inflight[src] != c
		f.mu.Unlock()
		if forgotten { // the first caller gave up; try again on our own context
			return f.fetchOnce(ctx, src)
		}
		return c.path, c.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// fetch dispatches on the kind of source.
func (f *Fetcher) fetch(ctx context.Context, src string) (string, error) {
	if f.opts.Resolver != nil {
		path, ok, err := f.opts.Resolver(ctx, src)
		if err != nil {
			return "", err
		}
		if ok {
			return path, nil
		}
	}
	switch kindOf(src) {
	case kindHTTP:
		if err := f.opts.Policy.CheckURL(ctx, src); err != nil {
			return "", err
		}
		return f.cached(ctx, src, func(ctx context.Context, dst io.Writer) error {
			return f.download(ctx, src, dst)
		})
	case kindData:
		return f.cached(ctx, src, func(_ context.Context, dst io.Writer) error {
			return decodeDataURL(src, dst, f.opts.MaxBytes)
		})
	case kindFile, kindPath:
		return f.local(src)
	}
	return "", fmt.Errorf("%w: want an http(s) URL, a data: URL or a local file", ErrUnsupported)
}

// cached returns the cache entry for key, filling it with download when missing.
func (f *Fetcher) cached(ctx context.Context, key string, download func(context.Context, io.Writer) error) (string, error) {
	objects := filepath.Join(f.opts.CacheDir, "objects")
	urls := filepath.Join(f.opts.CacheDir, "urls")
	keyHash := sha256.Sum256([]byte(key))
	indexPath := filepath.Join(urls, hex.EncodeToString(keyHash[:]))

	if name, err := os.ReadFile(indexPath); err == nil {
		obj := filepath.Join(objects, filepath.Base(string(name)))
		if _, err := os.Stat(obj); err == nil {
			return obj, nil
		}
	}
	for _, d := range []string{objects, urls} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", fmt.Errorf("asset cache: %w", err)
		}
	}
	tmp, err := os.CreateTemp(objects, ".download-*")
	if err != nil {
		return "", fmt.Errorf("asset cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	hasher := sha256.New()
	err = download(ctx, io.MultiWriter(tmp, hasher))
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("asset cache: %w", cerr)
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes 0600; cache objects are readable like any download
	}
	if err != nil {
		return "", err
	}
	name := hex.EncodeToString(hasher.Sum(nil)) + extensionOf(key)
	obj := filepath.Join(objects, name)
	if err := os.Rename(tmp.Name(), obj); err != nil {
		return "", fmt.Errorf("asset cache: %w", err)
	}
	if err := writeAtomic(indexPath, []byte(name)); err != nil {
		return "", fmt.Errorf("asset cache: %w", err)
	}
	return obj, nil
}

// writeAtomic writes data to path through a temporary file and a rename.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".index-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Fetched returns the local file of a source this Fetcher has already fetched successfully (ok false when
// it has not, or the fetch failed or is still running). It never fetches.
func (f *Fetcher) Fetched(src string) (path string, ok bool) {
	f.mu.Lock()
	c, found := f.inflight[src]
	f.mu.Unlock()
	if !found {
		return "", false
	}
	select {
	case <-c.done:
		return c.path, c.err == nil
	default:
		return "", false
	}
}
