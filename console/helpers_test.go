package console_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/framecast/framecast/console"
	"github.com/framecast/framecast/httpapi"
	"github.com/framecast/framecast/internal/teststack"
)

// env is a Framecast server on loopback (the API, the player pages and the console) over SQLite, with
// one account and its key.
type env struct {
	*teststack.Stack
	srv *httptest.Server
}

func newEnv(t testing.TB, opts teststack.Options) *env {
	t.Helper()
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	opts.Core.PublicURL = srv.URL
	ts := teststack.New(t, opts)
	t.Cleanup(srv.Close)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dash := console.New(ts.Service, console.Config{StatusOf: httpapi.StatusOf, NoteError: httpapi.NoteError})
	handler = httpapi.New(ts.Service, httpapi.Config{Pages: dash.Register, RateLimit: -1, Logger: quiet})
	return &env{Stack: ts, srv: srv}
}

// client is a browser-like HTTP client: it keeps cookies and does not follow redirects.
type client struct {
	t    testing.TB
	base string
	http *http.Client
}

func (e *env) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: e.srv.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request and returns the response and its body.
func (c *client) do(method, path string, form url.Values, header http.Header) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the page at path.
func (c *client) csrf(path string) string {
	c.t.Helper()
	res, body := c.do("GET", path, nil, nil)
	m := csrfInput.FindStringSubmatch(body)
	if res.StatusCode != 200 || m == nil {
		c.t.Fatalf("GET %s: %d, no CSRF token in\n%s", path, res.StatusCode, body)
	}
	return m[1]
}

// signIn signs in with key and fails the test unless it works.
func (c *client) signIn(key string) {
	c.t.Helper()
	token := c.csrf("/console/signin")
	res, body := c.do("POST", "/console/signin", url.Values{"csrf": {token}, "key": {key}, "next": {"/console/"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/" {
		c.t.Fatalf("sign in: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
}
