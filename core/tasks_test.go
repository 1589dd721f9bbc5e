package core

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	createTaskKeys = "category,configUrl,duration,height,message,metadata,previewUrl,status,success,taskId,title,videoTaskId,viewerUrl,width"
	// The anchor's render fields, and Framecast's additions (reused, segmentsReused, segmentsTotal).
	renderKeys = "configUrl,cost,height,message,previewUrl,quality,remainingCredits,renderTaskId,reused,segmentsReused,segmentsTotal,status,success,taskId,viewerUrl,width"
)

func TestCreateAndGetTask(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		res, err := s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1920, 1080, 4),
			TaskOptions: TaskOptions{Metadata: json.RawMessage(`{"order": 7}`), Title: "Intro"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonKeys(t, res); got != createTaskKeys {
			t.Fatalf("create keys %s", got)
		}
		if len(res.TaskID) != 12 || strings.Trim(res.TaskID, lowerAlnum) != "" || !strings.HasPrefix(res.VideoTaskID, "vt_") {
			t.Fatalf("ids %q %q", res.TaskID, res.VideoTaskID)
		}
		if res.Status != "created" || res.Category != "api" || res.Width != 1920 || res.Duration != 4 || string(res.Metadata) != `{"order":7}` ||
			res.PreviewURL != "https://fc.test/v/"+res.TaskID || res.ConfigURL != "https://fc.test/api/v1/video/"+res.TaskID+"/config" {
			t.Fatalf("create result %+v", res)
		}

		got := must[TaskResult](t)(s.GetTask(ctx, acc, res.TaskID))
		want := sortedKeys("success,taskId,videoTaskId,title,category,status,width,height,fps,duration,quality,costCredits,previewUrl,viewerUrl,configUrl,metadata,createdAt,updatedAt," +
			"reused,segmentsReused,segmentsTotal") // Framecast's additions
		if keys := jsonKeys(t, got); keys != want {
			t.Fatalf("task keys %s\nwant %s", keys, want)
		}
		if got.FPS != 30 || got.Quality != "1080p" || got.CreatedAt != "2026-03-01T12:00:00.000Z" || got.Title != "Intro" {
			t.Fatalf("task %+v", got)
		}
		config := must[json.RawMessage](t)(s.GetTaskConfig(ctx, acc, res.TaskID))
		var d map[string]any
		if json.Unmarshal(config, &d) != nil || d["meta"] == nil {
			t.Fatalf("stored config %s", config)
		}
		if v, _, err := s.PublicTask(ctx, res.TaskID); err != nil || v.TaskID != res.TaskID {
			t.Fatalf("public task: %v", err)
		}

		// Another account sees nothing.
		bob := e.newAccount(t, "bob").ID
		_, err = s.GetTask(ctx, bob, res.TaskID)
		wantCode(t, err, CodeNotFound)
		_, err = s.GetTaskConfig(ctx, bob, res.TaskID)
		wantCode(t, err, CodeNotFound)
		_, _, err = s.PublicTask(ctx, "nope")
		wantCode(t, err, CodeNotFound)
	})
}

func TestCreateTaskErrors(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		bad := json.RawMessage(`{"meta":{"version":"2.0.0","width":640,"height":360},"tracks":[{"clips":[
			{"type":"text","text":"a","start":0,"duration":-1},{"type":"txt","start":0,"duration":1}]}]}`)
		_, err := s.CreateTask(ctx, acc, CreateTaskInput{Config: bad})
		ce := wantCode(t, err, CodeInvalidConfig)
		problems, _ := ce.Details["errors"].([]Problem)
		if len(problems) < 2 || ce.Details["warnings"] == nil {
			t.Fatalf("details %+v", ce.Details)
		}
		paths := ""
		for _, p := range problems {
			paths += p.Path + " "
		}
		if !strings.Contains(paths, "tracks[0].clips[0].duration") || !strings.Contains(paths, "tracks[0].clips[1]") {
			t.Fatalf("problem paths %q", paths)
		}
		_, err = s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(5000, 100, 1)})
		wantCode(t, err, CodeInvalidConfig) // over the width limit

		for name, in := range map[string]CreateTaskInput{
			"no config":         {},
			"metadata not obj":  {Config: doc(640, 360, 1), TaskOptions: TaskOptions{Metadata: json.RawMessage(`[1]`)}},
			"reserved category": {Config: doc(640, 360, 1), TaskOptions: TaskOptions{Category: "all"}},
			"title too long":    {Config: doc(640, 360, 1), TaskOptions: TaskOptions{Title: strings.Repeat("x", 201)}},
			"category too long": {Config: doc(640, 360, 1), TaskOptions: TaskOptions{Category: strings.Repeat("x", 65)}},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.CreateTask(ctx, acc, in)
				wantCode(t, err, CodeInvalidRequest)
			})
		}
	})
}

func TestListTasks(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		var ids []string
		for i, cat := range []string{"api", "demo", "api", "api"} {
			res := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(640, 360, 1), TaskOptions: TaskOptions{Category: cat}}))
			ids = append(ids, res.TaskID)
			e.advance(time.Duration(i+1) * time.Second)
		}
		all := must[ListTasksResult](t)(s.ListTasks(ctx, acc, ListTasksInput{}))
		if jsonKeys(t, all) != "pagination,success,tasks" || all.Pagination != (Pagination{Page: 1, Limit: 20, Total: 4}) || all.Tasks[0].TaskID != ids[3] {
			t.Fatalf("list %+v", all.Pagination)
		}
		page := must[ListTasksResult](t)(s.ListTasks(ctx, acc, ListTasksInput{PageInput: PageInput{Page: 2, Limit: 2}, Category: "api"}))
		if page.Pagination.Total != 3 || len(page.Tasks) != 1 || page.Tasks[0].TaskID != ids[0] {
			t.Fatalf("page 2 of api: %+v", page)
		}
		if r := must[ListTasksResult](t)(s.ListTasks(ctx, acc, ListTasksInput{Category: "all", Status: "created", PageInput: PageInput{Limit: 500}})); r.Pagination.Total != 4 || r.Pagination.Limit != 100 {
			t.Fatalf("all categories: %+v", r.Pagination)
		}
		if r := must[ListTasksResult](t)(s.ListTasks(ctx, acc, ListTasksInput{Status: "completed"})); r.Pagination.Total != 0 || r.Tasks == nil {
			t.Fatalf("completed: %+v", r)
		}
		_, err := s.ListTasks(ctx, acc, ListTasksInput{Status: "done"})
		wantCode(t, err, CodeInvalidRequest)
		_, err = s.ListTasks(ctx, acc, ListTasksInput{PageInput: PageInput{Page: -1}})
		wantCode(t, err, CodeInvalidRequest)
		if r := must[ListTasksResult](t)(s.ListTasks(ctx, e.newAccount(t, "bob").ID, ListTasksInput{})); r.Pagination.Total != 0 {
			t.Fatalf("another account lists %d tasks", r.Pagination.Total)
		}
	})
}

func TestRenderCost(t *testing.T) {
	for _, c := range []struct {
		w, h    int
		seconds float64
		quality string
		cost    int64
	}{
		{1280, 720, 10, "720p", 10}, {1920, 1080, 10, "1080p", 15}, {2560, 1440, 10, "2K", 20},
		{640, 360, 0.2, "720p", 1}, {1080, 1920, 3, "1080p", 5}, {1439, 2000, 1, "1080p", 2}, {4096, 4096, 1.1, "2K", 3},
		{1079, 1920, 10, "720p", 10},
	} {
		q, cost := RenderCost(c.w, c.h, c.seconds)
		if q.Name != c.quality || cost != c.cost {
			t.Errorf("%dx%d %gs: %s %d, want %s %d", c.w, c.h, c.seconds, q.Name, cost, c.quality, c.cost)
		}
	}
}

func TestRenderTask(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		task := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1920, 1080, 10)}))
		res, err := s.RenderTask(ctx, acc, task.TaskID, RenderInput{WebhookURL: "https://hooks.example.com/x"})
		if err != nil {
			t.Fatal(err)
		}
		if jsonKeys(t, res) != renderKeys || res.Cost != 15 || res.RemainingCredits != 985 || res.Quality != "1080p" ||
			res.Status != "rendering" || !strings.HasPrefix(res.RenderTaskID, "rt_") {
			t.Fatalf("render %+v", res)
		}
		if len(e.queue.jobs) != 1 || e.queue.jobs[0] != (RenderJob{TaskID: task.TaskID, RenderTaskID: res.RenderTaskID, AccountID: acc,
			NumWorkers: DefaultWorkers, WebhookURL: "https://hooks.example.com/x", SegmentsTotal: res.SegmentsTotal}) || res.SegmentsTotal < 1 {
			t.Fatalf("jobs %+v", e.queue.jobs)
		}
		view := must[TaskResult](t)(s.GetTask(ctx, acc, task.TaskID))
		if view.Status != "rendering" || view.Progress == nil || *view.Progress != 0 || view.CostCredits != 15 || view.RenderTaskID != res.RenderTaskID {
			t.Fatalf("rendering task %+v", view)
		}
		_, err = s.RenderTask(ctx, acc, task.TaskID, RenderInput{})
		wantCode(t, err, CodeAlreadyRendering)

		// Completed: no second charge.
		if err := s.Worker().CompleteRender(ctx, task.TaskID, res.RenderTaskID, "renders/x.mp4", "renders/x.jpg", 100); err != nil {
			t.Fatal(err)
		}
		again := must[RenderResult](t)(s.RenderTask(ctx, acc, task.TaskID, RenderInput{}))
		if !again.AlreadyRendered || again.Cost != 0 || again.RemainingCredits != 985 || again.VideoURL != "https://fc.test/files/renders/x.mp4" || again.Status != "completed" {
			t.Fatalf("already rendered %+v", again)
		}

		// num_workers: capped at the maximum, negative refused.
		t2 := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1280, 720, 2)}))
		must[RenderResult](t)(s.RenderTask(ctx, acc, t2.TaskID, RenderInput{NumWorkers: 1000}))
		if j := e.queue.jobs[len(e.queue.jobs)-1]; j.NumWorkers != DefaultMaxWorkers {
			t.Fatalf("num_workers %d", j.NumWorkers)
		}
		t3 := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1280, 720, 2)}))
		_, err = s.RenderTask(ctx, acc, t3.TaskID, RenderInput{NumWorkers: -1})
		wantCode(t, err, CodeInvalidRequest)
		for _, u := range []string{"ftp://x/y", "not a url", "http://127.0.0.1:9/h", "http://localhost/h", "http://10.1.2.3/h", "http://[::1]/h", "http://169.254.169.254/latest"} {
			_, err = s.RenderTask(ctx, acc, t3.TaskID, RenderInput{WebhookURL: u})
			wantCode(t, err, CodeInvalidRequest)
		}
		_, err = s.RenderTask(ctx, acc, "nope", RenderInput{})
		wantCode(t, err, CodeNotFound)
		_, err = s.RenderTask(ctx, e.newAccount(t, "bob").ID, t3.TaskID, RenderInput{})
		wantCode(t, err, CodeNotFound)

		// The queue fails: nothing is charged and the task stays created.
		before := must[CreditsResult](t)(s.GetCredits(ctx, acc)).Credits
		e.queue.fail = errors.New("queue down")
		_, err = s.RenderTask(ctx, acc, t3.TaskID, RenderInput{})
		wantCode(t, err, CodeRenderTriggerFailed)
		e.queue.fail = nil
		if after := must[CreditsResult](t)(s.GetCredits(ctx, acc)).Credits; after != before {
			t.Fatalf("balance %d after a failed trigger, was %d", after, before)
		}
		if v := must[TaskResult](t)(s.GetTask(ctx, acc, t3.TaskID)); v.Status != "created" {
			t.Fatalf("status after failed trigger: %s", v.Status)
		}
	})
}

func TestRenderTaskAllowsPrivateWebhooksWhenConfigured(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{AllowPrivateURLs: true, DefaultWorkers: 3}, func(t *testing.T, e *env) {
		task := must[CreateTaskResult](t)(e.svc.CreateTask(ctx, e.account.ID, CreateTaskInput{Config: doc(640, 360, 1)}))
		must[RenderResult](t)(e.svc.RenderTask(ctx, e.account.ID, task.TaskID, RenderInput{WebhookURL: "http://127.0.0.1:8081/hook"}))
		if j := e.queue.jobs[0]; j.WebhookURL != "http://127.0.0.1:8081/hook" || j.NumWorkers != 3 {
			t.Fatalf("job %+v", j)
		}
	})
}

func TestRenderInsufficientCredits(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{DefaultCredits: 12}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		task := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(2560, 1440, 7)}))
		_, err := s.RenderTask(ctx, acc, task.TaskID, RenderInput{})
		ce := wantCode(t, err, CodeInsufficientCredits)
		if ce.Details["required"] != int64(14) || ce.Details["available"] != int64(12) {
			t.Fatalf("details %+v", ce.Details)
		}
		if len(e.queue.jobs) != 0 {
			t.Fatal("a job was queued without credits")
		}
		if v := must[TaskResult](t)(s.GetTask(ctx, acc, task.TaskID)); v.Status != "created" {
			t.Fatalf("status %s", v.Status)
		}
		// Exactly the balance is enough.
		t2 := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(2560, 1440, 6)}))
		if r := must[RenderResult](t)(s.RenderTask(ctx, acc, t2.TaskID, RenderInput{})); r.RemainingCredits != 0 {
			t.Fatalf("remaining %d", r.RemainingCredits)
		}
	})
}
