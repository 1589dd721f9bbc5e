package core

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store"
)

// benchService is a service on a SQLite file with one account and key.
func benchService(b *testing.B) (*Service, Account, string) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	bl, _ := blob.NewLocal(b.TempDir())
	s := mustNew(b, Config{DefaultCredits: 1 << 40}, st, bl, &fakeQueue{})
	a, _ := s.CreateAccount(ctx, "bench")
	plain, _, _ := s.CreateKey(ctx, a.ID, "")
	return s, a, plain
}

func BenchmarkAuthenticate(b *testing.B) {
	s, _, plain := benchService(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.Authenticate(ctx, plain); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCreateAndRenderTask(b *testing.B) {
	s, a, _ := benchService(b)
	ctx := context.Background()
	d := doc(1920, 1080, 10)
	for b.Loop() {
		t, err := s.CreateTask(ctx, a.ID, CreateTaskInput{Config: d})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.RenderTask(ctx, a.ID, t.TaskID, RenderInput{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetectFileType(b *testing.B) {
	head := []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41")
	for b.Loop() {
		DetectFileType(head)
	}
}
