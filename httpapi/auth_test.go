package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
)

func TestAuthenticationAcceptsTheFourWaysToSendAKey(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		ways := map[string]func(*http.Request){
			"bearer": func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+e.key) },
			"token":  func(r *http.Request) { r.Header.Set("Authorization", "Token "+e.key) },
			"header": func(r *http.Request) { r.Header.Set("X-API-Key", e.key) },
			"query":  func(r *http.Request) { r.URL.RawQuery = "api_key=" + e.key },
			// The first way present wins: a valid Bearer key beats a wrong X-API-Key.
			"preference": func(r *http.Request) {
				r.Header.Set("Authorization", "bearer "+e.key)
				r.Header.Set("X-API-Key", "sk-wrong")
			},
		}
		for name, set := range ways {
			req := e.request(t, http.MethodGet, "/api/v1/credits", nil)
			set(req)
			r := e.send(t, req)
			wantOK(t, r, http.StatusOK)
			if r.num("credits") != 1000 || r.str("currency") != "credits" {
				t.Errorf("%s: credits body %s", name, r.body)
			}
		}
	})
}

func TestAuthenticationErrors(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		send := func(set func(*http.Request)) *response {
			req := e.request(t, http.MethodGet, "/api/v1/video", nil)
			set(req)
			return e.send(t, req)
		}
		wantError(t, send(func(*http.Request) {}), http.StatusUnauthorized, "MISSING_API_KEY")
		wantError(t, send(func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }), http.StatusUnauthorized, "INVALID_API_KEY_FORMAT")
		wantError(t, send(func(r *http.Request) { r.Header.Set("Authorization", "Basic dXNlcjpwYXNz") }), http.StatusUnauthorized, "INVALID_API_KEY_FORMAT")
		unknown := "sk-" + strings.Repeat("x", 40)
		wantError(t, send(func(r *http.Request) { r.Header.Set("X-API-Key", unknown) }), http.StatusUnauthorized, "INVALID_API_KEY")

		_, key2 := e.newAccount(t, "bob")
		keys, err := e.svc.ListKeys(ctx, e.account.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.SetKeyActive(ctx, e.account.ID, keys[0].ID, false); err != nil {
			t.Fatal(err)
		}
		wantError(t, e.api(t, http.MethodGet, "/api/v1/credits", nil), http.StatusUnauthorized, "API_KEY_INACTIVE")
		if err := e.svc.RevokeKey(ctx, e.account.ID, keys[0].ID); err != nil {
			t.Fatal(err)
		}
		wantError(t, e.api(t, http.MethodGet, "/api/v1/credits", nil), http.StatusUnauthorized, "INVALID_API_KEY")

		wantOK(t, e.apiAs(t, key2, http.MethodGet, "/api/v1/credits", nil), http.StatusOK)
		bob, err := e.svc.Authenticate(ctx, key2)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteAccount(ctx, bob.ID); err != nil {
			t.Fatal(err)
		}
		wantError(t, e.apiAs(t, key2, http.MethodGet, "/api/v1/credits", nil), http.StatusUnauthorized, "USER_NOT_FOUND")
	})
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	// One request per 100 s after a burst of 2: the third request is refused whatever the test's speed.
	forEachBackend(t, options{http: Config{RateLimit: 0.01, RateBurst: 2}}, func(t *testing.T, e *env) {
		for range 2 {
			wantOK(t, e.api(t, http.MethodGet, "/api/v1/credits", nil), http.StatusOK)
		}
		r := e.api(t, http.MethodGet, "/api/v1/credits", nil)
		wantError(t, r, http.StatusTooManyRequests, "RATE_LIMITED")
		if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 100 {
			t.Errorf("Retry-After = %q, want 1..100 seconds", r.header.Get("Retry-After"))
		}
		// Another key has its own bucket.
		_, key2 := e.newAccount(t, "bob")
		wantOK(t, e.apiAs(t, key2, http.MethodGet, "/api/v1/credits", nil), http.StatusOK)
	})
}

func TestRequestIDs(t *testing.T) {
	forEachBackend(t, options{}, func(t *testing.T, e *env) {
		r := e.get(t, "/healthz")
		if id := r.header.Get("X-Request-Id"); !strings.HasPrefix(id, "req_") {
			t.Errorf("generated X-Request-Id = %q", id)
		}
		req := e.request(t, http.MethodGet, "/api/v1/credits", nil) // an error response carries one too
		req.Header.Set("X-Request-Id", "client-id-42")
		if got := e.send(t, req).header.Get("X-Request-Id"); got != "client-id-42" {
			t.Errorf("sane client id not echoed: %q", got)
		}
		req = e.request(t, http.MethodGet, "/healthz", nil)
		req.Header.Set("X-Request-Id", strings.Repeat("a", 300))
		if got := e.send(t, req).header.Get("X-Request-Id"); !strings.HasPrefix(got, "req_") {
			t.Errorf("overlong client id kept: %q", got)
		}
	})
}

func TestAccessLogAndExtraRoutes(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &mu}, nil))
	extra := func(r chi.Router) {
		r.Get("/mcp", func(w http.ResponseWriter, r *http.Request) {
			a, _ := AccountFrom(r.Context())
			io.WriteString(w, "mounted for "+a.ID)
		})
	}
	forEachBackend(t, options{http: Config{Logger: logger, Extra: extra}}, func(t *testing.T, e *env) {
		// Extra routes take the API's keys (and its rate limit).
		wantError(t, e.get(t, "/mcp"), http.StatusUnauthorized, "MISSING_API_KEY")
		mreq := e.request(t, http.MethodGet, "/mcp", nil)
		mreq.Header.Set("Authorization", "Bearer "+e.key)
		if r := e.send(t, mreq); r.status != http.StatusOK || !strings.HasPrefix(string(r.body), "mounted for acc_") {
			t.Fatalf("extra route: %d %q", r.status, r.body)
		}
		req := e.request(t, http.MethodGet, "/api/v1/video/abc", nil)
		req.Header.Set("X-Request-Id", "trace-me")
		req.Header.Set("Authorization", "Bearer "+e.key)
		wantError(t, e.send(t, req), http.StatusNotFound, "NOT_FOUND")
		mu.Lock()
		defer mu.Unlock()
		var line map[string]any
		for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			if strings.Contains(l, "trace-me") {
				json.Unmarshal([]byte(l), &line)
			}
		}
		if line["method"] != "GET" || line["path"] != "/api/v1/video/abc" || line["status"] != 404.0 ||
			line["account"] != e.account.ID || line["duration"] == nil {
			t.Fatalf("access log line: %v\nall logs:\n%s", line, logs.String())
		}
	})
}

// lockedWriter serialises writes from concurrent handlers.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
