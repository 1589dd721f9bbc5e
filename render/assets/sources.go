package assets

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// sourceKind is how a source string is fetched.
type sourceKind int

const (
	kindUnsupported sourceKind = iota
	kindHTTP
	kindData
	kindFile
	kindPath
)

// kindOf classifies src by its scheme; a string without one is a local path.
func kindOf(src string) sourceKind {
	lower := strings.ToLower(src)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return kindHTTP
	case strings.HasPrefix(lower, "data:"):
		return kindData
	case strings.HasPrefix(lower, "file:"):
		return kindFile
	case strings.Contains(src, "://"), src == "":
		return kindUnsupported
	}
	return kindPath
}

// download GETs rawURL into dst, refusing bodies larger than MaxBytes.
func (f *Fetcher) download(ctx context.Context, rawURL string, dst io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return f.explain(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Code: resp.StatusCode, Status: resp.Status}
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return f.tooLarge()
	}
	n, err := io.Copy(dst, io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return f.explain(ctx, err)
	}
	if n > f.opts.MaxBytes {
		return f.tooLarge()
	}
	return nil
}

// explain turns a timeout into a message that says so.
func (f *Fetcher) explain(ctx context.Context, err error) error {
	var timeout interface{ Timeout() bool }
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || (errors.As(err, &timeout) && timeout.Timeout()) {
		return fmt.Errorf("timed out after %s: %w", f.opts.Timeout, err)
	}
	return err
}

func (f *Fetcher) tooLarge() error {
	return fmt.Errorf("%w: larger than the limit of %d bytes", ErrTooLarge, f.opts.MaxBytes)
}

// decodeDataURL writes the bytes of a data: URL (base64 or percent-encoded) to dst.
func decodeDataURL(src string, dst io.Writer, maxBytes int64) error {
	header, payload, ok := strings.Cut(src[len("data:"):], ",")
	if !ok {
		return fmt.Errorf("%w: malformed data: URL (no comma)", ErrUnsupported)
	}
	var data []byte
	var err error
	if strings.HasSuffix(strings.ToLower(header), ";base64") {
		payload = strings.Join(strings.Fields(payload), "")
		if unescaped, uerr := url.PathUnescape(payload); uerr == nil {
			payload = unescaped
		}
		data, err = base64.StdEncoding.DecodeString(payload)
		if err != nil {
			data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(payload, "="))
		}
	} else {
		var s string
		s, err = url.PathUnescape(payload)
		data = []byte(s)
	}
	if err != nil {
		return fmt.Errorf("malformed data: URL: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return fmt.Errorf("%w: larger than the limit of %d bytes", ErrTooLarge, maxBytes)
	}
	_, err = dst.Write(data)
	return err
}

// local returns the path of a local file source, when local files are allowed.
func (f *Fetcher) local(src string) (string, error) {
	if !f.opts.AllowLocal {
		return "", ErrLocalNotAllowed
	}
	p := src
	if kindOf(src) == kindFile {
		u, err := url.Parse(src)
		if err != nil {
			return "", fmt.Errorf("invalid file URL: %w", err)
		}
		if u.Host != "" && u.Host != "localhost" {
			return "", fmt.Errorf("%w: file URL on another host %q", ErrUnsupported, u.Host)
		}
		p = u.Path
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(f.opts.BaseDir, p)
	}
	info, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", p)
	}
	return p, nil
}

var plainExt = regexp.MustCompile(`^\.[a-z0-9]{1,8}$`)

// mediaExt names the usual extension of common media types, where mime's table has several.
var mediaExt = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
	"image/svg+xml": ".svg", "image/avif": ".avif", "audio/mpeg": ".mp3", "audio/wav": ".wav",
	"audio/ogg": ".ogg", "video/mp4": ".mp4", "video/webm": ".webm", "font/ttf": ".ttf", "font/otf": ".otf",
	"font/woff": ".woff", "font/woff2": ".woff2", "text/plain": ".txt",
}

// extensionOf keeps a recognisable file extension on cache objects (from the URL path, or the media type of
// a data: URL), since some decoders and FFmpeg demuxers go by it. It returns "" when there is none.
func extensionOf(src string) string {
	var ext string
	if kindOf(src) == kindData {
		mediaType, _, _ := strings.Cut(src[len("data:"):], ",")
		mediaType, _, _ = strings.Cut(strings.ToLower(mediaType), ";")
		ext = mediaExt[mediaType]
		if ext == "" {
			if exts, _ := mime.ExtensionsByType(mediaType); len(exts) > 0 {
				ext = exts[0]
			}
		}
	} else if u, err := url.Parse(src); err == nil {
		ext = strings.ToLower(path.Ext(u.Path))
	}
	if !plainExt.MatchString(ext) {
		return ""
	}
	return ext
}
