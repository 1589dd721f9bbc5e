package preview

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/internal/benchdocs"
	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/render/ffmpeg"
)

// BenchmarkPreview measures what a person opening a preview waits for, on the bench documents (see
// internal/benchdocs): the time from asking for the proxy until something plays (first-playable-s: its first
// seconds, or the whole proxy if that comes first) and until the whole proxy is ready (whole-proxy-s),
// a frame of a document nobody asked for before (cold-frame-ms: loading the timeline, probing and opening
// media, drawing, JPEG) and the next frames of the same scrub (warm-frame-ms, median). Targets (issue 15) on
// the busy document: first playable ≤ 1 s, cold frame ≤ 300 ms.
//
// Each is timed on a server that is up: the preview service was started and its standby decoders
// (ffmpeg.KeepStandby, launched at its start) have finished starting (ffmpeg.WaitStandbys) before the proxy
// is asked for. The cold frame is a new service's (no timeline, no frame cached) in that process: its
// videos' decoders take the standbys; the proxy before it has left the probes in the process's cache, as a
// server that made the proxy would have. A process's very first video frame, asked for within a few tenths
// of a second of its start, waits for the standbys still starting instead. The scrub's frames follow each
// other without a pause, so a standby replaced after one frame may still be starting when the next one is
// asked for.
func BenchmarkPreview(b *testing.B) {
	media, err := benchdocs.MakeMedia(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, doc string }{
		{"titlecard", benchdocs.TitleCard(1920, 1080)},
		{"busy", benchdocs.Busy(media)},
	} {
		b.Run(c.name, func(b *testing.B) { benchmarkPreview(b, []byte(c.doc)) })
	}
}

func benchmarkPreview(b *testing.B, doc []byte) {
	ctx := context.Background()
	newService := func() *Service {
		store, err := blob.NewLocal(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		s := New(Config{URL: func(k string) string { return "/files/" + k },
			Assets: assets.Options{CacheDir: b.TempDir(), AllowLocal: true, Policy: netguard.Policy{AllowPrivate: true}}}, store)
		b.Cleanup(s.Close)
		if err := ffmpeg.WaitStandbys(ctx); err != nil {
			b.Fatal(err)
		}
		return s
	}
	var playable, whole, cold time.Duration
	var warm []time.Duration
	for i := 0; i < b.N; i++ {
		s := newService()
		start := time.Now()
		var first time.Duration // the first seconds, or the whole proxy when it comes first
		for {
			st, err := s.WaitProxy(ctx, "bench", doc, time.Minute)
			if err != nil || st.Err != "" {
				b.Fatalf("proxy: %+v %v", st, err)
			}
			if first == 0 && (st.PartialURL != "" || st.Ready) {
				first = time.Since(start)
			}
			if st.Ready {
				break
			}
		}
		playable += first
		whole += time.Since(start)

		s = newService()
		start = time.Now()
		if _, err := s.Frame(ctx, doc, 5, 0); err != nil {
			b.Fatal(err)
		}
		cold += time.Since(start)
		for _, t := range []float64{5.5, 6, 2, 8.3, 4.9, 7.1, 1.2} {
			start = time.Now()
			if _, err := s.Frame(ctx, doc, t, 0); err != nil {
				b.Fatal(err)
			}
			warm = append(warm, time.Since(start))
		}
	}
	sort.Slice(warm, func(i, j int) bool { return warm[i] < warm[j] })
	n := float64(b.N)
	b.ReportMetric(playable.Seconds()/n, "first-playable-s")
	b.ReportMetric(whole.Seconds()/n, "whole-proxy-s")
	b.ReportMetric(float64(cold.Milliseconds())/n, "cold-frame-ms")
	b.ReportMetric(float64(warm[len(warm)/2].Microseconds())/1000, "warm-frame-ms")
}
