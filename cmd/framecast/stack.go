package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/jobs"
	"github.com/framecast/framecast/core/metrics"
	"github.com/framecast/framecast/core/store"
)

// stackFlags are the settings every command that opens the service shares. Each flag can also be set by
// an environment variable FRAMECAST_<NAME> (for example FRAMECAST_DB); a flag given on the command line wins.
type stackFlags struct {
	db           string
	data         string
	publicURL    string
	allowPrivate bool
	workers      int
	credits      int64
	maxUploadMB  int64
	quotaMB      int64
	documentsMB  int64 // per-account stored documents cap, MiB (negative: none)
	livePreviews int64 // per-account live previews cap (negative: none)
	draws        int   // frames drawn on request at once
	blob         string
	cluster      bool
	// filesRedirect (serve only) answers /files/ requests with presigned URLs of the S3 store.
	filesRedirect bool
	// worker is set by the worker command: it reads the public URL from the database when not given, and
	// refuses set-ups that only work on one machine.
	worker       bool
	rescueAfter  time.Duration
	drainTimeout time.Duration
	segmentTTL   time.Duration
	logFormat    string
	minFreeMB    int64
}

func (s *stackFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&s.db, "db", env("DB", ""), "database: a SQLite file path or a postgres:// URL (default <data>/framecast.db)")
	fs.StringVar(&s.data, "data", env("DATA", "./data"), "data folder: the SQLite database, stored files, scratch space")
	fs.StringVar(&s.publicURL, "public-url", env("PUBLIC_URL", ""), "base of the URLs the API returns (default http://localhost:<port>)")
	fs.BoolVar(&s.allowPrivate, "allow-private-urls", envBool("ALLOW_PRIVATE_URLS", false), "let asset and webhook URLs reach loopback and private addresses")
	fs.IntVar(&s.workers, "workers", envInt("WORKERS", -1), "render jobs this process runs at once (default: number of CPUs; 0: none, only serve)")
	fs.Int64Var(&s.credits, "default-credits", int64(envInt("DEFAULT_CREDITS", core.DefaultCredits)), "credits granted to a new account")
	fs.Int64Var(&s.maxUploadMB, "max-upload-mb", int64(envInt("MAX_UPLOAD_MB", core.DefaultMaxUploadBytes>>20)), "largest accepted upload, in MiB")
	fs.Int64Var(&s.quotaMB, "storage-quota-mb", int64(envInt("STORAGE_QUOTA_MB", 0)), "uploads one account may keep, in MiB (0: no quota)")
	fs.Int64Var(&s.documentsMB, "max-document-mb", int64(envInt("MAX_DOCUMENT_MB", core.DefaultMaxDocumentBytes>>20)), "documents (tasks and live previews) one account may keep, in MiB (negative: no cap)")
	fs.Int64Var(&s.livePreviews, "max-live-previews", int64(envInt("MAX_LIVE_PREVIEWS", core.DefaultMaxLivePreviews)), "live previews one account may keep (negative: no cap)")
	fs.IntVar(&s.draws, "max-concurrent-draws", envInt("MAX_CONCURRENT_DRAWS", 0), "frames (player, MCP) this process draws at once (default: number of CPUs)")
	fs.StringVar(&s.blob, "blob", env("BLOB", ""), "object store for uploads, segments and videos: file:///PATH or s3://BUCKET/PREFIX[?path_style=true] (default file://<data>/objects; S3 credentials, region and endpoint from AWS_* variables or shared config)")
	fs.BoolVar(&s.cluster, "cluster", envBool("CLUSTER", false), "this process is one of several on more than one machine: refuse what only works on one (a SQLite database, a local object store)")
	fs.DurationVar(&s.rescueAfter, "rescue-after", envDuration("RESCUE_AFTER", jobs.DefaultRescueStuckJobsAfter),
		"how long a render job of a dead worker waits before another worker takes it over (at least "+jobs.MinRescueStuckJobsAfter.String()+")")
	fs.DurationVar(&s.drainTimeout, "drain-timeout", envDuration("DRAIN_TIMEOUT", defaultDrainTimeout),
		"on SIGTERM, how long running render jobs may take to finish before they go back to the queue")
	fs.DurationVar(&s.segmentTTL, "segment-ttl", envDuration("SEGMENT_TTL", jobs.DefaultSegmentTTL),
		"how long a stored segment is kept for reuse after the last render that used it")
	fs.Int64Var(&s.minFreeMB, "min-free-mb", int64(envInt("MIN_FREE_MB", defaultMinFreeMB)), "/readyz fails when the data disk has less free space than this, in MiB")
	fs.StringVar(&s.logFormat, "log-format", env("LOG_FORMAT", "text"), "log format: text or json (one JSON object per line)")
}

// defaultDrainTimeout is how long a stopping process lets its running render jobs finish.
const defaultDrainTimeout = 30 * time.Second

// check validates the settings that do not need the database, naming the flag at fault.
func (s *stackFlags) check() error {
	if s.rescueAfter < jobs.MinRescueStuckJobsAfter {
		return fmt.Errorf("--rescue-after %s is too short: the minimum is %s (running jobs heartbeat every fifth of it; "+
			"shorter delays get healthy renders taken over on a slow database)", s.rescueAfter, jobs.MinRescueStuckJobsAfter)
	}
	if s.drainTimeout < 0 {
		return fmt.Errorf("--drain-timeout %s is negative: give 0 to hand running jobs back at once", s.drainTimeout)
	}
	if s.segmentTTL <= 0 {
		return fmt.Errorf("--segment-ttl %s must be positive (stored segments are only an optimization: a short time "+
			"to live costs redrawing, never a failed render)", s.segmentTTL)
	}
	if s.logFormat != "text" && s.logFormat != "json" {
		return fmt.Errorf("--log-format %q: use text or json", s.logFormat)
	}
	return nil
}

// logger returns the process's logger in the chosen format, and makes it slog's default so that every
// package logs the same way.
func (s *stackFlags) logger() *slog.Logger {
	l := newLogger(s.logFormat)
	slog.SetDefault(l)
	return l

}

func env(name, def string) string {
	if v, ok := os.LookupEnv("FRAMECAST_" + name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(env(name, "")); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(env(name, "")); err == nil {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if v, err := strconv.ParseBool(env(name, "")); err == nil {
		return v
	}
	return def
}

// envTestFrameDelay slows every frame a process draws by the duration it holds, so that a test can kill a
// worker in the middle of a segment. Not a setting: tests only.
const envTestFrameDelay = "FRAMECAST_TEST_FRAME_DELAY"

// stack is an opened service: database, object store, queue and the operations over them.
type stack struct {
	store *store.Store
	blob  blob.Store
	queue *jobs.Queue
	svc   *core.Service
	flags stackFlags
	// metricsOnAPI serves /metrics on the API's own address (serve without --metrics-addr).
	metricsOnAPI bool
}

func (s *stackFlags) dsn() string {
	if s.db != "" {
		return s.db
	}
	return filepath.Join(s.data, "framecast.db")
}

// open opens the database (applying migrations under a lock), the object store and the queue.
func (s *stackFlags) open(ctx context.Context, logger *slog.Logger) (*stack, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.data, 0o755); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	st, err := store.Open(ctx, s.dsn())
	if err != nil {
		return nil, fmt.Errorf("opening the database: %w", err)
	}
	bl, err := blob.FromURL(ctx, s.blob, filepath.Join(s.data, "objects"))
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("--blob (FRAMECAST_BLOB): %w", err)
	}
	if err := s.checkDeployment(ctx, st, bl); err != nil {
		st.Close()
		return nil, err
	}
	jc := jobs.Config{
		ScratchDir:           filepath.Join(s.data, "scratch"),
		AllowPrivateURLs:     s.allowPrivate,
		RescueStuckJobsAfter: s.rescueAfter,
		SegmentTTL:           s.segmentTTL,
		Logger:               logger,
	}
	if st.Dialect() == store.Postgres {
		jc.ListenURL = s.dsn() // idle workers wait on LISTEN/NOTIFY instead of polling
	}
	if s.workers > 0 {
		jc.Workers = s.workers
	}
	if d, err := time.ParseDuration(os.Getenv(envTestFrameDelay)); err == nil && d > 0 {
		jc = jc.WithFrameDelay(d) // tests only: see jobs.Config.WithFrameDelay
	}
	q, err := jobs.New(ctx, st, jc)
	if err != nil {
		st.Close()
		return nil, err
	}
	svc, err := core.New(core.Config{
		PublicURL:          s.publicURL,
		DefaultCredits:     s.credits,
		MaxUploadBytes:     s.maxUploadMB << 20,
		StorageQuota:       s.quotaMB << 20,
		MaxDocumentBytes:   mibOrNone(s.documentsMB),
		MaxLivePreviews:    s.livePreviews,
		MaxConcurrentDraws: s.draws,
		AllowPrivateURLs:   s.allowPrivate,
		FilesRedirect:      s.filesRedirect,
		AssetCacheDir:      filepath.Join(s.data, "scratch", "assets"),
	}, st, metrics.CountBlob(bl), q)
	if err != nil {
		st.Close()
		return nil, flagError(err)
	}
	return &stack{store: st, blob: bl, queue: q, svc: svc, flags: *s}, nil
}

// coreFlags names the flag (and environment variable) that sets each core.Config field.
var coreFlags = map[string]string{
	"PublicURL":          "--public-url (FRAMECAST_PUBLIC_URL)",
	"DefaultCredits":     "--default-credits (FRAMECAST_DEFAULT_CREDITS)",
	"MaxUploadBytes":     "--max-upload-mb (FRAMECAST_MAX_UPLOAD_MB)",
	"StorageQuota":       "--storage-quota-mb (FRAMECAST_STORAGE_QUOTA_MB)",
	"MaxDocumentBytes":   "--max-document-mb (FRAMECAST_MAX_DOCUMENT_MB)",
	"MaxLivePreviews":    "--max-live-previews (FRAMECAST_MAX_LIVE_PREVIEWS)",
	"MaxConcurrentDraws": "--max-concurrent-draws (FRAMECAST_MAX_CONCURRENT_DRAWS)",
}

// flagError puts the name of the flag at fault before a core.ConfigError, which names the Config field.
func flagError(err error) error {
	var ce *core.ConfigError
	if errors.As(err, &ce) {
		if name, ok := coreFlags[ce.Field]; ok {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return err
}

// checkDeployment refuses set-ups that cannot work, with the reason, before anything runs: a cluster (or a
// worker with a shared S3 store) on SQLite, which lives on one machine's disk; a cluster on a local object
// store, whose segments and videos other machines cannot read; a worker that does not know the public URL
// the results must carry; --files-redirect without a store that presigns URLs. A worker started without
// --public-url takes the one `serve` recorded in the database.
func (s *stackFlags) checkDeployment(ctx context.Context, st *store.Store, bl blob.Store) error {
	sqlite := st.Dialect() == store.SQLite
	switch {
	case s.cluster && sqlite:
		return fmt.Errorf("--cluster needs a PostgreSQL database (--db postgres://…): SQLite is a file on one machine's disk, which processes on other machines cannot share")
	case s.cluster && !blob.IsRemote(bl):
		return fmt.Errorf("--cluster needs a shared object store (--blob s3://BUCKET/PREFIX): with a local folder, segments and videos stored on one machine cannot be read on the others")
	case s.worker && sqlite && blob.IsRemote(bl):
		return fmt.Errorf("a worker with an S3 object store is one of a cluster, which needs a PostgreSQL database (--db postgres://…): SQLite is a file on one machine's disk (for one machine, run `serve` alone: it renders in-process)")
	case s.filesRedirect:
		if _, ok := bl.(blob.Presigner); !ok {
			return fmt.Errorf("--files-redirect needs an S3 object store (--blob s3://…) to sign URLs; a local folder is served through Framecast")
		}
	}
	if s.worker && s.publicURL == "" {
		u, err := st.Setting(ctx, store.SettingPublicURL)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("worker: --public-url (FRAMECAST_PUBLIC_URL) is needed, the base of the video and webhook URLs it reports; or start `serve` once on this database, which records its own")
		}
		if err != nil {
			return err
		}
		s.publicURL = u
	}
	return nil
}

// workerCount is how many render jobs this process runs at once (the default is the number of CPUs).
func (s *stack) workerCount() int {
	if s.flags.workers < 0 {
		return runtime.GOMAXPROCS(0)
	}
	return s.flags.workers
}

// startWorkers makes this process work render jobs unless --workers 0.
func (s *stack) startWorkers(ctx context.Context) error {
	if s.flags.workers == 0 {
		return nil
	}
	return s.queue.Start(ctx, s.svc.Worker())
}

// close drains the queue (running render jobs get --drain-timeout to finish, then go back to the queue
// for another process) and closes the database.
func (s *stack) close() {
	ctx, cancel := context.WithTimeout(context.Background(), s.flags.drainTimeout)
	defer cancel()
	start := time.Now()
	if err := s.queue.Stop(ctx); err != nil {
		slog.Default().Warn("stopping the queue", "error", err)
	}
	if s.flags.workers != 0 {
		slog.Default().Info("worker drained", "duration_s", time.Since(start).Seconds())
	}
	s.store.Close()
}

// accountByName finds an account by name; ok is false when there is none.
func (s *stack) accountByName(ctx context.Context, name string) (core.Account, bool, error) {
	all, err := s.store.ListAccounts(ctx)
	if err != nil {
		return core.Account{}, false, err
	}
	for _, a := range all {
		if strings.EqualFold(a.Name, name) {
			return a, true, nil
		}
	}
	return core.Account{}, false, nil
}

// existingAccount finds an account by name, failing clearly when there is none.
func (s *stack) existingAccount(ctx context.Context, name string) (core.Account, error) {
	a, ok, err := s.accountByName(ctx, name)
	if err == nil && !ok {
		err = fmt.Errorf("no account %q (keys create --account %s makes one)", name, name)
	}
	return a, err
}

// accountNamed returns the account called name, creating it (with the default credit grant) when missing.
func (s *stack) accountNamed(ctx context.Context, name string) (core.Account, bool, error) {
	a, ok, err := s.accountByName(ctx, name)
	if err != nil || ok {
		return a, false, err
	}
	a, err = s.svc.CreateAccount(ctx, name)
	return a, true, err
}

// newLogger logs to stderr in format ("json": one JSON object per line; anything else: text), at Info
// level (Debug with FRAMECAST_LOG_LEVEL=debug).
func newLogger(format string) *slog.Logger {
	level := slog.LevelInfo
	if env("LOG_LEVEL", "") == "debug" {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// mibOrNone turns a size in MiB into bytes, keeping a negative value (no cap) negative.
func mibOrNone(mb int64) int64 {
	if mb < 0 {
		return -1
	}
	return mb << 20
}
