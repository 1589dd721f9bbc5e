package core

import (
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/framecast/framecast/schemas"
)

// Config holds the service's settings. Zero fields take the defaults listed; New refuses a value that
// cannot be meant (a negative size or duration, DefaultWorkers above MaxWorkers, a PublicURL that is not
// an absolute http(s) URL) with a *ConfigError instead of quietly replacing it, so that a typo in a flag
// is found at start-up rather than in the behaviour of a running server.
type Config struct {
	// PublicURL is the base of every URL returned, such as "https://video.example.com" or
	// "https://example.com/video" (default "http://localhost:8080"). It must be an absolute http or https
	// URL without user, query or fragment; a trailing "/" is dropped.
	PublicURL string
	// DefaultCredits is the grant of a new account (default 1000). A negative value grants nothing.
	DefaultCredits int64
	// PreviewTTL is how long a preview lives (default 7 days).
	PreviewTTL time.Duration
	// MaxUploadBytes is the largest accepted upload (default 500 MiB).
	MaxUploadBytes int64
	// StorageQuota is the most bytes of uploads one account may keep; 0 means no quota.
	StorageQuota int64
	// DefaultWorkers is the number of segments a render is split into when the request names none
	// (default 5, or MaxWorkers when that is smaller). It may not exceed MaxWorkers.
	DefaultWorkers int
	// MaxWorkers caps num_workers (default 32).
	MaxWorkers int
	// Limits bound accepted documents; the zero value means schemas.DefaultLimits(). A non-zero value must
	// set every limit.
	Limits schemas.Limits
	// AllowPrivateURLs lets webhook URLs point at loopback and private addresses (tests, local development).
	AllowPrivateURLs bool
	// FilesRedirect answers a request for a stored file (OpenStoredFile) with a presigned URL of the object
	// store instead of its bytes, when the store presigns (S3): the bytes then never pass through Framecast.
	FilesRedirect bool
	// FilesRedirectTTL is how long such a URL stays valid (default DefaultFilesRedirectTTL).
	FilesRedirectTTL time.Duration
	// MaxConcurrentDraws is how many frames this process draws on request at once (default: the number of
	// CPUs); DrawQueueWait how long a request waits for a turn before SERVER_BUSY (default 2 s). See draws.go.
	MaxConcurrentDraws int
	DrawQueueWait      time.Duration
	// MaxDocumentBytes bounds the bytes of one account's stored documents (tasks and live previews;
	// default DefaultMaxDocumentBytes, negative: no cap); MaxLivePreviews its live previews (default
	// DefaultMaxLivePreviews, negative: no cap). See caps.go.
	MaxDocumentBytes int64
	MaxLivePreviews  int64
	// SessionIdleTimeout ends a console session unused for this long (default DefaultSessionIdleTimeout).
	SessionIdleTimeout time.Duration
	// AssetCacheDir caches the media that Frames downloads ("" for the user cache folder).
	AssetCacheDir string
}

// The defaults of Config.
const (
	DefaultPublicURL      = "http://localhost:8080"
	DefaultCredits        = 1000
	DefaultPreviewTTL     = 7 * 24 * time.Hour
	DefaultMaxUploadBytes = 500 << 20
	DefaultWorkers        = 5
	DefaultMaxWorkers     = 32
)

// ConfigError is a Config value New refused: Field names the Config field, Value is what it held and Fix
// says what to give instead. Programs that take the settings from flags map Field to their flag's name.
type ConfigError struct {
	Field string
	Value any
	Fix   string
}

// Error implements error: "core.Config.Field = value: fix".
func (e *ConfigError) Error() string {
	return fmt.Sprintf("core.Config.%s = %v: %s", e.Field, e.Value, e.Fix)
}

// validate returns c with its zero fields set to their defaults, or the first value that cannot be meant.
// Every rule is checked here, once: the operations trust the Config they hold.
func (c Config) validate() (Config, error) {
	var err error
	if c.PublicURL, err = checkPublicURL(c.PublicURL); err != nil {
		return c, err
	}
	if c.DefaultCredits == 0 {
		c.DefaultCredits = DefaultCredits
	}
	for _, f := range []struct {
		name  string
		value int64
		def   int64
		unit  string
	}{
		{"PreviewTTL", int64(c.PreviewTTL), int64(DefaultPreviewTTL), "duration"},
		{"MaxUploadBytes", c.MaxUploadBytes, DefaultMaxUploadBytes, "size"},
		{"StorageQuota", c.StorageQuota, 0, "size"},
		{"DefaultWorkers", int64(c.DefaultWorkers), DefaultWorkers, "count"},
		{"MaxWorkers", int64(c.MaxWorkers), DefaultMaxWorkers, "count"},
		{"FilesRedirectTTL", int64(c.FilesRedirectTTL), int64(DefaultFilesRedirectTTL), "duration"},
		{"MaxConcurrentDraws", int64(c.MaxConcurrentDraws), 0, "count"},
		{"DrawQueueWait", int64(c.DrawQueueWait), int64(DefaultDrawQueueWait), "duration"},
		{"SessionIdleTimeout", int64(c.SessionIdleTimeout), int64(DefaultSessionIdleTimeout), "duration"},
	} {
		if f.value < 0 {
			return c, negative(f.name, f.value, f.def, f.unit)
		}
	}
	if c.PreviewTTL == 0 {
		c.PreviewTTL = DefaultPreviewTTL
	}
	if c.MaxUploadBytes == 0 {
		c.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if c.MaxWorkers == 0 {
		c.MaxWorkers = DefaultMaxWorkers
	}
	switch {
	case c.DefaultWorkers == 0:
		c.DefaultWorkers = min(DefaultWorkers, c.MaxWorkers)
	case c.DefaultWorkers > c.MaxWorkers:
		return c, &ConfigError{Field: "DefaultWorkers", Value: c.DefaultWorkers,
			Fix: fmt.Sprintf("it exceeds MaxWorkers (%d): a render without num_workers could not be split that way; lower it or raise MaxWorkers", c.MaxWorkers)}
	}
	if c.FilesRedirectTTL == 0 {
		c.FilesRedirectTTL = DefaultFilesRedirectTTL
	}
	if c.MaxDocumentBytes == 0 {
		c.MaxDocumentBytes = DefaultMaxDocumentBytes
	}
	if c.MaxLivePreviews == 0 {
		c.MaxLivePreviews = DefaultMaxLivePreviews
	}
	if c.MaxConcurrentDraws == 0 {
		c.MaxConcurrentDraws = runtime.GOMAXPROCS(0)
	}
	if c.DrawQueueWait == 0 {
		c.DrawQueueWait = DefaultDrawQueueWait
	}
	if c.SessionIdleTimeout == 0 {
		c.SessionIdleTimeout = DefaultSessionIdleTimeout
	}
	if c.Limits == (schemas.Limits{}) {
		c.Limits = schemas.DefaultLimits()
	} else if err := checkLimits(c.Limits); err != nil {
		return c, err
	}
	return c, nil
}

// negative reports a negative count, size or duration, with its default.
func negative(field string, value, def int64, unit string) *ConfigError {
	var shown, defShown any = value, def
	if unit == "duration" {
		shown, defShown = time.Duration(value), time.Duration(def)
	}
	fix := fmt.Sprintf("a %s cannot be negative; give a positive one, or 0 for the default (%v)", unit, defShown)
	switch field {
	case "StorageQuota":
		fix = "a size cannot be negative; give 0 for no quota"
	case "MaxConcurrentDraws":
		fix = "a count cannot be negative; give 0 for the default (the number of CPUs)"
	}
	return &ConfigError{Field: field, Value: shown, Fix: fix}
}

// checkPublicURL returns the public URL without its trailing "/" (the default for ""), or why it cannot
// be the base of the URLs the API returns.
func checkPublicURL(raw string) (string, error) {
	if raw == "" {
		return DefaultPublicURL, nil
	}
	bad := func(why string) error {
		return &ConfigError{Field: "PublicURL", Value: fmt.Sprintf("%q", raw),
			Fix: why + `; give the absolute URL clients reach this server at, such as "https://video.example.com"`}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", bad("it does not parse as a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad("it must start with http:// or https://")
	case u.Host == "" || u.Hostname() == "":
		return "", bad("it has no host")
	case u.User != nil:
		return "", bad("it may not carry a user or password")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", bad("it may not carry a query or fragment (URLs are built by appending paths)")
	}
	return strings.TrimRight(raw, "/"), nil
}

// checkLimits refuses a Limits value with a limit left zero or negative (the zero Limits means the
// defaults, but a partly filled one would refuse every document).
func checkLimits(l schemas.Limits) error {
	for _, f := range []struct {
		name  string
		value float64
	}{
		{"MaxWidth", float64(l.MaxWidth)}, {"MaxHeight", float64(l.MaxHeight)}, {"MaxFPS", l.MaxFPS},
		{"MaxDuration", l.MaxDuration}, {"MaxClips", float64(l.MaxClips)}, {"MaxBytes", float64(l.MaxBytes)},
	} {
		if !(f.value > 0) {
			return &ConfigError{Field: "Limits." + f.name, Value: f.value,
				Fix: "every limit must be positive; start from schemas.DefaultLimits() and change the ones you mean"}
		}
	}
	return nil
}
