package render

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/render/paint"
	"github.com/framecast/framecast/schemas"
)

// bombPNG returns the start of a PNG of side × side px whose pixels are all zero: its header and its first
// 64 rows (the whole file would be about 1 MB for 16384²; compressing it takes seconds). A decoder that
// trusts the header allocates 1 GiB of RGBA for it (2 GiB at 16 bits per channel) before reading a row.
func bombPNG(t testing.TB, side int, bitDepth byte) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		out.WriteString(kind)
		out.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(side))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(side))
	ihdr[8], ihdr[9] = bitDepth, 6 // RGBA
	chunk("IHDR", ihdr)
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	row := make([]byte, 1+side*4*int(bitDepth)/8)
	for range 64 {
		z.Write(row)
	}
	z.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// loadAndDraw loads raw and draws its first frame, returning the error and the bytes allocated meanwhile.
func loadAndDraw(t *testing.T, raw string) (error, uint64) {
	t.Helper()
	doc, err := schemas.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	tl, err := Load(context.Background(), doc, testOptions(t))
	if err == nil {
		_, err = tl.Frame(context.Background(), 0)
		tl.Close()
	}
	runtime.ReadMemStats(&after)
	t.Logf("answered in %v, %.1f MB allocated: %v", time.Since(start).Round(time.Millisecond), float64(after.TotalAlloc-before.TotalAlloc)/1e6, err)
	return err, after.TotalAlloc - before.TotalAlloc
}

// The bombs of issue 9 are refused before the work they ask for: each answers with a DocumentError naming
// the clip and the limit, having allocated little. (Before: 102 s and 6.2 GB for the SVG, 70 s and 3.1 GB
// for the PNG, 55 s for the text, 109 s for the code.)
func TestBombsAreRefusedBeforeTheWork(t *testing.T) {
	dir := t.TempDir()
	png8 := bombPNG(t, 16384, 8)
	png16 := bombPNG(t, 16384, 16)
	t.Logf("bomb PNGs: %d and %d bytes", len(png8), len(png16))
	for name, data := range map[string][]byte{"bomb8.png": png8, "bomb16.png": png16} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="16384" height="16384"><rect width="100%" height="100%" fill="red"/></svg>`
	huge := strings.Repeat("All work and no play. ", 4<<20/22)
	cases := []struct {
		name, clip, want string
	}{
		{"svg clip 16384²", `{"type": "svg", "svg": ` + mustJSON(svg) + `, "start": 0, "duration": 1}`, "million pixels"},
		{"svg image 16384²", `{"type": "image", "src": "data:image/svg+xml;base64,` + base64.StdEncoding.EncodeToString([]byte(svg)) + `", "start": 0, "duration": 1}`, "million pixels"},
		{"png 16384²", `{"type": "image", "src": "file://` + filepath.Join(dir, "bomb8.png") + `", "start": 0, "duration": 1}`, "the limit is 40 million"},
		{"png 16384² 16-bit", `{"type": "image", "src": "file://` + filepath.Join(dir, "bomb16.png") + `", "start": 0, "duration": 1}`, "the limit is 40 million"},
		{"text 4 MB", `{"type": "text", "text": ` + mustJSON(huge) + `, "start": 0, "duration": 1}`, "the limit is 10000 per clip"},
		{"code 4 MB", `{"type": "code", "code": ` + mustJSON(huge) + `, "start": 0, "duration": 1}`, "the limit is 10000 per clip"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err, allocated := loadAndDraw(t, smallDoc(c.clip))
			var de *DocumentError
			if !errors.As(err, &de) {
				t.Fatalf("error = %v (%T); want a DocumentError", err, err)
			}
			if de.Path != "tracks[0].clips[0]" || !strings.Contains(de.Message, c.want) {
				t.Errorf("error = path %q, message %q; want tracks[0].clips[0] and %q", de.Path, de.Message, c.want)
			}
			if strings.Contains(err.Error(), "decode /") || strings.Contains(err.Error(), "/objects/") {
				t.Errorf("the message shows a server path: %v", err)
			}
			if allocated > 64<<20 {
				t.Errorf("%d MB allocated to refuse it; want under 64 MB", allocated>>20)
			}
		})
	}
}

// An image that does not decode is named by its src, never by the cache file it was read from.
func TestUndecodableImageNamesItsSource(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "photo.png")
	if err := os.WriteFile(bad, []byte("\x89PNG\r\n\x1a\nthis is not a png at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	err, _ := loadAndDraw(t, smallDoc(`{"type": "image", "src": "file://`+bad+`", "start": 0, "duration": 1}`))
	var de *DocumentError
	if !errors.As(err, &de) {
		t.Fatalf("error = %v; want a DocumentError", err)
	}
	if !strings.Contains(de.Message, "file://"+bad) || strings.Contains(de.Message, "objects") || strings.Contains(de.Message, "decode "+dir) {
		t.Errorf("message = %q; want it to name the src and no cache path", de.Message)
	}
}

// A frame with more text on screen than the budget is a DocumentError naming the limit.
func TestGlyphsPerFrameBudget(t *testing.T) {
	text := mustJSON(strings.Repeat("x", budget.MaxTextLength))
	var clips []string
	for range budget.MaxGlyphsPerFrame/budget.MaxTextLength + 1 {
		clips = append(clips, `{"type": "text", "text": `+text+`, "start": 0, "duration": 1, "style": {"fontSize": 4}}`)
	}
	err, _ := loadAndDraw(t, smallDoc(strings.Join(clips, ",")))
	var de *DocumentError
	if !errors.As(err, &de) || !strings.Contains(de.Message, fmt.Sprint(budget.MaxGlyphsPerFrame)) {
		t.Fatalf("error = %v; want a DocumentError about %d characters", err, budget.MaxGlyphsPerFrame)
	}
}

// heavySVG is an SVG of n thick random-ish paths, slow to rasterize at size × size.
func heavySVG(n, size int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">`, size, size)
	for i := range n {
		x, y := (i*7919)%size, (i*104729)%size
		fmt.Fprintf(&b, `<path d="M%d %d L%d %d L%d %d Z" stroke="#%06x" stroke-width="%d" fill="none"/>`,
			x, y, size-x, y, x, size-y, i*2654435761%0xffffff, size/8)
	}
	b.WriteString(`</svg>`)
	return []byte(b.String())
}

// Drawing an SVG stops soon after its context is cancelled: it returns context.Canceled part way through
// instead of finishing (a 3.6 MB SVG kept a core busy for 59 s after its client left).
func TestSVGDrawingStopsWhenCancelled(t *testing.T) {
	markup := heavySVG(budget.MaxSVGElements-2, 2048)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := paint.SVGContext(ctx, markup, 2048, 2048)
	t.Logf("returned %v after %v (cancelled at 50 ms)", err, time.Since(start).Round(time.Millisecond))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v; want context.Canceled (the drawing did not stop)", err)
	}
}

// Timeline.Frame passes its context down to the SVG rasterizer.
func TestFrameStopsWhenCancelled(t *testing.T) {
	markup := heavySVG(budget.MaxSVGElements-2, 2048)
	doc := parseDoc(t, smallDoc(`{"type": "svg", "svg": `+mustJSON(string(markup))+`, "start": 0, "duration": 1, "transform": {"width": 2048, "height": 2048}}`))
	tl := loadTimeline(t, doc)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := tl.Frame(ctx, 0)
	t.Logf("returned %v after %v (cancelled at 50 ms)", err, time.Since(start).Round(time.Millisecond))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v; want context.Canceled", err)
	}
}
