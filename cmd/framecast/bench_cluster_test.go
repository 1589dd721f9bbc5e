package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core/metrics"
)

// TestBenchCluster measures what a cluster gains (`make bench-cluster`; skipped unless
// FRAMECAST_BENCH_CLUSTER=1): the same 60 s 1080p document, uploaded image and sound, in 4 segments,
// rendered by 1 and then by 2 `framecast worker` processes (each --workers 1) behind `serve --workers 0`, on
// PostgreSQL and S3 as TestCluster. It reports the wall time from the render request to completed, the time
// the segments took (the parallel part) and the finalize job (join, audio mix, thumbnail, upload: the serial
// part), read from the workers' JSON "job finished" log lines, and from those the speedup to expect on N
// machines: (S + F) / (S/N + F) for N up to the segment count. Both processes share this machine's cores here, so the 2-process wall time shows the overhead of
// the cluster machinery rather than a speedup.
func TestBenchCluster(t *testing.T) {
	if os.Getenv("FRAMECAST_BENCH_CLUSTER") != "1" {
		t.Skip("a benchmark: make bench-cluster (FRAMECAST_BENCH_CLUSTER=1)")
	}
	var report []string
	var segOne, finOne float64
	for _, workers := range []int{1, 2} {
		r := runClusterBench(t, workers)
		if workers == 1 {
			segOne, finOne = r.segmentWork, r.finalize
		}
		report = append(report, fmt.Sprintf("%d worker process(es): %.1f s from request to completed; segments %.1f s of work (%.1f s from the first start to the last end); finalize %.1f s",
			workers, r.wall, r.segmentWork, r.segments, r.finalize))
	}
	report = append(report, "Expected on N machines (S = the segments' work with 1 worker, F = finalize; 4 segments, so N ≤ 4):")
	for _, n := range []int{1, 2, 4} {
		report = append(report, fmt.Sprintf("  N=%d: %.1f s, speedup %.2f", n, segOne/float64(n)+finOne, (segOne+finOne)/(segOne/float64(n)+finOne)))
	}
	t.Log("\n" + strings.Join(report, "\n"))
}

type clusterBenchResult struct {
	wall        float64 // request to completed
	segments    float64 // first segment start to last segment end
	segmentWork float64 // sum of the segments' durations
	finalize    float64 // the finalize job's run that assembled the video
}

func runClusterBench(t *testing.T, workers int) clusterBenchResult {
	var res clusterBenchResult
	t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
		c := startTestCluster(t, workers)
		c.waitFor = 25 * time.Minute // a loaded machine renders a 1080p minute slowly
		photoURL := c.serve.upload(t, "photo.jpg", mustRead(t, "../../examples/assets/photo1.jpg"))
		toneURL := c.serve.upload(t, "tone.wav", longToneWAV(t, 60))
		clips := []any{
			map[string]any{"type": "image", "src": photoURL, "start": 0, "duration": 60, "transform": map[string]any{"width": "100%", "height": "100%"},
				"animations": []any{map[string]any{"type": "zoomIn", "duration": 60}}},
			map[string]any{"type": "audio", "src": toneURL, "start": 0, "duration": 60},
		}
		for i := 0; i < 12; i++ {
			clips = append(clips, map[string]any{"type": "text", "text": fmt.Sprintf("Line %d of the cluster benchmark", i+1), "start": i * 5, "duration": 5,
				"style": map[string]any{"fontSize": 72, "fill": "#ffffff"}, "animations": []any{map[string]any{"type": "fadeIn", "duration": 1}}})
		}
		doc := map[string]any{"meta": map[string]any{"version": "2.0.0", "width": 1920, "height": 1080, "fps": 30},
			"tracks": []any{map[string]any{"clips": clips}}}
		start := time.Now()
		task := c.render(t, doc, 4, "")
		res.wall = time.Since(start).Seconds()
		if task["status"] != "completed" {
			t.Fatalf("task ended %v: %v", task["status"], task["error"])
		}
		// The workers' JSON log lines "job finished" carry each job's kind and duration.
		var first, last time.Time
		for _, w := range c.workers {
			for _, line := range strings.Split(w.log(), "\n") {
				var l struct {
					Time     time.Time `json:"time"`
					Msg      string    `json:"msg"`
					Kind     string    `json:"kind"`
					Duration float64   `json:"duration_s"`
					Outcome  string    `json:"outcome"`
				}
				if json.Unmarshal([]byte(line), &l) != nil || l.Msg != "job finished" || l.Outcome != "ok" {
					continue
				}
				switch l.Kind {
				case metrics.KindFinalize:
					res.finalize += l.Duration
				case metrics.KindSegment:
					res.segmentWork += l.Duration
					began := l.Time.Add(-time.Duration(l.Duration * float64(time.Second)))
					if first.IsZero() || began.Before(first) {
						first = began
					}
					if l.Time.After(last) {
						last = l.Time
					}
				}
			}
		}
		if res.segmentWork == 0 || res.finalize == 0 {
			t.Fatalf("no job lines in the workers' logs")
		}
		res.segments = last.Sub(first).Seconds()
	})
	return res
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
