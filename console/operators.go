package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// The operators' pages: every account, and the render queue. core refuses their operations to accounts
// that are not operators; the console also leaves them out of the navigation.
func init() {
	routes = append(routes, func(c *Console, r chi.Router) {
		r.Get("/accounts", c.accounts)
		r.Post("/accounts", c.createAccount)
		r.Post("/accounts/{id}/credits", c.grantCredits)
		r.Post("/accounts/{id}/disable", c.setDisabled(true))
		r.Post("/accounts/{id}/enable", c.setDisabled(false))
		r.Get("/workers", c.workers)
	})
}

// accounts is GET /accounts.
func (c *Console) accounts(w http.ResponseWriter, r *http.Request) {
	all, err := c.svc.OperatorListAccounts(c.ctx(r), c.account(r).ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "accounts", "Accounts", accountsData{Accounts: all})
}

// accountsData is what the accounts page shows.
type accountsData struct {
	Accounts []core.Account
	Created  core.Account // an account just made, with its first key, shown once
	Key      string
}

// createAccount is POST /accounts: an account with the starting credits; its first key is made here
// too and shown once, since nobody could sign in to it otherwise.
func (c *Console) createAccount(w http.ResponseWriter, r *http.Request) {
	ctx, op := c.ctx(r), c.account(r).ID
	a, err := c.svc.OperatorCreateAccount(ctx, op, r.PostFormValue("name"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	plain, _, err := c.svc.CreateKey(ctx, a.ID, "created in the console")
	if err != nil {
		c.fail(w, r, err)
		return
	}
	all, err := c.svc.OperatorListAccounts(ctx, op)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "accounts", "Accounts", accountsData{all, a, plain})
}

// grantCredits is POST /accounts/{id}/credits: n credits (negative takes them away) with a reason.
func (c *Console) grantCredits(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("credits")), 10, 64)
	if err != nil {
		c.fail(w, r, core.InvalidRequest("credits must be a whole number, such as 500 (or -100 to take some away)"))
		return
	}
	id := chi.URLParam(r, "id")
	balance, err := c.svc.OperatorGrantCredits(c.ctx(r), c.account(r).ID, id, n, r.PostFormValue("reason"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.redirect(w, r, "/accounts", "Account "+id+" now has "+strconv.FormatInt(balance, 10)+" credits")
}

// setDisabled is POST /accounts/{id}/disable and /enable.
func (c *Console) setDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "id")
		if err := c.svc.OperatorSetAccountDisabled(c.ctx(r), c.account(r).ID, id, disabled); err != nil {
			c.fail(w, r, err)
			return
		}
		what := "enabled"
		if disabled {
			what = "disabled: its keys and sessions stop working"
		}
		c.redirect(w, r, "/accounts", "Account "+id+" "+what)
	}
}

// workersLimit is how many running jobs and failures the workers page lists.
const workersLimit = 50

// workers is GET /workers: the render queue's depth, running jobs and recent failures.
func (c *Console) workers(w http.ResponseWriter, r *http.Request) {
	snap, err := c.svc.OperatorQueue(c.ctx(r), c.account(r).ID, workersLimit)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	byWorker := map[string]int{}
	for _, j := range snap.Running {
		byWorker[j.Worker]++
	}
	var queued []core.QueueDepth // the kinds and states that have jobs
	for _, d := range snap.Depth {
		if d.Count > 0 {
			queued = append(queued, d)
		}
	}
	c.render(w, r, "workers", "Workers", struct {
		Snapshot core.QueueSnapshot
		Queued   []core.QueueDepth
		Summary  queueSummary
		ByWorker map[string]int
	}{snap, queued, summarize(snap), byWorker})
}

// summarize counts the waiting, running and retrying jobs of a snapshot.
func summarize(s core.QueueSnapshot) queueSummary {
	var q queueSummary
	for _, d := range s.Depth {
		switch d.State {
		case "running":
			q.Running += d.Count
		case "retryable":
			q.Retrying += d.Count
		default:
			q.Waiting += d.Count
		}
	}
	return q
}
