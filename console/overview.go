package console

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

func init() {
	routes = append(routes, func(c *Console, r chi.Router) {
		r.Get("/", c.overview)
	})
}

// queueSummary is the operators' line about the whole render queue.
type queueSummary struct {
	Waiting, Running, Retrying int
}

// overview is GET /: credits, renders this week, failures, queue depth.
func (c *Console) overview(w http.ResponseWriter, r *http.Request) {
	o, err := c.svc.AccountOverview(c.ctx(r), c.account(r).ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := struct {
		Overview core.Overview
		Queue    *queueSummary
	}{Overview: o}
	if c.account(r).Admin {
		snap, err := c.svc.OperatorQueue(c.ctx(r), c.account(r).ID, 1)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		sum := summarize(snap)
		data.Queue = &sum
	}
	c.render(w, r, "overview", "Overview", data)
}
