package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// contentTypeSuffix names the small file next to each object that records its content type.
const contentTypeSuffix = ".content-type"

// tmpPrefix begins the names of the temporary files that writes go to before they are renamed into place.
const tmpPrefix = ".tmp-"

// Local is a Store on the local disk: the object with key "a/b" is the file DIR/a/b, and its content type
// is in DIR/a/b.content-type. Keys ending in ".content-type", or whose last segment begins with ".tmp-",
// are therefore invalid. Writes go to a temporary file in the same directory, renamed into place
// when complete, so readers never see a partial object.
type Local struct {
	dir string
}

// NewLocal returns a Local store rooted at dir, creating dir if needed.
func NewLocal(dir string) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", abs, err)
	}
	return &Local{dir: abs}, nil
}

// Dir returns the root directory of the store.
func (l *Local) Dir() string { return l.dir }

// Path returns the file holding the object key, for code that needs a local path (FFmpeg inputs).
func (l *Local) Path(key string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	if strings.HasSuffix(key, contentTypeSuffix) {
		return "", fmt.Errorf("%w: %q ends in %s", ErrInvalidKey, key, contentTypeSuffix)
	}
	if isTemp(path.Base(key)) {
		return "", fmt.Errorf("%w: %q names a temporary file", ErrInvalidKey, key)
	}
	return filepath.Join(l.dir, filepath.FromSlash(key)), nil
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, contentType string) (int64, error) {
	path, err := l.Path(key)
	if err != nil {
		return 0, err
	}
	// A concurrent Delete may remove the directory, once emptied, between MkdirAll and the write; the
	// write fails before reading r in that case, so it can be tried again.
	var size int64
	for attempt := 0; ; attempt++ {
		if err = os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			size, err = writeAtomic(ctx, path, r)
		}
		if !errors.Is(err, errNoDir) || attempt == 3 {
			break
		}
	}
	if err != nil {
		return 0, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if _, err := writeAtomic(ctx, path+contentTypeSuffix, strings.NewReader(contentType)); err != nil {
		return 0, fmt.Errorf("blob: put %s content type: %w", key, err)
	}
	return size, nil
}

// errNoDir reports that the directory of an object vanished before its temporary file was made.
var errNoDir = errors.New("directory removed concurrently")

// writeAtomic copies r into a temporary file next to path and renames it to path.
func writeAtomic(ctx context.Context, path string, r io.Reader) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), tmpPrefix+filepath.Base(path)+"-*")
	if errors.Is(err, fs.ErrNotExist) {
		return 0, errNoDir
	}
	if err != nil {
		return 0, err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	size, err := io.Copy(tmp, ctxReader{ctx, r})
	if err != nil {
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, err
	}
	ok = true
	return size, nil
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Open implements Store.
func (l *Local) Open(ctx context.Context, key string) (Object, error) {
	path, err := l.Path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	ct, _ := os.ReadFile(path + contentTypeSuffix)
	contentType := string(ct)
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	return &localObject{File: f, size: info.Size(), modTime: info.ModTime(), contentType: contentType}, nil
}

// Delete implements Store. Directories left empty are removed, up to the root.
func (l *Local) Delete(ctx context.Context, key string) error {
	path, err := l.Path(key)
	if err != nil {
		return err
	}
	for _, p := range []string{path, path + contentTypeSuffix} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("blob: delete %s: %w", key, err)
		}
	}
	for dir := filepath.Dir(path); dir != l.dir && strings.HasPrefix(dir, l.dir); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil { // not empty, or already gone
			break
		}
	}
	return nil
}

// List implements Store. It walks only the directories that can hold keys beginning with prefix, and skips
// the content-type files and the temporary files of writes in progress.
func (l *Local) List(ctx context.Context, prefix string, fn func(Info) error) error {
	if err := ValidatePrefix(prefix); err != nil {
		return err
	}
	root := filepath.Join(l.dir, filepath.FromSlash(prefix[:strings.LastIndex(prefix, "/")+1]))
	err := filepath.WalkDir(root, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // no such directory, or deleted during the walk
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(l.dir, file)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if d.IsDir() {
			if file != root && !strings.HasPrefix(key+"/", prefix) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasPrefix(key, prefix) || strings.HasSuffix(key, contentTypeSuffix) || isTemp(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) { // deleted since the directory was read
			return nil
		}
		if err != nil {
			return err
		}
		return fn(Info{Key: key, Size: info.Size(), ModTime: info.ModTime()})
	})
	if err != nil {
		return fmt.Errorf("blob: list %q: %w", prefix, err)
	}
	return nil
}

// isTemp reports whether a file name is that of a write in progress.
func isTemp(name string) bool { return strings.HasPrefix(name, tmpPrefix) }

// localObject is an open file of a Local store.
type localObject struct {
	*os.File
	size        int64
	modTime     time.Time
	contentType string
}

func (o *localObject) Size() int64         { return o.size }
func (o *localObject) ContentType() string { return o.contentType }
func (o *localObject) ModTime() time.Time  { return o.modTime }
