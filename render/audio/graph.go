package audio

import (
	"fmt"
	"math"
	"strings"
)

// FilterGraph builds the FFmpeg filter graph that mixes sounds into one stream labelled [out], exactly
// duration seconds long at o's sample rate and channel count. Input i of the FFmpeg command must be
// opened with InputArgs(sounds[i]).
//
// Each sound becomes one chain, in this order:
//
//	atrim + asetpts          the source trim: source.start is a seek on the input, source.end an atrim
//	aresample                to the output sample rate
//	pan                      to stereo: mono is copied to both sides; pan is a linear balance
//	aloop                    loop of a trimmed source (untrimmed loops loop the input instead)
//	asetrate + aresample     detune: resampled by 2^(cents/1200), which shifts pitch and speed …
//	atempo …                 … and the tempo chain restores the speed, times playbackRate
//	atrim                    cut to the effective span
//	volume (eval=frame)      static volume or "volume" keyframes; gainEnvelope; ducking
//	afade in / out
//	adelay                   to the clip start, all channels, in samples
//
// then amix (normalize=0: sounds add up, no automatic lowering), apad and atrim to exactly duration.
func FilterGraph(sounds []Sound, duration float64, o Options) string {
	return filterGraph(sounds, duration, o, 0)
}

// filterGraph is FilterGraph for a command whose input firstInput opens sounds[0].
func filterGraph(sounds []Sound, duration float64, o Options, firstInput int) string {
	o = o.withDefaults()
	var b strings.Builder
	labels := make([]string, len(sounds))
	for i, s := range sounds {
		labels[i] = fmt.Sprintf("[s%d]", i)
		fmt.Fprintf(&b, "[%d:a:0]%s%s;\n", firstInput+i, strings.Join(chain(s, o.SampleRate), ","), labels[i])
	}
	total := int64(math.Round(duration * float64(o.SampleRate)))
	layout := "stereo"
	if o.Channels == 1 {
		layout = "mono"
	}
	fmt.Fprintf(&b, "%samix=inputs=%d:normalize=0:duration=longest,apad=whole_len=%d,atrim=end_sample=%d,aformat=sample_rates=%d:channel_layouts=%s[out]",
		strings.Join(labels, ""), len(sounds), total, total, o.SampleRate, layout)
	return b.String()
}

// InputArgs returns the FFmpeg arguments that open a sound's file as an input: "-ss" seeks to
// source.start (decoding from a nearby point instead of from the beginning of a long file), and an
// untrimmed loop reads the file over and over ("-stream_loop -1", no buffering); a trimmed loop uses the
// aloop filter on the trimmed part instead.
func InputArgs(s Sound) []string {
	var args []string
	if inputLoops(s) {
		args = append(args, "-stream_loop", "-1")
	}
	if s.SourceStart > 0 {
		args = append(args, "-ss", num(s.SourceStart))
	}
	return append(args, "-i", s.Path)
}

// loopLength is the length of the trimmed source a looping sound repeats (0 when unknown).
func loopLength(s Sound) float64 {
	end := s.SourceEnd
	if end == 0 || (s.Length > 0 && s.Length < end) {
		end = s.Length
	}
	return math.Max(0, end-s.SourceStart)
}

// inputLoops reports whether a sound loops by reading its whole input again and again.
func inputLoops(s Sound) bool { return s.Loop && s.SourceStart == 0 && s.SourceEnd == 0 }

// chain returns the filters of one sound's chain.
func chain(s Sound, rate int) []string {
	sr := float64(rate)
	var f []string
	f = append(f, "asetpts=PTS-STARTPTS") // the input was seeked to source.start: t = 0 there
	if s.SourceEnd > 0 {
		f = append(f, "atrim=end="+num(s.SourceEnd-s.SourceStart))
	}
	f = append(f, fmt.Sprintf("aresample=%d", rate))
	f = append(f, stereo(s.Channels, s.Pan)...)
	if s.Loop && !inputLoops(s) {
		samples := int64(math.Round(loopLength(s) * sr))
		f = append(f, fmt.Sprintf("aloop=loop=-1:size=%d", samples), "asetpts=N/SR/TB")
	}
	tempo := s.Rate
	if s.Detune != 0 {
		ratio := math.Pow(2, s.Detune/1200)
		f = append(f, "asetrate="+num(sr*ratio), fmt.Sprintf("aresample=%d", rate))
		tempo /= ratio
	}
	f = append(f, atempo(tempo)...)
	f = append(f, "atrim=end="+num(s.Duration), "asetpts=N/SR/TB")
	f = append(f, volume(s)...)
	if s.FadeIn > 0 {
		f = append(f, "afade=t=in:st=0:d="+num(math.Min(s.FadeIn, s.Duration)))
	}
	if s.FadeOut > 0 {
		d := math.Min(s.FadeOut, s.Duration)
		f = append(f, "afade=t=out:st="+num(s.Duration-d)+":d="+num(d))
	}
	if delay := int64(math.Round(s.Start * sr)); delay > 0 {
		f = append(f, fmt.Sprintf("adelay=delays=%dS:all=1", delay))
	}
	return f
}

// stereo makes the chain stereo and applies pan as a linear balance: pan p keeps the near side at full
// level and scales the far side by 1−|p| (pan −1 silences the right channel, pan 0 changes nothing).
// Mono sources are copied to both sides at full level; sources with more channels are downmixed by FFmpeg.
func stereo(channels int, pan float64) []string {
	pan = math.Max(-1, math.Min(1, pan))
	left, right := num(math.Min(1, 1-pan)), num(math.Min(1, 1+pan))
	switch {
	case channels == 1:
		return []string{"pan=stereo|c0=" + left + "*c0|c1=" + right + "*c0"}
	case channels == 2 && pan == 0:
		return nil
	case channels == 2:
		return []string{"pan=stereo|c0=" + left + "*c0|c1=" + right + "*c1"}
	}
	f := []string{"aformat=channel_layouts=stereo"}
	if pan != 0 {
		f = append(f, "pan=stereo|c0="+left+"*c0|c1="+right+"*c1")
	}
	return f
}

// atempo returns the atempo stages for a speed factor; each stage accepts 0.5..2, so larger changes chain
// several stages.
func atempo(factor float64) []string {
	var f []string
	for factor > 2 {
		f = append(f, "atempo=2")
		factor /= 2
	}
	for factor < 0.5 {
		f = append(f, "atempo=0.5")
		factor /= 0.5
	}
	if math.Abs(factor-1) > 1e-9 {
		f = append(f, "atempo="+num(factor))
	}
	return f
}

// volume returns the volume filters of a sound, in clip time (t = 0 at the clip start): the static volume
// (or the "volume" keyframes, which replace it), the gain envelope, and ducking. Time-varying gains are
// evaluated once per audio frame (about 21 ms at 48 kHz), which is smooth enough for ramps.
func volume(s Sound) []string {
	var f []string
	switch {
	case len(s.VolumeKeys) > 0:
		f = append(f, volumeExpr(piecewiseExpr(linearize(s.VolumeKeys))))
	case s.Volume != 1:
		f = append(f, "volume="+num(s.Volume))
	}
	if len(s.Envelope) > 0 {
		f = append(f, volumeExpr(piecewiseExpr(linearize(s.Envelope))))
	}
	if len(s.Ducks) > 0 {
		local := make([]Duck, len(s.Ducks))
		for i, d := range s.Ducks {
			d.Start -= s.Start
			d.End -= s.Start
			local[i] = d
		}
		f = append(f, volumeExpr(duckExpr(local)))
	}
	return f
}

func volumeExpr(expr string) string { return "volume='" + expr + "':eval=frame" }
