package console

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/framecast/framecast/core"
)

// Cookies. The session cookie holds the session token (core keeps only its hash); the sign-in cookie
// holds the CSRF token of the sign-in form, before there is a session.
const (
	sessionCookie = "framecast_session"
	signInCookie  = "framecast_signin"
)

// csrfField is the form field, and csrfHeader the header, that carry the CSRF token of a POST.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// session is the signed-in state of a request.
type session struct {
	token   string
	account core.Account
	csrf    string
}

type sessionKey struct{}

func sessionFrom(ctx context.Context) (session, bool) {
	s, ok := ctx.Value(sessionKey{}).(session)
	return s, ok
}

// csrfToken derives a session's CSRF token from its secret token: a page can carry it (the cookie is
// HttpOnly, so a script of another site can read neither), and nothing more needs storing.
func csrfToken(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("framecast console csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// cookie returns a console cookie: HttpOnly, SameSite=Lax, scoped to the console, Secure behind https.
func (c *Console) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: Path, MaxAge: maxAge, HttpOnly: true, Secure: c.cfg.Secure,
		SameSite: http.SameSiteLaxMode}
}

// requireSession admits requests with a live session; others are sent to the sign-in page (a GET) or
// refused (401, anything else).
func (c *Console) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var token string
		if ck, err := r.Cookie(sessionCookie); err == nil {
			token = ck.Value
		}
		_, account, err := c.svc.SessionAccount(r.Context(), token)
		if err != nil {
			if !errors.Is(err, core.ErrNoSession) {
				c.fail(w, r, err)
				return
			}
			if token != "" {
				http.SetCookie(w, c.cookie(sessionCookie, "", -1))
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, Path+"/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "Sign in to the console first", http.StatusUnauthorized)
			return
		}
		s := session{token: token, account: account, csrf: csrfToken(token)}
		ctx := core.WithAccountID(context.WithValue(r.Context(), sessionKey{}, s), account.ID)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// unsafeMethod reports whether a request changes something and so must carry the CSRF token.
func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// checkCSRF refuses (403) a request that changes something without its session's CSRF token, or that
// comes from a page of another origin.
func (c *Console) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, _ := sessionFrom(r.Context())
		if unsafeMethod(r.Method) && !c.validCSRF(r, s.csrf) {
			http.Error(w, "This form has expired or did not come from the console (missing or wrong CSRF token): reload the page and try again",
				http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// validCSRF reports whether r carries want in its header or form, from no other origin. The origin may be
// the host the request names or the service's public URL (a reverse proxy may rewrite Host).
func (c *Console) validCSRF(r *http.Request, want string) bool {
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		u, err := url.Parse(origin)
		public, _ := url.Parse(c.svc.Config().PublicURL)
		if err != nil || u.Host != r.Host && (public == nil || u.Host != public.Host) {
			return false
		}
	}
	got := r.Header.Get(csrfHeader)
	switch {
	case got != "":
	case strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/"):
		// An upload form without the script names the token in its action: reading the form here would
		// read the whole upload before its handler sets its limits.
		got = r.URL.Query().Get(csrfField)
	default:
		r.Body = http.MaxBytesReader(nil, r.Body, maxFormBytes)
		got = r.PostFormValue(csrfField)
	}
	return want != "" && hmac.Equal([]byte(got), []byte(want))
}

// maxFormBytes bounds the body of an ordinary (not multipart) console form.
const maxFormBytes = 1 << 20

// signInCSRF gives the sign-in page its own CSRF token, kept in a cookie until there is a session, and
// refuses a sign-in POST without it (a site cannot sign a visitor in to an account of its choosing).
func (c *Console) signInCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(signInCookie)
		if unsafeMethod(r.Method) {
			if err != nil || !c.validCSRF(r, ck.Value) {
				http.Error(w, "This sign-in form has expired (missing or wrong CSRF token): reload the page and try again", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		token := ""
		if err == nil && len(ck.Value) >= 32 {
			token = ck.Value
		} else {
			b := make([]byte, 24)
			rand.Read(b)
			token = base64.RawURLEncoding.EncodeToString(b)
			http.SetCookie(w, c.cookie(signInCookie, token, 3600))
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), signInKey{}, token)))
	})
}

type signInKey struct{}

// signInToken returns the sign-in form's CSRF token (set by signInCSRF).
func signInToken(r *http.Request) string {
	t, _ := r.Context().Value(signInKey{}).(string)
	return t
}

// signInPage is GET /signin.
func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, "signin", "Sign in", signInData{Next: safeNext(r.URL.Query().Get("next"))})
}

type signInData struct {
	Next  string
	Error string
}

// signIn is POST /signin: the API key for a session cookie.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	grant, err := c.svc.CreateSession(r.Context(), strings.TrimSpace(r.PostFormValue("key")))
	if err != nil {
		e := core.AsError(err)
		status := http.StatusUnauthorized
		if c.statusOf(e.Code) >= 500 {
			c.cfg.NoteError(r, err)
			status = http.StatusInternalServerError
		}
		c.renderStatus(w, r, status, "signin", "Sign in", signInData{Next: next, Error: e.Message})
		return
	}
	// No MaxAge: the cookie lasts the browser session; the server ends idle sessions.
	http.SetCookie(w, c.cookie(sessionCookie, grant.Token, 0))
	http.SetCookie(w, c.cookie(signInCookie, "", -1))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signOut is POST /signout: the session ends on the server, and its cookie goes.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	s, _ := sessionFrom(r.Context())
	if err := c.svc.EndSession(r.Context(), s.token); err != nil {
		c.fail(w, r, err)
		return
	}
	http.SetCookie(w, c.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, Path+"/signin", http.StatusSeeOther)
}

// safeNext returns next when it is a path of the console, else the overview: a sign-in link cannot send
// people elsewhere.
func safeNext(next string) string {
	if strings.HasPrefix(next, Path+"/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return Path + "/"
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
