package paint

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"math"
	"sort"
)

// Animated images. An animated GIF or WebP image clip plays at the file's own frame timing, from the clip's
// start, looping as the file says (forever, or a number of times and then holding the last frame). The frames
// are composed once, when the clip is loaded, onto a canvas of the file's size — each frame a rectangle drawn
// over the previous picture (blended or not), then disposed of as the file says (kept, cleared to transparent,
// or restored to what was there before) — so the frame at a time t is a lookup: a pure function of t.
//
// Frame delays of 10 ms or less are read as 100 ms, as browsers do (files made for the web rely on it).
// Debian's FFmpeg cannot decode animated WebP: the RIFF chunks (VP8X, ANIM, ANMF) are read here and each
// frame's bitstream is decoded with golang.org/x/image/webp.

// Animation is a decoded animated image.
type Animation struct {
	// Frames are the composed pictures, each the size of the canvas.
	Frames []*image.RGBA
	// Ends are the times (seconds from the start of one play-through) at which each frame stops showing.
	Ends []float64
	// Loops is how many times the animation plays; 0 means forever.
	Loops int
}

// minFrameDelay is the shortest delay honoured; shorter (or zero) delays become defaultFrameDelay.
const (
	minFrameDelay     = 0.011
	defaultFrameDelay = 0.1
)

// FrameAt returns the index of the frame on screen t seconds after the animation starts.
func (a *Animation) FrameAt(t float64) int {
	n := len(a.Frames)
	total := a.Ends[n-1]
	if t <= 0 || total <= 0 {
		return 0
	}
	cycle := math.Floor(t / total)
	if a.Loops > 0 && cycle >= float64(a.Loops) {
		return n - 1 // played out: the last frame stays
	}
	t -= cycle * total
	// The first frame whose end is after t (1 µs of slack against rounding at frame boundaries).
	return min(sort.Search(n, func(i int) bool { return a.Ends[i] > t+1e-6 }), n-1)
}

// DecodeAnimation decodes an animated GIF or WebP. It returns nil, nil for any other image, and for a GIF or
// WebP with a single frame (DecodeImage draws those).
func DecodeAnimation(data []byte) (*Animation, error) {
	switch {
	case bytes.HasPrefix(data, []byte("GIF8")):
		return decodeGIFAnimation(data)
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return decodeWebPAnimation(data)
	}
	return nil, nil
}

// frameDelay turns a file's delay into seconds, as browsers read it.
func frameDelay(seconds float64) float64 {
	if seconds < minFrameDelay {
		return defaultFrameDelay
	}
	return seconds
}

// checkAnimationSize bounds the composed frames (canvas × frame count) to the decoded-image budget.
func checkAnimationSize(w, h, frames int) error {
	if err := checkImageSize(w, h); err != nil {
		return err
	}
	if w*h*frames > budget.MaxImagePixels {
		return fmt.Errorf("%d frames of %d×%d px are %d million pixels; the limit is %d million for one image: shorten the animation or make it a video",
			frames, w, h, w*h*frames/1_000_000, budget.MaxImagePixels/1_000_000)
	}
	return nil
}

func decodeGIFAnimation(data []byte) (*Animation, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode gif: %w", err)
	}
	if err := checkImageSize(cfg.Width, cfg.Height); err != nil {
		return nil, fmt.Errorf("decode gif image: %w", err)
	}
	// The frames are counted before any is decoded: a small file can hold thousands of full-size frames.
	n, err := gifFrameCount(data)
	if err != nil {
		return nil, fmt.Errorf("decode gif: %w", err)
	}
	if n < 2 {
		return nil, nil
	}
	if err := checkAnimationSize(cfg.Width, cfg.Height, n); err != nil {
		return nil, fmt.Errorf("decode animated gif: %w", err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode gif: %w", err)
	}
	if len(g.Image) < 2 {
		return nil, nil
	}
	w, h := g.Config.Width, g.Config.Height
	if err := checkAnimationSize(w, h, len(g.Image)); err != nil {
		return nil, fmt.Errorf("decode animated gif: %w", err)
	}
	a := &Animation{}
	switch {
	case g.LoopCount == 0:
		a.Loops = 0
	case g.LoopCount < 0:
		a.Loops = 1
	default:
		a.Loops = g.LoopCount + 1
	}
	canvas := image.NewRGBA(image.Rect(0, 0, w, h))
	end := 0.0
	for i, fr := range g.Image {
		r := fr.Bounds().Intersect(canvas.Rect)
		var saved *image.RGBA
		var disposal byte
		if i < len(g.Disposal) {
			disposal = g.Disposal[i]
		}
		if disposal == gif.DisposalPrevious {
			saved = image.NewRGBA(r)
			draw.Draw(saved, r, canvas, r.Min, draw.Src)
		}
		draw.Draw(canvas, r, fr, r.Min, draw.Over) // transparent palette entries leave the canvas showing
		a.Frames = append(a.Frames, cloneRGBA(canvas))
		delay := 0.0
		if i < len(g.Delay) {
			delay = float64(g.Delay[i]) / 100
		}
		end += frameDelay(delay)
		a.Ends = append(a.Ends, end)
		switch disposal {
		case gif.DisposalBackground:
			draw.Draw(canvas, r, image.Transparent, image.Point{}, draw.Src)
		case gif.DisposalPrevious:
			draw.Draw(canvas, r, saved, r.Min, draw.Src)
		}
	}
	return a, nil
}

// riffChunk is one chunk of a RIFF file.
type riffChunk struct {
	fourCC string
	data   []byte
}

// riffChunks splits RIFF chunk data (after the 12-byte header, or an ANMF frame's payload) into chunks.
func riffChunks(b []byte) ([]riffChunk, error) {
	var out []riffChunk
	for len(b) >= 8 {
		n := binary.LittleEndian.Uint32(b[4:])
		if uint64(n) > uint64(len(b)-8) {
			return nil, errors.New("a chunk runs past the end of the file")
		}
		out = append(out, riffChunk{string(b[:4]), b[8 : 8+n]})
		b = b[8+n:]
		if n%2 == 1 && len(b) > 0 { // chunks are padded to an even size
			b = b[1:]
		}
	}
	return out, nil
}

func u24(b []byte) int { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }

// decodeWebPAnimation reads an animated WebP: VP8X (canvas size, animation flag), ANIM (loop count) and one
// ANMF chunk per frame (offset, size, duration, blending, disposal, then the frame's ALPH/VP8/VP8L chunks).
func decodeWebPAnimation(data []byte) (*Animation, error) {
	size := binary.LittleEndian.Uint32(data[4:])
	body := data[12:]
	if uint64(size) >= 4 && uint64(size)-4 < uint64(len(body)) {
		body = body[:size-4]
	}
	chunks, err := riffChunks(body)
	if err != nil {
		return nil, fmt.Errorf("decode webp: %w", err)
	}
	if len(chunks) == 0 || chunks[0].fourCC != "VP8X" || len(chunks[0].data) < 10 || chunks[0].data[0]&0x02 == 0 {
		return nil, nil // a still WebP
	}
	w, h := u24(chunks[0].data[4:])+1, u24(chunks[0].data[7:])+1
	a := &Animation{}
	var frames []riffChunk
	for _, c := range chunks[1:] {
		switch c.fourCC {
		case "ANIM":
			if len(c.data) >= 6 {
				a.Loops = int(binary.LittleEndian.Uint16(c.data[4:]))
			}
		case "ANMF":
			frames = append(frames, c)
		}
	}
	if len(frames) == 0 {
		return nil, errors.New("decode animated webp: no frames")
	}
	if err := checkAnimationSize(w, h, len(frames)); err != nil {
		return nil, fmt.Errorf("decode animated webp: %w", err)
	}
	canvas := image.NewRGBA(image.Rect(0, 0, w, h))
	end := 0.0
	for i, f := range frames {
		if len(f.data) < 16 {
			return nil, fmt.Errorf("decode animated webp: frame %d is truncated", i+1)
		}
		x, y := 2*u24(f.data[0:]), 2*u24(f.data[3:])
		fw, fh := u24(f.data[6:])+1, u24(f.data[9:])+1
		duration := float64(u24(f.data[12:])) / 1000
		flags := f.data[15]
		blend, dispose := flags&0x02 == 0, flags&0x01 != 0
		img, err := decodeWebPFrame(f.data[16:], fw, fh)
		if err != nil {
			return nil, fmt.Errorf("decode animated webp: frame %d: %w", i+1, err)
		}
		r := image.Rect(x, y, x+fw, y+fh).Intersect(canvas.Rect)
		op := draw.Src
		if blend {
			op = draw.Over
		}
		draw.Draw(canvas, r, img, img.Bounds().Min, op)
		a.Frames = append(a.Frames, cloneRGBA(canvas))
		end += frameDelay(duration)
		a.Ends = append(a.Ends, end)
		if dispose {
			draw.Draw(canvas, r, image.Transparent, image.Point{}, draw.Src)
		}
	}
	return a, nil
}

// decodeWebPFrame decodes one ANMF frame's bitstream chunks (ALPH and VP8, or VP8L) by wrapping them in a
// still WebP file of the frame's size.
func decodeWebPFrame(payload []byte, w, h int) (image.Image, error) {
	chunks, err := riffChunks(payload)
	if err != nil {
		return nil, err
	}
	var alph, bits *riffChunk
	for i := range chunks {
		switch chunks[i].fourCC {
		case "ALPH":
			alph = &chunks[i]
		case "VP8 ", "VP8L":
			bits = &chunks[i]
		}
	}
	if bits == nil {
		return nil, errors.New("no VP8 or VP8L bitstream")
	}
	var file bytes.Buffer
	put := func(c riffChunk) {
		var hdr [8]byte
		copy(hdr[:4], c.fourCC)
		binary.LittleEndian.PutUint32(hdr[4:], uint32(len(c.data)))
		file.Write(hdr[:])
		file.Write(c.data)
		if len(c.data)%2 == 1 {
			file.WriteByte(0)
		}
	}
	file.WriteString("RIFF\x00\x00\x00\x00WEBP")
	if alph != nil && bits.fourCC == "VP8 " {
		vp8x := make([]byte, 10)
		vp8x[0] = 0x10 // alpha
		vp8x[4], vp8x[5], vp8x[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
		vp8x[7], vp8x[8], vp8x[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
		put(riffChunk{"VP8X", vp8x})
		put(*alph)
	}
	put(*bits)
	out := file.Bytes()
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return DecodeImage(out)
}

// gifFrameCount counts the image descriptors of a GIF file by walking its blocks, without decoding pixels.
func gifFrameCount(data []byte) (int, error) {
	errTruncated := errors.New("the file is truncated")
	if len(data) < 13 {
		return 0, errTruncated
	}
	i := 13
	if data[10]&0x80 != 0 { // global colour table
		i += 3 << (int(data[10]&7) + 1)
	}
	skipSubBlocks := func() bool {
		for i < len(data) {
			n := int(data[i])
			i += 1 + n
			if n == 0 {
				return true
			}
		}
		return false
	}
	frames := 0
	for i < len(data) {
		switch data[i] {
		case 0x21: // extension: label, then sub-blocks
			i += 2
			if !skipSubBlocks() {
				return frames, nil // a truncated tail: the decoder reports it if it matters
			}
		case 0x2C: // image descriptor
			if i+10 > len(data) {
				return frames, nil
			}
			flags := data[i+9]
			i += 10
			if flags&0x80 != 0 { // local colour table
				i += 3 << (int(flags&7) + 1)
			}
			i++ // LZW minimum code size
			frames++
			if !skipSubBlocks() {
				return frames, nil
			}
		case 0x3B: // trailer
			return frames, nil
		default:
			return frames, nil
		}
	}
	return frames, nil
}
