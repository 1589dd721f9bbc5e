package metrics

import (
	"context"
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/framecast/framecast/core/blob"
)

// Depth is how many jobs of one kind are in one state.
type Depth struct {
	Kind  string
	State string
	Count int
}

// queueDepthTimeout bounds the database read of one scrape.
const queueDepthTimeout = 3 * time.Second

var queueJobsDesc = prometheus.NewDesc("framecast_queue_jobs",
	"Jobs in the queue (all processes), by kind and state: available and scheduled are waiting, retryable failed once and waits to be tried again, running are being worked.",
	[]string{"kind", "state"}, nil)

// queueDepth is a collector that reads the queue's depth at scrape time.
type queueDepth struct {
	read func(ctx context.Context) ([]Depth, error)
}

// QueueDepth returns a collector of framecast_queue_jobs{kind,state} that calls read at each scrape.
func QueueDepth(read func(ctx context.Context) ([]Depth, error)) prometheus.Collector {
	return queueDepth{read: read}
}

func (q queueDepth) Describe(ch chan<- *prometheus.Desc) { ch <- queueJobsDesc }

func (q queueDepth) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueDepthTimeout)
	defer cancel()
	depths, err := q.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueJobsDesc, err)
		return
	}
	for _, d := range depths {
		ch <- prometheus.MustNewConstMetric(queueJobsDesc, prometheus.GaugeValue, float64(d.Count), d.Kind, d.State)
	}
}

// CountBlob wraps a blob store so that the bytes it stores and serves are counted in
// framecast_blob_bytes_total.
// A store that presigns URLs (S3) still does: bytes fetched through a presigned URL go from the store
// to the client directly and are not counted.
func CountBlob(s blob.Store) blob.Store {
	switch s.(type) {
	case countedBlob, countedPresigner:
		return s
	}
	if p, ok := s.(blob.Presigner); ok {
		return countedPresigner{countedBlob{s}, p}
	}
	return countedBlob{s}
}

// countedPresigner is a countedBlob over a store that presigns URLs.
type countedPresigner struct {
	countedBlob
	blob.Presigner
}

// countedBlob is a blob.Store that counts bytes in and out.
type countedBlob struct{ blob.Store }

// Unwrap returns the store it counts for.
func (c countedBlob) Unwrap() blob.Store { return c.Store }

func (c countedBlob) Put(ctx context.Context, key string, r io.Reader, contentType string) (int64, error) {
	n, err := c.Store.Put(ctx, key, r, contentType)
	if err == nil {
		BlobBytes.WithLabelValues("in").Add(float64(n))
	}
	return n, err
}

func (c countedBlob) Open(ctx context.Context, key string) (blob.Object, error) {
	obj, err := c.Store.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	return countedObject{obj}, nil
}

// countedObject counts the bytes read from an object.
type countedObject struct{ blob.Object }

func (o countedObject) Read(p []byte) (int, error) {
	n, err := o.Object.Read(p)
	if n > 0 {
		BlobBytes.WithLabelValues("out").Add(float64(n))
	}
	return n, err
}
