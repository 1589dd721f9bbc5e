package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/schemas"
)

// New fills zero fields with the documented defaults and keeps what was given.
func TestConfigDefaults(t *testing.T) {
	svc, err := core.New(core.Config{MaxWorkers: 3, PublicURL: "https://video.example.com/fc/"}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := svc.Config()
	if c.PublicURL != "https://video.example.com/fc" || c.DefaultCredits != core.DefaultCredits || c.PreviewTTL != core.DefaultPreviewTTL ||
		c.MaxUploadBytes != core.DefaultMaxUploadBytes || c.MaxWorkers != 3 || c.DefaultWorkers != 3 ||
		c.FilesRedirectTTL != core.DefaultFilesRedirectTTL || c.DrawQueueWait != core.DefaultDrawQueueWait ||
		c.MaxConcurrentDraws <= 0 || c.Limits != schemas.DefaultLimits() {
		t.Errorf("defaults not applied: %+v", c)
	}
	if svc, err = core.New(core.Config{}, nil, nil, nil); err != nil || svc.Config().PublicURL != core.DefaultPublicURL || svc.Config().DefaultWorkers != core.DefaultWorkers {
		t.Errorf("zero Config: %v %+v", err, svc.Config())
	}
}

// A value that cannot be meant is refused by name, with the fix, instead of being replaced.
func TestConfigRefusesWhatCannotBeMeant(t *testing.T) {
	lim := schemas.DefaultLimits()
	lim.MaxFPS = 0
	for _, tc := range []struct {
		cfg          core.Config
		field, whyIn string
	}{
		{core.Config{DefaultWorkers: 40}, "DefaultWorkers", "exceeds MaxWorkers (32)"},
		{core.Config{DefaultWorkers: 6, MaxWorkers: 4}, "DefaultWorkers", "exceeds MaxWorkers (4)"},
		{core.Config{MaxWorkers: -1}, "MaxWorkers", "or 0 for the default (32)"},
		{core.Config{DefaultWorkers: -2}, "DefaultWorkers", "cannot be negative"},
		{core.Config{MaxUploadBytes: -1}, "MaxUploadBytes", "default (524288000)"},
		{core.Config{StorageQuota: -5}, "StorageQuota", "0 for no quota"},
		{core.Config{PreviewTTL: -time.Hour}, "PreviewTTL", "default (168h0m0s)"},
		{core.Config{FilesRedirectTTL: -1}, "FilesRedirectTTL", "cannot be negative"},
		{core.Config{MaxConcurrentDraws: -1}, "MaxConcurrentDraws", "number of CPUs"},
		{core.Config{DrawQueueWait: -time.Second}, "DrawQueueWait", "default (2s)"},
		{core.Config{Limits: lim}, "Limits.MaxFPS", "schemas.DefaultLimits()"},
		{core.Config{PublicURL: "video.example.com"}, "PublicURL", "http:// or https://"},
		{core.Config{PublicURL: "ftp://video.example.com"}, "PublicURL", "http:// or https://"},
		{core.Config{PublicURL: "https://"}, "PublicURL", "no host"},
		{core.Config{PublicURL: "https://u:p@video.example.com"}, "PublicURL", "user"},
		{core.Config{PublicURL: "https://video.example.com/?x=1"}, "PublicURL", "query or fragment"},
		{core.Config{PublicURL: "https://video.example.com/#top"}, "PublicURL", "query or fragment"},
		{core.Config{PublicURL: "http://[::1"}, "PublicURL", "does not parse"},
	} {
		svc, err := core.New(tc.cfg, nil, nil, nil)
		var ce *core.ConfigError
		if svc != nil || !errors.As(err, &ce) || ce.Field != tc.field || !strings.Contains(err.Error(), tc.whyIn) {
			t.Errorf("New(%+v) = %v, %v; want a ConfigError on %s saying %q", tc.cfg, svc, err, tc.field, tc.whyIn)
		}
	}
	// Negative document caps mean "no cap" and negative credits "grant nothing", as documented.
	if _, err := core.New(core.Config{MaxDocumentBytes: -1, MaxLivePreviews: -1, DefaultCredits: -1}, nil, nil, nil); err != nil {
		t.Errorf("documented negative values refused: %v", err)
	}
}

// A setting that cannot be meant stops the service from starting, naming the field and the fix.
func ExampleNew() {
	_, err := core.New(core.Config{DefaultWorkers: 8, MaxWorkers: 4}, nil, nil, nil)
	fmt.Println(err)
	// Output: core.Config.DefaultWorkers = 8: it exceeds MaxWorkers (4): a render without num_workers could not be split that way; lower it or raise MaxWorkers
}
