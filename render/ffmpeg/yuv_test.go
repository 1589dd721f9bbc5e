package ffmpeg

import (
	"bytes"
	"image"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// decodeBoth decodes frames [0, n) of src at w × h twice: through the Y'CbCr pipe (converted in Go), whose
// layout must be want, and through FFmpeg's own rgba conversion.
func decodeBoth(t *testing.T, src string, w, h, n int, want yuvLayout) (yuvFrames, rgbaFrames []*image.RGBA) {
	t.Helper()
	for _, viaYUV := range []bool{true, false} {
		d, err := OpenDecoder(testContext(t), src, DecodeOptions{Width: w, Height: h, FPS: 30})
		if err != nil {
			t.Fatal(err)
		}
		if viaYUV && (d.yuv == nil || d.yuvLayout != want) {
			t.Fatalf("%s at %d×%d: the decoder reads %q, not %s", src, w, h, d.yuvLayout.pixFmt, want.pixFmt)
		}
		if !viaYUV {
			d.yuv = nil // FFmpeg converts
		}
		for i := range n {
			img, err := d.Frame(i)
			if err != nil {
				t.Fatal(err)
			}
			if viaYUV {
				yuvFrames = append(yuvFrames, img)
			} else {
				rgbaFrames = append(rgbaFrames, img)
			}
		}
		d.Close()
	}
	return yuvFrames, rgbaFrames
}

// frameDiff returns the largest channel difference between two frames and the share of pixels differing by
// more than tol in some channel.
func frameDiff(a, b *image.RGBA, tol int) (maxDiff int, over float64) {
	n := 0
	for i := 0; i+3 < len(a.Pix); i += 4 {
		worst := 0
		for c := range 4 {
			d := int(a.Pix[i+c]) - int(b.Pix[i+c])
			worst = max(worst, d, -d)
		}
		maxDiff = max(maxDiff, worst)
		if worst > tol {
			n++
		}
	}
	return maxDiff, float64(n) / float64(len(a.Pix)/4)
}

// TestYUVFramesMatchFFmpegRGBA decodes videos (untagged, so BT.601, tagged BT.709, an odd size) through the
// Y'CbCr pipe and through FFmpeg's rgba, at their own size (as yuv420p) and scaled down to an even width (as
// yuv422p): the frames agree within the golden tolerance of the engine's frame tests (every channel within 3,
// at most 0.2 % of pixels further). Scaled up, or to an odd width, frames keep FFmpeg's rgba.
func TestYUVFramesMatchFFmpegRGBA(t *testing.T) {
	const channel, outliers = 3, 0.002
	dir := t.TempDir()
	for _, c := range []struct {
		name, src, colorSpace string
		scaled                [2]int // a smaller size FFmpeg scales the frames to (an even width)
	}{
		{"testsrc2", "testsrc2=size=1280x720:rate=30", "", [2]int{640, 360}},
		{"mandelbrot", "mandelbrot=size=640x360:rate=30", "", [2]int{400, 227}},
		{"testsrc2-bt709", "testsrc2=size=642x362:rate=30", "bt709", [2]int{322, 181}},
		{"vp9-odd-size", "testsrc2=size=321x181:rate=30", "", [2]int{160, 90}},
	} {
		codec := []string{"-c:v", "libx264", "-preset", "ultrafast", "-crf", "28"}
		ext := ".mp4"
		if strings.HasPrefix(c.name, "vp9") { // H.264 has no odd 4:2:0 sizes, VP9 has
			codec, ext = []string{"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"}, ".webm"
		}
		args := append([]string{"-f", "lavfi", "-i", c.src, "-frames:v", "4", "-pix_fmt", "yuv420p"}, codec...)
		if c.colorSpace != "" {
			args = append(args, "-colorspace", c.colorSpace, "-color_primaries", c.colorSpace, "-color_trc", c.colorSpace)
		}
		src := lavfi(t, filepath.Join(dir, c.name+ext), args...)
		for _, size := range []struct {
			w, h   int
			layout yuvLayout
		}{{0, 0, yuv420p}, {c.scaled[0], c.scaled[1], yuv422p}} {
			yuvFrames, rgbaFrames := decodeBoth(t, src, size.w, size.h, 4, size.layout)
			for i := range yuvFrames {
				if m, over := frameDiff(yuvFrames[i], rgbaFrames[i], channel); over > outliers {
					t.Errorf("%s at %d×%d frame %d: %.2f %% of pixels differ by more than %d (up to %d) from FFmpeg's rgba",
						c.name, size.w, size.h, i, over*100, channel, m)
				}
			}
		}
		p, err := Probe(testContext(t), src)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := p.Video()
		for _, size := range [][2]int{{c.scaled[0] + 1, c.scaled[1]}, {v.Width + 2, v.Height}, {v.Width, v.Height + 1}} {
			if conv, _ := yuvConverterFor(v, size[0], size[1]); conv != nil {
				t.Errorf("%s: frames FFmpeg scales to %d×%d cross the pipe as Y'CbCr", c.name, size[0], size[1])
			}
		}
	}
}

func BenchmarkYUVToRGBA720p(b *testing.B) {
	const w, h = 1280, 720
	src := make([]byte, yuv420p.frameSize(w, h))
	for i := range src {
		src[i] = byte(i * 7)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	c := newYUVConverter(matrixBT601)
	b.SetBytes(int64(w * h * 4))
	for b.Loop() {
		c.convert(dst, src, yuv420p)
	}
}

// TestYUVVectorMatchesPortable converts random frames of several widths (whole vector steps, a remainder,
// an odd width), in both layouts, with the vector kernel and with the portable loop: the bytes are the same.
func TestYUVVectorMatchesPortable(t *testing.T) {
	if !haveVectorYUV {
		t.Skip("no vector conversion on this CPU or build")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, m := range []yuvMatrix{matrixBT601, matrixBT709} {
		c := newYUVConverter(m)
		for _, size := range [][3]int{{8, 2, 2}, {64, 4, 2}, {70, 6, 1}, {1281, 5, 2}, {13, 3, 1}, {1281, 5, 1}} {
			w, h := size[0], size[1]
			l := yuv420p
			if size[2] == 1 {
				l = yuv422p
			}
			src := make([]byte, l.frameSize(w, h))
			for i := range src {
				src[i] = byte(rng.UintN(256))
			}
			src[0], src[1], src[w*h], src[len(src)-1] = 0, 255, 0, 255 // the extremes clamp
			vector := image.NewRGBA(image.Rect(0, 0, w, h))
			portable := image.NewRGBA(image.Rect(0, 0, w, h))
			c.convert(vector, src, l)
			haveVectorYUV = false
			c.convert(portable, src, l)
			haveVectorYUV = true
			if !bytes.Equal(vector.Pix, portable.Pix) {
				for i := range vector.Pix {
					if vector.Pix[i] != portable.Pix[i] {
						t.Fatalf("%v %d×%d %s: byte %d (pixel %d) is %d by vector, %d by the portable loop", m, w, h, l.pixFmt, i, i/4, vector.Pix[i], portable.Pix[i])
					}
				}
			}
		}
	}
}
