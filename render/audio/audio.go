// Package audio renders the soundtrack of a document: every audio clip and the sound of every unmuted
// video clip, mixed in one FFmpeg filter graph into one audio file.
//
// What each clip field does (see FilterGraph for the filter chain):
//
//   - source.start / source.end trim the source; playbackRate changes speed without changing pitch; the
//     sound ends at the clip's end or when the source runs out, whichever is first, unless loop is set,
//     which repeats the (trimmed) source to fill the clip.
//   - detune shifts pitch by cents without changing speed (a resample followed by a tempo correction).
//   - volume is a plain gain (0..1; above 1 amplifies); "volume" keyframes replace it. gainEnvelope
//     multiplies it. Both are piecewise curves of clip time: linear between points, eased segments
//     approximated by 24 straight pieces, the first value held before the first point and the last after
//     the last.
//   - fadeIn / fadeOut are linear fades at the start and end of the effective span.
//   - pan is a linear balance: the far side is scaled by 1−|pan|, the near side stays at full level, so
//     pan 0 changes nothing and pan −1 silences the right channel.
//   - ducking lowers the target clips by amount while the ducking clip sounds: their gain ramps down
//     linearly over attack seconds from the ducking clip's start and back over release seconds from its
//     end. Several duckers multiply.
//
// Sounds add up without normalisation (amix normalize=0), like a mixing desk: loud overlapping clips can
// clip. Only top-level clips are read; the engine expands templates and lays out layouts first.
package audio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/framecast/framecast/schemas"
)

// Options describe the audio file Mix writes.
type Options struct {
	SampleRate int    // samples per second; default 48000
	Channels   int    // 1 or 2; default 2
	Codec      string // "aac" in an MP4 (.m4a) container (default), "pcm" (16-bit WAV) or "opus" (Ogg Opus)
	Bitrate    string // of aac and opus, such as "64k" (default 192k for aac, 128k for opus)
	// Probe, when set, answers what Mix needs to know about a source instead of a new ffprobe per file: the
	// engine passes its per-render probe cache, since the video clips' sources were probed already.
	Probe Prober
}

// Prober reports whether the file at path has an audio stream, the channel count of the first one and the
// file's duration in seconds (0 when unknown).
type Prober func(ctx context.Context, path string) (hasAudio bool, channels int, duration float64, err error)

func (o Options) withDefaults() Options {
	if o.SampleRate <= 0 {
		o.SampleRate = 48000
	}
	if o.Channels <= 0 {
		o.Channels = 2
	}
	if o.Codec == "" {
		o.Codec = "aac"
	}
	return o
}

// encoderArgs returns the FFmpeg output arguments for the codec.
func (o Options) encoderArgs() ([]string, error) {
	bitrate := func(def string) string {
		if o.Bitrate != "" {
			return o.Bitrate
		}
		return def
	}
	switch o.Codec {
	case "aac":
		return []string{"-c:a", "aac", "-b:a", bitrate("192k"), "-f", "mp4"}, nil
	case "pcm":
		return []string{"-c:a", "pcm_s16le", "-f", "wav"}, nil
	case "opus":
		return []string{"-c:a", "libopus", "-b:a", bitrate("128k"), "-f", "ogg"}, nil
	}
	return nil, fmt.Errorf("audio codec %q: want aac, pcm or opus", o.Codec)
}

// Source resolves a clip's media reference (a URL or an asset $ref) to a local file.
type Source func(ctx context.Context, src schemas.MediaRef) (localPath string, err error)

// Plan is a soundtrack as FFmpeg arguments, for a command that mixes it alongside other work (the video
// encoder mixes the sound of an MP4 itself: no FFmpeg launch of its own, no remux after).
type Plan struct {
	// Inputs are the input arguments of every sound's file, in order (each ends with -i and the file).
	Inputs []string
	// Graph is the filter graph that mixes them into one stream labelled [out], exactly the duration asked
	// for; it numbers the inputs from the first index given to PlanMix.
	Graph string
}

// PlanMix returns the soundtrack of doc, exactly duration seconds long, as a Plan whose inputs come at
// index firstInput of the FFmpeg command and on. It returns nil when no clip makes sound (no sound clips,
// or none of their files has an audio stream).
func PlanMix(ctx context.Context, doc *schemas.Document, resolve Source, duration float64, firstInput int, o Options) (*Plan, error) {
	o = o.withDefaults()
	if duration <= 0 {
		return nil, fmt.Errorf("audio mix: duration %v must be greater than 0", duration)
	}
	if o.Channels != 1 && o.Channels != 2 {
		return nil, fmt.Errorf("audio mix: %d channels: want 1 or 2", o.Channels)
	}
	if !HasSound(doc) {
		return nil, nil
	}
	all, err := sounds(ctx, doc, resolve, o.Probe)
	if err != nil {
		return nil, err
	}
	var sounds []Sound
	for _, s := range all {
		if s.Start < duration {
			sounds = append(sounds, s)
		}
	}
	if len(sounds) == 0 {
		return nil, nil
	}
	p := &Plan{Graph: filterGraph(sounds, duration, o, firstInput)}
	for _, s := range sounds {
		p.Inputs = append(p.Inputs, InputArgs(s)...)
	}
	return p, nil
}

// Mix renders the soundtrack of doc into out, exactly duration seconds long. It returns hasAudio=false,
// and writes nothing, when no clip makes sound (no sound clips, or none of their files has an audio
// stream). out is written through a temporary file, so it never holds a partial result.
func Mix(ctx context.Context, doc *schemas.Document, resolve Source, duration float64, out string, o Options) (hasAudio bool, err error) {
	encoder, err := o.withDefaults().encoderArgs()
	if err != nil {
		return false, err
	}
	plan, err := PlanMix(ctx, doc, resolve, duration, 0, o)
	if err != nil || plan == nil {
		return false, err
	}
	ffmpeg, err := FFmpegPath()
	if err != nil {
		return false, err
	}

	dir := filepath.Dir(out)
	script, err := WriteGraph(dir, plan.Graph)
	if err != nil {
		return false, fmt.Errorf("audio mix: %w", err)
	}
	defer os.Remove(script)

	tmp := filepath.Join(dir, "."+filepath.Base(out)+".partial")
	args := []string{"-hide_banner", "-nostdin", "-v", "error", "-y"}
	args = append(args, plan.Inputs...)
	args = append(args, "-filter_complex_script", script, "-map", "[out]")
	args = append(args, encoder...)
	args = append(args, tmp)
	defer os.Remove(tmp)
	if output, err := exec.CommandContext(ctx, ffmpeg, args...).CombinedOutput(); err != nil {
		return false, fmt.Errorf("audio mix: ffmpeg: %w: %s", err, tail(output))
	}
	if err := os.Rename(tmp, out); err != nil {
		return false, fmt.Errorf("audio mix: %w", err)
	}
	return true, nil
}

// WriteGraph writes a filter graph into a new file in dir (for -filter_complex_script: a long graph does
// not fit a command line) and returns its path; the caller removes it.
func WriteGraph(dir, graph string) (string, error) {
	f, err := os.CreateTemp(dir, ".audiograph-*.txt")
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(graph)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// tail keeps the end of FFmpeg's output for error messages.
func tail(b []byte) string {
	const max = 2000
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return string(b)
}

// FFmpegPath returns the ffmpeg binary: $FRAMECAST_FFMPEG, else "ffmpeg" on PATH.
func FFmpegPath() (string, error) {
	if p := os.Getenv("FRAMECAST_FFMPEG"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", errors.New("ffmpeg not found: install FFmpeg or set FRAMECAST_FFMPEG to its path")
	}
	return p, nil
}

// FFprobePath returns the ffprobe binary: $FRAMECAST_FFPROBE, else the ffprobe next to ffmpeg, else
// "ffprobe" on PATH.
func FFprobePath() (string, error) {
	if p := os.Getenv("FRAMECAST_FFPROBE"); p != "" {
		return p, nil
	}
	if ffmpeg, err := FFmpegPath(); err == nil {
		sibling := filepath.Join(filepath.Dir(ffmpeg), "ffprobe")
		if info, err := os.Stat(sibling); err == nil && !info.IsDir() {
			return sibling, nil
		}
	}
	p, err := exec.LookPath("ffprobe")
	if err != nil {
		return "", errors.New("ffprobe not found: install FFmpeg or set FRAMECAST_FFPROBE to its path")
	}
	return p, nil
}

// probeResult is what Mix needs to know about a media file.
type probeResult struct {
	hasAudio bool
	channels int
	duration float64
}

// probeFile asks ffprobe whether path has an audio stream, its channel count and the file's duration.
func probeFile(ctx context.Context, path string) (probeResult, error) {
	ffprobe, err := FFprobePath()
	if err != nil {
		return probeResult{}, err
	}
	cmd := exec.CommandContext(ctx, ffprobe, "-v", "error", "-show_entries", "stream=codec_type,channels:format=duration",
		"-of", "json", path)
	output, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return probeResult{}, fmt.Errorf("ffprobe %s: %w: %s", path, err, tail(exit.Stderr))
		}
		return probeResult{}, fmt.Errorf("ffprobe %s: %w", path, err)
	}
	var info struct {
		Streams []struct {
			CodecType string `json:"codec_type"`
			Channels  int    `json:"channels"`
		} `json:"streams"`
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(output, &info); err != nil {
		return probeResult{}, fmt.Errorf("ffprobe %s: %w", path, err)
	}
	var r probeResult
	for _, s := range info.Streams {
		if s.CodecType == "audio" {
			r.hasAudio, r.channels = true, s.Channels
			break
		}
	}
	r.duration, _ = strconv.ParseFloat(info.Format.Duration, 64)
	return r, nil
}
