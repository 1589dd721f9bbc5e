package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/metrics"
)

// The operations endpoints: /metrics (Prometheus text format) on `serve`'s address, and on
// `--metrics-addr` of `worker` (and of `serve`, which then keeps them off its public address) together
// with /healthz and /readyz.

// readyCheckTimeout bounds each check of /readyz.
const readyCheckTimeout = 3 * time.Second

// defaultMinFreeMB is the free space under which the data disk counts as full (segments and joined
// videos are written there before they are stored).
const defaultMinFreeMB = 512

// metricsHandler serves this process's metrics and the cluster's queue depth.
func (st *stack) metricsHandler() http.Handler {
	return metrics.Handler(metrics.QueueDepth(st.queue.QueueDepth))
}

// opsHandler serves /metrics, /healthz and /readyz.
func (st *stack) opsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", st.metricsHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeHealth(w, http.StatusOK, healthBody{Status: "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		body := healthBody{Status: "ok", Checks: map[string]string{}}
		status := http.StatusOK
		for _, c := range st.readyChecks() {
			ctx, cancel := context.WithTimeout(r.Context(), readyCheckTimeout)
			err := c.check(ctx)
			cancel()
			if err != nil {
				body.Checks[c.name] = err.Error()
				body.Status, status = "unavailable", http.StatusServiceUnavailable
				continue
			}
			body.Checks[c.name] = "ok"
		}
		writeHealth(w, status, body)
	})
	return mux
}

// healthBody is the JSON of /healthz and /readyz: "ok" or "unavailable", and each check's result.
type healthBody struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks,omitempty"`
}

func writeHealth(w http.ResponseWriter, status int, body healthBody) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// readyCheck is one condition of readiness.
type readyCheck struct {
	name  string
	check func(ctx context.Context) error
}

// errStopListing ends a blob listing after its first object.
var errStopListing = errors.New("stop")

// readyChecks are what a worker needs to do its job: the database, the blob store and room on the data
// disk.
func (st *stack) readyChecks() []readyCheck {
	return []readyCheck{
		{"database", func(ctx context.Context) error {
			if err := st.store.DB().PingContext(ctx); err != nil {
				return fmt.Errorf("database unreachable: %w", err)
			}
			return nil
		}},
		{"blob", func(ctx context.Context) error {
			err := st.svc.Worker().Blob().List(ctx, "renders/", func(blob.Info) error { return errStopListing })
			if err != nil && !errors.Is(err, errStopListing) {
				return fmt.Errorf("blob store unreachable: %w", err)
			}
			return nil
		}},
		{"disk", func(context.Context) error {
			free, err := freeBytes(st.flags.data)
			if err != nil {
				return fmt.Errorf("data disk: %w", err)
			}
			if min := uint64(st.flags.minFreeMB) << 20; free < min {
				return fmt.Errorf("data disk full: %d MiB free in %s, below --min-free-mb %d", free>>20, st.flags.data, st.flags.minFreeMB)
			}
			return nil
		}},
	}
}

// serveOps serves the operations endpoints on addr until ctx ends. It returns once listening, with the
// address it listens on (addr may end in :0).
func (st *stack) serveOps(ctx context.Context, addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	srv := &http.Server{Handler: st.opsHandler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	context.AfterFunc(ctx, func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	})
	return ln.Addr(), nil
}
