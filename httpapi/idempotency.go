package httpapi

import (
	"net/http"

	"github.com/framecast/framecast/core"
)

// IdempotencyKeyHeader names the header that makes a POST safe to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

// ReplayedHeader is set to "true" on a response replayed from an earlier request with the same key.
const ReplayedHeader = "Idempotent-Replayed"

// CodeIdempotencyKeyReused is the error code of a request that reuses an Idempotency-Key with a
// different body (core.CodeIdempotencyKeyReused, answered 422).
const CodeIdempotencyKeyReused = core.CodeIdempotencyKeyReused

// idempotent hands the Idempotency-Key of a POST to core (core.Idempotency): the first request with a key
// runs, and a repeat within 24 hours gets its answer again, with Idempotent-Replayed: true, instead of
// doing the work twice — also when the repeat reaches another server process on the same database, and
// while the first is still running (the repeat waits for it). A repeat with a different body is 422
// IDEMPOTENCY_KEY_REUSED. Answers that say the work did not happen (5xx) are not kept.
func (s *server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(IdempotencyKeyHeader)
		if r.Method != http.MethodPost || key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if core.CheckIdempotencyKey(key) != nil {
			writeError(w, r, core.InvalidRequest("%s must be 1 to %d visible ASCII characters", IdempotencyKeyHeader, core.MaxIdempotencyKeyLength))
			return
		}
		idem := &core.Idempotency{Key: key}
		next.ServeHTTP(&replayWriter{ResponseWriter: w, idem: idem}, r.WithContext(core.WithIdempotency(r.Context(), idem)))
	})
}

// replayWriter marks a response replayed (ReplayedHeader) when core answered from an earlier request.
type replayWriter struct {
	http.ResponseWriter
	idem        *core.Idempotency
	wroteHeader bool
}

func (w *replayWriter) WriteHeader(status int) {
	if !w.wroteHeader && w.idem.Replayed {
		w.Header().Set(ReplayedHeader, "true")
	}
	w.wroteHeader = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *replayWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *replayWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
