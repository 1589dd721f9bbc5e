package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Join concatenates video-only segments written with FormatSegment into one MP4 (or MOV when o.Format is
// FormatMOV) by stream copy, without re-encoding: the segments must share size, frame rate and encoder
// settings. The optional audio file is muxed in (copied when it already is AAC, else encoded to AAC, padded
// with silence and cut to the video's duration). Timestamps are snapped to the frame grid so the result
// lasts exactly as long as the segments together. The index is moved to the front (+faststart).
//
// Of o, Join uses FPS (required), Frames (the expected total, required with audio; when set, the output
// is cut to that many frames' duration) and AudioCodec (skips probing the audio file).
//
// Two ways. An MP4 of segments the encoder wrote, with or without an AAC sound in MP4 (what render's
// MixAudio writes), is joined in Go (planMP4Join, mp4join.go): the index is built from the files' sample
// tables and the samples are copied file to file. The packets are those FFmpeg writes (parameter sets in front
// of each IDR picture, as its concat demuxer adds them; the sound's packets as its demuxer reads them,
// interleaved by decode time), and for these inputs even the file's bytes, in a fifteenth to a thirtieth of
// the time: for 16 segments of 1080p (27 MB), 22-23 ms instead of 594-663 ms, and 35-41 ms instead of
// 616-627 ms with 30 s of stereo sound (BenchmarkJoin16x1080p, alternating, at load 4-5). No process
// starts, nothing is probed, no byte of sample data passes through user space, and the file is written once
// instead of written and then rewritten for +faststart. It also keeps every frame on the grid where FFmpeg's
// concat demuxer drifts (see mp4join.go).
//
// Everything else goes through FFmpeg's concat demuxer: MOV (its muxer writes other boxes); a sound that is
// not AAC (encoded and padded), not in an MP4, or longer than the video (cut by -t); and segments that do not
// agree (another sample description, timescale, frame duration or B-frame delay, as in segments of 1 or 2
// frames, which x264 encodes without B-frames), that carry parameter sets in their samples, or whose frames
// do not add up to Frames.
func Join(ctx context.Context, segments []string, audio string, out string, o EncodeOptions) error {
	if len(segments) == 0 {
		return fmt.Errorf("join %s: no segments", out)
	}
	num, den, err := rational(o.FPS)
	if err != nil {
		return fmt.Errorf("join %s: %w", out, err)
	}
	format := o.Format
	if format == "" || format == FormatSegment {
		format = FormatMP4
	}
	if format != FormatMP4 && format != FormatMOV {
		return fmt.Errorf("join %s: format %s cannot be joined by stream copy (want mp4 or mov)", out, format)
	}
	if audio != "" && o.Frames <= 0 {
		return fmt.Errorf("join %s: audio needs Frames, to cut it to the video's duration", out)
	}
	// Read once, for either way: a segment that cannot be read leaves the join to FFmpeg, without durations.
	segs, readErr := readSegments(segments)
	if readErr == nil && format == FormatMP4 && (audio == "" || o.AudioCodec == "" || o.AudioCodec == "aac") {
		if plan, err := planMP4Join(segs, audio, num, den, o.Frames); err == nil {
			if err := plan.write(ctx, out); err != nil {
				os.Remove(out)
				return fmt.Errorf("join %s: %w", out, err)
			}
			return nil
		}
	}
	return joinFFmpeg(ctx, segments, segs, audio, out, o, format, num, den)
}

// joinFFmpeg is Join through FFmpeg's concat demuxer, for the cases the Go join does not handle; parsed are
// the segments as readSegments read them, or nil when one could not be read.
func joinFFmpeg(ctx context.Context, segments []string, parsed []*segmentFile, audio, out string, o EncodeOptions,
	format Format, num, den int) error {
	list, err := writeConcatList(out, segments, parsed)
	if err != nil {
		return fmt.Errorf("join %s: %w", out, err)
	}
	defer os.Remove(list)

	args := []string{"-f", "concat", "-safe", "0", "-i", list}
	if audio != "" {
		args = append(args, "-i", audio)
	}
	// The concat demuxer offsets each segment by its duration in microseconds, which leaves the
	// timestamps a few ticks off the frame grid; round them back onto it.
	grid := fmt.Sprintf("%d/%d/TB", den, num)
	snap := fmt.Sprintf("setts=pts=round(PTS/(%[1]s))*(%[1]s):dts=round(DTS/(%[1]s))*(%[1]s)", grid)
	args = append(args, "-map", "0:v:0", "-c:v", "copy", "-bsf:v", snap,
		"-video_track_timescale", itoa(videoTimescale(num)), "-movflags", "+faststart")
	duration := o.duration()
	if audio != "" {
		a, err := audioArgs(ctx, format, audio, o.AudioCodec, duration)
		if err != nil {
			return fmt.Errorf("join %s: %w", out, err)
		}
		args = append(args, a...)
	} else if o.Frames > 0 {
		args = append(args, "-t", formatSeconds(duration))
	}
	args = append(args, "-f", format.muxer(), "-y", out)
	if err := runFFmpeg(ctx, args...); err != nil {
		os.Remove(out)
		return fmt.Errorf("join %s: %w", out, err)
	}
	return nil
}

// writeConcatList writes the concat demuxer's list of segments next to out and returns its path.
//
// Each segment's exact duration (its frames' ticks over the track's timescale) is given in the list when
// every segment's index could be read (parsed holds them all): without it, the demuxer offsets each segment
// by its movie header's duration, which the muxer rounds up to a millisecond, and the errors add up until the
// setts filter rounds onto the wrong frame (after about 34 segments of 500.5 ms, TestJoinKeepsTheFrameGrid).
// Given in microseconds, the error is at most half of one per segment.
func writeConcatList(out string, segments []string, parsed []*segmentFile) (string, error) {
	var durations []string
	if len(parsed) == len(segments) {
		for _, seg := range parsed {
			durations = append(durations, formatSeconds(float64(seg.ticks())/float64(seg.timescale)))
		}
	}
	var b strings.Builder
	b.WriteString("ffconcat version 1.0\n")
	for i, s := range segments {
		abs, err := filepath.Abs(s)
		if err != nil {
			return "", err
		}
		if strings.ContainsAny(abs, "\n\r") {
			return "", errors.New("segment path contains a line break")
		}
		b.WriteString("file '" + strings.ReplaceAll(abs, "'", `'\''`) + "'\n")
		if durations != nil {
			b.WriteString("duration " + durations[i] + "\n")
		}
	}
	f, err := os.CreateTemp(filepath.Dir(out), ".concat-*.txt")
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
