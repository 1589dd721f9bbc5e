package core

import (
	"context"
	"math"
	"runtime"
	"time"
)

// Frames drawn on request (the player's frame endpoint, the MCP frame tools) are CPU- and memory-heavy and
// free, so a process draws at most Config.MaxConcurrentDraws of them at once. A request beyond that waits
// for a turn up to Config.DrawQueueWait — long enough to smooth a scrub, short enough that a flood is
// refused rather than queued for minutes — and is then refused with SERVER_BUSY (503, Retry-After). A
// waiting request whose caller leaves gives up its place at once.

// Defaults of the draw limit.
const (
	DefaultDrawQueueWait = 2 * time.Second
)

// CodeServerBusy is the code of a request refused because the server is at its limit of concurrent work
// (Framecast's addition to the API's codes; HTTP 503 with Retry-After).
const CodeServerBusy = "SERVER_BUSY"

// ServerBusy reports that the server is at its limit of concurrent work; retry after retryAfterSeconds.
func ServerBusy(what string, retryAfterSeconds int) *Error {
	return NewError(CodeServerBusy, "The server is busy "+what+"; retry in a moment").
		WithDetails(map[string]any{"retryAfter": retryAfterSeconds})
}

// drawSlots is the semaphore of concurrent draws.
type drawSlots chan struct{}

func newDrawSlots(n int) drawSlots {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return make(drawSlots, n)
}

// AcquireDraw takes one of the process's draw slots, waiting at most DrawQueueWait, and returns its
// release. It fails with SERVER_BUSY when no slot frees in time, and with ctx's error when the caller
// leaves while waiting. Frames and AudioPreview take one; the proxy renderer (package preview) is given
// this method so that its frames share the slots.
func (w *Worker) AcquireDraw(ctx context.Context) (release func(), err error) {
	return w.s.acquireDraw(ctx)
}

func (s *Service) acquireDraw(ctx context.Context) (release func(), err error) {
	select {
	case s.draws <- struct{}{}:
		return func() { <-s.draws }, nil
	default:
	}
	wait := time.NewTimer(s.cfg.DrawQueueWait)
	defer wait.Stop()
	select {
	case s.draws <- struct{}{}:
		return func() { <-s.draws }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-wait.C:
		return nil, ServerBusy("drawing frames", int(math.Ceil(s.cfg.DrawQueueWait.Seconds())))
	}
}

// DrawsInProgress reports how many draw slots are taken (for tests and metrics).
func (w *Worker) DrawsInProgress() int { return len(w.s.draws) }
