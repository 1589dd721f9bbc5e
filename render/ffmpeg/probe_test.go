package ffmpeg

import (
	"path/filepath"
	"testing"
)

func TestProbeAndMeanVolume(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testContext(t)
	av := lavfi(t, filepath.Join(dir, "av.mp4"), "-f", "lavfi", "-i", "testsrc2=s=128x72:r=25",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "1", "-ac", "2", "-c:a", "aac")
	p, err := Probe(ctx, av)
	if err != nil {
		t.Fatal(err)
	}
	v, okV := p.Video()
	a, okA := p.Audio()
	if !okV || !okA || !p.HasVideo || !p.HasAudio || p.Size <= 0 || !near(p.Duration, 1, 0.05) {
		t.Fatalf("probe %+v", p)
	}
	if v.Width != 128 || v.Height != 72 || v.FPS != 25 || v.NbFrames != 25 || v.PixFmt == "" {
		t.Errorf("video %+v", v)
	}
	if a.CodecName != "aac" || a.SampleRate != 48000 || a.Channels != 2 {
		t.Errorf("audio %+v", a)
	}

	// sine's default amplitude is 1/8: an RMS of 0.125/√2, about -21.1 dBFS; half of it is 6 dB less.
	wav := lavfi(t, filepath.Join(dir, "sine.wav"), "-f", "lavfi", "-i", "sine=frequency=440:duration=1")
	quiet := lavfi(t, filepath.Join(dir, "quiet.wav"), "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-af", "volume=0.5")
	loud, err := MeanVolume(ctx, wav)
	if err != nil || !near(loud, -21.1, 0.5) {
		t.Errorf("MeanVolume(sine) = %v, %v; want about -21.1 dB", loud, err)
	}
	soft, err := MeanVolume(ctx, quiet)
	if err != nil || !near(loud-soft, 6.02, 0.3) {
		t.Errorf("MeanVolume(half sine) = %v, %v; want 6 dB below %v", soft, err, loud)
	}
	silent := lavfi(t, filepath.Join(dir, "video.mp4"), "-f", "lavfi", "-i", "testsrc2=s=64x64", "-frames:v", "2")
	if _, err := MeanVolume(ctx, silent); err == nil {
		t.Error("MeanVolume of a file without audio succeeded")
	}
	if _, err := Probe(ctx, filepath.Join(dir, "missing.mp4")); err == nil {
		t.Error("Probe of a missing file succeeded")
	}
}
