package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sync"

	"github.com/framecast/framecast/render/audio"
	"github.com/framecast/framecast/render/compose"
	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/render/hugemem"
	"github.com/framecast/framecast/schemas"
)

// encodeOptions are the encoder settings of this timeline for a file of n frames.
func (tl *Timeline) encodeOptions(format string, n int) ffmpeg.EncodeOptions {
	return ffmpeg.EncodeOptions{
		Width: tl.Width, Height: tl.Height, FPS: tl.FPS,
		Format:      ffmpeg.Format(format),
		Preset:      tl.opts.preset(),
		CRF:         tl.opts.crf(),
		InputPixFmt: "yuv420p",
		Frames:      n,
		SkipRepeats: true,
	}
}

// Render writes the whole video to out in the format of Options (mp4, webm or gif), with its sound.
//
// The soundtrack is mixed by the encoder itself, while the frames are drawn and encoded: its sound files are
// further inputs of the encoder's FFmpeg and its filter graph a script there (one FFmpeg launch and one
// remux fewer than mixing apart and joining by stream copy).
func (tl *Timeline) Render(ctx context.Context, out string) error {
	if tl.Frames <= 0 {
		return fmt.Errorf("render: the document has no duration (no clip ends after 0 s)")
	}
	format := tl.opts.format()
	o := tl.encodeOptions(format, tl.Frames)
	if format == "gif" {
		return tl.encodeRange(ctx, out, o, 0, tl.Frames, tl.opts.Progress)
	}
	var plan *audio.Plan
	if _, err := tl.mixSoundtrack(audio.Options{}, func(doc *schemas.Document, resolve audio.Source, seconds float64, ao audio.Options) (bool, error) {
		var err error
		plan, err = audio.PlanMix(ctx, doc, resolve, seconds, 1, ao)
		return plan != nil, err
	}); err != nil {
		return err
	}
	if plan == nil {
		return tl.encodeRange(ctx, out, o, 0, tl.Frames, tl.opts.Progress)
	}
	tmp, err := os.MkdirTemp("", "framecast-audio-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if o.AudioGraph, err = audio.WriteGraph(tmp, plan.Graph); err != nil {
		return err
	}
	o.AudioInputs = plan.Inputs
	return tl.encodeRange(ctx, out, o, 0, tl.Frames, tl.opts.Progress)
}

// RenderSegment writes frames [from, to) as a video-only segment that Join can concatenate. It needs nothing
// but the timeline, so any worker can render any segment.
func (tl *Timeline) RenderSegment(ctx context.Context, from, to int, out string) error {
	return tl.encodeSegment(ctx, from, to, out, 0, tl.opts.Progress)
}

// encodeSegment writes frames [from, to) as a video-only segment (FormatSegment) with x264 on threads
// threads (0: FFmpeg's choice, one per core plus half). RenderSegment leaves the count to FFmpeg, for speed
// on the machine at hand; EncodeSegment pins it (segmentThreads), so that a reuse segment's bytes do not
// depend on the machine that drew it.
func (tl *Timeline) encodeSegment(ctx context.Context, from, to int, out string, threads int, progress func(done, total int)) error {
	if from < 0 || to > tl.Frames || from >= to {
		return fmt.Errorf("render: segment [%d, %d) is outside the video's %d frames", from, to, tl.Frames)
	}
	o := tl.encodeOptions(string(ffmpeg.FormatSegment), to-from)
	o.Threads = threads
	return tl.encodeRange(ctx, out, o, from, to, progress)
}

// RenderHead writes the first frames of the video as a segment that also plays on its own (its index in
// front): a preview publishes it as is while the rest renders, then joins it with the rest like any segment.
func (tl *Timeline) RenderHead(ctx context.Context, frames int, out string) error {
	if frames <= 0 || frames > tl.Frames {
		return fmt.Errorf("render: a head of %d frames is outside the video's %d frames", frames, tl.Frames)
	}
	o := tl.encodeOptions(string(ffmpeg.FormatSegment), frames)
	o.FastStart = true
	return tl.encodeRange(ctx, out, o, 0, frames, tl.opts.Progress)
}

// MixAudio writes the document's whole soundtrack, exactly as long as the video, to out (AAC in .m4a). It
// reports false, and writes nothing, when the document has no sound.
func (tl *Timeline) MixAudio(ctx context.Context, out string) (bool, error) {
	return tl.MixAudioAs(ctx, out, audio.Options{})
}

// MixAudioAs is MixAudio in the format o describes (an audio preview uses a small Opus file): the same
// mix, with every fade, envelope and ducking the render applies.
func (tl *Timeline) MixAudioAs(ctx context.Context, out string, o audio.Options) (bool, error) {
	return tl.mixSoundtrack(o, func(doc *schemas.Document, resolve audio.Source, seconds float64, o audio.Options) (bool, error) {
		return audio.Mix(ctx, doc, resolve, seconds, out, o)
	})
}

// mixSoundtrack hands mix (audio.Mix into a file, or audio.PlanMix for Render's encoder) the soundtrack as
// the mixer must hear it, so that every way of mixing hears the same: the document with the sounds inside
// layouts lifted onto a track of their own (withLayoutSounds), its sources fetched as Load fetched them,
// the video's length in seconds, and o with the timeline's probes unless o brings its own (the sources
// were probed at Load). It reports false without calling mix when the document has no sound, and mix's
// report otherwise, its error wrapped.
func (tl *Timeline) mixSoundtrack(o audio.Options, mix func(doc *schemas.Document, resolve audio.Source, seconds float64, o audio.Options) (bool, error)) (bool, error) {
	doc := withLayoutSounds(tl.Doc)
	if !audio.HasSound(doc) {
		return false, nil
	}
	if o.Probe == nil {
		o.Probe = tl.probeAudio
	}
	has, err := mix(doc, tl.fetch, float64(tl.Frames)/tl.FPS, o)
	if err != nil {
		return false, fmt.Errorf("mixing audio: %w", err)
	}
	return has, nil
}

// withLayoutSounds returns doc with the video and audio clips inside layouts also on a track of their own,
// timed by their layout (children share its window), so that the mixer, which reads top-level clips, hears
// them. doc is returned unchanged when no layout holds sound.
func withLayoutSounds(doc *schemas.Document) *schemas.Document {
	var lifted []schemas.Clip
	var walk func(window *schemas.BaseClip, clips []schemas.Clip)
	walk = func(window *schemas.BaseClip, clips []schemas.Clip) {
		for _, c := range clips {
			switch s := c.Spec.(type) {
			case *schemas.LayoutClip:
				walk(window, s.Children)
			case *schemas.VideoClip:
				v := *s
				v.Start, v.Duration = window.Start, window.Duration
				lifted = append(lifted, schemas.Clip{Spec: &v})
			case *schemas.AudioClip:
				a := *s
				a.Start, a.Duration = window.Start, window.Duration
				lifted = append(lifted, schemas.Clip{Spec: &a})
			}
		}
	}
	for _, tr := range doc.Tracks {
		for _, c := range tr.Clips {
			if l, ok := c.Spec.(*schemas.LayoutClip); ok {
				walk(&l.BaseClip, l.Children)
			}
		}
	}
	if len(lifted) == 0 {
		return doc
	}
	out := *doc
	out.Tracks = append(append([]schemas.Track(nil), doc.Tracks...), schemas.Track{ID: "layout-sounds", Clips: lifted})
	return &out
}

// Join concatenates segments (in order) and the mixed audio (optional: "") into out by stream copy.
func (tl *Timeline) Join(ctx context.Context, segments []string, audioPath, out string) error {
	return tl.JoinFirst(ctx, segments, audioPath, out, tl.Frames)
}

// JoinFirst is Join for segments holding only the first frames of the video (a preview's first seconds):
// the result, and the audio, last frames/FPS seconds.
func (tl *Timeline) JoinFirst(ctx context.Context, segments []string, audioPath, out string, frames int) error {
	o := tl.encodeOptions("mp4", frames)
	if audioPath != "" {
		o.AudioCodec = "aac" // mixed by MixAudio
	}
	return ffmpeg.Join(ctx, segments, audioPath, out, o)
}

// RenderSegments renders the video as n segments of nearly equal length (SplitFrames), one after another
// with RenderSegment, mixes the soundtrack apart and joins them by stream copy: the split-and-join a cluster
// relies on, in one process, to check that the pieces join into Render's video (same frames, duration and
// sound). It is not what a cluster's segment jobs run: they cut on the reuse segments (Segments), encode
// them with x264 pinned (EncodeSegments) and skip those already stored, so their video shows the same frames
// in other bytes.
func (tl *Timeline) RenderSegments(ctx context.Context, out string, n int) error {
	if tl.Frames <= 0 {
		return fmt.Errorf("render: the document has no duration (no clip ends after 0 s)")
	}
	tmp, err := os.MkdirTemp("", "framecast-seg-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var segs []string
	for i, r := range SplitFrames(tl.Frames, n) {
		seg := filepath.Join(tmp, fmt.Sprintf("seg%03d.mp4", i))
		if err := tl.RenderSegment(ctx, r[0], r[1], seg); err != nil {
			return fmt.Errorf("segment %d: %w", i, err)
		}
		segs = append(segs, seg)
	}
	mixed := filepath.Join(tmp, "audio.m4a")
	has, err := tl.MixAudio(ctx, mixed)
	if err != nil {
		return err
	}
	if !has {
		mixed = ""
	}
	return tl.Join(ctx, segs, mixed, out)
}

// SplitFrames divides frames into n contiguous ranges [from, to) of nearly equal size (fewer when there are
// fewer frames than n).
func SplitFrames(frames, n int) [][2]int {
	if n < 1 {
		n = 1
	}
	if n > frames {
		n = frames
	}
	out := make([][2]int, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, [2]int{frames * i / n, frames * (i + 1) / n})
	}
	return out
}

// encodeRange draws frames [from, to) into one encoder.
func (tl *Timeline) encodeRange(ctx context.Context, out string, o ffmpeg.EncodeOptions, from, to int, progress func(done, total int)) error {
	enc, err := ffmpeg.NewEncoder(ctx, out, o)
	if err != nil {
		return err
	}
	if err := tl.drawRange(ctx, enc, from, to, progress); err != nil {
		enc.Abort()
		return err
	}
	return enc.Close()
}

// frameSink takes yuv420p frames in order.
type frameSink interface {
	WriteFrame(frame []byte) error
}

// frameRepeater is a frameSink that can show the previous frame again without its bytes (the encoder, which
// sends frames with timestamps and lets FFmpeg repeat pictures).
type frameRepeater interface {
	RepeatFrame() error
}

// drawRange draws frames [from, to) on all workers and writes them in order into sink, calling progress (when
// not nil) after each frame written with the frames written and their total. A frame whose
// signature equals the previous frame's is not drawn again: a frameRepeater is told to repeat the previous
// frame (except for the last frame, always written), other sinks get the previous bytes once more.
func (tl *Timeline) drawRange(ctx context.Context, sink frameSink, from, to int, progress func(done, total int)) error {
	ctx, cancel := context.WithCancel(ctx)
	var drawing sync.WaitGroup      // frames being drawn
	produced := make(chan struct{}) // closed when the producer has stopped starting frames
	defer func() {
		// On return, early or not, nothing may still be drawing (or reading a decoder the caller closes next).
		cancel()
		<-produced
		drawing.Wait()
	}()

	frameSize := compose.YUV420Size(tl.Width, tl.Height)
	workers := tl.opts.workers()
	type result struct {
		buf *paintedFrame // nil: same as the previous frame
		err error
	}
	slots := make(chan chan result, workers*2)
	// Free lists, not sync.Pools: a pool is emptied at every GC, and reallocating (and zeroing) 8 MB canvases
	// costs more than drawing many frames.
	//
	// A canvas and a frame's bytes go back to their free list holding the background everywhere but where the
	// last frame drawn in them drew clips (their dirty rectangles): the next frame puts the background back
	// there only and converts only what its own clips changed; the background's yuv420p is converted once.
	// The bytes are those of converting every frame whole (TestDrawRangeMatchesWholeFrames); on a 2160p
	// title card, whose picture and line cover a quarter of the frame, it spares three quarters of the
	// background copy and of the conversion.
	full := image.Rect(0, 0, tl.Width, tl.Height)
	background := &paintedCanvas{img: hugemem.NewRGBA(full)}
	tl.bg.fill(background.img)
	bgYUV := hugemem.Bytes(frameSize)
	if err := compose.ToYUV420(bgYUV, background.img); err != nil {
		return err
	}
	bufs := newFreeList(workers*3+2, func() *paintedFrame { return &paintedFrame{yuv: hugemem.Clone(bgYUV)} })
	canvases := newFreeList(workers+1, func() *paintedCanvas {
		c := &paintedCanvas{img: hugemem.NewRGBA(full)}
		tl.bg.fill(c.img)
		return c
	})
	canvases.put(background)
	sem := make(chan struct{}, workers)

	go func() { // producer: decides which frames to draw, in order
		defer close(produced)
		defer close(slots)
		var prev, sig []byte
		for n := from; n < to; n++ {
			t := tl.FrameTime(n)
			sig = tl.signature(sig[:0], t)
			slot := make(chan result, 1)
			select {
			case slots <- slot:
			case <-ctx.Done():
				return
			}
			if n > from && bytes.Equal(sig, prev) {
				slot <- result{}
				continue
			}
			prev, sig = sig, prev
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			drawing.Add(1)
			go func(n int, t float64) {
				defer drawing.Done()
				defer func() { <-sem }()
				canvas := canvases.get()
				defer canvases.put(canvas)
				drawn, err := tl.drawClips(ctx, canvas.img, t, canvas.dirty)
				if err != nil { // the canvas is as it was: its rectangles still hold
					slot <- result{err: frameErr(n, err)}
					return
				}
				changed := drawn.cover(tl.Width, tl.Height)
				canvas.dirty = changed
				buf := bufs.get()
				// The background goes back where the frame held last drew and this one does not: inside
				// changed, the conversion below writes every byte anyway.
				for _, r := range outside(buf.dirty, changed) {
					if err := compose.CopyYUV420Rect(buf.yuv, bgYUV, tl.Width, tl.Height, r); err != nil {
						slot <- result{err: frameErr(n, err)}
						return
					}
				}
				buf.dirty = append(buf.dirty[:0], changed...)
				for _, r := range changed {
					if err := compose.ToYUV420Rect(buf.yuv, canvas.img, r); err != nil {
						slot <- result{err: frameErr(n, err)}
						return
					}
				}
				slot <- result{buf: buf}
			}(n, t)
		}
	}()

	var last *paintedFrame
	done, total := 0, to-from
	repeater, _ := sink.(frameRepeater)
	for slot := range slots {
		var r result
		select {
		case r = <-slot:
		case <-ctx.Done(): // the producer may have stopped before this frame was started
			return ctx.Err()
		}
		if r.err != nil {
			return r.err
		}
		if r.buf != nil {
			if last != nil {
				bufs.put(last)
			}
			last = r.buf
		}
		if last == nil {
			return errors.New("render: no frame to repeat")
		}
		if r.buf == nil && repeater != nil && done < total-1 {
			if err := repeater.RepeatFrame(); err != nil {
				return err
			}
		} else if err := sink.WriteFrame(last.yuv); err != nil {
			return err
		}
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if done != total {
		return fmt.Errorf("render: wrote %d of %d frames", done, total)
	}
	return nil
}

// paintedCanvas is a canvas that holds the background everywhere outside dirty.
type paintedCanvas struct {
	img   *image.RGBA
	dirty []image.Rectangle // from damage.cover
}

// paintedFrame is a yuv420p frame that holds the background's bytes everywhere outside dirty (widened to
// even boundaries).
type paintedFrame struct {
	yuv   []byte
	dirty []image.Rectangle // from damage.cover
}

// freeList keeps up to cap(items) values for reuse; get makes a new one when none is free.
type freeList[T any] struct {
	items   chan T
	newItem func() T
}

func newFreeList[T any](n int, newItem func() T) *freeList[T] {
	return &freeList[T]{items: make(chan T, n), newItem: newItem}
}

func (f *freeList[T]) get() T {
	select {
	case v := <-f.items:
		return v
	default:
		return f.newItem()
	}
}

func (f *freeList[T]) put(v T) {
	select {
	case f.items <- v:
	default: // full: let it go
	}
}
