//go:build loadtest

package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoad is `make loadtest`: a bounded load test of a real `framecast serve` (SQLite, loopback only)
// with the rate limit off. For each endpoint it runs FRAMECAST_LOADTEST_SECONDS (default 30) seconds at
// FRAMECAST_LOADTEST_CONCURRENCY (default 50) concurrent clients with keep-alive, and prints the request
// rate, the latency percentiles and the errors (any answer but the expected status). It measures; it
// asserts nothing but that the server answered.
//
// The per-account document caps are turned off as well, as when the reference figures were taken (one
// account creating tens of thousands of previews would otherwise reach its live-preview cap, by design).
func TestLoad(t *testing.T) {
	seconds := envOr("FRAMECAST_LOADTEST_SECONDS", 30)
	concurrency := envOr("FRAMECAST_LOADTEST_CONCURRENCY", 50)
	// FRAMECAST_LOADTEST_URL and FRAMECAST_LOADTEST_KEY aim the same load at a server already running (for
	// example another build, to compare two versions in the same minutes); it must be on loopback.
	srv := &server{url: os.Getenv("FRAMECAST_LOADTEST_URL"), key: os.Getenv("FRAMECAST_LOADTEST_KEY")}
	if srv.url == "" {
		srv = startServe(t, "--rate-limit", "-1", "--workers", "0", "--max-live-previews", "-1", "--max-document-mb", "-1")
	} else if u, err := url.Parse(srv.url); err != nil || !isLoopbackHost(u.Hostname()) {
		t.Fatalf("FRAMECAST_LOADTEST_URL %q: the load test only targets loopback addresses", srv.url)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: concurrency * 2, MaxIdleConnsPerHost: concurrency * 2, IdleConnTimeout: time.Minute}}
	preview := []byte(`{"meta":{"version":"2.0.0","width":1280,"height":720,"fps":30},
"tracks":[{"id":"main","clips":[{"type":"text","text":"Load test","start":0,"duration":3,"style":{"fontSize":64}},
{"type":"rect","start":0,"duration":3,"style":{"fill":"#e11d48"},"animations":[{"type":"fadeIn","duration":1}]}]}]}`)

	endpoints := []struct {
		name, method, path string
		body               []byte
		want               int
	}{
		{"GET /api/v1/credits", http.MethodGet, "/api/v1/credits", nil, http.StatusOK},
		{"POST /api/v1/preview", http.MethodPost, "/api/v1/preview", preview, http.StatusOK},
	}
	fmt.Printf("\nload test: %d s per endpoint, %d concurrent clients, loopback, SQLite, rate limit off\n", seconds, concurrency)
	fmt.Printf("%-22s %9s %9s %9s %9s %7s\n", "endpoint", "requests", "req/s", "p50", "p99", "errors")
	for _, ep := range endpoints {
		var (
			mu        sync.Mutex
			latencies []time.Duration
			errs      atomic.Int64
			firstErr  atomic.Value
			wg        sync.WaitGroup
		)
		stop := time.Now().Add(time.Duration(seconds) * time.Second)
		start := time.Now()
		for range concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				local := make([]time.Duration, 0, 4096)
				for time.Now().Before(stop) {
					req, _ := http.NewRequest(ep.method, srv.url+ep.path, bytes.NewReader(ep.body))
					req.Header.Set("Authorization", "Bearer "+srv.key)
					if ep.body != nil {
						req.Header.Set("Content-Type", "application/json")
					}
					t0 := time.Now()
					resp, err := client.Do(req)
					if err == nil {
						_, err = io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if err == nil && resp.StatusCode != ep.want {
							err = fmt.Errorf("status %d", resp.StatusCode)
						}
					}
					local = append(local, time.Since(t0))
					if err != nil {
						errs.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
				}
				mu.Lock()
				latencies = append(latencies, local...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		slices.Sort(latencies)
		pct := func(p float64) time.Duration {
			if len(latencies) == 0 {
				return 0
			}
			return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
		}
		fmt.Printf("%-22s %9d %9.0f %9s %9s %7d\n", ep.name, len(latencies), float64(len(latencies))/elapsed.Seconds(),
			pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), errs.Load())
		if e := firstErr.Load(); e != nil {
			fmt.Printf("  first error: %v\n", e)
		}
		if len(latencies) == 0 {
			t.Fatalf("%s: no request completed", ep.name)
		}
	}
}

func envOr(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// isLoopbackHost reports whether host is localhost or a loopback IP address.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
