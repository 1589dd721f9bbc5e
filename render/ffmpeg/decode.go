package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"

	"github.com/framecast/framecast/render/hugemem"
)

// DecodeOptions describes the frame sequence a Decoder produces from a video source.
type DecodeOptions struct {
	// Width and Height are the size FFmpeg scales frames to (bilinear). Both 0 keep the source's display
	// size; one 0 follows the source's aspect ratio.
	Width, Height int
	// FPS is the output frame rate: frame i shows the clip i/FPS seconds after its start. Required.
	FPS float64
	// Start is where the clip begins, in seconds of the source.
	Start float64
	// End is where the clip stops, in seconds of the source; 0 plays to the end of the source.
	End float64
	// Rate is the playback rate (2 plays twice as fast); 0 means 1.
	Rate float64
	// Window is how many recently decoded frames are kept for out-of-order requests; 0 means 8.
	Window int
	// Probe, when set, is src's ffprobe result, already known to the caller: OpenDecoder then runs no
	// ffprobe of its own.
	Probe *ProbeResult
	// RandomAccess says frames are asked for one at a time in any order (a preview's scrub) rather than in
	// sequence by parallel workers (a render). A jump ahead restarts the sequential ffmpeg at the frame asked
	// for, not a few frames before; a jump back decodes the frame alone, by an ffmpeg that stops after it,
	// and keeps the sequential one for the later frames it still reaches (a scrub back and forth).
	RandomAccess bool
}

// Decoder tuning.
const (
	defaultWindow = 8
	// maxSkipAhead is how many frames Frame decodes and drops to reach a later frame before it prefers
	// restarting ffmpeg with a seek.
	maxSkipAhead = 60
	// singleThreadPixels is the largest source (in pixels) decoded on one thread. FFmpeg's default frame
	// threading (a thread a core, plus one) costs CPU for handing frames between threads, and a source up
	// to 1080p decodes on one thread faster than the engine draws. The busy bench's two 10 s 720p decoders
	// (as rgba) took 2.34 s of CPU instead of 2.51 s, and its yuv420p one 0.77 s instead of 0.90 s (means
	// of four runs on a loaded 2-core machine).
	singleThreadPixels = 1920 * 1080
)

// Decoder reads the frames of one video clip, in order, from an ffmpeg subprocess:
//
//	ffmpeg -noaccurate_seek -ss Start -i src -vf setpts=PTS/Rate,fps=FPS:start_time=0:round=up,scale=W:H -t (End-Start)/Rate -f rawvideo -pix_fmt rgba pipe:
//
// (-pix_fmt yuv420p, or yuv422p when scaled, for 8-bit 4:2:0 sources, converted to RGBA in Go: see yuv.go.)
//
// Reading forward is cheap. The last few frames are kept, so frames rendered in parallel may ask slightly
// out of order; a request far behind or far ahead restarts ffmpeg with a new seek. Each start seeks a few
// frames (half the window) before the frame asked for, so that workers asking for frame 1 just before frame 0
// are both served by one process. A Decoder is safe for concurrent use.
type Decoder struct {
	ctx context.Context
	src string
	o   DecodeOptions

	// Fixed at open.
	width, height int
	premultiply   bool          // the source has alpha: convert FFmpeg's straight alpha
	inputArgs     []string      // decoder options placed before -i
	yuv           *yuvConverter // frames cross the pipe as planar Y'CbCr and are converted here (nil: as rgba)
	yuvLayout     yuvLayout     // how they cross, when yuv is set
	// standbySrc is src as a standby is given it (Decoder.standbyFits), "" when no standby can decode it.
	standbySrc string

	mu     sync.Mutex
	proc   *decodeProcess
	next   int // clip-local index of the next frame proc yields
	end    int // number of frames in the clip once known, else -1
	window []windowFrame
	spare  []*image.RGBA // frames nobody holds any more, read into again instead of allocating
	yuvBuf []byte        // the Y'CbCr frame being read, when yuv is set
	closed bool
}

// windowFrame is one kept frame.
type windowFrame struct {
	index int
	buf   *frameBuf
}

// frameBuf is a decoded frame and who still holds it: the window, callers of Acquire that have not released it,
// or a caller of Frame (forever). A frame nobody holds becomes a spare, and the next frame is read into it.
type frameBuf struct {
	img    *image.RGBA
	refs   int  // Acquire calls not yet released
	kept   bool // in the window
	shared bool // returned by Frame: never reused
}

// maxSpares bounds the spare frames kept for reuse.
const maxSpares = 4

// decodeProcess is one running ffmpeg that writes raw RGBA frames to out.
type decodeProcess struct {
	cmd  *exec.Cmd
	out  *os.File
	tail *tailBuffer
	// unwatch, for a standby (launched before the decoder's context existed), stops killing it when the
	// context ends.
	unwatch  func() bool
	standby  bool // a standby's: replaced once it has given the frame asked for, or ended
	replaced bool
}

// replace launches a standby's replacement (once), now that the frame it was taken for is decoded: launched
// earlier, it would compete for the cores with that frame.
func (p *decodeProcess) replace() {
	if p.standby && !p.replaced {
		p.replaced = true
		go standbys.fill()
	}
}

// ended is called once p has exited.
func (p *decodeProcess) ended() {
	if p.unwatch != nil {
		p.unwatch()
	}
	p.replace()
}

// OpenDecoder probes src (a file or URL; unless o.Probe is given) and prepares to decode it as o describes.
// The first ffmpeg starts with the first call to Frame. Every subprocess is killed when ctx is cancelled, so
// ctx is the lifetime of the decoder (not of one request for a frame): Close ends it too.
func OpenDecoder(ctx context.Context, src string, o DecodeOptions) (*Decoder, error) {
	if _, _, err := rational(o.FPS); err != nil {
		return nil, fmt.Errorf("decode %s: %w", src, err)
	}
	if o.Rate == 0 {
		o.Rate = 1
	}
	if !(o.Rate > 0) || math.IsInf(o.Rate, 0) || o.Start < 0 || o.End < 0 || (o.End > 0 && o.End <= o.Start) ||
		o.Width < 0 || o.Height < 0 || o.Width > maxFrameSide || o.Height > maxFrameSide {
		return nil, fmt.Errorf("decode %s: invalid options (start %v, end %v, rate %v, size %dx%d)",
			src, o.Start, o.End, o.Rate, o.Width, o.Height)
	}
	if o.Window <= 0 {
		o.Window = defaultWindow
	}
	probe := o.Probe
	if probe == nil {
		var err error
		if probe, err = Probe(ctx, src); err != nil {
			return nil, fmt.Errorf("decode %s: %w", src, err)
		}
	}
	video, ok := probe.Video()
	if !ok {
		return nil, fmt.Errorf("decode %s: no video stream", src)
	}
	d := &Decoder{ctx: ctx, src: src, o: o, end: -1}
	var err error
	d.width, d.height, err = outputSize(video, o.Width, o.Height)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", src, err)
	}
	d.premultiply = hasAlpha(video.PixFmt) || video.AlphaMode
	d.yuv, d.yuvLayout = yuvConverterFor(video, d.width, d.height)
	if video.AlphaMode {
		// FFmpeg's native VP8/VP9 decoders drop the alpha channel; libvpx keeps it.
		switch video.CodecName {
		case "vp9":
			d.inputArgs = []string{"-c:v", "libvpx-vp9"}
		case "vp8":
			d.inputArgs = []string{"-c:v", "libvpx"}
		}
	}
	if video.Width*video.Height <= singleThreadPixels {
		d.inputArgs = append(d.inputArgs, standbyInputArgs...)
	}
	// A standby decodes with its own decoder options, from 0 s (a standby's seek does not add the container's
	// start time as -ss does), a local file named by its absolute path.
	if slices.Equal(d.inputArgs, standbyInputArgs) && probe.StartTime == 0 {
		d.standbySrc, _ = standbyPath(src)
	}
	return d, nil
}

// Opaque reports whether every pixel of the decoder's frames has alpha 255: the source has no alpha channel
// (FFmpeg's rgba output of such a source, and the Y'CbCr conversion here, are opaque).
func (d *Decoder) Opaque() bool { return !d.premultiply }

// outputSize resolves the requested size against the source's display size.
func outputSize(video Stream, w, h int) (int, int, error) {
	sw, sh := video.DisplaySize()
	if w > 0 && h > 0 {
		return w, h, nil
	}
	if sw <= 0 || sh <= 0 {
		return 0, 0, errors.New("source size unknown: give Width and Height")
	}
	switch {
	case w == 0 && h == 0:
		return sw, sh, nil
	case w == 0:
		return max(1, int(math.Round(float64(h)*float64(sw)/float64(sh)))), h, nil
	default:
		return w, max(1, int(math.Round(float64(w)*float64(sh)/float64(sw)))), nil
	}
}

// alphaPixFmts are pixel formats with an alpha channel.
var alphaPixFmts = []string{"yuva", "rgba", "bgra", "argb", "abgr", "gbrap", "ya8", "ya16", "pal8"}

// hasAlpha reports whether an FFmpeg pixel format carries alpha.
func hasAlpha(pixFmt string) bool {
	for _, a := range alphaPixFmts {
		if strings.HasPrefix(pixFmt, a) {
			return true
		}
	}
	return false
}

// Size returns the size of the decoded frames.
func (d *Decoder) Size() (w, h int) { return d.width, d.height }

// Frame returns frame i of the clip, the picture shown i/FPS seconds after the clip starts, as premultiplied
// RGBA. It returns io.EOF once i is past the end of the source (or of End). The image is shared with other
// callers and must not be modified; it stays valid for good (Acquire's frames are reused after release).
func (d *Decoder) Frame(i int) (*image.RGBA, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, err := d.frame(i)
	if err != nil {
		return nil, err
	}
	b.shared = true
	return b.img, nil
}

// Acquire is Frame for a caller done with the picture soon (a frame being drawn): the picture stays valid
// until release is called (once), after which the decoder may read a later frame into the same memory.
// Frames read this way need no new allocation (and no page faults) once the first few are recycled.
func (d *Decoder) Acquire(i int) (img *image.RGBA, release func(), err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, err := d.frame(i)
	if err != nil {
		return nil, nil, err
	}
	b.refs++
	var once sync.Once
	return b.img, func() {
		once.Do(func() {
			d.mu.Lock()
			defer d.mu.Unlock()
			b.refs--
			d.recycle(b)
		})
	}, nil
}

// recycle makes b's memory a spare when nobody holds it any more. Call with d.mu held.
func (d *Decoder) recycle(b *frameBuf) {
	if b.refs == 0 && !b.kept && !b.shared && !d.closed && len(d.spare) < maxSpares {
		d.spare = append(d.spare, b.img)
	}
}

// frame returns frame i (see Frame). Call with d.mu held.
func (d *Decoder) frame(i int) (*frameBuf, error) {
	if i < 0 {
		return nil, fmt.Errorf("decode %s: negative frame index %d", d.src, i)
	}
	if d.closed {
		return nil, fmt.Errorf("decode %s: decoder closed", d.src)
	}
	if b := d.kept(i); b != nil {
		return b, nil
	}
	if d.end >= 0 && i >= d.end {
		return nil, io.EOF
	}
	if d.proc == nil || i < d.next || i > d.next+maxSkipAhead {
		switch {
		case d.o.RandomAccess && d.proc != nil && i < d.next:
			return d.frameAlone(i)
		case d.o.RandomAccess:
			if err := d.restart(i); err != nil {
				return nil, err
			}
		default:
			// Start a little early: the frames just before i are likely asked for next (parallel workers).
			if err := d.restart(max(0, i-d.o.Window/2)); err != nil {
				return nil, err
			}
		}
	}
	for {
		b, err := d.readFrame()
		if err != nil {
			return nil, err
		}
		if b == nil {
			return nil, io.EOF
		}
		if d.next-1 == i {
			d.proc.replace()
			return b, nil
		}
	}
}

// kept returns frame i from the window, or nil.
func (d *Decoder) kept(i int) *frameBuf {
	for _, f := range d.window {
		if f.index == i {
			return f.buf
		}
	}
	return nil
}

// keep adds a frame to the window, dropping the oldest when it is full.
func (d *Decoder) keep(i int, b *frameBuf) {
	if len(d.window) == d.o.Window {
		old := d.window[0].buf
		copy(d.window, d.window[1:])
		d.window = d.window[:len(d.window)-1]
		old.kept = false
		d.recycle(old)
	}
	b.kept = true
	d.window = append(d.window, windowFrame{i, b})
}

// readFrame reads the next frame of the running ffmpeg into the window (into a spare frame's memory when
// there is one). It returns nil, nil at the end of the clip and records where the clip ends.
func (d *Decoder) readFrame() (*frameBuf, error) {
	img, err := d.read(d.proc)
	if err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("decode %s: read frame: %w", d.src, err)
		}
		werr := d.stop(true)
		if werr != nil {
			return nil, werr
		}
		d.end = d.next
		return nil, nil
	}
	b := &frameBuf{img: img}
	d.keep(d.next, b)
	d.next++
	return b, nil
}

// read reads p's next frame into a spare frame's memory when there is one, as premultiplied RGBA. On failure
// the memory goes back to the spares.
func (d *Decoder) read(p *decodeProcess) (*image.RGBA, error) {
	var img *image.RGBA
	if n := len(d.spare); n > 0 {
		img, d.spare = d.spare[n-1], d.spare[:n-1]
	} else {
		img = hugemem.NewRGBA(image.Rect(0, 0, d.width, d.height))
	}
	raw := img.Pix
	if d.yuv != nil {
		if d.yuvBuf == nil {
			d.yuvBuf = make([]byte, d.yuvLayout.frameSize(d.width, d.height))
		}
		raw = d.yuvBuf
	}
	if _, err := io.ReadFull(p.out, raw); err != nil {
		if len(d.spare) < maxSpares {
			d.spare = append(d.spare, img)
		}
		return nil, err
	}
	if d.yuv != nil {
		d.yuv.convert(img, raw, d.yuvLayout)
	}
	if d.premultiply {
		premultiply(img.Pix)
	}
	return img, nil
}

// frameAlone decodes frame i by an ffmpeg of its own that is stopped after it (RandomAccess), leaving the
// sequential one where it is. The frame is the same as the sequential ffmpeg's: the same command line,
// started at i, and stopped after one frame.
func (d *Decoder) frameAlone(i int) (*frameBuf, error) {
	seek := d.seekTo(i)
	if d.o.End > 0 && seek >= d.o.End {
		if d.end < 0 || i < d.end {
			d.end = i
		}
		return nil, io.EOF
	}
	p, err := d.launch(seek, true)
	if err != nil {
		return nil, err
	}
	img, err := d.read(p)
	d.kill(p)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, io.EOF // past the end of the source
		}
		return nil, fmt.Errorf("decode %s: read frame: %w", d.src, err)
	}
	b := &frameBuf{img: img}
	d.keep(i, b)
	return b, nil
}

// seekTo is the source time of clip frame i.
func (d *Decoder) seekTo(i int) float64 { return d.o.Start + float64(i)*d.o.Rate/d.o.FPS }

// restart stops any running ffmpeg and starts one whose first frame is clip frame i.
func (d *Decoder) restart(i int) error {
	_ = d.stop(false)
	seek := d.seekTo(i)
	if d.o.End > 0 && seek >= d.o.End {
		d.end = i
		return io.EOF
	}
	p, err := d.launch(seek, false)
	if err != nil {
		return err
	}
	d.proc = p
	d.next = i
	return nil
}

// launch starts an ffmpeg whose first frame is the one on screen at seek seconds of the source: a standby
// when one is ready and fits, else a new process. alone says only that frame is wanted (End is not needed).
func (d *Decoder) launch(seek float64, alone bool) (*decodeProcess, error) {
	rate, _ := Rational(d.o.FPS)
	// Times are from the seek point (FFmpeg subtracts it), divided by the playback rate. Clip frame n shows
	// the last source frame that began by n/FPS: fps rounds each time up to the next frame tick and keeps the
	// last frame of a tick, from tick 0. The 0.1 ms shift keeps a frame that begins exactly on a tick (a
	// start on the frame grid) on that tick despite timestamp rounding.
	setpts := fmt.Sprintf("setpts=PTS/%s-0.0001/TB", formatSeconds(d.o.Rate))
	vf := joinFilters(setpts, "fps="+rate+":start_time=0:round=up", fmt.Sprintf("scale=%d:%d:flags=bilinear", d.width, d.height))
	pixFmt := "rgba"
	if d.yuv != nil {
		pixFmt = d.yuvLayout.pixFmt
	}
	if path, ok := d.standbyFits(alone); ok {
		if s := standbys.take(); s != nil {
			// -pix_fmt appends this format filter to the graph: the standby's has it written out.
			if p, err := s.start(d.ctx, path, seek, vf+",format="+pixFmt); err == nil {
				return p, nil
			}
			go standbys.fill() // the standby died before its work came: replace it (start discarded it)
		}
	}
	bin, err := ffmpegPath()
	if err != nil {
		return nil, err
	}
	args := append([]string{}, quietArgs...)
	args = append(args, d.inputArgs...)
	if seek > 0 {
		// Inexact seeking keeps the frames before the seek point (negative times), so that the frame on
		// screen at the seek point is there for clip frame i even when seek falls between two frames.
		args = append(args, "-noaccurate_seek", "-ss", formatSeconds(seek))
	}
	args = append(args, "-i", d.src, "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", vf)
	if alone {
		args = append(args, "-frames:v", "1")
	} else if d.o.End > 0 {
		// An output duration, in clip time: an input -t would count from the keyframe before the seek.
		args = append(args, "-t", formatSeconds((d.o.End-seek)/d.o.Rate))
	}
	args = append(args, "-f", "rawvideo", "-pix_fmt", pixFmt, "pipe:1")
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", d.src, err)
	}
	enlargePipe(w)
	cmd, tail := newCommand(d.ctx, bin, args)
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("decode %s: start ffmpeg: %w", d.src, err)
	}
	w.Close()
	return &decodeProcess{cmd: cmd, out: r, tail: tail}, nil
}

// standbyFits reports whether a standby can decode this launch, and names the file for it: a source a
// standby can decode at all (standbySrc, fixed at open), and for a sequence no End (a standby's command line
// has no -t); a frame decoded alone needs none.
func (d *Decoder) standbyFits(alone bool) (string, bool) {
	return d.standbySrc, d.standbySrc != "" && (alone || d.o.End <= 0)
}

// kill ends p and waits for it, ignoring how it exited.
func (d *Decoder) kill(p *decodeProcess) {
	_ = p.cmd.Process.Kill()
	p.out.Close()
	_ = p.cmd.Wait()
	p.ended()
}

// stop ends the running ffmpeg, if any. When ffmpeg has finished writing (atEnd) it reports ffmpeg's own
// failure; otherwise it kills ffmpeg and ignores how it exited.
func (d *Decoder) stop(atEnd bool) error {
	p := d.proc
	if p == nil {
		return nil
	}
	d.proc = nil
	if !atEnd {
		d.kill(p)
		return nil
	}
	p.out.Close()
	err := p.cmd.Wait()
	p.ended()
	if err != nil {
		return fmt.Errorf("decode %s: %w", d.src, commandError("ffmpeg", d.ctx, err, p.tail))
	}
	return nil
}

// Close stops ffmpeg and releases the kept frames. Frame fails after Close.
func (d *Decoder) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	d.window, d.spare = nil, nil
	_ = d.stop(false)
	return nil
}

// premultiply converts straight-alpha RGBA pixels to premultiplied alpha in place.
func premultiply(pix []byte) {
	for i := 0; i+3 < len(pix); i += 4 {
		a := uint32(pix[i+3])
		if a == 255 {
			continue
		}
		pix[i] = uint8((uint32(pix[i])*a + 127) / 255)
		pix[i+1] = uint8((uint32(pix[i+1])*a + 127) / 255)
		pix[i+2] = uint8((uint32(pix[i+2])*a + 127) / 255)
	}
}

// FrameAt returns the frame of src shown at t seconds, accurately seeked and scaled to w × h (0 for either
// follows the source as in DecodeOptions), as premultiplied RGBA. It is meant for previews; clips use
// Decoder.
func FrameAt(ctx context.Context, src string, t float64, w, h int) (*image.RGBA, error) {
	d, err := OpenDecoder(ctx, src, DecodeOptions{Width: w, Height: h, FPS: 30, Start: t, Window: 1})
	if err != nil {
		return nil, err
	}
	defer d.Close()
	img, err := d.Frame(0)
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("frame of %s at %vs: past the end of the video", src, t)
	}
	return img, err
}
