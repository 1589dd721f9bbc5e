package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/schemas"
)

func TestTmpTiming(t *testing.T) {
	ctx := context.Background()
	tone := toneServer(t)
	doc, err := schemas.Parse([]byte(document(320, 180, 2, tone.URL+"/tone.wav")))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t).withDefaults()
	q := &Queue{cfg: cfg}
	for i := 0; i < 3; i++ {
		start := time.Now()
		tl, err := render.Load(ctx, doc, render.Options{Assets: assetsNoResolver(q), Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("load %v", time.Since(start))
		start = time.Now()
		if err := tl.RenderSegment(ctx, 0, 20, t.TempDir()+"/s.mp4"); err != nil {
			t.Fatal(err)
		}
		t.Logf("segment %v", time.Since(start))
		start = time.Now()
		tl.MixAudio(ctx, t.TempDir()+"/a.m4a")
		t.Logf("audio %v", time.Since(start))
		tl.Close()
	}
}

func assetsNoResolver(q *Queue) assets.Options { o := q.assetOptions(""); o.Resolver = nil; return o }
