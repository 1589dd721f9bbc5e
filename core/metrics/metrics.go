// Package metrics defines every Prometheus series Framecast exports, in one place, and serves them in
// the Prometheus text format (GET /metrics on `serve`, and on `worker --metrics-addr`).
//
// The series are process-wide (one registry per process, as Prometheus expects of a scrape target);
// the queue depth is read from the database at scrape time by a collector the caller passes to Handler,
// so every process reports the same cluster-wide depth while the counters and histograms are its own.
//
// What an operator asks, and the series that answer it:
//
//	Is work piling up?            framecast_queue_jobs{kind,state}          (database, at scrape time)
//	Is this process busy?         framecast_jobs_running{kind}
//	How long does a segment take? framecast_segment_duration_seconds        (histogram, by outcome)
//	How long is the serial step?  framecast_finalize_duration_seconds       (histogram, by outcome)
//	Frames per second drawn:      rate(framecast_frames_rendered_total[1m])
//	Why do renders fail?          framecast_render_failures_total{reason}
//	Do webhooks arrive?           framecast_webhook_deliveries_total{outcome}
//	API traffic and errors:       framecast_http_requests_total{method,route,status}, framecast_http_request_duration_seconds
//	Storage traffic:              framecast_blob_bytes_total{direction}
//
// Label values are bounded sets (kinds, reasons, outcomes, chi route patterns — never raw paths, ids
// or error messages), so the number of series stays small whatever the traffic.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every series of this process, plus Go runtime and process metrics.
var Registry = prometheus.NewRegistry()

// durationBuckets spans what a render job takes: a short segment draws in a second or two, a long 4K one
// can take most of JobTimeout (30 min).
var durationBuckets = []float64{0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800}

// Job kinds as they appear in the kind label (River's job kinds without the "framecast_" prefix).
const (
	KindSegment  = "segment"
	KindFinalize = "finalize"
	KindWebhook  = "webhook"
	KindPurge    = "purge"
)

// Outcomes of a render job in the outcome label of the duration histograms.
const (
	OutcomeOK        = "ok"        // the job did its work
	OutcomeRetry     = "retry"     // failed, will be tried again
	OutcomeFailed    = "failed"    // failed for good (the render failed)
	OutcomeCancelled = "cancelled" // the render was no longer wanted
	OutcomeRequeued  = "requeued"  // the process stopped or lost the lease: another process takes it up
	OutcomeSkipped   = "skipped"   // a retried segment whose file was already stored
)

// Reasons a render fails, in the reason label of framecast_render_failures_total.
const (
	ReasonDocument = "document" // the stored document does not parse
	ReasonAsset    = "asset"    // an asset answered a client error, is too large, forbidden or unsupported
	ReasonTimeout  = "timeout"  // a job ran longer than JobTimeout on its last try
	ReasonAttempts = "attempts" // a segment or the finalize step failed on every try
	ReasonLost     = "lost"     // a segment job was discarded or cancelled outside Framecast
)

// Outcomes of one webhook delivery attempt.
const (
	WebhookDelivered = "delivered" // the receiver answered 2xx
	WebhookFailed    = "failed"    // no answer or a non-2xx answer: retried later
	WebhookForbidden = "forbidden" // the URL resolves to a forbidden address: never retried
)

var (
	// JobsRunning counts the jobs this process is running, by kind.
	JobsRunning = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "framecast_jobs_running", Help: "Jobs this process is running now, by kind.",
	}, []string{"kind"})
	// SegmentDuration observes how long segment jobs ran, by outcome.
	SegmentDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "framecast_segment_duration_seconds", Help: "Time a segment job ran (drawing, encoding, storing), by outcome.",
		Buckets: durationBuckets,
	}, []string{"outcome"})
	// FinalizeDuration observes how long the serial finalize step (join, audio mix, thumbnail, upload) ran.
	FinalizeDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "framecast_finalize_duration_seconds", Help: "Time the finalize step (download segments, mix audio, join, thumbnail, store) ran, by outcome.",
		Buckets: durationBuckets,
	}, []string{"outcome"})
	// FramesRendered counts frames drawn and encoded by segment jobs; its rate is the frames per second.
	FramesRendered = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "framecast_frames_rendered_total", Help: "Frames drawn and encoded by this process's segment jobs (rate() is frames/s).",
	})
	// RenderFailures counts renders that failed for good, by reason.
	RenderFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "framecast_render_failures_total", Help: "Renders that failed for good (and were refunded), by reason.",
	}, []string{"reason"})
	// WebhookDeliveries counts webhook delivery attempts by outcome.
	WebhookDeliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "framecast_webhook_deliveries_total", Help: "Webhook delivery attempts, by outcome.",
	}, []string{"outcome"})
	// HTTPRequests counts API requests by method, chi route pattern and status.
	HTTPRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "framecast_http_requests_total", Help: "HTTP requests served, by method, route pattern and status.",
	}, []string{"method", "route", "status"})
	// HTTPDuration observes request durations by method and route pattern.
	HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "framecast_http_request_duration_seconds", Help: "Time to serve an HTTP request, by method and route pattern.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "route"})
	// BlobBytes counts bytes written to (in) and read from (out) the blob store.
	BlobBytes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "framecast_blob_bytes_total", Help: "Bytes written to (direction=in) and read from (direction=out) the blob store.",
	}, []string{"direction"})
)

func init() {
	Registry.MustRegister(JobsRunning, SegmentDuration, FinalizeDuration, FramesRendered, RenderFailures,
		WebhookDeliveries, HTTPRequests, HTTPDuration, BlobBytes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Series that exist from the start (at 0), so that dashboards and rate() see them before the first event.
	for _, k := range []string{KindSegment, KindFinalize, KindWebhook, KindPurge} {
		JobsRunning.WithLabelValues(k)
	}
	for _, d := range []string{"in", "out"} {
		BlobBytes.WithLabelValues(d)
	}
	for _, o := range []string{WebhookDelivered, WebhookFailed, WebhookForbidden} {
		WebhookDeliveries.WithLabelValues(o)
	}
	for _, r := range []string{ReasonDocument, ReasonAsset, ReasonTimeout, ReasonAttempts, ReasonLost} {
		RenderFailures.WithLabelValues(r)
	}
}

// ObserveHTTP records one served request. route is the router's pattern ("/api/v1/video/{taskId}"),
// "" for a request no route matched (recorded as "unmatched").
func ObserveHTTP(method, route string, status int, elapsed time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	HTTPRequests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	HTTPDuration.WithLabelValues(method, route).Observe(elapsed.Seconds())
}

// Handler serves the registry, and the extra collectors (such as the queue depth, read from the
// database at each scrape), in the Prometheus text format.
func Handler(extra ...prometheus.Collector) http.Handler {
	gatherers := prometheus.Gatherers{Registry}
	if len(extra) > 0 {
		local := prometheus.NewRegistry()
		for _, c := range extra {
			local.MustRegister(c)
		}
		gatherers = append(gatherers, local)
	}
	return promhttp.HandlerFor(gatherers, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
