// Package blob stores objects (uploaded files, rendered videos and thumbnails) by key.
//
// Keys are slash-separated relative paths such as "files/acc_x/asset_y". Store is the interface the
// service uses; Local keeps objects on the local disk and is the default, S3 keeps them in a bucket of any
// S3-compatible object store (what a cluster of machines shares). FromURL opens either from a URL:
// file:///PATH or s3://BUCKET/PREFIX. The suite in blobtest runs against both.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound is returned when no object has the key.
var ErrNotFound = errors.New("blob: not found")

// ErrInvalidKey is returned for a key that is empty, absolute, or climbs out with "..".
var ErrInvalidKey = errors.New("blob: invalid key")

// Store keeps objects by key.
type Store interface {
	// Put stores everything r yields under key, replacing any object there, and returns its size.
	// Readers of key see the old object or the new one, never a part. If r fails, nothing is stored and
	// the error wraps r's.
	Put(ctx context.Context, key string, r io.Reader, contentType string) (size int64, err error)
	// Open returns the object stored under key, or ErrNotFound. The caller closes it.
	Open(ctx context.Context, key string) (Object, error)
	// Delete removes the object under key. Deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn with every object whose key begins with prefix ("" lists the whole store), in no
	// promised order. Matching is by characters, not path segments: "files/a" lists "files/a/x" and
	// "files/ab". fn may delete the object it is given; objects stored or deleted during the listing
	// may or may not be seen. When fn returns an error, List stops and returns an error wrapping it. A
	// prefix that no valid key begins with is ErrInvalidKey.
	List(ctx context.Context, prefix string, fn func(Info) error) error
}

// Info describes a stored object as List reports it.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time // when the object was last stored
}

// Object is a stored object opened for reading.
type Object interface {
	io.ReadSeekCloser
	Size() int64
	ContentType() string
	ModTime() time.Time
}

// ValidateKey checks that key is a clean relative path: not empty, no leading "/", no "\", no empty,
// "." or ".." segment, no control characters.
func ValidateKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.ContainsRune(key, '\\') {
		return fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%w: %q", ErrInvalidKey, key)
		}
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: %q", ErrInvalidKey, key)
		}
	}
	return nil
}

// ValidatePrefix checks that some valid key begins with prefix (see ValidateKey); "" is valid. A prefix
// may end in "/" or inside a segment.
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if ValidateKey(prefix+"x") != nil {
		return fmt.Errorf("%w: prefix %q", ErrInvalidKey, prefix)
	}
	return nil
}

// Presigner is a Store whose objects can be fetched by a plain GET of a signed URL, without going through
// Framecast (S3 does; Local does not).
type Presigner interface {
	// PresignGet returns a URL that fetches the object under key until ttl has passed.
	PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error)
}

// FromURL opens the Store a URL names:
//
//   - file:///PATH: a Local store in that folder; "" is a Local store in defaultDir.
//   - s3://BUCKET/PREFIX: an S3 store (see S3Options); "?path_style=true" for path-style addressing.
//
// The S3 store checks its credentials and bucket before returning. Errors say what is wrong with the URL
// or the store it names, without naming the setting it came from (the caller does).
func FromURL(ctx context.Context, raw, defaultDir string) (Store, error) {
	if raw == "" {
		return NewLocal(defaultDir)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("%q: a file URL names a local folder, file:///PATH (three slashes)", raw)
		}
		if u.Path == "" {
			return nil, fmt.Errorf("%q names no folder: use file:///PATH", raw)
		}
		return NewLocal(u.Path)
	case "s3":
		o := S3Options{Bucket: u.Host, Prefix: u.Path}
		if o.Bucket == "" {
			return nil, fmt.Errorf("%q names no bucket: use s3://BUCKET or s3://BUCKET/PREFIX", raw)
		}
		for name, values := range u.Query() {
			switch name {
			case "path_style":
				if o.PathStyle, err = strconv.ParseBool(values[0]); err != nil {
					return nil, fmt.Errorf("%q: path_style must be true or false", raw)
				}
			default:
				return nil, fmt.Errorf("%q: unknown option %q (the only one is path_style=true)", raw, name)
			}
		}
		return NewS3(ctx, o)
	case "":
		return nil, fmt.Errorf("%q is not a blob store URL: use file:///PATH or s3://BUCKET/PREFIX", raw)
	}
	return nil, fmt.Errorf("%q: scheme %s: is not supported: use file:///PATH or s3://BUCKET/PREFIX", raw, u.Scheme)
}

// IsRemote reports whether other machines see the objects of s (an S3 store), as a cluster needs.
func IsRemote(s Store) bool {
	_, ok := s.(*S3)
	return ok
}
