package ffmpeg

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Stream describes one stream of a media file.
type Stream struct {
	// CodecType is "video", "audio", "subtitle" or "data".
	CodecType string
	// CodecName is FFmpeg's codec name, such as "h264", "vp9", "aac" or "opus".
	CodecName string
	// Width and Height are a video stream's coded size (before any rotation, see Rotation).
	Width, Height int
	// FPS is a video stream's average frame rate (0 when unknown).
	FPS float64
	// NbFrames is the number of frames: counted by decoding with CountFrames, else the container's figure
	// (0 when the container does not say).
	NbFrames int
	// Duration is the stream's duration in seconds (0 when unknown).
	Duration float64
	// SampleRate and Channels describe an audio stream.
	SampleRate, Channels int
	// PixFmt is a video stream's pixel format, such as "yuv420p" or "yuva420p".
	PixFmt string
	// Rotation is the display rotation in degrees that players apply (and ffmpeg applies when decoding),
	// one of 0, 90, 180, 270.
	Rotation int
	// AlphaMode reports a VP8/VP9 stream that carries an alpha channel beside its yuv420p planes.
	AlphaMode bool
	// ColorSpace and ColorRange are a video stream's colour tags as ffprobe names them ("bt709", "tv";
	// empty when the stream has none): they say how its Y'CbCr becomes RGB.
	ColorSpace, ColorRange string
}

// DisplaySize returns a video stream's size after its rotation, the size decoded frames have.
func (s Stream) DisplaySize() (w, h int) {
	if s.Rotation == 90 || s.Rotation == 270 {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

// ProbeResult describes a media file as ffprobe sees it.
type ProbeResult struct {
	// Duration is the container's duration in seconds.
	Duration float64
	// StartTime is the container's start time in seconds (0 for most files; a seek with -ss is from it).
	StartTime float64
	// Streams lists every stream in file order.
	Streams []Stream
	// FormatName is the container's name list, such as "mov,mp4,m4a,3gp,3g2,mj2".
	FormatName string
	// HasAudio and HasVideo report whether a stream of that type exists. Cover art attached to audio files
	// does not count as video.
	HasAudio, HasVideo bool
	// Size is the file size in bytes.
	Size int64
}

// firstStream returns the first stream of the given type, or a zero Stream.
func (r *ProbeResult) firstStream(codecType string) Stream {
	for _, s := range r.Streams {
		if s.CodecType == codecType {
			return s
		}
	}
	return Stream{}
}

// Video returns the first video stream and whether there is one.
func (r *ProbeResult) Video() (Stream, bool) {
	s := r.firstStream("video")
	return s, r.HasVideo
}

// Audio returns the first audio stream and whether there is one.
func (r *ProbeResult) Audio() (Stream, bool) {
	s := r.firstStream("audio")
	return s, r.HasAudio
}

// ProbeOption changes what Probe does.
type ProbeOption int

// CountFrames makes Probe count the frames of every stream by decoding the whole file: exact but as slow as
// a full decode. Without it Stream.NbFrames is the container's figure.
const CountFrames ProbeOption = 1

// Probe returns the streams and format of path (a file or URL) as ffprobe reports them. A local MP4, MOV
// or M4A file of H.264 and AAC is read in Go when the reader is certain to give ffprobe's answer (see
// probe_mp4.go, which also says what a launch costs); everything else, and CountFrames, runs ffprobe.
func Probe(ctx context.Context, path string, opts ...ProbeOption) (*ProbeResult, error) {
	if len(opts) == 0 && localMP4Path(path) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("probe %s: %w", path, err)
		}
		if res, err := probeMP4(path); err == nil {
			return res, nil
		}
	}
	return probeWithFFprobe(ctx, path, opts...)
}

// probeWithFFprobe runs ffprobe on path and parses its answer.
func probeWithFFprobe(ctx context.Context, path string, opts ...ProbeOption) (*ProbeResult, error) {
	bin, err := ffprobePath()
	if err != nil {
		return nil, err
	}
	args := []string{"-hide_banner", "-loglevel", "error", "-print_format", "json", "-show_streams", "-show_format"}
	for _, o := range opts {
		if o == CountFrames {
			args = append(args, "-count_frames")
		}
	}
	cmd, tail := newCommand(ctx, bin, append(args, "-i", path))
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("probe %s: %w", path, commandError("ffprobe", ctx, err, tail))
	}
	res, err := parseProbe(out)
	if err != nil {
		return nil, fmt.Errorf("probe %s: %w", path, err)
	}
	return res, nil
}

// probeJSON mirrors the parts of ffprobe's JSON output that Probe reads.
type probeJSON struct {
	Streams []struct {
		CodecType    string            `json:"codec_type"`
		CodecName    string            `json:"codec_name"`
		Width        int               `json:"width"`
		Height       int               `json:"height"`
		AvgFrameRate string            `json:"avg_frame_rate"`
		RFrameRate   string            `json:"r_frame_rate"`
		NbFrames     string            `json:"nb_frames"`
		NbReadFrames string            `json:"nb_read_frames"`
		Duration     string            `json:"duration"`
		SampleRate   string            `json:"sample_rate"`
		Channels     int               `json:"channels"`
		PixFmt       string            `json:"pix_fmt"`
		ColorSpace   string            `json:"color_space"`
		ColorRange   string            `json:"color_range"`
		Tags         map[string]string `json:"tags"`
		SideDataList []struct {
			Rotation float64 `json:"rotation"`
		} `json:"side_data_list"`
		Disposition struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
	} `json:"streams"`
	Format struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
		StartTime  string `json:"start_time"`
		Size       string `json:"size"`
	} `json:"format"`
}

// parseProbe converts ffprobe's JSON output.
func parseProbe(data []byte) (*ProbeResult, error) {
	var pj probeJSON
	if err := json.Unmarshal(data, &pj); err != nil {
		return nil, fmt.Errorf("read ffprobe output: %w", err)
	}
	res := &ProbeResult{
		FormatName: pj.Format.FormatName,
		Duration:   parseFloat(pj.Format.Duration),
		StartTime:  parseFloat(pj.Format.StartTime),
		Size:       int64(parseFloat(pj.Format.Size)),
	}
	for _, s := range pj.Streams {
		st := Stream{
			CodecType:  s.CodecType,
			CodecName:  s.CodecName,
			Width:      s.Width,
			Height:     s.Height,
			Duration:   parseFloat(s.Duration),
			SampleRate: int(parseFloat(s.SampleRate)),
			Channels:   s.Channels,
			PixFmt:     s.PixFmt,
			ColorSpace: s.ColorSpace,
			ColorRange: s.ColorRange,
			AlphaMode:  s.Tags["alpha_mode"] == "1" || s.Tags["ALPHA_MODE"] == "1",
		}
		if s.CodecType == "video" {
			st.FPS = parseRate(s.AvgFrameRate)
			if st.FPS == 0 {
				st.FPS = parseRate(s.RFrameRate)
			}
		}
		st.NbFrames = int(parseFloat(s.NbFrames))
		if s.NbReadFrames != "" {
			st.NbFrames = int(parseFloat(s.NbReadFrames))
		}
		rotation := parseFloat(s.Tags["rotate"])
		for _, sd := range s.SideDataList {
			if sd.Rotation != 0 {
				rotation = sd.Rotation
			}
		}
		st.Rotation = rotationDegrees(rotation)
		res.Streams = append(res.Streams, st)
		switch {
		case s.CodecType == "audio":
			res.HasAudio = true
		case s.CodecType == "video" && s.Disposition.AttachedPic == 0:
			res.HasVideo = true
		}
	}
	return res, nil
}

// rotationDegrees turns a rotation in degrees as ffprobe reports it (the display matrix's side data, or the
// older "rotate" tag; any sign) into one of 0, 90, 180, 270.
func rotationDegrees(degrees float64) int {
	return ((int(math.Round(degrees))%360 + 360) % 360) / 90 * 90
}

// parseFloat reads a number from ffprobe, treating missing or "N/A" values as 0.
func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// parseRate reads a frame rate written as a fraction such as "30000/1001".
func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseFloat(s)
	}
	d := parseFloat(den)
	if d == 0 {
		return 0
	}
	return parseFloat(num) / d
}

// meanVolumeLine matches volumedetect's result line.
var meanVolumeLine = regexp.MustCompile(`mean_volume:\s*(-?[0-9.]+|-inf)\s*dB`)

// MeanVolume decodes the first audio stream of path and returns its mean volume in dBFS (0 is full scale,
// a full-scale sine measures about -3 dB, digital silence about -91 dB), as FFmpeg's volumedetect filter
// measures it. It fails when path has no audio.
func MeanVolume(ctx context.Context, path string) (float64, error) {
	bin, err := ffmpegPath()
	if err != nil {
		return 0, err
	}
	args := []string{"-hide_banner", "-nostats", "-nostdin", "-loglevel", "info", "-i", path,
		"-map", "0:a:0", "-af", "volumedetect", "-f", "null", "-"}
	cmd, _ := newCommand(ctx, bin, args)
	var log tailBuffer
	log.max = 64 << 10
	cmd.Stderr = &log
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("mean volume of %s: %w", path, commandError("ffmpeg", ctx, err, &log))
	}
	m := meanVolumeLine.FindStringSubmatch(log.String())
	if m == nil {
		return 0, fmt.Errorf("mean volume of %s: no audio measured", path)
	}
	if m[1] == "-inf" {
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(m[1], 64)
}
