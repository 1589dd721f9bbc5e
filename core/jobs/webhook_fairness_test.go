package jobs

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store/storetest"
)

// One account whose webhook endpoint hangs does not hold up another account's webhooks: account A's
// renders fail at once (a dead asset) and their webhooks hang until the test ends, yet account B's webhook
// is delivered while A's are still hanging, and A never has more deliveries in flight than its limit.
func TestWebhookFairnessBetweenAccounts(t *testing.T) {
	cfg := testConfig(t)
	// Deliveries may hang longer than the test (River's job timeout is the rescue delay): only fairness
	// can let B through.
	cfg.WebhookTimeout, cfg.RescueStuckJobsAfter = 5*time.Minute, 5*time.Minute
	e := newEnv(t, storetest.Backends(t)[0].Open(t), filepath.Join(t.TempDir(), "blobs"), cfg, true)
	ctx := context.Background()
	dead := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(dead.Close)

	var hanging, most atomic.Int32
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hanging.Add(1)
		defer hanging.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		io.Copy(io.Discard, r.Body)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }); slow.Close() })
	fast := newWebhookReceiver(t)

	render := func(account core.Account, hook string) {
		t.Helper()
		res, err := e.svc.CreateTask(ctx, account.ID, core.CreateTaskInput{Config: []byte(document(160, 90, 0.5, dead.URL+"/gone.wav"))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.RenderTask(ctx, account.ID, res.TaskID, core.RenderInput{WebhookURL: hook, NumWorkers: 1}); err != nil {
			t.Fatal(err)
		}
	}
	for range 8 { // more than every worker the events queue used to have
		render(e.account, slow.URL)
	}
	deadline := time.Now().Add(90 * time.Second)
	for hanging.Load() < int32(cfg.withDefaults().WebhookAccountConcurrency) {
		if time.Now().After(deadline) {
			t.Fatalf("account A's webhooks did not start (%d hanging)", hanging.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}

	b, err := e.svc.CreateAccount(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	render(b, fast.URL)
	fast.waitCalls(t, 1, 90*time.Second) // generous: the machine may be busy; A hangs far longer
	if hanging.Load() == 0 {
		t.Fatal("account A's deliveries ended before B's arrived: the test proved nothing")
	}
	if m, limit := most.Load(), int32(cfg.withDefaults().WebhookAccountConcurrency); m > limit {
		t.Errorf("account A had %d deliveries in flight at once, limit %d", m, limit)
	}
	once.Do(func() { close(release) })
}
