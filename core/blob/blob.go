// Package blob stores objects (uploaded files, rendered videos and thumbnails) by key.
//
// Keys are slash-separated relative paths such as "files/acc_x/asset_y". Store is the interface the
// service uses; Local keeps objects on the local disk and is the default. An S3-compatible implementation
// satisfies the same interface.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
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
