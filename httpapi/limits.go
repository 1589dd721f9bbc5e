package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/framecast/framecast/core"
)

// Timeouts of the HTTP server (Config fields of the same names override them).
//
// Why these and not one WriteTimeout: http.Server.WriteTimeout bounds a whole response, which would cut a
// long download of a video, an SSE stream or a streamable-HTTP MCP stream. So the server itself has no
// WriteTimeout; instead every request gets a write deadline of WriteTimeout when it starts (JSON answers,
// pages and frames are small), and the routes that stream (files, MCP) replace it with a stall deadline
// pushed forward on every write: a client that stops reading for StreamStallTimeout is dropped, one that
// reads slowly is not.
//
// Reading is bounded the same way: ReadHeaderTimeout for the headers, BodyReadTimeout for a JSON body (read
// whole, before the handler runs and before any database work), UploadReadTimeout for a multipart upload.
// ReadTimeout is the server-wide backstop for the whole request; net/http clears the read deadline once
// a body is read, so it never cuts a long-lived response.
const (
	DefaultReadHeaderTimeout  = 10 * time.Second
	DefaultBodyReadTimeout    = 30 * time.Second
	DefaultUploadReadTimeout  = 15 * time.Minute
	DefaultIdleTimeout        = 2 * time.Minute
	DefaultWriteTimeout       = 2 * time.Minute
	DefaultStreamStallTimeout = time.Minute
)

// maxDrain bounds how much of a refused body is read and thrown away so that the client, which may be
// writing the whole body before it reads the answer (Python's requests does), sees the 413 instead of a
// broken pipe. Past it the connection is closed: a client sending gigabytes gets a reset, not our
// bandwidth.
const maxDrain = 64 << 20

// drainTimeout bounds the time spent draining a refused body.
const drainTimeout = 30 * time.Second

// NewServer returns the http.Server to run h (usually New's handler) with cfg's timeouts: ReadHeaderTimeout,
// ReadTimeout (the largest of the body timeouts, a backstop) and IdleTimeout. There is deliberately no
// server-wide WriteTimeout: the handler sets write deadlines per route (see DefaultWriteTimeout).
func NewServer(h http.Handler, cfg Config) *http.Server {
	cfg = cfg.withTimeouts()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       max(cfg.UploadReadTimeout, cfg.BodyReadTimeout),
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}

// withTimeouts returns c with its zero timeouts set to the defaults.
func (c Config) withTimeouts() Config {
	set := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	set(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	set(&c.BodyReadTimeout, DefaultBodyReadTimeout)
	set(&c.UploadReadTimeout, DefaultUploadReadTimeout)
	set(&c.IdleTimeout, DefaultIdleTimeout)
	set(&c.WriteTimeout, DefaultWriteTimeout)
	set(&c.StreamStallTimeout, DefaultStreamStallTimeout)
	return c
}

// writeDeadline gives every request a write deadline of WriteTimeout from its start.
func (s *server) writeDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
		next.ServeHTTP(w, r)
	})
}

// streamWrites replaces the request's write deadline by a stall deadline: each write (and flush) must
// complete within StreamStallTimeout, however long the whole response takes. For downloads and streams.
func (s *server) streamWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		_ = rc.SetWriteDeadline(time.Time{})
		next.ServeHTTP(&stallWriter{ResponseWriter: w, rc: rc, stall: s.cfg.StreamStallTimeout}, r)
	})
}

// stallWriter pushes the write deadline forward before every write and flush.
type stallWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration
}

func (s *stallWriter) Write(p []byte) (int, error) {
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.stall))
	return s.ResponseWriter.Write(p)
}

// Flush implements http.Flusher, which streaming handlers (SSE) look for directly.
func (s *stallWriter) Flush() {
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.stall))
	_ = s.rc.Flush()
}

// ReadFrom keeps io.Copy from bypassing the deadline (http.ServeContent copies with it).
func (s *stallWriter) ReadFrom(src io.Reader) (int64, error) {
	return io.Copy(struct{ io.Writer }{s}, src)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *stallWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// limitBody bounds the request body and the time to receive it, before the handler runs.
//
// A JSON body (anything but multipart) is read whole here, at most MaxBodyBytes within BodyReadTimeout, and
// handed to the handler from memory: no handler (nor the MCP library behind Extra) starts work — or opens a
// database transaction — on a body still arriving, and a client that stalls its body holds nothing but its
// connection. A multipart upload is streamed to its handler, at most MaxUploadBytes (plus framing) within
// UploadReadTimeout.
//
// A body over its bound is 413 STORAGE_LIMIT_EXCEEDED. The answer is sent after the rest of the body is
// drained (up to maxDrain), so that clients that write the whole body before reading — most SDKs — see
// the 413 rather than a broken pipe; a client that sent "Expect: 100-continue" is answered at once and
// sends nothing more. A body that stalls past its timeout is 408.
func (s *server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		upload := isMultipart(r)
		limit, timeout := s.cfg.MaxBodyBytes, s.cfg.BodyReadTimeout
		if upload {
			limit, timeout = s.cfg.MaxUploadBytes+multipartOverhead, s.cfg.UploadReadTimeout
		}
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(timeout))
		src := r.Body
		body := &limitedBody{src: src, left: limit, limit: limit, drain: func() { drainBody(r.Header, src, rc) }}
		if r.ContentLength > limit {
			body.drain()
			writeError(w, r, bodyError(&http.MaxBytesError{Limit: limit}))
			return
		}
		if upload {
			r.Body = body
			next.ServeHTTP(w, r)
			return
		}
		data, err := io.ReadAll(body)
		if err != nil {
			writeError(w, r, bodyError(err))
			return
		}
		r.Body = &bufferedBody{Reader: bytes.NewReader(data), data: data}
		next.ServeHTTP(w, r)
	})
}

// bufferedBody is a request body already read whole by limitBody.
type bufferedBody struct {
	*bytes.Reader
	data []byte
}

func (*bufferedBody) Close() error { return nil }

// limitedBody reads at most limit bytes of src; reading past them drains src (drain) and fails with
// *http.MaxBytesError.
type limitedBody struct {
	src         io.ReadCloser
	left, limit int64
	drain       func()
	err         error
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1] // one byte more than allowed tells a body at the limit from one over it
	}
	n, err := l.src.Read(p)
	if int64(n) > l.left {
		n = int(l.left)
		l.left = 0
		l.drain()
		l.err = &http.MaxBytesError{Limit: l.limit}
		return n, l.err
	}
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		l.err = err
	}
	return n, err
}

func (l *limitedBody) Close() error { return l.src.Close() }

// drainBody reads and discards what is left of a request body, at most maxDrain bytes within drainTimeout,
// unless the client asked "Expect: 100-continue" (it waits for the answer before sending the body; reading
// would tell it to send).
func drainBody(h http.Header, body io.Reader, rc *http.ResponseController) {
	if strings.EqualFold(h.Get("Expect"), "100-continue") {
		return
	}
	_ = rc.SetReadDeadline(time.Now().Add(drainTimeout))
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
}

// bodyError maps a failure to read the request body to the API's error: over the bound is 413
// STORAGE_LIMIT_EXCEEDED, a body that stopped arriving is 408, anything else INVALID_REQUEST.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return core.StorageLimitExceeded(fmt.Sprintf("The request body is larger than the limit of %d bytes", tooLarge.Limit), tooLarge.Limit)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return withStatus{http.StatusRequestTimeout,
			core.InvalidRequest("The request body did not arrive in time; send it without pauses").WithCause(err)}
	}
	return core.InvalidRequest("the request body could not be read: %v", err).WithCause(err)
}
