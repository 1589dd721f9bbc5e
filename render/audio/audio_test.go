package audio

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/framecast/framecast/schemas"
)

const sr = 48000

// toneRMS is the RMS of the lavfi sine source (amplitude 1/8).
const toneRMS = 0.125 / math.Sqrt2

var (
	toneDir string
	mediaMu sync.Mutex // serialises the generation of test media
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "audio-test-")
	if err != nil {
		panic(err)
	}
	toneDir = dir
	code := m.Run()
	if os.Getenv("KEEP") == "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// media generates (once) a test file with lavfi: a mono or stereo 1 kHz tone of the given length, or a
// video with or without sound.
func media(t *testing.T, name, args string) string {
	t.Helper()
	mediaMu.Lock()
	defer mediaMu.Unlock()
	path := filepath.Join(toneDir, name)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ffmpeg, err := FFmpegPath()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(ffmpeg, append([]string{"-v", "error", "-y"}, append(strings.Fields(args), path)...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate %s: %v: %s", name, err, out)
	}
	return path
}

// layouts makes the generated tone mono, or stereo with the tone at full level on both sides.
var layouts = map[int]string{1: "anull", 2: "pan=stereo|c0=c0|c1=c0"}

func tone(t *testing.T, seconds float64, channels int) string {
	return media(t, fmt.Sprintf("tone-%gs-%dch.wav", seconds, channels),
		fmt.Sprintf("-f lavfi -i sine=frequency=1000:sample_rate=%d:duration=%g -af %s", sr, seconds, layouts[channels]))
}

// byURL resolves media references that are already local paths.
func byURL(_ context.Context, ref schemas.MediaRef) (string, error) { return ref.URL, nil }

func doc(clips ...schemas.ClipSpec) *schemas.Document {
	d := &schemas.Document{Meta: schemas.Meta{Version: "2.0.0", Width: 64, Height: 64}, Tracks: []schemas.Track{{}}}
	for _, c := range clips {
		d.Tracks[0].Clips = append(d.Tracks[0].Clips, schemas.NewClip(c))
	}
	return d
}

func audioClip(path string, start, duration float64) *schemas.AudioClip {
	return &schemas.AudioClip{BaseClip: schemas.BaseClip{Start: start, Duration: duration}, Src: schemas.MediaRef{URL: path}}
}

func ptr(v float64) *float64 { return &v }

// pcm is a decoded stereo soundtrack.
type pcm []float32

// mix renders d to a WAV file and decodes it to 48 kHz stereo float samples.
func mix(t *testing.T, d *schemas.Document, duration float64) pcm {
	t.Helper()
	out := filepath.Join(t.TempDir(), "mix.wav")
	has, err := Mix(context.Background(), d, byURL, duration, out, Options{Codec: "pcm"})
	if err != nil {
		t.Fatal(err)
	}
	if !has {
		t.Fatal("Mix reported no audio")
	}
	return readWAV(t, out)
}

// readWAV reads a 16-bit stereo WAV file as written by Mix with the "pcm" codec.
func readWAV(t *testing.T, path string) pcm {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		t.Fatalf("%s is not a WAV file", path)
	}
	for b = b[12:]; len(b) >= 8; {
		id, size := string(b[:4]), int(binary.LittleEndian.Uint32(b[4:8]))
		body := b[8:min(len(b), 8+size)]
		switch id {
		case "fmt ":
			if ch, bits := binary.LittleEndian.Uint16(body[2:]), binary.LittleEndian.Uint16(body[14:]); ch != 2 || bits != 16 {
				t.Fatalf("WAV has %d channels of %d bits, want 2 of 16", ch, bits)
			}
		case "data":
			out := make(pcm, len(body)/2)
			for i := range out {
				out[i] = float32(int16(binary.LittleEndian.Uint16(body[2*i:]))) / 32768
			}
			return out
		}
		b = b[8+size+size%2:]
	}
	t.Fatalf("%s has no data chunk", path)
	return nil
}

func decode(t *testing.T, path string) pcm {
	t.Helper()
	ffmpeg, _ := FFmpegPath()
	raw, err := exec.Command(ffmpeg, "-v", "error", "-i", path, "-f", "f32le", "-ac", "2", "-ar", fmt.Sprint(sr), "-").Output()
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	out := make(pcm, len(raw)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}

// seconds is the length of the soundtrack.
func (p pcm) seconds() float64 { return float64(len(p)/2) / sr }

// rms measures channel ch (0 left, 1 right, -1 both) between from and to seconds.
func (p pcm) rms(ch int, from, to float64) float64 {
	var sum float64
	var n int
	for i := int(from * sr); i < int(to*sr) && 2*i+1 < len(p); i++ {
		for c := range 2 {
			if ch == -1 || ch == c {
				v := float64(p[2*i+c])
				sum += v * v
				n++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(sum / float64(n))
}

func db(ratio float64) float64 { return 20 * math.Log10(ratio) }

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.4f, want %.4f ± %.4f", what, got, want, tol)
	}
}

func TestVolumeHalfIsMinus6dB(t *testing.T) {
	t.Parallel()
	src := tone(t, 1, 2)
	full := mix(t, doc(audioClip(src, 0, 1)), 1)
	half := audioClip(src, 0, 1)
	half.Volume = ptr(0.5)
	halved := mix(t, doc(half), 1)
	near(t, "full RMS", full.rms(-1, 0.1, 0.9), toneRMS, 0.002)
	near(t, "gain of volume 0.5 (dB)", db(halved.rms(-1, 0.1, 0.9)/full.rms(-1, 0.1, 0.9)), -6.02, 0.1)
}

func TestMonoSourceIsCopiedToBothSides(t *testing.T) {
	t.Parallel()
	p := mix(t, doc(audioClip(tone(t, 1, 1), 0, 1)), 1)
	near(t, "left RMS", p.rms(0, 0.1, 0.9), toneRMS, 0.002)
	near(t, "right RMS", p.rms(1, 0.1, 0.9), toneRMS, 0.002)
}

func TestStartOffsetAndExactDuration(t *testing.T) {
	t.Parallel()
	p := mix(t, doc(audioClip(tone(t, 1, 2), 1, 5)), 2.5)
	if got, want := len(p)/2, int(2.5*sr); got != want {
		t.Errorf("output has %d samples per channel, want %d (%.4f s)", got, want, p.seconds())
	}
	near(t, "RMS before the clip", p.rms(-1, 0, 0.98), 0, 1e-4)
	near(t, "RMS during the clip", p.rms(-1, 1.02, 1.98), toneRMS, 0.002)
	near(t, "RMS after the source ran out", p.rms(-1, 2.02, 2.5), 0, 1e-4)
}

func TestClipLongerThanVideoIsCut(t *testing.T) {
	t.Parallel()
	p := mix(t, doc(audioClip(tone(t, 3, 2), 0, 3)), 1.5)
	if got, want := len(p)/2, int(1.5*sr); got != want {
		t.Errorf("output has %d samples per channel, want %d", got, want)
	}
}

func TestFadeInRamps(t *testing.T) {
	t.Parallel()
	c := audioClip(tone(t, 2, 2), 0, 2)
	c.FadeIn = 1
	p := mix(t, doc(c), 2)
	prev := -1.0
	for w := 0.0; w < 1; w += 0.2 {
		r := p.rms(-1, w, w+0.2)
		if r <= prev {
			t.Errorf("fade in not rising at %.1f s: %.4f after %.4f", w, r, prev)
		}
		prev = r
	}
	if first := p.rms(-1, 0, 0.1); first > toneRMS*0.15 {
		t.Errorf("first 0.1 s RMS %.4f: not faded", first)
	}
	near(t, "RMS after the fade", p.rms(-1, 1.05, 1.95), toneRMS, 0.002)
}

func TestLoopFillsTheClip(t *testing.T) {
	t.Parallel()
	short := tone(t, 0.5, 2)
	plain := mix(t, doc(audioClip(short, 0, 2)), 2)
	near(t, "RMS after the source ran out (no loop)", plain.rms(-1, 0.55, 2), 0, 1e-4)

	looped := audioClip(short, 0, 2)
	looped.Loop = true
	trimmed := audioClip(short, 0, 2)
	trimmed.Loop = true
	trimmed.Source = &schemas.SourceRange{Start: ptr(0.1), End: ptr(0.35)}
	for name, c := range map[string]*schemas.AudioClip{"whole source": looped, "trimmed source": trimmed} {
		p := mix(t, doc(c), 2)
		for w := 0.0; w < 2; w += 0.25 {
			near(t, fmt.Sprintf("%s: RMS in [%.2f, %.2f]", name, w, w+0.25), p.rms(-1, w, w+0.25), toneRMS, 0.01)
		}
	}
}

func TestPlaybackRateTwoHalvesTheDuration(t *testing.T) {
	t.Parallel()
	c := audioClip(tone(t, 2, 2), 0, 3)
	c.PlaybackRate = ptr(2)
	p := mix(t, doc(c), 3)
	near(t, "RMS while playing", p.rms(-1, 0.05, 0.95), toneRMS, 0.003)
	near(t, "RMS after 1 s", p.rms(-1, 1.05, 3), 0, 1e-3)
}

func TestPanLeftSilencesRight(t *testing.T) {
	t.Parallel()
	c := audioClip(tone(t, 1, 2), 0, 1)
	c.Pan = -1
	p := mix(t, doc(c), 1)
	near(t, "left RMS", p.rms(0, 0.1, 0.9), toneRMS, 0.002)
	near(t, "right RMS", p.rms(1, 0.1, 0.9), 0, 1e-5)
}

func TestDuckingLowersTheTarget(t *testing.T) {
	t.Parallel()
	music := audioClip(tone(t, 3, 2), 0, 3)
	music.ID = "music"
	music.Pan = -1 // music on the left …
	voice := audioClip(tone(t, 1, 2), 1, 1)
	voice.Pan = 1 // … the voice on the right, so each can be measured alone
	voice.Ducking = &schemas.Ducking{Targets: []string{"music"}, Amount: ptr(0.5), Attack: ptr(0.1), Release: ptr(0.1)}
	p := mix(t, doc(music, voice), 3)

	before := p.rms(0, 0.2, 0.95)
	during := p.rms(0, 1.15, 1.95)
	after := p.rms(0, 2.15, 2.95)
	near(t, "music before the voice", before, toneRMS, 0.002)
	near(t, "music gain while ducked (dB)", db(during/before), -6.02, 0.2)
	near(t, "music after the voice", after, toneRMS, 0.002)
	near(t, "voice", p.rms(1, 1.05, 1.95), toneRMS, 0.002)
}

func TestGainEnvelopeAndVolumeKeyframes(t *testing.T) {
	t.Parallel()
	src := tone(t, 2, 2)
	env := audioClip(src, 0, 2)
	env.GainEnvelope = []schemas.GainPoint{{Time: 0.5, Volume: 1}, {Time: 1.5, Volume: 0.25, Easing: "easeInOutSine"}}
	keyed := audioClip(src, 0, 2)
	keyed.Volume = ptr(0.1) // replaced by the keyframes
	keyed.Keyframes = []schemas.KeyframeTrack{{Property: "volume", Frames: []schemas.Keyframe{
		{Time: 0.5, Value: schemas.KeyframeValue{Number: 1}}, {Time: 1.5, Value: schemas.KeyframeValue{Number: 0.25}},
	}}}
	for name, c := range map[string]*schemas.AudioClip{"gainEnvelope": env, "keyframes": keyed} {
		p := mix(t, doc(c), 2)
		near(t, name+": held before the first point", p.rms(-1, 0, 0.45), toneRMS, 0.002)
		near(t, name+": halfway", p.rms(-1, 0.98, 1.02), toneRMS*0.625, 0.004)
		near(t, name+": held after the last point", p.rms(-1, 1.55, 2), toneRMS*0.25, 0.002)
	}
}

func TestVideoSound(t *testing.T) {
	t.Parallel()
	withSound := media(t, "with-sound.mp4", "-f lavfi -i testsrc=size=64x64:rate=10:duration=1 -f lavfi -i sine=frequency=1000:sample_rate=48000:duration=1 -c:v libx264 -c:a pcm_s16le -f mov")
	silent := media(t, "silent.mp4", "-f lavfi -i testsrc=size=64x64:rate=10:duration=1 -c:v libx264")
	video := func(path string, muted bool) *schemas.VideoClip {
		return &schemas.VideoClip{BaseClip: schemas.BaseClip{Duration: 1}, Src: schemas.MediaRef{URL: path}, Muted: muted, Volume: ptr(0.5)}
	}
	out := filepath.Join(t.TempDir(), "a.m4a")
	for name, d := range map[string]*schemas.Document{
		"muted video":            doc(video(withSound, true)),
		"video without sound":    doc(video(silent, false)),
		"no sound clips":         doc(&schemas.TextClip{BaseClip: schemas.BaseClip{Duration: 1}, Text: "hi"}),
		"sound after the end":    doc(audioClip(tone(t, 1, 2), 5, 1)),
		"volume 0, no keyframes": doc(&schemas.AudioClip{BaseClip: schemas.BaseClip{Duration: 1}, Src: schemas.MediaRef{URL: tone(t, 1, 2)}, Volume: ptr(0)}),
	} {
		has, err := Mix(context.Background(), d, byURL, 1, out, Options{})
		if err != nil || has {
			t.Errorf("%s: hasAudio %v, err %v; want false, nil", name, has, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%s: wrote %s", name, out)
		}
	}
	if HasSound(doc(video(withSound, true))) || !HasSound(doc(video(silent, false))) {
		t.Error("HasSound: muted video counts, or unmuted video does not")
	}

	p := mix(t, doc(video(withSound, false)), 1)
	near(t, "video sound at volume 0.5", p.rms(-1, 0.1, 0.9), toneRMS/2, 0.002)
}

func TestCompressedOutputs(t *testing.T) {
	t.Parallel()
	for _, codec := range []string{"aac", "opus"} {
		out := filepath.Join(t.TempDir(), "a."+codec)
		has, err := Mix(context.Background(), doc(audioClip(tone(t, 1, 2), 0, 1)), byURL, 1.5, out, Options{Codec: codec})
		if err != nil || !has {
			t.Fatalf("%s: hasAudio %v, err %v", codec, has, err)
		}
		p := decode(t, out)
		near(t, codec+": length (s)", p.seconds(), 1.5, 0.05)
		near(t, codec+": RMS", p.rms(-1, 0.2, 0.8), toneRMS, 0.005)
	}
	if _, err := Mix(context.Background(), doc(), byURL, 1, "x", Options{Codec: "mp3"}); err == nil {
		t.Error("unknown codec accepted")
	}
}

func TestFilterGraph(t *testing.T) {
	t.Parallel()
	sounds := []Sound{
		{Path: "a.wav", Channels: 2, Start: 1.5, Duration: 2, Rate: 3, Volume: 1, Detune: 1200},
		{Path: "b.wav", Channels: 1, Duration: 1, Rate: 0.2, Volume: 0.5, Loop: true, Pan: 0.5,
			SourceStart: 1, SourceEnd: 2, Ducks: []Duck{{Start: 0.5, End: 1, Amount: 0.5}}},
	}
	g := FilterGraph(sounds, 4, Options{})
	if got := strings.Join(InputArgs(sounds[1]), " "); got != "-ss 1 -i b.wav" {
		t.Errorf("InputArgs = %q", got)
	}
	for _, want := range []string{
		"[0:a:0]asetpts=PTS-STARTPTS,aresample=48000,asetrate=96000,aresample=48000,atempo=1.5,atrim=end=2",
		"adelay=delays=72000S:all=1[s0]",
		"[1:a:0]asetpts=PTS-STARTPTS,atrim=end=1,aresample=48000,pan=stereo|c0=0.5*c0|c1=1*c0,aloop=loop=-1:size=48000",
		"atempo=0.5,atempo=0.5,atempo=0.8",
		"volume=0.5,volume='(1-0.5*min(gte(t,0.5),1-gte(t,1)))':eval=frame",
		"[s0][s1]amix=inputs=2:normalize=0:duration=longest,apad=whole_len=192000,atrim=end_sample=192000",
	} {
		if !strings.Contains(g, want) {
			t.Errorf("graph lacks %q:\n%s", want, g)
		}
	}
}

func TestMissingFFmpegIsAClearError(t *testing.T) {
	t.Setenv("FRAMECAST_FFMPEG", "")
	t.Setenv("FRAMECAST_FFPROBE", "")
	t.Setenv("PATH", t.TempDir())
	_, err := Mix(context.Background(), doc(audioClip("x.wav", 0, 1)), byURL, 1, filepath.Join(t.TempDir(), "a.m4a"), Options{})
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("err = %v, want a not-found error", err)
	}
}

// BenchmarkMix mixes 10 s of soundtrack from four clips using every kind of filter, to WAV.
func BenchmarkMix(b *testing.B) {
	t := &testing.T{}
	src := tone(t, 10, 2)
	music := audioClip(src, 0, 10)
	music.ID, music.FadeIn, music.FadeOut, music.Pan = "music", 1, 1, -0.3
	voice := audioClip(tone(t, 3, 1), 2, 3)
	voice.Ducking = &schemas.Ducking{Targets: []string{"music"}}
	voice.GainEnvelope = []schemas.GainPoint{{Time: 0, Volume: 0}, {Time: 1, Volume: 1, Easing: "easeOutCubic"}}
	fast := audioClip(src, 4, 3)
	fast.PlaybackRate, fast.Detune = ptr(1.5), 300
	looped := audioClip(tone(t, 0.5, 2), 6, 4)
	looped.Loop = true
	d := doc(music, voice, fast, looped)
	out := filepath.Join(b.TempDir(), "mix.wav")
	for b.Loop() {
		if _, err := Mix(context.Background(), d, byURL, 10, out, Options{Codec: "pcm"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFilterGraph(b *testing.B) {
	sounds := make([]Sound, 100)
	for i := range sounds {
		sounds[i] = Sound{Path: "a.wav", Channels: 2, Start: float64(i), Duration: 3, Rate: 1.25, Volume: 0.8,
			Envelope: []schemas.GainPoint{{Time: 0, Volume: 0}, {Time: 1, Volume: 1, Easing: "easeInOutSine"}},
			Ducks:    []Duck{{Start: float64(i) + 1, End: float64(i) + 2, Amount: 0.5, Attack: 0.2, Release: 0.5}}}
	}
	for b.Loop() {
		FilterGraph(sounds, 120, Options{})
	}
}

// frequency estimates the pitch of the left channel between from and to seconds by counting zero
// crossings.
func (p pcm) frequency(from, to float64) float64 {
	crossings := 0
	for i := int(from*sr) + 1; i < int(to*sr) && 2*i < len(p); i++ {
		if (p[2*i] >= 0) != (p[2*i-2] >= 0) {
			crossings++
		}
	}
	return float64(crossings) / 2 / (to - from)
}

func TestSourceTrim(t *testing.T) {
	t.Parallel()
	// A 3 s file that sounds only between 1 s and 2 s.
	src := media(t, "tone-1to2s.wav", "-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=3 -af volume=between(t\\,1\\,2):eval=frame,pan=stereo|c0=c0|c1=c0")
	c := audioClip(src, 0, 3)
	c.Source = &schemas.SourceRange{Start: ptr(1), End: ptr(1.5)}
	p := mix(t, doc(c), 1)
	near(t, "RMS of the trimmed part", p.rms(-1, 0.03, 0.47), toneRMS, 0.002)
	near(t, "RMS after source.end", p.rms(-1, 0.53, 1), 0, 1e-4)
}

func TestPitch(t *testing.T) {
	t.Parallel()
	src := tone(t, 2, 2)
	fast := audioClip(src, 0, 2)
	fast.PlaybackRate = ptr(2)
	detuned := audioClip(src, 0, 2)
	detuned.Detune = 1200 // one octave up
	pf, pd := mix(t, doc(fast), 2), mix(t, doc(detuned), 2)
	near(t, "pitch at playbackRate 2 (Hz)", pf.frequency(0.1, 0.9), 1000, 20)
	near(t, "pitch detuned +1200 cents (Hz)", pd.frequency(0.1, 1.9), 2000, 40)
	near(t, "detuned sound keeps its length: RMS near the end", pd.rms(-1, 1.8, 1.95), toneRMS, 0.01)
}
