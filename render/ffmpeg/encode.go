package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
)

// Format names an output container and the codecs that go with it.
type Format string

// The output formats the encoder writes.
const (
	// FormatMP4 is H.264 (yuv420p) with AAC audio in an MP4 whose index is moved to the front (+faststart)
	// so it can play while it downloads.
	FormatMP4 Format = "mp4"
	// FormatMOV is the same H.264 and AAC streams as FormatMP4 in a QuickTime container.
	FormatMOV Format = "mov"
	// FormatWebM is VP9 with Opus audio in WebM, tuned for speed (realtime deadline, cpu-used 8).
	FormatWebM Format = "webm"
	// FormatGIF is an animated GIF with a palette computed from all frames (palettegen/paletteuse). GIF stores
	// frame delays in hundredths of a second, so its timing is rounded; its frame count stays exact.
	FormatGIF Format = "gif"
	// FormatSegment is a video-only H.264 MP4 piece of a longer video, meant to be concatenated with Join.
	// Every segment starts with a keyframe and uses the same track timescale for the same frame rate.
	FormatSegment Format = "segment"
)

// Pixel formats of the raw frames given to Encoder.WriteFrame.
const (
	// PixFmtYUV420P is planar Y, U, V with chroma halved in both directions (rounded up for odd sizes),
	// BT.709 or BT.601 (see EncodeOptions.ColorMatrix), limited range.
	PixFmtYUV420P = "yuv420p"
	// PixFmtRGBA is 4 bytes per pixel, R, G, B, A, rows top to bottom without padding.
	PixFmtRGBA = "rgba"
)

// Default encoder settings.
const (
	DefaultPreset  = "veryfast"
	DefaultCRF     = 20
	DefaultVP9CRF  = 32
	aacBitrate     = "192k"
	opusBitrate    = "128k"
	defaultMatrix  = "bt709"
	maxFrameSide   = 16384
	segmentVideoTS = 90000
)

// EncodeOptions describes the video an Encoder writes.
type EncodeOptions struct {
	// Width and Height are the frame size in pixels. H.264 cannot store odd sizes in 4:2:0, so for the
	// H.264 formats (mp4, mov, segment) an odd width or height is padded by one pixel that repeats the last
	// column or row: the output is then one pixel wider or taller than the frames given. The padding is
	// done in Go while writing (one extra copy of each frame, only for odd sizes).
	Width, Height int
	// FPS is the frame rate; it is passed to FFmpeg as an exact fraction (see Rational).
	FPS float64
	// Format selects container and codecs; empty means FormatMP4.
	Format Format
	// Preset is the x264 preset (default "veryfast"); ignored by VP9 and GIF.
	Preset string
	// CRF is the constant rate factor, lower is better: default 20 for x264 and 32 for VP9; ignored by GIF.
	CRF int
	// InputPixFmt is the layout of the raw frames: PixFmtYUV420P (default; the engine converts in Go, which
	// is cheaper than FFmpeg doing it) or PixFmtRGBA.
	InputPixFmt string
	// ColorMatrix is the YUV matrix: "bt709" (default) or "bt601". For yuv420p input it says how the frames
	// were converted; for RGBA input it is the matrix FFmpeg converts with. The output is tagged with it.
	ColorMatrix string
	// Audio is an optional path of an already mixed audio file to mux in. It is encoded (AAC for mp4/mov,
	// Opus for webm), or copied when it already has that codec. Encoded audio is padded with silence and
	// everything is cut to the video's duration, so audio never shortens the video. Requires Frames.
	// Not allowed for gif and segment.
	Audio string
	// AudioCodec is Audio's codec as ffprobe names it ("aac", "opus") when the caller knows it (it mixed the
	// file itself): the file is then not probed. Empty: Audio is probed.
	AudioCodec string
	// AudioInputs and AudioGraph mix the sound in the encoder itself, instead of a mixed file (Audio): one
	// FFmpeg launch and no remux fewer than mixing apart and joining. AudioInputs are the input arguments of
	// the sound files (they become inputs 1, 2, … after the frames); AudioGraph is the path of a filter graph
	// script over them whose output, labelled [out], lasts exactly the video's duration. It is encoded as
	// Audio is. Requires Frames; not with Audio, nor for gif and segment.
	AudioInputs []string
	AudioGraph  string
	// Frames is the exact number of frames that will be written (0 = not known in advance). When set, the
	// output has exactly that many frames and lasts Frames/FPS seconds, and Close fails if a different
	// number was written.
	Frames int
	// Threads limits the encoder's threads (0 = FFmpeg's choice).
	Threads int
	// FastStart, for FormatSegment, moves the index to the front as mp4 and mov always do: the segment then
	// also plays on its own while it downloads (a preview's first seconds), and still joins like any other.
	FastStart bool
	// SkipRepeats sends frames with their timestamps (a raw-video Matroska stream instead of a rawvideo
	// pipe), so that Encoder.RepeatFrame shows the previous frame again without sending it: FFmpeg repeats
	// the picture and the output keeps a constant frame rate and its exact frame count. yuv420p input only.
	SkipRepeats bool
}

// normalized returns o with defaults filled in, or an error describing invalid options.
func (o EncodeOptions) normalized() (EncodeOptions, error) {
	if o.Format == "" {
		o.Format = FormatMP4
	}
	switch o.Format {
	case FormatMP4, FormatMOV, FormatWebM, FormatGIF, FormatSegment:
	default:
		return o, fmt.Errorf("unsupported output format %q (want mp4, mov, webm, gif or segment)", o.Format)
	}
	if o.Width < 1 || o.Height < 1 || o.Width > maxFrameSide || o.Height > maxFrameSide {
		return o, fmt.Errorf("invalid frame size %dx%d", o.Width, o.Height)
	}
	if _, _, err := rational(o.FPS); err != nil {
		return o, err
	}
	if o.InputPixFmt == "" {
		o.InputPixFmt = PixFmtYUV420P
	}
	if o.InputPixFmt != PixFmtYUV420P && o.InputPixFmt != PixFmtRGBA {
		return o, fmt.Errorf("unsupported input pixel format %q (want yuv420p or rgba)", o.InputPixFmt)
	}
	if o.ColorMatrix == "" {
		o.ColorMatrix = defaultMatrix
	}
	if o.ColorMatrix != "bt709" && o.ColorMatrix != "bt601" {
		return o, fmt.Errorf("unsupported color matrix %q (want bt709 or bt601)", o.ColorMatrix)
	}
	if o.Preset == "" {
		o.Preset = DefaultPreset
	}
	if o.CRF == 0 {
		o.CRF = DefaultCRF
		if o.Format == FormatWebM {
			o.CRF = DefaultVP9CRF
		}
	}
	if o.CRF < 0 || o.CRF > 63 {
		return o, fmt.Errorf("invalid CRF %d", o.CRF)
	}
	if o.SkipRepeats && o.InputPixFmt != PixFmtYUV420P {
		return o, errors.New("SkipRepeats needs yuv420p input")
	}
	if o.Frames < 0 || o.Threads < 0 {
		return o, errors.New("frames and threads must not be negative")
	}
	if o.Audio != "" && o.AudioGraph != "" {
		return o, errors.New("give Audio or AudioGraph, not both")
	}
	if o.Audio != "" || o.AudioGraph != "" {
		if o.Format == FormatGIF || o.Format == FormatSegment {
			return o, fmt.Errorf("format %s cannot carry audio", o.Format)
		}
		if o.Frames == 0 {
			return o, errors.New("audio needs Frames, to cut it to the video's duration")
		}
	}
	return o, nil
}

// FrameSize returns the number of bytes of one raw frame in o's InputPixFmt (yuv420p when empty).
func (o EncodeOptions) FrameSize() int {
	if o.InputPixFmt == PixFmtRGBA {
		return o.Width * o.Height * 4
	}
	return yuv420p.frameSize(o.Width, o.Height)
}

// duration returns the video's duration in seconds, Frames/FPS, computed from the exact fraction.
func (o EncodeOptions) duration() float64 {
	num, den, _ := rational(o.FPS)
	return float64(o.Frames) * float64(den) / float64(num)
}

// isH264 reports whether the format's video is H.264.
func (f Format) isH264() bool { return f == FormatMP4 || f == FormatMOV || f == FormatSegment }

// muxer returns FFmpeg's name for the format's container.
func (f Format) muxer() string {
	switch f {
	case FormatMOV:
		return "mov"
	case FormatWebM:
		return "webm"
	case FormatGIF:
		return "gif"
	default:
		return "mp4"
	}
}

// audioCodec returns the FFmpeg encoder and ffprobe codec name of the format's audio.
func (f Format) audioCodec() (encoder, codec, bitrate string) {
	if f == FormatWebM {
		return "libopus", "opus", opusBitrate
	}
	return "aac", "aac", aacBitrate
}

// videoTimescale returns the MP4 track timescale for a frame rate num/den: the smallest multiple of num
// that is at least 90000, so that every frame lasts a whole number of ticks and every segment of the same
// rate shares it.
func videoTimescale(num int) int {
	return num * ((segmentVideoTS + num - 1) / num)
}

// videoFilter returns the -vf graph for o, or "" when none is needed.
func videoFilter(o EncodeOptions) string {
	switch {
	case o.Format == FormatGIF:
		in := ""
		if o.InputPixFmt == PixFmtYUV420P {
			in = "scale=in_color_matrix=" + o.ColorMatrix + ":in_range=tv"
		}
		return joinFilters(in, "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a")
	case o.Format.isH264() || o.Format == FormatWebM:
		convert := ""
		if o.InputPixFmt == PixFmtRGBA {
			convert = "scale=out_color_matrix=" + o.ColorMatrix + ":out_range=tv:flags=bilinear,format=yuv420p"
		}
		return convert
	}
	return ""
}

// colorTags returns the options that label the output's YUV matrix.
func colorTags(matrix string) []string {
	if matrix == "bt601" {
		return []string{"-colorspace", "smpte170m", "-color_primaries", "smpte170m", "-color_trc", "smpte170m", "-color_range", "tv"}
	}
	return []string{"-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"}
}

// videoCodecArgs returns the codec options of o's format.
func videoCodecArgs(o EncodeOptions, rate string) []string {
	num, _, _ := rational(o.FPS)
	switch o.Format {
	case FormatGIF:
		return []string{"-loop", "0"}
	case FormatWebM:
		args := []string{"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1",
			"-crf", itoa(o.CRF), "-b:v", "0", "-pix_fmt", "yuv420p"}
		return append(args, colorTags(o.ColorMatrix)...)
	}
	args := []string{"-c:v", "libx264", "-preset", o.Preset, "-crf", itoa(o.CRF), "-pix_fmt", "yuv420p",
		"-video_track_timescale", itoa(videoTimescale(num))}
	args = append(args, colorTags(o.ColorMatrix)...)
	if o.Format != FormatSegment || o.FastStart {
		args = append(args, "-movflags", "+faststart")
	}
	return args
}

// audioArgs returns the options that encode or copy audio input 1, cut to the video's duration.
func audioArgs(ctx context.Context, f Format, audio, audioCodec string, duration float64) ([]string, error) {
	encoder, codec, bitrate := f.audioCodec()
	if audioCodec == "" {
		probe, err := Probe(ctx, audio)
		if err != nil {
			return nil, fmt.Errorf("audio %s: %w", audio, err)
		}
		if !probe.HasAudio {
			return nil, fmt.Errorf("audio %s has no audio stream", audio)
		}
		audioCodec = probe.firstStream("audio").CodecName
	}
	args := []string{"-map", "1:a:0"}
	if audioCodec == codec {
		args = append(args, "-c:a", "copy")
	} else {
		args = append(args, "-c:a", encoder, "-b:a", bitrate, "-af", "apad")
	}
	return append(args, "-t", formatSeconds(duration)), nil
}

// encodeArgs builds the full ffmpeg command line of an Encoder.
func encodeArgs(ctx context.Context, out string, o EncodeOptions) ([]string, error) {
	rate, _ := Rational(o.FPS)
	inW, inH := o.Width, o.Height
	if p := newEdgePadder(o); p != nil {
		inW, inH = p.outW, p.outH
	}
	args := append([]string{}, quietArgs...)
	if o.SkipRepeats {
		args = append(args, "-f", "matroska", "-i", "pipe:0")
	} else {
		args = append(args, "-f", "rawvideo", "-pix_fmt", o.InputPixFmt,
			"-video_size", fmt.Sprintf("%dx%d", inW, inH), "-framerate", rate, "-i", "pipe:0")
	}
	if o.Audio != "" {
		args = append(args, "-i", o.Audio)
	}
	if o.AudioGraph != "" {
		args = append(args, o.AudioInputs...)
		args = append(args, "-filter_complex_script", o.AudioGraph)
	}
	args = append(args, "-map", "0:v:0")
	if vf := videoFilter(o); vf != "" {
		args = append(args, "-vf", vf)
	}
	args = append(args, videoCodecArgs(o, rate)...)
	args = append(args, "-r", rate)
	if o.SkipRepeats {
		// Constant frame rate: a frame lasts until the next one's timestamp, repeated as often as needed.
		args = append(args, "-vsync", "cfr")
		// The exact frame count: -frames:v, or with a mixed sound the output's -t (below), since FFmpeg 5
		// closes every stream of a file once one reaches its -frames, and the sound's graph runs behind
		// the video by the encoder's delay (the audio of a 2.5 s video ended at 1.7 s). The last frame is
		// always sent, so -t at Frames/FPS keeps exactly Frames frames.
		if o.Frames > 0 && o.AudioGraph == "" {
			args = append(args, "-frames:v", itoa(o.Frames))
		}
	}
	if o.Audio != "" {
		a, err := audioArgs(ctx, o.Format, o.Audio, o.AudioCodec, o.duration())
		if err != nil {
			return nil, err
		}
		args = append(args, a...)
	}
	if o.AudioGraph != "" {
		encoder, _, bitrate := o.Format.audioCodec()
		args = append(args, "-map", "[out]", "-c:a", encoder, "-b:a", bitrate, "-t", formatSeconds(o.duration()))
	}
	if o.Threads > 0 {
		args = append(args, "-threads", itoa(o.Threads))
	}
	return append(args, "-f", o.Format.muxer(), "-y", out), nil
}

// Encoder feeds raw frames to an ffmpeg subprocess that encodes them into a file. Frames go through the
// subprocess's standard input, a pipe enlarged to 1 MiB on Linux. An Encoder is used from one goroutine:
// WriteFrame for every frame, then Close (or Abort to give up).
type Encoder struct {
	ctx       context.Context
	out       string
	cmd       *exec.Cmd
	stdin     *os.File
	tail      *tailBuffer
	frameSize int
	padder    *edgePadder // non-nil when odd H.264 frames are padded to even
	frames    int
	written   int
	closed    bool

	// With SkipRepeats: the stream header is sent before the first frame, each frame with its timestamp.
	skipRepeats  bool
	header       []byte
	fpsNum       int
	fpsDen       int
	lastRepeated bool
	frameHeader  []byte

	waitOnce sync.Once
	waitErr  error
}

// NewEncoder starts ffmpeg writing the file out as o describes. The subprocess is killed when ctx is
// cancelled; the file is written in place, so give a temporary path and rename it if readers must never
// see a partial file.
func NewEncoder(ctx context.Context, out string, o EncodeOptions) (*Encoder, error) {
	o, err := o.normalized()
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", out, err)
	}
	bin, err := ffmpegPath()
	if err != nil {
		return nil, err
	}
	args, err := encodeArgs(ctx, out, o)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", out, err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", out, err)
	}
	enlargePipe(w)
	cmd, tail := newCommand(ctx, bin, args)
	cmd.Stdin = r
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("encode %s: start ffmpeg: %w", out, err)
	}
	r.Close()
	e := &Encoder{ctx: ctx, out: out, cmd: cmd, stdin: w, tail: tail, frameSize: o.FrameSize(),
		padder: newEdgePadder(o), frames: o.Frames, skipRepeats: o.SkipRepeats}
	if o.SkipRepeats {
		w, h := o.Width, o.Height
		if e.padder != nil {
			w, h = e.padder.outW, e.padder.outH
		}
		e.header = mkvHeader(w, h, o.FPS)
		e.fpsNum, e.fpsDen, _ = rational(o.FPS)
	}
	return e, nil
}

// FrameSize returns the number of bytes WriteFrame expects.
func (e *Encoder) FrameSize() int { return e.frameSize }

// WriteFrame sends one raw frame of exactly FrameSize bytes, in the options' InputPixFmt. When ffmpeg has
// failed, the error carries its message.
func (e *Encoder) WriteFrame(frame []byte) error {
	if len(frame) != e.frameSize {
		return fmt.Errorf("encode %s: frame has %d bytes, want %d", e.out, len(frame), e.frameSize)
	}
	if e.frames > 0 && e.written >= e.frames {
		return fmt.Errorf("encode %s: more than the announced %d frames", e.out, e.frames)
	}
	if e.padder != nil {
		frame = e.padder.pad(frame)
	}
	if e.skipRepeats {
		b := e.frameHeader[:0]
		if e.header != nil {
			b, e.header = append(b, e.header...), nil
		}
		ts := sparseTimestamp(e.written, e.fpsNum, e.fpsDen)
		e.frameHeader = mkvFrameHeader(b, ts, len(frame))
		if err := e.write(e.frameHeader); err != nil {
			return err
		}
		e.lastRepeated = false
	}
	if err := e.write(frame); err != nil {
		return err
	}
	e.written++
	return nil
}

// sparseTimestamp is the timestamp, in microseconds, that places frame k of a num/den fps video in its slot
// of FFmpeg's constant-frame-rate output when the frames before it may be missing (repeats not sent).
//
// FFmpeg (-vsync cfr) gives a frame arriving D slots after the last one written llrint(D − 0.6) copies of the
// previous frame and llrint(D + its duration) frames in all. A frame stamped exactly on its slot would take
// the last slot of the run before it; stamped 0.3 frames late, both roundings land on the grid whether FFmpeg
// counts its duration as 1 or as ½ frame. The first frame stays at 0, since FFmpeg moves a stream's start
// there anyway. TestEncodeSkipRepeatsMatchesSendingEveryFrame holds FFmpeg to this.
func sparseTimestamp(k, num, den int) uint64 {
	if k == 0 {
		return 0
	}
	return uint64((float64(k) + 0.3) * 1e6 * float64(den) / float64(num))
}

// RepeatFrame shows the frame before once more. With SkipRepeats nothing is sent (FFmpeg repeats the
// picture); the video's last frame must still be given with WriteFrame. Without SkipRepeats it fails: the
// caller writes the bytes again.
func (e *Encoder) RepeatFrame() error {
	if !e.skipRepeats {
		return fmt.Errorf("encode %s: RepeatFrame needs SkipRepeats", e.out)
	}
	if e.written == 0 {
		return fmt.Errorf("encode %s: no frame to repeat", e.out)
	}
	if e.frames > 0 && e.written >= e.frames {
		return fmt.Errorf("encode %s: more than the announced %d frames", e.out, e.frames)
	}
	e.written++
	e.lastRepeated = true
	return nil
}

// write sends b to ffmpeg; when ffmpeg has failed, the error carries its message.
func (e *Encoder) write(b []byte) error {
	if _, err := e.stdin.Write(b); err != nil {
		e.stdin.Close()
		if werr := e.wait(); werr != nil {
			return werr
		}
		return fmt.Errorf("encode %s: write frame: %w", e.out, err)
	}
	return nil
}

// Close ends the input, waits for ffmpeg to finish the file and reports any failure with the end of
// ffmpeg's error output. It fails, and removes the file, when fewer frames than announced were written.
func (e *Encoder) Close() error {
	if e.closed {
		return e.waitErr
	}
	if e.frames > 0 && e.written != e.frames {
		e.Abort()
		return fmt.Errorf("encode %s: %d frames written, %d announced", e.out, e.written, e.frames)
	}
	if e.lastRepeated {
		e.Abort()
		return fmt.Errorf("encode %s: the last frame was repeated, not written (it would be lost)", e.out)
	}
	e.closed = true
	e.stdin.Close()
	if err := e.wait(); err != nil {
		os.Remove(e.out)
		return err
	}
	return nil
}

// Abort kills ffmpeg, waits for it and removes the partial output. It is safe to call after Close.
func (e *Encoder) Abort() {
	if e.closed {
		return
	}
	e.closed = true
	_ = e.cmd.Process.Kill()
	e.stdin.Close()
	_ = e.wait()
	os.Remove(e.out)
}

// wait waits for ffmpeg once and remembers the outcome.
func (e *Encoder) wait() error {
	e.waitOnce.Do(func() {
		if err := e.cmd.Wait(); err != nil {
			e.waitErr = fmt.Errorf("encode %s: %w", e.out, commandError("ffmpeg", e.ctx, err, e.tail))
		}
	})
	return e.waitErr
}
