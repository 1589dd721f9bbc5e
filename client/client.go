// Package client is the Go client of Framecast's REST API (/api/v1): one method per operation, a context on
// every call, typed results and errors.
//
//	c, err := client.New("https://video.example.com", "sk-…")
//	task, err := c.CreateVideo(ctx, client.CreateVideoInput{Config: doc})
//	_, err = c.RenderVideo(ctx, task.TaskID, client.RenderOptions{})
//	video, err := c.WaitForVideo(ctx, task.TaskID, func(v *client.Video) { … v.Progress … })
//
// An API error is a *Error carrying the HTTP status, the API's code (the Code… constants) and its message
// (errors.As finds it); a failure to reach the server is returned as the transport's error, wrapped.
//
// The package is deliberately light: it imports the standard library only — not the server's packages, so
// a client binary links no database, FFmpeg or render engine. Its types are written here, field for field
// as the server answers; a test compares them with the server's own types and decodes the answers of a real
// server into them with unknown fields refused, so the two cannot drift apart. The contract itself is
// docs/api.md and the OpenAPI document every server serves at /openapi.json.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultPollInterval is how often WaitForVideo asks for a video's status, unless WithPollInterval says.
const DefaultPollInterval = time.Second

// maxErrorBody bounds how much of a non-JSON error answer is kept in the message.
const maxErrorBody = 512

// Client calls one Framecast server with one API key. It is safe for concurrent use.
type Client struct {
	base         string // the server's URL + "/api/v1"
	key          string
	http         *http.Client
	userAgent    string
	pollInterval time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sends the requests with hc instead of http.DefaultClient (for timeouts, proxies, TLS).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithUserAgent sets the User-Agent header of the requests.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithPollInterval sets how often WaitForVideo polls (default DefaultPollInterval).
func WithPollInterval(d time.Duration) Option { return func(c *Client) { c.pollInterval = d } }

// New returns a client of the server at baseURL (such as "https://video.example.com", without /api/v1)
// with the API key key ("sk-…"). The URL must be absolute http or https.
func New(baseURL, key string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("client: base URL %q: want an absolute http(s) URL such as https://video.example.com", baseURL)
	}
	c := &Client{base: u.String() + "/api/v1", key: key, http: http.DefaultClient, userAgent: "framecast-go-client",
		pollInterval: DefaultPollInterval}
	for _, o := range opts {
		o(c)
	}
	if c.pollInterval <= 0 {
		return nil, fmt.Errorf("client: poll interval %v: want a positive duration", c.pollInterval)
	}
	return c, nil
}

// Error is an error answer of the API: {"success": false, "error": Message, "code": Code, "details": …}.
type Error struct {
	// StatusCode is the HTTP status, such as 404.
	StatusCode int
	// Code is the API's error code, one of the Code… constants ("" when the answer was not the API's,
	// such as a proxy's error page).
	Code string
	// Message says what went wrong, for a person.
	Message string
	// Details carries more, by code: for CodeInvalidConfig, "errors" and "warnings" list the document's
	// problems with their JSON paths.
	Details map[string]any
	// RetryAfter is the wait the server asked for (Retry-After), with CodeRateLimited and CodeServerBusy.
	RetryAfter time.Duration
}

// Error implements error: "framecast: 404 NOT_FOUND: No such task".
func (e *Error) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("framecast: HTTP %d: %s", e.StatusCode, e.Message)
	}
	return fmt.Sprintf("framecast: %d %s: %s", e.StatusCode, e.Code, e.Message)
}

// The API's error codes (Error.Code).
const (
	CodeInvalidRequest       = "INVALID_REQUEST"
	CodeInvalidConfig        = "INVALID_CONFIG"
	CodeNoFiles              = "NO_FILES"
	CodeUnsupportedFileType  = "UNSUPPORTED_FILE_TYPE"
	CodeInsufficientCredits  = "INSUFFICIENT_CREDITS"
	CodeNotFound             = "NOT_FOUND"
	CodeAlreadyRendering     = "ALREADY_RENDERING"
	CodeStorageLimitExceeded = "STORAGE_LIMIT_EXCEEDED"
	CodeRateLimited          = "RATE_LIMITED"
	CodeUploadFailed         = "UPLOAD_FAILED"
	CodeRenderTriggerFailed  = "RENDER_TRIGGER_FAILED"
	CodeRemoteError          = "REMOTE_ERROR"
	CodeMissingAPIKey        = "MISSING_API_KEY"
	CodeInvalidAPIKeyFormat  = "INVALID_API_KEY_FORMAT"
	CodeInvalidAPIKey        = "INVALID_API_KEY"
	CodeAPIKeyInactive       = "API_KEY_INACTIVE"
	CodeUserNotFound         = "USER_NOT_FOUND"
	CodeInternal             = "INTERNAL_ERROR"
	CodeIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"
	CodeServerBusy           = "SERVER_BUSY"
)

// Idempotency makes a POST safe to retry: a request sent with a context from WithIdempotency carries
// Key in the Idempotency-Key header, and the server does the work once for all requests with that key
// (within 24 hours), answering repeats with the first answer. Replayed reports, after the call, that
// the answer was such a repeat.
type Idempotency struct {
	Key      string
	Replayed bool
}

type idempotencyKey struct{}

// WithIdempotency returns ctx carrying idem for the POST requests made with it.
func WithIdempotency(ctx context.Context, idem *Idempotency) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, idem)
}

// do sends a request to path (under /api/v1) and decodes a success answer into out (nil: discard). An
// error answer becomes an *Error.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, contentType string, body io.Reader, out any) error {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return fmt.Errorf("framecast: %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	idem, _ := ctx.Value(idempotencyKey{}).(*Idempotency)
	if idem != nil && idem.Key != "" && method == http.MethodPost {
		req.Header.Set("Idempotency-Key", idem.Key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("framecast: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if idem != nil && resp.Header.Get("Idempotent-Replayed") == "true" {
		idem.Replayed = true
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("framecast: %s %s: read the answer: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		return errorOf(resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("framecast: %s %s: decode the answer: %w", method, path, err)
	}
	return nil
}

// errorOf reads an error answer.
func errorOf(resp *http.Response, data []byte) *Error {
	e := &Error{StatusCode: resp.StatusCode}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	var body struct {
		Error   string         `json:"error"`
		Code    string         `json:"code"`
		Details map[string]any `json:"details"`
	}
	if json.Unmarshal(data, &body) == nil && body.Code != "" {
		e.Code, e.Message, e.Details = body.Code, body.Error, body.Details
		return e
	}
	msg := strings.TrimSpace(string(data))
	if len(msg) > maxErrorBody {
		msg = msg[:maxErrorBody] + "…"
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	e.Message = msg
	return e
}

// call sends a request with an optional JSON body (nil for none) and decodes the answer into a T.
func call[T any](ctx context.Context, c *Client, method, path string, query url.Values, body any) (*T, error) {
	var rd io.Reader
	contentType := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("framecast: %s %s: encode the request: %w", method, path, err)
		}
		rd, contentType = bytes.NewReader(b), "application/json"
	}
	out := new(T)
	if err := c.do(ctx, method, path, query, contentType, rd, out); err != nil {
		return nil, err
	}
	return out, nil
}

// pathOf joins escaped path segments: pathOf("video", id, "render") is "/video/<id>/render".
func pathOf(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// pageQuery encodes a page selection and filters (name, value pairs), leaving out zero values.
func pageQuery(page, limit int, filters ...string) url.Values {
	q := url.Values{}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	for i := 0; i+1 < len(filters); i += 2 {
		if filters[i+1] != "" {
			q.Set(filters[i], filters[i+1])
		}
	}
	return q
}

// errEmptyID is returned for an empty id, which would name another route.
var errEmptyID = errors.New("framecast: empty id")
