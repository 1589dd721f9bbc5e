package preview

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/core/blob"
)

const doc = `{"meta":{"version":"2.0.0","width":640,"height":360,"fps":30,"background":"#123456"},
	"tracks":[{"clips":[{"type":"text","text":"Preview","start":0,"duration":2,"style":{"fontSize":64},
	"animations":[{"type":"fadeIn","duration":1}]}]}]}`

func newService(t *testing.T) *Service {
	b, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{URL: func(k string) string { return "/files/" + k }}, b)
}

// Frames come back as JPEGs of the width asked for, even when many widths are drawn at once and the
// timeline cache evicts while others draw.
func TestFramesUnderConcurrencyAndEviction(t *testing.T) {
	s := newService(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			w := 160 + 16*(i%12) // 12 widths: more than the 8 timelines kept
			b, err := s.Frame(context.Background(), []byte(doc), float64(i%4)*0.4, w)
			if err != nil {
				errs <- err
				return
			}
			img, err := jpeg.Decode(bytes.NewReader(b))
			if err != nil || img.Bounds().Dx() != w {
				errs <- fmt.Errorf("width %d: got %v, %v", w, img.Bounds(), err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestProxyIsMadeOnceAndCached(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	st, err := s.Proxy(ctx, "preview/x", []byte(doc))
	if err != nil || st.Ready {
		t.Fatalf("first call: %+v %v, want a render started", st, err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for !st.Ready && st.Err == "" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		st, _ = s.Proxy(ctx, "preview/x", []byte(doc))
	}
	if !st.Ready || st.URL != "/files/"+s.ProxyKey([]byte(doc)) {
		t.Fatalf("proxy: %+v", st)
	}
	// A new service over the same blob store finds it without rendering.
	s2 := New(Config{URL: s.cfg.URL}, s.blob)
	if st2, _ := s2.Proxy(ctx, "task/y", []byte(doc)); !st2.Ready {
		t.Fatalf("cached proxy not found: %+v", st2)
	}
}
