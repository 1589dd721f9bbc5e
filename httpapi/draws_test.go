package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store/storetest"
)

// slowDrawer is a ProxyRenderer that draws through the service's draw limit, as the real one does: a
// frame at t ≥ 1 takes until its caller leaves (a draw that honours cancellation), others are immediate.
type slowDrawer struct {
	fakeProxies
	svc *core.Service
}

func (d *slowDrawer) Frame(ctx context.Context, doc []byte, t float64, width int) ([]byte, error) {
	release, err := d.svc.Worker().AcquireDraw(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if t >= 1 {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return []byte(fakeFrame), nil
}

// Frames beyond the process's limit of concurrent draws wait briefly, then are refused with 503 and
// Retry-After; a frame request whose client leaves gives its slot back at once.
func TestFrameDrawLimit(t *testing.T) {
	drawer := &slowDrawer{}
	e := newEnv(t, storetest.Backends(t)[0], options{
		core:    core.Config{MaxConcurrentDraws: 2, DrawQueueWait: 300 * time.Millisecond},
		proxies: drawer,
	})
	drawer.svc = e.svc
	p := e.api(t, http.MethodPost, "/api/v1/preview", doc(320, 180, 4))
	wantOK(t, p, http.StatusOK)
	frameURL := e.srv.URL + "/t/" + p.str("tempId") + "/frame"

	// Two slow frames take both slots; their clients will leave.
	clientCtx, leave := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	for i := range 2 {
		req, _ := http.NewRequestWithContext(clientCtx, http.MethodGet, frameURL+"?t="+strconv.Itoa(1+i), nil)
		go func() {
			resp, err := e.srv.Client().Do(req)
			if err == nil {
				resp.Body.Close()
			}
			errs <- err
		}()
	}
	waitFor(t, func() bool { return e.svc.Worker().DrawsInProgress() == 2 })

	start := time.Now()
	busy := e.get(t, "/t/"+p.str("tempId")+"/frame?t=0")
	if busy.status != http.StatusServiceUnavailable || busy.header.Get("Retry-After") != "1" {
		t.Fatalf("a frame over the limit: %d, Retry-After %q: %s", busy.status, busy.header.Get("Retry-After"), busy.body)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("refused after %v, without waiting for a slot", waited)
	}

	leave()
	<-errs
	<-errs
	waitFor(t, func() bool { return e.svc.Worker().DrawsInProgress() == 0 })
	ok := e.get(t, "/t/"+p.str("tempId")+"/frame?t=0")
	if ok.status != http.StatusOK || string(ok.body) != fakeFrame {
		t.Fatalf("after the slow clients left: %d %s", ok.status, ok.body)
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
