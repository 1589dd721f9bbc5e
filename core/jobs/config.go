package jobs

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Config holds the queue's settings. Zero fields take the defaults listed.
type Config struct {
	// Workers is how many render jobs (segments and finalizations) one process runs at once
	// (default GOMAXPROCS).
	Workers int
	// FrameWorkers is how many frames one render job draws at once (default GOMAXPROCS / Workers, at
	// least 1), so that a busy process uses its cores without oversubscribing them.
	FrameWorkers int
	// ScratchDir holds the temporary files of running jobs (default os.TempDir()/framecast-jobs).
	ScratchDir string
	// AssetCacheDir caches downloaded media between jobs on this machine (default ScratchDir/assets).
	AssetCacheDir string
	// JobTimeout is the longest one segment or one finalization may run before it is abandoned and
	// retried (default 30 min).
	JobTimeout time.Duration
	// RescueStuckJobsAfter is how long a job may go without a heartbeat before another process takes it
	// over: the time a render loses when the machine running it dies (default 2 min). Running jobs
	// heartbeat every fifth of it.
	RescueStuckJobsAfter time.Duration
	// AllowPrivateURLs lets asset and webhook URLs reach loopback and private addresses (tests, local
	// development). Cloud metadata addresses stay forbidden.
	AllowPrivateURLs bool
	// SegmentMaxAttempts is how many times a segment or finalization is tried before the render fails
	// and is refunded (default 3). A permanent error (an asset answering 404, a forbidden address) fails
	// at once.
	SegmentMaxAttempts int
	// SegmentRetryDelay is the wait before the second try of a failed segment; each later try waits
	// four times longer (default 5 s).
	SegmentRetryDelay time.Duration
	// WebhookRetryDelays are the waits between webhook deliveries: a webhook is tried
	// len(WebhookRetryDelays)+1 times. The default is the Standard Webhooks schedule 5 s, 5 min, 30 min,
	// 2 h, 5 h, 10 h, 10 h: 8 attempts over about 27 hours.
	WebhookRetryDelays []time.Duration
	// WebhookTimeout bounds one webhook delivery (default 10 s).
	WebhookTimeout time.Duration
	// WebhookAccountConcurrency is how many webhooks of one account this process delivers at once
	// (default 2); see webhook.go for the fairness it buys.
	WebhookAccountConcurrency int
	// PollInterval is how often an idle process looks for new jobs (default 1 s). Jobs inserted by this
	// process start without waiting for it.
	PollInterval time.Duration
	// ProgressInterval is how often a running render reports progress and checks that it is still
	// wanted (default 1 s).
	ProgressInterval time.Duration
	// PurgeInterval is how often expired previews, expired stored segments, orphaned segment files and
	// abandoned scratch folders are deleted (default 1 h).
	PurgeInterval time.Duration
	// SegmentTTL is how long an account's stored segment (SegmentStoreKey) is kept once no render uses it
	// (default 72 h): the periodic purge deletes the segments stored or last reused longer ago than that.
	// A render that reuses a segment refreshes it, so a design rendered again and again keeps its
	// segments; see segmentstore.go for the exact rule.
	SegmentTTL time.Duration
	// OrphanAge is how old the segment file of an ended render must be before the purge deletes it
	// (default 1 h).
	OrphanAge time.Duration
	// ListenURL, on PostgreSQL, is the database URL River opens a pgx connection with to LISTEN for new
	// jobs, so that an idle process does not poll (a job then starts within milliseconds). Empty: poll
	// every PollInterval.
	ListenURL string
	// ListenPollInterval is how often a listening process still polls, as a safety net for a missed
	// notification (default 5 s).
	ListenPollInterval time.Duration
	// Logger receives the queue's and River's logs (default slog.Default()).
	Logger *slog.Logger

	// frameDelay slows every drawn frame down; tests use it to kill a worker in the middle of a render.
	frameDelay time.Duration
	// progressWriteErr, when set, makes every progress write fail with it (tests).
	progressWriteErr error
	// progressObserved, when set, is called with every progress the finalize job writes (tests).
	progressObserved func(progress float64)
}

// The defaults of Config.
const (
	DefaultJobTimeout                = 30 * time.Minute
	DefaultRescueStuckJobsAfter      = 2 * time.Minute
	DefaultSegmentMaxAttempts        = 3
	DefaultSegmentRetryDelay         = 5 * time.Second
	DefaultWebhookTimeout            = 10 * time.Second
	DefaultWebhookAccountConcurrency = 2
	DefaultPollInterval              = time.Second
	DefaultProgressInterval          = time.Second
	DefaultPurgeInterval             = time.Hour
	DefaultOrphanAge                 = time.Hour
	DefaultSegmentTTL                = 72 * time.Hour
	DefaultListenPollInterval        = 5 * time.Second
)

// MinRescueStuckJobsAfter is the shortest rescue delay a deployment may set: running jobs heartbeat
// every fifth of it, and below 30 s (a beat every 6 s) a slow database or a long pause of the garbage
// collector gets healthy renders taken over and drawn twice.
const MinRescueStuckJobsAfter = 30 * time.Second

// DefaultWebhookRetryDelays is the Standard Webhooks retry schedule: after the first attempt, retries
// wait 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.
var DefaultWebhookRetryDelays = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.FrameWorkers <= 0 {
		c.FrameWorkers = max(1, runtime.GOMAXPROCS(0)/c.Workers)
	}
	if c.ScratchDir == "" {
		c.ScratchDir = filepath.Join(os.TempDir(), "framecast-jobs")
	}
	if c.AssetCacheDir == "" {
		c.AssetCacheDir = filepath.Join(c.ScratchDir, "assets")
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = DefaultJobTimeout
	}
	if c.RescueStuckJobsAfter <= 0 {
		c.RescueStuckJobsAfter = DefaultRescueStuckJobsAfter
	}
	if c.SegmentMaxAttempts <= 0 {
		c.SegmentMaxAttempts = DefaultSegmentMaxAttempts
	}
	if c.SegmentRetryDelay <= 0 {
		c.SegmentRetryDelay = DefaultSegmentRetryDelay
	}
	if len(c.WebhookRetryDelays) == 0 {
		c.WebhookRetryDelays = DefaultWebhookRetryDelays
	}
	if c.WebhookTimeout <= 0 {
		c.WebhookTimeout = DefaultWebhookTimeout
	}
	if c.WebhookAccountConcurrency <= 0 {
		c.WebhookAccountConcurrency = DefaultWebhookAccountConcurrency
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.ProgressInterval <= 0 {
		c.ProgressInterval = DefaultProgressInterval
	}
	if c.PurgeInterval <= 0 {
		c.PurgeInterval = DefaultPurgeInterval
	}
	if c.SegmentTTL <= 0 {
		c.SegmentTTL = DefaultSegmentTTL
	}
	if c.OrphanAge <= 0 {
		c.OrphanAge = DefaultOrphanAge
	}
	if c.ListenPollInterval <= 0 {
		c.ListenPollInterval = DefaultListenPollInterval
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// heartbeatEvery is how often a running job proves it is alive: a fifth of the rescue delay, so that a
// few missed beats (a slow database) do not get a healthy job rescued.
func (c Config) heartbeatEvery() time.Duration { return c.RescueStuckJobsAfter / 5 }
