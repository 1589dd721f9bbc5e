package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/jobs"
	"github.com/framecast/framecast/internal/teststack"
)

// TestSignInSessionAndCSRF walks the sign-in over HTTP: the session cookie's attributes, the CSRF checks
// of the sign-in form and of a signed-in form, sign-out, and a revoked key ending its session.
func TestSignInSessionAndCSRF(t *testing.T) {
	e := newEnv(t, teststack.Options{})
	c := e.client(t)

	// Signed out, a page sends you to the sign-in page and remembers where you were going.
	res, _ := c.do("GET", "/console/?x=1", nil, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/signin?next=%2Fconsole%2F%3Fx%3D1" {
		t.Fatalf("signed out: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// A sign-in POST without the form's token is refused, even with a good key.
	res, _ = c.do("POST", "/console/signin", url.Values{"key": {e.Key}}, nil)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("sign-in without CSRF token: %d", res.StatusCode)
	}
	// A wrong key: 401 and the reason.
	token := c.csrf("/console/signin")
	res, body := c.do("POST", "/console/signin", url.Values{"csrf": {token}, "key": {"sk-nope"}}, nil)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "role=\"alert\"") {
		t.Fatalf("wrong key: %d\n%s", res.StatusCode, body)
	}

	token = c.csrf("/console/signin")
	res, _ = c.do("POST", "/console/signin", url.Values{"csrf": {token}, "key": {e.Key}, "next": {"https://evil.test/"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/" {
		t.Fatalf("sign in: %d to %q (an outside next must not be followed)", res.StatusCode, res.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "framecast_session" {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/console" || cookie.Secure {
		t.Fatalf("session cookie %+v (HttpOnly, SameSite=Lax, Path=/console, not Secure over http)", cookie)
	}
	if strings.Contains(cookie.Value, e.Key) {
		t.Fatal("the session cookie carries the API key")
	}
	res, body = c.do("GET", "/console/", nil, nil)
	if res.StatusCode != 200 || !strings.Contains(body, `id="credits">1000<`) || !strings.Contains(body, teststack.DefaultAccountName) {
		t.Fatalf("overview: %d\n%s", res.StatusCode, body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options"} {
		if res.Header.Get(h) == "" {
			t.Errorf("no %s header on a console page", h)
		}
	}

	// Signed in, a POST without the CSRF token (or with another's, or from another origin) is refused.
	csrf := c.csrf("/console/")
	for name, req := range map[string]struct {
		form   url.Values
		header http.Header
	}{
		"no token":     {url.Values{}, nil},
		"wrong token":  {url.Values{"csrf": {"x" + csrf}}, nil},
		"other origin": {url.Values{"csrf": {csrf}}, http.Header{"Origin": {"https://evil.test"}}},
	} {
		if res, _ := c.do("POST", "/console/signout", req.form, req.header); res.StatusCode != http.StatusForbidden {
			t.Errorf("sign-out with %s: %d, want 403", name, res.StatusCode)
		}
	}
	if res, _ := c.do("GET", "/console/", nil, nil); res.StatusCode != 200 {
		t.Fatalf("still signed in after the refused POSTs: %d", res.StatusCode)
	}
	// The token in a header works too (what the script sends).
	if res, _ := c.do("POST", "/console/signout", url.Values{}, http.Header{"X-Csrf-Token": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", res.StatusCode)
	}
	if res, _ := c.do("GET", "/console/", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after sign-out: %d, want a redirect to sign in", res.StatusCode)
	}
	// The old cookie is dead on the server too.
	old := e.client(t)
	old.http.Jar.SetCookies(mustURL(t, e.srv.URL+"/console/"), []*http.Cookie{cookie})
	if res, _ := old.do("GET", "/console/", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the signed-out session's cookie still works: %d", res.StatusCode)
	}

	// Revoking the key ends its sessions.
	c.signIn(e.Key)
	keys, err := e.Service.ListKeys(context.Background(), e.Account.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Service.RevokeKey(context.Background(), e.Account.ID, keys[0].ID); err != nil {
		t.Fatal(err)
	}
	if res, _ := c.do("GET", "/console/", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after revoking the key: %d", res.StatusCode)
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestEveryPageRenders opens every page of the navigation as an operator and as an ordinary account
// (which gets 404 for the operators' pages), with a render queue running.
func TestEveryPageRenders(t *testing.T) {
	e := newEnv(t, teststack.Options{Queue: true, AllowPrivateURLs: true, Jobs: jobs.Config{Workers: 1, PollInterval: 50 * time.Millisecond}})
	ctx := context.Background()
	if err := e.Service.SetAccountAdmin(ctx, e.Account.ID, true); err != nil {
		t.Fatal(err)
	}
	// A render that fails for good (its image is not found), for the failures of the overview and the
	// workers page.
	missing := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(missing.Close)
	failing, err := e.Service.CreateTask(ctx, e.Account.ID, core.CreateTaskInput{Config: json.RawMessage(
		`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":10},"tracks":[{"id":"t","clips":[{"type":"image","src":"` + missing.URL + `/gone.png","start":0,"duration":1}]}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.RenderTask(ctx, e.Account.ID, failing.TaskID, core.RenderInput{NumWorkers: 1}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		res, err := e.Service.GetTask(ctx, e.Account.ID, failing.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := e.Service.OperatorQueue(ctx, e.Account.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		// The task fails first; River records the job's error when the job returns, just after.
		if res.Status == core.TaskFailed && len(snap.Failures) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the failing render is still %s, or its job's failure is not in the queue", res.Status)
		}
	}
	task, err := e.Service.CreateTask(ctx, e.Account.ID, core.CreateTaskInput{TaskOptions: core.TaskOptions{Title: "Smoke test"}, Config: json.RawMessage(
		`{"meta":{"version":"2.0.0","width":320,"height":180,"fps":10},"tracks":[{"id":"t","clips":[{"type":"rect","start":0,"duration":1,"style":{"fill":"#ff0000"}}]}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{"/console/", "/console/tasks", "/console/tasks?status=created&q=SMOKE", "/console/tasks/" + task.TaskID,
		"/console/previews", "/console/files", "/console/files?type=image", "/console/keys", "/console/webhooks", "/console/credits",
		"/console/accounts", "/console/workers"}
	op := e.client(t)
	op.signIn(e.Key)
	for _, p := range pages {
		res, body := op.do("GET", p, nil, nil)
		if res.StatusCode != 200 || !strings.Contains(body, "<h1>") || !strings.Contains(body, `aria-current="page"`) {
			t.Errorf("GET %s as an operator: %d\n%s", p, res.StatusCode, body)
		}
	}
	if _, body := op.do("GET", "/console/", nil, nil); !strings.Contains(body, `<span class="value bad">1</span>`) {
		t.Errorf("the overview does not count the failed render:\n%s", body)
	}
	if _, body := op.do("GET", "/console/workers", nil, nil); !strings.Contains(body, `id="failures"`) || !strings.Contains(body, failing.TaskID) {
		t.Errorf("the workers page does not list the failed job of task %s:\n%s", failing.TaskID, body)
	}
	if _, body := op.do("GET", "/console/tasks/"+failing.TaskID, nil, nil); !strings.Contains(body, "segment 1") || !strings.Contains(body, "gone.png") {
		t.Errorf("the failed task's page shows no timeline or no reason:\n%s", body)
	}
	if _, body := op.do("GET", "/console/tasks?q=smo", nil, nil); !strings.Contains(body, task.TaskID) {
		t.Errorf("searching the title does not find the task")
	}
	if _, body := op.do("GET", "/console/tasks?q=nothing", nil, nil); strings.Contains(body, task.TaskID) {
		t.Errorf("searching another word finds the task")
	}

	bob, err := e.Service.CreateAccount(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	bobKey, _, err := e.Service.CreateKey(ctx, bob.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	other := e.client(t)
	other.signIn(bobKey)
	for _, p := range pages {
		res, body := other.do("GET", p, nil, nil)
		want := 200
		if strings.HasPrefix(p, "/console/accounts") || strings.HasPrefix(p, "/console/workers") || strings.HasPrefix(p, "/console/tasks/") {
			want = 404
		}
		if res.StatusCode != want {
			t.Errorf("GET %s as another account: %d, want %d\n%s", p, res.StatusCode, want, body)
		}
		if strings.Contains(body, "Smoke test") || want == 200 && strings.Contains(body, task.TaskID) {
			t.Errorf("GET %s as another account shows the first account's task", p)
		}
	}
}
