package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// batchDoc is a 1080p document of seconds: a gradient, a card that drifts and turns the whole time (so no
// two frames are alike), a ticker, titles at titleTimes (each 3 s long, the first carrying name) and a
// progress bar.
func batchDoc(seconds float64, name string, titles map[float64]string) string {
	var clips []string
	clips = append(clips,
		fmt.Sprintf(`{"type":"rect","start":0,"duration":%g,"transform":{"x":"50%%","y":"55%%","width":900,"height":500},"style":{"fill":"#1e3a8a","borderRadius":40},
		 "keyframes":[{"property":"rotation","frames":[{"time":0,"value":-4},{"time":%g,"value":4}]},{"property":"x","frames":[{"time":0,"value":760},{"time":%g,"value":1160}]}]}`, seconds, seconds, seconds),
		fmt.Sprintf(`{"type":"circle","start":0,"duration":%g,"size":160,"transform":{"x":"85%%","y":"20%%"},"style":{"fill":"#f59e0b"},
		 "keyframes":[{"property":"y","frames":[{"time":0,"value":150},{"time":%g,"value":900}]}]}`, seconds, seconds),
		fmt.Sprintf(`{"type":"rect","start":0,"duration":%g,"transform":{"x":0,"y":1060,"width":1920,"height":20,"anchorX":0,"anchorY":0},"style":{"fill":"#10b981"},
		 "keyframes":[{"property":"width","frames":[{"time":0,"value":1},{"time":%g,"value":1920}]}]}`, seconds, seconds),
		fmt.Sprintf(`{"type":"text","text":"Hello, %s!","start":0,"duration":3,"style":{"fontSize":110,"fill":"#ffffff","fontWeight":"bold"},
		 "transform":{"x":"50%%","y":"30%%"},"animations":[{"type":"fadeIn","duration":0.5}]}`, name),
	)
	for at, text := range titles {
		clips = append(clips, fmt.Sprintf(`{"type":"text","text":%q,"start":%g,"duration":3,"style":{"fontSize":90,"fill":"#ffffff"},
		 "transform":{"x":"50%%","y":"30%%"},"animations":[{"type":"fadeIn","duration":0.5}]}`, text, at))
	}
	return fmt.Sprintf(`{"meta":{"version":"2.0.0","width":1920,"height":1080,"fps":30,
	 "background":{"type":"linear","angle":135,"stops":[{"offset":0,"color":"#0f172a"},{"offset":1,"color":"#334155"}]}},
	 "tracks":[{"id":"main","clips":[%s]}]}`, strings.Join(clips, ",\n"))
}

// TestBenchBatch is `make bench-batch` (skipped unless FRAMECAST_BENCH_BATCH=1): what segment reuse saves.
//
//   - A batch: 20 variants (FRAMECAST_BENCH_VARIANTS) of a 30 s 1080p document whose first 3 s carry a name,
//     rendered without reuse (Render, one encode, as before reuse) and with reuse (RenderReusing, one
//     segment cache for the batch, starting empty), each variant once each way, interleaved so that both
//     sides see the same load.
//   - An edit: a 60 s document with ten titles rendered fresh, then with one title changed through the
//     cache the first render filled, against a fresh render of the edited document.
//   - Frame-identical: the reused renders decode to the same frames as renders through an empty cache.
//
// Times are wall times and CPU times (this process and its FFmpeg children), each side measured alone.
func TestBenchBatch(t *testing.T) {
	if os.Getenv("FRAMECAST_BENCH_BATCH") != "1" {
		t.Skip("a benchmark: make bench-batch (FRAMECAST_BENCH_BATCH=1)")
	}
	ctx := context.Background()
	variants := 20
	if n, err := strconv.Atoi(os.Getenv("FRAMECAST_BENCH_VARIANTS")); err == nil && n > 0 {
		variants = n
	}
	out := t.TempDir()
	load := func(raw string) *Timeline { return loadTimeline(t, parseDoc(t, raw)) }
	names := []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis",
		"Radia", "Linus", "Sophie", "Tim", "Hedy", "John", "Katherine", "Niklaus", "Shafi", "Leslie"}

	// The batch.
	cache := DirSegmentCache(filepath.Join(out, "cache"))
	var fresh, reusing, coldFresh, coldReusing time.Duration // cold: the first variant, through an empty cache
	// The same in CPU time (this process and its FFmpeg children): steadier than wall time on a machine
	// shared with other work, where a render with more threads gets a larger share of the cores.
	var freshCPU, reusingCPU, coldFreshCPU, coldReusingCPU time.Duration
	reusedSegs, totalSegs := 0, 0
	var lastReused string
	for i := range variants {
		name := names[i%len(names)] + strings.Repeat("!", i/len(names))
		doc := batchDoc(30, name, nil)
		start, cpu := time.Now(), cpuTime()
		if err := load(doc).Render(ctx, filepath.Join(out, "fresh.mp4")); err != nil {
			t.Fatal(err)
		}
		fresh += time.Since(start)
		freshCPU += cpuTime() - cpu
		start, cpu = time.Now(), cpuTime()
		lastReused = filepath.Join(out, fmt.Sprintf("reused-%02d.mp4", i))
		stats, err := load(doc).RenderReusing(ctx, lastReused, cache)
		if err != nil {
			t.Fatal(err)
		}
		reusing += time.Since(start)
		reusingCPU += cpuTime() - cpu
		if i == 0 {
			coldFresh, coldReusing = fresh, reusing
			coldFreshCPU, coldReusingCPU = freshCPU, reusingCPU
		}
		reusedSegs += stats.SegmentsReused
		totalSegs += stats.SegmentsTotal
		t.Logf("variant %2d (%s): fresh so far %.1f s, reusing so far %.1f s, %d of %d segments reused", i+1, name,
			fresh.Seconds(), reusing.Seconds(), stats.SegmentsReused, stats.SegmentsTotal)
	}

	// Frame-identical: the last variant, drawn through an empty cache.
	lastDoc := batchDoc(30, names[(variants-1)%len(names)]+strings.Repeat("!", (variants-1)/len(names)), nil)
	check := filepath.Join(out, "check.mp4")
	if _, err := load(lastDoc).RenderReusing(ctx, check, DirSegmentCache(filepath.Join(out, "empty1"))); err != nil {
		t.Fatal(err)
	}
	batchIdentical := slices.Equal(frameHashes(t, lastReused), frameHashes(t, check))

	// The edit of one title in a 60 s document.
	titles := map[float64]string{}
	for k := range 10 {
		titles[float64(5+k*5)] = fmt.Sprintf("Chapter %d", k+1)
	}
	editCache := DirSegmentCache(filepath.Join(out, "edit-cache"))
	if _, err := load(batchDoc(60, "Ada", titles)).RenderReusing(ctx, filepath.Join(out, "edit-first.mp4"), editCache); err != nil {
		t.Fatal(err)
	}
	titles[25] = "Chapter 5, revised"
	edited := batchDoc(60, "Ada", titles)
	start, cpu := time.Now(), cpuTime()
	if err := load(edited).Render(ctx, filepath.Join(out, "edit-fresh.mp4")); err != nil {
		t.Fatal(err)
	}
	editFresh, editFreshCPU := time.Since(start), cpuTime()-cpu
	start, cpu = time.Now(), cpuTime()
	editStats, err := load(edited).RenderReusing(ctx, filepath.Join(out, "edit-reused.mp4"), editCache)
	if err != nil {
		t.Fatal(err)
	}
	editReusing, editReusingCPU := time.Since(start), cpuTime()-cpu
	start = time.Now()
	if _, err := load(edited).RenderReusing(ctx, filepath.Join(out, "edit-check.mp4"), DirSegmentCache(filepath.Join(out, "empty2"))); err != nil {
		t.Fatal(err)
	}
	editFreshSegments := time.Since(start)
	editIdentical := slices.Equal(frameHashes(t, filepath.Join(out, "edit-reused.mp4")), frameHashes(t, filepath.Join(out, "edit-check.mp4")))

	t.Logf(`
batch: %d variants of a 30 s 1080p document, a name in the first 3 s
  without reuse (Render):        %6.1f s  (%.2f s a variant)
  with reuse (RenderReusing):    %6.1f s  (%.2f s a variant; %d of %d segments reused)
  speedup:                       %6.2f×   (target ≥ 4×)
  first variant (empty cache):   %6.1f s with reuse against %.1f s without (%.2f×)
  later variants (warm cache):   %6.2f×
  in CPU time (with FFmpeg's):   %6.1f s without, %.1f s with reuse: %.2f× (first variant %.1f s against %.1f s, later ones %.2f×)
edit one title of a 60 s 1080p document (%d of %d segments reused)
  fresh render (Render):         %6.1f s
  fresh by segments, no cache:   %6.1f s
  with reuse:                    %6.1f s = %.0f %% of the fresh render (target ≤ 25 %%)
  in CPU time:                   %6.1f s with reuse = %.0f %% of the fresh render's %.1f s
frame-identical to an empty cache: batch %v, edit %v`,
		variants, fresh.Seconds(), fresh.Seconds()/float64(variants),
		reusing.Seconds(), reusing.Seconds()/float64(variants), reusedSegs, totalSegs, fresh.Seconds()/reusing.Seconds(),
		coldReusing.Seconds(), coldFresh.Seconds(), coldReusing.Seconds()/coldFresh.Seconds(),
		(fresh-coldFresh).Seconds()/max(1e-9, (reusing-coldReusing).Seconds()),
		freshCPU.Seconds(), reusingCPU.Seconds(), freshCPU.Seconds()/max(1e-9, reusingCPU.Seconds()),
		coldReusingCPU.Seconds(), coldFreshCPU.Seconds(), (freshCPU-coldFreshCPU).Seconds()/max(1e-9, (reusingCPU-coldReusingCPU).Seconds()),
		editStats.SegmentsReused, editStats.SegmentsTotal, editFresh.Seconds(), editFreshSegments.Seconds(),
		editReusing.Seconds(), 100*editReusing.Seconds()/editFresh.Seconds(),
		editReusingCPU.Seconds(), 100*editReusingCPU.Seconds()/max(1e-9, editFreshCPU.Seconds()), editFreshCPU.Seconds(), batchIdentical, editIdentical)
	if !batchIdentical || !editIdentical {
		t.Error("a render reusing segments is not frame-identical to one through an empty cache")
	}
}
