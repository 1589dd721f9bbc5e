package render

import (
	"context"
	"image"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// slowLook counts its draws; each takes a while, so that concurrent callers overlap.
type slowLook struct{ draws atomic.Int32 }

func (l *slowLook) key(st *motion.State, _ float64) contentKey { return baseKey(st) }

func (l *slowLook) draw(ctx context.Context, k contentKey, _ float64) (raster.Layer, error) {
	l.draws.Add(1)
	select {
	case <-time.After(50 * time.Millisecond):
	case <-ctx.Done():
		return raster.Layer{}, ctx.Err()
	}
	return raster.NewLayer(4, 4), nil
}

// Workers drawing the first frames side by side need the same layers at once: one draws each, the others wait
// for it, and a waiter whose drawer's caller left draws it itself.
func TestItemLayerDrawnOnceWhenAskedConcurrently(t *testing.T) {
	look := &slowLook{}
	it := &item{look: look, base: &schemas.BaseClip{Type: "test"}, path: "tracks[0].clips[0]"}
	k := contentKey{w: 4, h: 4, frame: 1}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l, err := it.layer(context.Background(), k, 0); err != nil || l.Empty() {
				t.Errorf("layer: %v (empty %v)", err, l.Empty())
			}
		}()
	}
	wg.Wait()
	if n := look.draws.Load(); n != 1 {
		t.Errorf("drawn %d times, want once", n)
	}

	// The first caller leaves while drawing: a second caller with a live context still gets the layer.
	k.frame = 2
	gone, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := it.layer(gone, k, 0); first <- err }()
	for look.draws.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan error, 1)
	go func() { _, err := it.layer(context.Background(), k, 0); second <- err }()
	time.Sleep(5 * time.Millisecond)
	cancel()
	if err := <-first; err == nil {
		t.Error("the caller that left got no error")
	}
	if err := <-second; err != nil {
		t.Errorf("the caller still there: %v", err)
	}
}

// A damage's cover holds every pixel of the rectangles added to it (clipped to the frame), in rectangles on
// even boundaries that never overlap: no pixel is put back or converted twice.
func TestDamageCoverWithoutOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2160))
	const w, h = 1921, 1081 // odd: the last row and column pair with themselves
	for round := range 300 {
		var d damage
		var added []image.Rectangle
		for range 1 + rng.IntN(80) {
			x, y := rng.IntN(w+100)-50, rng.IntN(h+100)-50
			r := image.Rect(x, y, x+rng.IntN(400), y+rng.IntN(300))
			d.add(r)
			added = append(added, r)
		}
		cover := d.cover(w, h)
		for i, a := range cover {
			if a.Empty() || !a.In(image.Rect(0, 0, w, h)) || a.Min.X%2 != 0 || a.Min.Y%2 != 0 ||
				(a.Max.X%2 != 0 && a.Max.X != w) || (a.Max.Y%2 != 0 && a.Max.Y != h) {
				t.Fatalf("round %d: %v is not on even boundaries inside the frame", round, a)
			}
			for _, b := range cover[i+1:] {
				if a.Overlaps(b) {
					t.Fatalf("round %d: %v and %v overlap", round, a, b)
				}
			}
		}
		for _, r := range added {
			r = r.Intersect(image.Rect(0, 0, w, h))
			steps := func(lo, hi int) []int { // every 5th, and the last
				var v []int
				for i := lo; i < hi; i += 5 {
					v = append(v, i)
				}
				if hi > lo {
					v = append(v, hi-1)
				}
				return v
			}
			for _, y := range steps(r.Min.Y, r.Max.Y) {
				for _, x := range steps(r.Min.X, r.Max.X) {
					covered := false
					for _, e := range cover {
						covered = covered || image.Pt(x, y).In(e)
					}
					if !covered {
						t.Fatalf("round %d: (%d, %d) of %v is not covered", round, x, y, r)
					}
				}
			}
		}
	}
}
