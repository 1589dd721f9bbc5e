package httpapi

import (
	"context"
	"crypto/sha256"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/framecast/framecast/core"
)

type accountKey struct{}

// AccountFrom returns the account authenticated for the request, and whether there is one. Handlers
// under /api/v1 always have one.
func AccountFrom(ctx context.Context) (core.Account, bool) {
	a, ok := ctx.Value(accountKey{}).(core.Account)
	return a, ok
}

// accountID returns the id of the request's account ("" outside authenticate).
func accountID(r *http.Request) string {
	a, _ := AccountFrom(r.Context())
	return a.ID
}

// APIKey returns the API key a request presents, taken from the first of these that is present:
// "Authorization: Bearer <key>", "Authorization: Token <key>", the X-API-Key header, the api_key query
// parameter. An Authorization header with another scheme is passed on whole when nothing else carries a
// key, so that core reports it as malformed rather than missing.
func APIKey(r *http.Request) string {
	auth := strings.TrimSpace(r.Header.Get("Authorization"))
	if scheme, key, ok := strings.Cut(auth, " "); ok && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Token")) {
		return strings.TrimSpace(key)
	}
	if key := strings.TrimSpace(r.Header.Get("X-API-Key")); key != "" {
		return key
	}
	if key := strings.TrimSpace(r.URL.Query().Get("api_key")); key != "" {
		return key
	}
	return auth
}

// authenticate admits requests that carry a valid API key, rate-limited per key, and puts the key's
// account in the request context. The authentication errors (401) are core.Authenticate's.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := APIKey(r)
		if key != "" && s.limiter != nil {
			// The bucket is keyed by a digest, so that plain keys are not kept in memory; a key that does
			// not authenticate is limited too, which slows guessing.
			digest := sha256.Sum256([]byte(key))
			if ok, retryAfter := s.limiter.allow(string(digest[:])); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
				writeError(w, r, core.RateLimited(retryAfter))
				return
			}
		}
		account, err := s.svc.Authenticate(r.Context(), key)
		if err != nil {
			writeError(w, r, err)
			return
		}
		infoOf(r).accountID = account.ID
		ctx := core.WithAccountID(context.WithValue(r.Context(), accountKey{}, account), account.ID)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// multipartOverhead is the room left in an upload request for the multipart framing (boundaries, part
// headers, small fields) beyond MaxUploadBytes of file content.
const multipartOverhead = 64 << 10

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}
