package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/console"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/core/preview"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/httpapi"
	"github.com/framecast/framecast/player"
	"github.com/framecast/framecast/render"
)

func init() {
	register("serve", "run the REST API (and MCP over HTTP) with in-process render workers", runServe)
	register("worker", "run render workers only (scale-out: many machines, one database)", runWorker)
	register("migrate", "apply database migrations and exit", runMigrate)
}

// extraRoutes are more routes on the server (the MCP endpoints), with their own shutdown.
type extraRoutes interface {
	Mount(r chi.Router)
	Shutdown(ctx context.Context) error
}

// mountExtra lets other files of this command add routes to the server.
var mountExtra []func(st *stack) extraRoutes

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var sf stackFlags
	sf.add(fs)
	addr := fs.String("addr", env("ADDR", ":8080"), "listen address")
	fs.BoolVar(&sf.filesRedirect, "files-redirect", envBool("FILES_REDIRECT", false), "answer /files/ requests with a 302 to a presigned URL of the S3 store instead of streaming the bytes (needs --blob s3://…)")
	rate := fs.Float64("rate-limit", float64(envInt("RATE_LIMIT", int(httpapi.DefaultRateLimit))), "API requests per second per key (negative: no limit)")
	metricsAddr := fs.String("metrics-addr", env("METRICS_ADDR", ""), "serve /metrics, /healthz and /readyz on this address instead of /metrics on --addr (keeps metrics off the public port)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := sf.logger()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if sf.publicURL == "" {
		sf.publicURL = "http://localhost:" + portOf(ln.Addr())
	}
	st, err := sf.open(ctx, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer st.close()
	// Workers started without --public-url build their URLs on this one.
	if err := st.store.SetSetting(ctx, store.SettingPublicURL, st.svc.Config().PublicURL); err != nil {
		return err
	}
	if err := firstRunKey(ctx, st); err != nil {
		return err
	}
	if err := st.startWorkers(ctx); err != nil {
		return err
	}
	st.metricsOnAPI = *metricsAddr == ""
	if *metricsAddr != "" {
		at, err := st.serveOps(ctx, *metricsAddr)
		if err != nil {
			return err
		}
		logger.Info("operations endpoints", "addr", at.String(), "paths", "/metrics /healthz /readyz")
	}
	logger.Info("framecast serving", "addr", ln.Addr().String(), "public_url", sf.publicURL, "db", redactDSN(sf.dsn()), "blob", blobName(st.blob),
		"workers", st.workerCount(), "worker_id", st.queue.WorkerID(), "listening", st.queue.Listening(), "font_set", render.FontSetFingerprint())
	return st.serveHTTP(ctx, ln, httpapi.Config{RateLimit: *rate, Logger: logger}, true)
}

// serveHTTP serves the REST API, the player pages, the console, the files and (with mcp) the MCP endpoints on ln until
// ctx ends, then shuts down gracefully.
func (st *stack) serveHTTP(ctx context.Context, ln net.Listener, cfg httpapi.Config, mcp bool) error {
	proxies := preview.New(preview.Config{
		Assets:      st.svc.Worker().AssetOptions("", filepath.Join(st.flags.data, "scratch", "assets")),
		URL:         func(key string) string { return st.flags.publicURL + "/files/" + key },
		Logger:      cfg.Logger,
		AcquireDraw: st.svc.Worker().AcquireDraw, // frames share the process's draw limit with MCP
	}, metrics.CountBlob(st.blob))
	defer proxies.Close() // after the server stops: no proxy render outlives it
	pages := player.Config{Renderer: proxies, NoteError: httpapi.NoteError}
	if cfg.RateLimit > 0 {
		pages = pages.WithLimits(httpapi.NewLimiter)
	}
	playerPages := player.New(st.svc, pages).Register
	dashboard := console.New(st.svc, console.Config{StatusOf: httpapi.StatusOf, NoteError: httpapi.NoteError})
	cfg.Pages = func(r chi.Router) {
		playerPages(r)
		dashboard.Register(r) // the console, under /console
	}
	purgeCtx, stopPurging := context.WithCancel(ctx)
	purgeDone := make(chan struct{})
	go func() {
		defer close(purgeDone)
		purgeProxies(purgeCtx, proxies, cfg.Logger)
	}()
	defer func() { stopPurging(); <-purgeDone }()
	var extras []extraRoutes
	if mcp {
		for _, m := range mountExtra {
			extras = append(extras, m(st))
		}
	}
	cfg.Extra = func(r chi.Router) {
		for _, e := range extras {
			e.Mount(r)
		}
	}
	cfg.ObserveRequest = metrics.ObserveHTTP
	var handler http.Handler = httpapi.New(st.svc, cfg)
	if st.metricsOnAPI {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", st.metricsHandler())
		mux.Handle("/", handler)
		handler = mux
	}
	srv := httpapi.NewServer(handler, cfg)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		for _, e := range extras { // long-lived MCP streams first, or Shutdown waits for them
			_ = e.Shutdown(shutdown)
		}
		_ = srv.Shutdown(shutdown)
	}
	return nil
}

// proxyPurgeInterval is how often the server deletes the preview proxies older than their TTL.
const proxyPurgeInterval = time.Hour

// purgeProxies deletes the proxies older than their TTL now and then every proxyPurgeInterval, until ctx
// ends. Proxies are rendered again when asked for, so a failed purge is only logged.
func purgeProxies(ctx context.Context, proxies *preview.Service, logger *slog.Logger) {
	if logger == nil {
		logger = slog.Default()
	}
	tick := time.NewTicker(proxyPurgeInterval)
	defer tick.Stop()
	for {
		n, err := proxies.PurgeProxies(ctx, time.Now().Add(-proxies.ProxyTTL()))
		if err != nil && ctx.Err() == nil {
			logger.Warn("purge preview proxies", "err", err)
		}
		if n > 0 {
			logger.Info("purged preview proxies", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// firstRunKey creates an operator account and prints one API key when the database has no account yet, so
// that `make run` followed by a curl, or a sign-in to the console, works.
func firstRunKey(ctx context.Context, st *stack) error {
	all, err := st.store.ListAccounts(ctx)
	if err != nil || len(all) > 0 {
		return err
	}
	acct, err := st.svc.CreateAccount(ctx, "default")
	if err != nil {
		return err
	}
	plain, _, err := st.svc.CreateKey(ctx, acct.ID, "first run")
	if err != nil {
		return err
	}
	// The first account is the server owner's: an operator in the console.
	if err := st.svc.SetAccountAdmin(ctx, acct.ID, true); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\nFirst start: created operator account %q with an API key (shown once, keep it):\n\n    %s\n\n", acct.Name, plain)
	fmt.Fprintf(os.Stderr, "Console:  %s/console/ (sign in with the key)\n", st.flags.publicURL)
	fmt.Fprintf(os.Stderr, "Try:  curl -H 'Authorization: Bearer %s' %s/api/v1/credits\n\n", plain, st.flags.publicURL)
	return nil
}

func runWorker(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	var sf stackFlags
	sf.add(fs)
	metricsAddr := fs.String("metrics-addr", env("METRICS_ADDR", ""), "serve /metrics, /healthz and /readyz on this address (for example :9090)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if sf.workers == 0 {
		return fmt.Errorf("worker: --workers 0 would do nothing")
	}
	sf.worker = true
	logger := sf.logger()
	st, err := sf.open(ctx, logger)
	if err != nil {
		return err
	}
	defer st.close()
	if *metricsAddr != "" {
		// Served until the process exits, so that /readyz answers during the drain.
		at, err := st.serveOps(context.WithoutCancel(ctx), *metricsAddr)
		if err != nil {
			return err
		}
		logger.Info("operations endpoints", "addr", at.String(), "paths", "/metrics /healthz /readyz")
	}
	if err := st.startWorkers(ctx); err != nil {
		return err
	}
	logger.Info("framecast worker running", "db", redactDSN(sf.dsn()), "blob", blobName(st.blob), "public_url", st.svc.Config().PublicURL,
		"worker_id", st.queue.WorkerID(), "workers", st.workerCount(), "listening", st.queue.Listening(), "rescue_after", sf.rescueAfter.String(),
		"font_set", render.FontSetFingerprint())
	<-ctx.Done()
	logger.Info("worker stopping: running jobs may finish", "drain_timeout", sf.drainTimeout.String())
	return nil
}

func runMigrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var sf stackFlags
	sf.add(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := sf.open(ctx, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	st.close()
	fmt.Println("migrations applied:", redactDSN(sf.dsn()))
	return nil
}

// blobName describes the object store for logs.
func blobName(b blob.Store) string {
	if l, ok := b.(*blob.Local); ok {
		return "file://" + l.Dir()
	}
	return fmt.Sprint(b)
}

func portOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return fmt.Sprint(t.Port)
	}
	return "8080"
}

// redactDSN hides a password in a database URL for logs.
func redactDSN(dsn string) string {
	if u, err := parseURL(dsn); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = nil
			return u.Scheme + "://***@" + u.Host + u.Path
		}
	}
	return dsn
}
