package console

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

func init() {
	routes = append(routes, func(c *Console, r chi.Router) {
		r.Get("/tasks", c.tasks)
		r.Get("/tasks.json", c.tasksJSON)
		r.Get("/tasks/{id}", c.task)
		r.Post("/tasks/{id}/delete", c.deleteTask)
		r.Post("/tasks/{id}/render", c.renderTask)
		r.Post("/tasks/{id}/redeliver", c.redeliverWebhook)
	})
}

// pageOf reads the "page" query parameter (1 when absent or not a number).
func pageOf(r *http.Request) int {
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return max(p, 1)
}

// pager is the previous/next links of a list.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string // URLs, "" at the ends
}

// newPager returns the links of page p of a list of total items, limit a page, keeping the query q.
func newPager(r *http.Request, p core.Pagination) pager {
	pages := max(1, (p.Total+p.Limit-1)/max(p.Limit, 1))
	out := pager{Page: p.Page, Pages: pages, Total: p.Total}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		q.Del("notice")
		return r.URL.Path + "?" + q.Encode()
	}
	if p.Page > 1 {
		out.Prev = link(p.Page - 1)
	}
	if p.Page < pages {
		out.Next = link(p.Page + 1)
	}
	return out
}

// tasks is GET /tasks?status=&q=&page=: the account's tasks, filtered and searched.
func (c *Console) tasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := core.ListTasksInput{PageInput: core.PageInput{Page: pageOf(r), Limit: 20}, Status: core.TaskStatus(q.Get("status")), Search: q.Get("q")}
	res, err := c.svc.ListTasks(c.ctx(r), c.account(r).ID, in)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "tasks", "Tasks", struct {
		Tasks    []core.TaskView
		Statuses []core.TaskStatus
		Status   string
		Search   string
		Pager    pager
	}{res.Tasks, core.TaskStatuses, q.Get("status"), q.Get("q"), newPager(r, res.Pagination)})
}

// taskState is one task's live state in GET /tasks.json.
type taskState struct {
	TaskID       string          `json:"taskId"`
	Status       core.TaskStatus `json:"status"`
	Progress     float64         `json:"progress"`
	ThumbnailURL string          `json:"thumbnailUrl,omitempty"`
	CostCredits  int64           `json:"costCredits"`
}

// maxPolledTasks bounds the ids of one GET /tasks.json.
const maxPolledTasks = 100

// tasksJSON is GET /tasks.json?ids=a,b: the state of some of the account's tasks, for the live progress
// bars. Unknown ids are left out.
func (c *Console) tasksJSON(w http.ResponseWriter, r *http.Request) {
	ids := strings.Split(r.URL.Query().Get("ids"), ",")
	if len(ids) > maxPolledTasks {
		ids = ids[:maxPolledTasks]
	}
	out := struct {
		Tasks []taskState `json:"tasks"`
	}{Tasks: []taskState{}}
	for _, id := range ids {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		t, err := c.svc.GetTask(c.ctx(r), c.account(r).ID, id)
		if core.CodeOf(err) == core.CodeNotFound {
			continue
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		s := taskState{TaskID: t.TaskID, Status: t.Status, ThumbnailURL: t.ThumbnailURL, CostCredits: t.CostCredits}
		if t.Progress != nil {
			s.Progress = *t.Progress
		}
		out.Tasks = append(out.Tasks, s)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(out)
}

// lane is one row of a render's timeline: a segment (or the assembly) and where its work fell.
type lane struct {
	Label        string
	State        string
	Left, Width  float64 // percent of the render's span
	Seconds      float64
	Attempts     int
	Error        string
	Worker       string
	Frames       string
	Failed       bool
	Unstarted    bool
	RenderTaskID string
}

// timelineOf lays out the jobs of the latest render on a common time axis.
func timelineOf(tl core.TaskTimeline, renderTaskID string, now time.Time) []lane {
	var jobs []core.QueueJob
	for _, j := range tl.Jobs {
		if j.RenderTaskID == renderTaskID && (j.Kind == "segment" || j.Kind == "finalize") {
			jobs = append(jobs, j)
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	start, end := jobs[0].CreatedAt, time.Time{}
	for _, j := range jobs {
		if j.CreatedAt.Before(start) {
			start = j.CreatedAt
		}
		e := j.FinalizedAt
		if e.IsZero() {
			e = now
		}
		if e.After(end) {
			end = e
		}
	}
	span := end.Sub(start).Seconds()
	if span <= 0 {
		span = 1
	}
	out := make([]lane, 0, len(jobs))
	for _, j := range jobs {
		l := lane{State: j.State, Attempts: j.Attempt, Error: j.Error, Worker: j.Worker, Failed: j.Error != "" && j.State != "completed"}
		if j.Kind == "finalize" {
			l.Label = "assembly"
		} else {
			l.Label = "segment " + strconv.Itoa(j.Segment+1)
			if j.FramesTotal > 0 {
				l.Frames = strconv.Itoa(j.FramesDone) + "/" + strconv.Itoa(j.FramesTotal) + " frames"
			}
		}
		from, to := j.AttemptedAt, j.FinalizedAt
		if from.IsZero() {
			l.Unstarted = true
			out = append(out, l)
			continue
		}
		if to.IsZero() {
			to = now
		}
		l.Left = from.Sub(start).Seconds() / span * 100
		l.Width = max(to.Sub(from).Seconds()/span*100, 0.5)
		l.Seconds = to.Sub(from).Seconds()
		out = append(out, l)
	}
	return out
}

// task is GET /tasks/{id}: the video, the document, the render timeline and the webhook attempts.
func (c *Console) task(w http.ResponseWriter, r *http.Request) {
	ctx, acct, id := c.ctx(r), c.account(r).ID, chi.URLParam(r, "id")
	t, err := c.svc.GetTask(ctx, acct, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	doc, err := c.svc.GetTaskConfig(ctx, acct, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, doc, "", "  ") != nil {
		pretty.Reset()
		pretty.Write(doc)
	}
	tl, err := c.svc.GetTaskTimeline(ctx, acct, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	hooks, err := c.svc.GetWebhookAttempts(ctx, acct, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "task", taskTitle(t.TaskView), struct {
		Task     core.TaskView
		Document string
		Renders  []core.Render
		Lanes    []lane
		Webhooks core.WebhookAttemptsResult
		Webhook  bool // the latest render asked for a webhook
	}{t.TaskView, pretty.String(), tl.Renders, timelineOf(tl, t.RenderTaskID, time.Now()), hooks,
		len(tl.Renders) > 0 && tl.Renders[0].WebhookURL != ""})
}

func taskTitle(t core.TaskView) string {
	if t.Title != "" {
		return t.Title
	}
	return "Task " + t.TaskID
}

// deleteTask is POST /tasks/{id}/delete.
func (c *Console) deleteTask(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if _, err := c.svc.DeleteTask(c.ctx(r), c.account(r).ID, id); err != nil {
		c.fail(w, r, err)
		return
	}
	c.redirect(w, r, "/tasks", "Task "+id+" deleted")
}

// renderTask is POST /tasks/{id}/render: render (again) a created or failed task.
func (c *Console) renderTask(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	res, err := c.svc.RenderTask(c.ctx(r), c.account(r).ID, id, core.RenderInput{})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.redirect(w, r, "/tasks/"+url.PathEscape(id), res.Message)
}

// redeliverWebhook is POST /tasks/{id}/redeliver: the latest render's webhook, once more.
func (c *Console) redeliverWebhook(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := c.svc.RedeliverWebhook(c.ctx(r), c.account(r).ID, id); err != nil {
		c.fail(w, r, err)
		return
	}
	c.redirect(w, r, "/tasks/"+url.PathEscape(id), "The webhook is queued for delivery again; its attempts appear below")
}
