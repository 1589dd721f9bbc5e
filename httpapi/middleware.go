package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// RequestIDHeader carries the id of a request, sent back on every response.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLength bounds a request id accepted from a client.
const maxRequestIDLength = 128

// requestInfo is what a request's handlers tell the access log.
type requestInfo struct {
	id        string
	accountID string
	err       error // the hidden cause of an error response
}

type requestInfoKey struct{}

// infoOf returns the request's requestInfo, or a throwaway one outside the middleware.
func infoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// noteError records the cause of an error response for the access log.
func noteError(r *http.Request, err error) { infoOf(r).err = err }

// RequestID returns the id of the request being served ("" outside this package's handler).
func RequestID(ctx context.Context) string {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// requestID gives every request an id: the client's X-Request-Id when it is sane (1 to 128 visible ASCII
// characters), otherwise a new random one. The id is sent back in X-Request-Id and logged.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		ctx := context.WithValue(r.Context(), requestInfoKey{}, &requestInfo{id: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "req_" + hex.EncodeToString(b)
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(p)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flushing, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// accessLog logs one line per request: id, method, path, route pattern, status, size, duration, account,
// and the cause of a server-side error. 5xx responses log at Error level, 4xx at Warn, the rest at Info.
// observe, when set, is told of every request (for metrics).
func accessLog(logger *slog.Logger, observe func(method, route string, status int, elapsed time.Duration)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			elapsed := time.Since(start)
			route := ""
			if rc := chi.RouteContext(r.Context()); rc != nil {
				route = rc.RoutePattern()
			}
			if observe != nil {
				observe(r.Method, route, rec.status, elapsed)
			}
			info := infoOf(r)
			attrs := []slog.Attr{
				slog.String("requestId", info.id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("route", route), slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes), slog.Duration("duration", elapsed),
			}
			if info.accountID != "" {
				attrs = append(attrs, slog.String("account", info.accountID))
			}
			if info.err != nil {
				attrs = append(attrs, slog.String("error", info.err.Error()))
			}
			level := slog.LevelInfo
			switch {
			case rec.status >= 500:
				level = slog.LevelError
			case rec.status >= 400:
				level = slog.LevelWarn
			}
			logger.LogAttrs(r.Context(), level, "http request", attrs...)
		})
	}
}

// recoverPanic turns a panic in a handler into a logged 500 instead of a dropped connection.
func recoverPanic(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				p := recover()
				if p == nil || p == http.ErrAbortHandler {
					if p != nil {
						panic(p)
					}
					return
				}
				logger.ErrorContext(r.Context(), "handler panic", "requestId", infoOf(r).id, "panic", fmt.Sprint(p))
				writeError(w, r, core.Internal(fmt.Errorf("panic: %v", p)))
			}()
			next.ServeHTTP(w, r)
		})
	}
}
