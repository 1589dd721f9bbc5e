package httpapi

import "net/http"

// NewLimiter returns a token-bucket rate limiter in memory, rate requests per second and burst at once per
// key, for routes mounted next to the API (the player pages limit their endpoints per client IP with it).
// It reports whether key may make one more request now and, when not, the seconds to wait.
func NewLimiter(rate float64, burst int) func(key string) (ok bool, retryAfter int) {
	return newRateLimiter(rate, burst).allow
}

// NoteError records err as the cause of the response to r, for the access log; routes mounted next to the
// API (Config.Pages, Config.Extra) report their failures with it.
func NoteError(r *http.Request, err error) { noteError(r, err) }
