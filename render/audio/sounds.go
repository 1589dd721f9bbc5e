package audio

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/framecast/framecast/schemas"
)

// Ducking defaults, as documented on schemas.Ducking.
const (
	DefaultDuckAmount  = 0.5
	DefaultDuckAttack  = 0.2
	DefaultDuckRelease = 0.5
)

// Sound is one clip's contribution to the soundtrack, with its source resolved and probed and every
// default filled in. Times are seconds.
type Sound struct {
	Clip     string  // the clip's id, or its position such as "tracks[0].clips[2]", for messages
	Path     string  // local media file
	Channels int     // channels of the file's first audio stream (0 when unknown)
	Length   float64 // duration of the file (0 when unknown)

	Start    float64 // on the timeline
	Duration float64 // effective span: the clip duration, shortened when the source runs out first
	Loop     bool    // repeat the trimmed source to fill Duration

	SourceStart float64 // trim: where playing starts in the source
	SourceEnd   float64 // trim: where it stops (0 = the end of the file)
	Rate        float64 // playback rate (speed and pitch unchanged)
	Detune      float64 // pitch shift in cents, speed unchanged

	Volume     float64             // static gain; ignored when VolumeKeys is set
	VolumeKeys []schemas.GainPoint // "volume" keyframes, clip-relative
	Envelope   []schemas.GainPoint // gainEnvelope, clip-relative, multiplies the volume
	FadeIn     float64
	FadeOut    float64
	Pan        float64 // -1 (left) .. 1 (right)
	Ducks      []Duck  // windows in which other clips lower this one
}

// Duck is a window of the timeline during which a sound is lowered by Amount (0..1): the gain ramps down
// linearly over Attack seconds from Start, and back up over Release seconds from End.
type Duck struct {
	Start, End, Amount, Attack, Release float64
}

// soundClip is a clip that may make sound, before its source is probed.
type soundClip struct {
	name  string
	id    string
	base  *schemas.BaseClip
	src   schemas.MediaRef
	sound Sound
	duck  *schemas.Ducking
}

// soundClips lists the top-level audio clips and unmuted video clips of doc that are not silenced by a
// static volume of 0, with their fields read into Sounds (Path, Channels and Length still empty).
func soundClips(doc *schemas.Document) []soundClip {
	var out []soundClip
	for ti, track := range doc.Tracks {
		for ci, clip := range track.Clips {
			if clip.Spec == nil {
				continue
			}
			b := clip.Base()
			name := b.ID
			if name == "" {
				name = fmt.Sprintf("tracks[%d].clips[%d]", ti, ci)
			}
			s := Sound{Clip: name, Start: b.Start, Duration: b.Duration, Rate: 1, Volume: 1, VolumeKeys: volumeKeys(b)}
			sc := soundClip{name: name, id: b.ID, base: b}
			switch c := clip.Spec.(type) {
			case *schemas.AudioClip:
				readCommon(&s, c.Source, c.Volume, c.PlaybackRate)
				s.Loop, s.FadeIn, s.FadeOut, s.Pan, s.Detune = c.Loop, c.FadeIn, c.FadeOut, c.Pan, c.Detune
				s.Envelope = c.GainEnvelope
				sc.src, sc.duck = c.Src, c.Ducking
			case *schemas.VideoClip:
				if c.Muted {
					continue
				}
				readCommon(&s, c.Source, c.Volume, c.PlaybackRate)
				sc.src = c.Src
			default:
				continue
			}
			if s.Volume == 0 && s.VolumeKeys == nil {
				continue
			}
			sc.sound = s
			out = append(out, sc)
		}
	}
	return out
}

func readCommon(s *Sound, src *schemas.SourceRange, volume, rate *float64) {
	if src != nil && src.Start != nil {
		s.SourceStart = *src.Start
	}
	if src != nil && src.End != nil {
		s.SourceEnd = *src.End
	}
	if volume != nil {
		s.Volume = *volume
	}
	if rate != nil && *rate > 0 {
		s.Rate = *rate
	}
}

// volumeKeys returns the clip's "volume" keyframes as gain points (the last such track wins), or nil.
func volumeKeys(b *schemas.BaseClip) []schemas.GainPoint {
	var out []schemas.GainPoint
	for _, track := range b.Keyframes {
		if track.Property != schemas.KeyframeVolume || len(track.Frames) == 0 {
			continue
		}
		out = out[:0]
		for _, f := range track.Frames {
			out = append(out, schemas.GainPoint{Time: f.Time, Volume: f.Value.Number, Easing: f.Easing})
		}
	}
	return out
}

// HasSound reports whether doc may have a soundtrack: an audio clip, or a video clip that is not muted
// (clips with a static volume of 0 and no volume keyframes do not count).
// Whether a video file really carries sound is only known after probing it: Mix reports that.
func HasSound(doc *schemas.Document) bool { return len(soundClips(doc)) > 0 }

// Sounds resolves and probes the sources of doc's sound clips and returns what each contributes. Clips
// whose file has no audio stream, or whose source trim leaves nothing to play, are left out. Ducking is
// applied to its targets' Ducks.
func Sounds(ctx context.Context, doc *schemas.Document, resolve Source) ([]Sound, error) {
	return sounds(ctx, doc, resolve, nil)
}

// sounds is Sounds asking probe (ffprobe when nil) about each source.
func sounds(ctx context.Context, doc *schemas.Document, resolve Source, probe Prober) ([]Sound, error) {
	clips := soundClips(doc)
	media, err := resolveAndProbe(ctx, clips, resolve, probe)
	if err != nil {
		return nil, err
	}
	var out []Sound
	byID := map[string][]int{} // clip id → indexes in out
	var duckers []soundClip
	for i, sc := range clips {
		m := media[i]
		if !m.hasAudio {
			continue
		}
		s := sc.sound
		s.Path, s.Channels, s.Length = m.path, m.channels, m.duration
		if !effectiveSpan(&s) {
			continue
		}
		if s.Loop && !inputLoops(s) && loopLength(s) <= 0 {
			if s.Length == 0 {
				return nil, fmt.Errorf("audio of %s: cannot loop a trimmed source of unknown length; set source.end", sc.name)
			}
			continue // source.start at or past the end of the file: nothing to loop
		}
		sc.sound = s
		if sc.id != "" {
			byID[sc.id] = append(byID[sc.id], len(out))
		}
		if sc.duck != nil {
			duckers = append(duckers, sc)
		}
		out = append(out, s)
	}
	for _, d := range duckers {
		applyDucking(out, byID, d)
	}
	return out, nil
}

// probeParallelism bounds how many sources are resolved and probed at once.
const probeParallelism = 4

// probedMedia is a clip's resolved file and what ffprobe says about it.
type probedMedia struct {
	path string
	probeResult
}

// resolveAndProbe resolves every clip's source and probes each distinct file once, a few at a time.
func resolveAndProbe(ctx context.Context, clips []soundClip, resolve Source, probe Prober) ([]probedMedia, error) {
	out := make([]probedMedia, len(clips))
	errs := make([]error, len(clips))
	var wg sync.WaitGroup
	sem := make(chan struct{}, probeParallelism)
	for i, sc := range clips {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			path, err := resolve(ctx, sc.src)
			if err != nil {
				errs[i] = fmt.Errorf("audio of %s: %w", sc.name, err)
				return
			}
			out[i].path = path
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	probes := map[string]*probeResult{}
	var paths []string
	for _, m := range out {
		if _, seen := probes[m.path]; !seen {
			probes[m.path] = new(probeResult)
			paths = append(paths, m.path)
		}
	}
	probeErrs := make([]error, len(paths))
	for i, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if probe == nil {
				*probes[path], probeErrs[i] = probeFile(ctx, path)
				return
			}
			r := probes[path]
			r.hasAudio, r.channels, r.duration, probeErrs[i] = probe(ctx, path)
		}()
	}
	wg.Wait()
	if err := errors.Join(probeErrs...); err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	for i := range out {
		out[i].probeResult = *probes[out[i].path]
	}
	return out, nil
}

// effectiveSpan shortens s.Duration to where the source (or source.end) runs out at s.Rate, unless the
// sound loops (the "media effective span" rule). It reports false when nothing is left to play.
func effectiveSpan(s *Sound) bool {
	if s.Loop {
		return s.Duration > 0
	}
	end := math.Inf(1)
	if s.SourceEnd > 0 {
		end = s.SourceEnd
	}
	if s.Length > 0 {
		end = math.Min(end, s.Length)
	}
	if available := (end - s.SourceStart) / s.Rate; available < s.Duration {
		s.Duration = available
	}
	return s.Duration > 0
}

// applyDucking adds the ducker's window to each of its targets.
func applyDucking(sounds []Sound, byID map[string][]int, ducker soundClip) {
	d := Duck{
		Start:   ducker.sound.Start,
		End:     ducker.sound.Start + ducker.sound.Duration,
		Amount:  valueOr(ducker.duck.Amount, DefaultDuckAmount),
		Attack:  valueOr(ducker.duck.Attack, DefaultDuckAttack),
		Release: valueOr(ducker.duck.Release, DefaultDuckRelease),
	}
	for _, target := range ducker.duck.Targets {
		if target == ducker.id {
			continue
		}
		for _, i := range byID[target] {
			sounds[i].Ducks = append(sounds[i].Ducks, d)
		}
	}
}

func valueOr(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}
