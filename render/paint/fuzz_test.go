package paint

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSVG: any markup either draws at a small size or fails with an error — never a panic, never more
// than the budget (CheckSVG before parsing).
func FuzzSVG(f *testing.F) {
	for _, dir := range []string{filepath.Join("..", "testdata", "assets"), filepath.Join("testdata")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(testSVG))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect x="1" y="1" width="8" height="8" rx="2" fill="red"/><circle cx="5" cy="5" r="3" stroke="blue" stroke-width="2" fill="none"/></svg>`))
	f.Add([]byte(`<svg width="16384" height="16384"/>`))
	f.Add([]byte(`<svg><path d="M0 0 L10 10 Q 5 5 0 10 A 3 3 0 1 1 4 4 Z" stroke-dasharray="1 2"/><linearGradient id="g"><stop offset="0"/></linearGradient></svg>`))
	f.Fuzz(func(t *testing.T, markup []byte) {
		l, err := SVGContext(context.Background(), markup, 24, 16)
		if err == nil && (l.Img == nil || l.Img.Rect.Dx() != 24 || l.Img.Rect.Dy() != 16) {
			t.Fatalf("drew a layer of %v; want 24×16", l.Img.Rect)
		}
	})
}

// FuzzDecodeAnimation: any bytes give an animation whose frames all have the canvas size and whose times
// increase, nothing (not animated), or an error — never a panic.
func FuzzDecodeAnimation(f *testing.F) {
	for _, dir := range []string{filepath.Join("..", "testdata", "assets", "animated"), filepath.Join("..", "testdata", "assets")} {
		for _, ext := range []string{"*.gif", "*.webp"} {
			files, _ := filepath.Glob(filepath.Join(dir, ext))
			for _, name := range files {
				if b, err := os.ReadFile(name); err == nil {
					f.Add(b)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeAnimation(data)
		if err != nil || a == nil {
			return
		}
		if len(a.Frames) == 0 || len(a.Ends) != len(a.Frames) {
			t.Fatalf("%d frames, %d ends", len(a.Frames), len(a.Ends))
		}
		for i, fr := range a.Frames {
			if fr.Rect != a.Frames[0].Rect || (i > 0 && a.Ends[i] <= a.Ends[i-1]) {
				t.Fatalf("frame %d: %v ending at %v", i, fr.Rect, a.Ends[i])
			}
		}
		_ = a.FrameAt(12.5)
	})
}
