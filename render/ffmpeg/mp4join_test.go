package ffmpeg

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// encodeSegments encodes frames as consecutive segments of the given lengths, with the settings of a reuse
// segment (render's EncodeSegment: FormatSegment, frames sent with timestamps, x264 veryfast on one thread).
// Segments whose index is in fastStart get their index in front.
func encodeSegments(t testing.TB, dir string, o EncodeOptions, frames [][]byte, lengths []int, fastStart ...int) []string {
	t.Helper()
	var segs []string
	at := 0
	for i, n := range lengths {
		so := o
		so.Format, so.Frames, so.SkipRepeats, so.Threads = FormatSegment, n, true, 1
		for _, k := range fastStart {
			so.FastStart = so.FastStart || k == i
		}
		seg := filepath.Join(dir, fmt.Sprintf("seg%03d.mp4", i))
		encodeFrames(t, seg, so, frames[at:at+n])
		segs = append(segs, seg)
		at += n
	}
	return segs
}

// ffmpegOutput runs ffmpeg or ffprobe (bin; where EnvFFmpeg or EnvFFprobe says) quietly and returns its
// standard output.
func ffmpegOutput(t testing.TB, bin string, args ...string) string {
	t.Helper()
	path, quiet := ffmpegPath, quietArgs
	if bin == "ffprobe" {
		path, quiet = ffprobePath, []string{"-hide_banner", "-loglevel", "error"} // ffprobe has no -nostdin
	}
	exe, err := path()
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	cmd, tail := newCommand(ctx, exe, append(append([]string{}, quiet...), args...))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v", bin, strings.Join(args, " "), commandError(bin, ctx, err, tail))
	}
	return string(out)
}

// packets lists a file's packets as FFmpeg reads them: dts, pts, duration, size and MD5 of each.
func packets(t testing.TB, path string) string {
	return ffmpegOutput(t, "ffmpeg", "-i", path, "-map", "0", "-c", "copy", "-f", "framemd5", "-")
}

// decodedFrames lists the MD5 of each decoded frame with its timestamps.
func decodedFrames(t testing.TB, path string) string {
	return ffmpegOutput(t, "ffmpeg", "-i", path, "-map", "0", "-f", "framemd5", "-")
}

// streamTiming returns what ffprobe says of the streams' timing.
func streamTiming(t testing.TB, path string) string {
	return ffmpegOutput(t, "ffprobe", "-show_entries",
		"stream=duration,duration_ts,nb_frames,r_frame_rate,avg_frame_rate,start_time,time_base:format=duration",
		"-of", "flat", path)
}

// readFile reads a whole file or fails the test.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// topLevelBoxes lists the types of a file's top-level boxes in order.
func topLevelBoxes(t testing.TB, path string) []string {
	boxes, err := childBoxes(readFile(t, path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var types []string
	for _, b := range boxes {
		types = append(types, b.typ)
	}
	return types
}

// planJoin reads the segments and plans their Go join, as Join does.
func planJoin(segments []string, audio string, num, den, frames int) (*joinPlan, error) {
	segs, err := readSegments(segments)
	if err != nil {
		return nil, err
	}
	return planMP4Join(segs, audio, num, den, frames)
}

// readSegmentsOrFail reads the segments' indexes, as Join does before the FFmpeg join, or fails the test.
func readSegmentsOrFail(t testing.TB, segments []string) []*segmentFile {
	t.Helper()
	segs, err := readSegments(segments)
	if err != nil {
		t.Fatal(err)
	}
	return segs
}

// joinBothWays joins segs and the sound (optional: "") in Go (failing unless the Go path accepts them) and
// through FFmpeg.
func joinBothWays(t *testing.T, dir string, segs []string, audio string, o EncodeOptions) (goOut, ffOut string) {
	t.Helper()
	num, den, err := rational(o.FPS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := planJoin(segs, audio, num, den, o.Frames); err != nil {
		t.Fatalf("the Go join refuses the encoder's segments: %v", err)
	}
	goOut, ffOut = filepath.Join(dir, "go.mp4"), filepath.Join(dir, "ffmpeg.mp4")
	if err := Join(testContext(t), segs, audio, goOut, o); err != nil {
		t.Fatal(err)
	}
	if err := joinFFmpeg(testContext(t), segs, readSegmentsOrFail(t, segs), audio, ffOut, o, FormatMP4, num, den); err != nil {
		t.Fatal(err)
	}
	return goOut, ffOut
}

// mixedSound writes an AAC .m4a of a sine as render's MixAudio does (aac, 192k, in mp4), seconds long.
func mixedSound(t testing.TB, dir string, seconds float64, layout string, rate int) string {
	return lavfi(t, filepath.Join(dir, fmt.Sprintf("mix-%v-%s-%d.m4a", seconds, layout, rate)), "-f", "lavfi",
		"-i", fmt.Sprintf("sine=f=440:r=%d,aformat=channel_layouts=%s,atrim=duration=%s", rate, layout,
			formatSeconds(seconds)), "-c:a", "aac", "-b:a", "192k", "-f", "mp4")
}

// TestJoinInGoMatchesFFmpeg joins segments made by the encoder (with B-frames, one segment with its index in
// front, one with a scene cut that x264 makes a second IDR picture), without sound and with a mixed sound as
// long as the video or shorter, in Go and through FFmpeg: the packets, the decoded frames and ffprobe's timing
// must be the same, and the Go join's index comes first.
func TestJoinInGoMatchesFFmpeg(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		fps     float64
		rate    string
		lengths []int
		sound   float64 // seconds of sound (0: none; -1: as long as the video)
		layout  string
		srate   int
	}{
		{"29.97", 29.97, "30000/1001", []int{15, 20, 40, 11, 19}, 0, "", 0},
		{"25", 25, "25", []int{50, 12, 40, 25}, 0, "", 0},
		{"29.97 sound", 29.97, "30000/1001", []int{15, 20, 40, 11, 19}, -1, "mono", 48000},
		{"25 stereo sound", 25, "25", []int{50, 12, 40, 25}, -1, "stereo", 44100},
		{"30 short sound", 30, "30", []int{45, 31, 60}, 2.3, "stereo", 48000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			n := 0
			for _, k := range tc.lengths {
				n += k
			}
			// A scene cut 30 frames into the third segment: x264 starts a new GOP there with an IDR picture.
			cut := tc.lengths[0] + tc.lengths[1] + 30
			frames := append(sourceFrames(t, "testsrc2", 192, 108, tc.rate, cut, PixFmtYUV420P),
				sourceFrames(t, "smptehdbars", 192, 108, tc.rate, n-cut, PixFmtYUV420P)...)
			o := EncodeOptions{Width: 192, Height: 108, FPS: tc.fps, Frames: n}
			segs := encodeSegments(t, dir, o, frames, tc.lengths, 1)
			sound := ""
			if tc.sound != 0 {
				seconds := tc.sound
				if seconds < 0 {
					seconds = o.duration()
				}
				sound = mixedSound(t, dir, seconds, tc.layout, tc.srate)
				o.AudioCodec = "aac"
			}
			goOut, ffOut := joinBothWays(t, dir, segs, sound, o)

			if a, b := readFile(t, goOut), readFile(t, ffOut); !bytes.Equal(a, b) {
				t.Logf("the files differ in their container bytes (%d and %d bytes)", len(a), len(b))
			}
			if got, want := packets(t, goOut), packets(t, ffOut); got != want {
				t.Errorf("packets differ\nGo join:\n%s\nFFmpeg join:\n%s", got, want)
			}
			if got, want := streamTiming(t, goOut), streamTiming(t, ffOut); got != want {
				t.Errorf("ffprobe timing differs\nGo join:\n%s\nFFmpeg join:\n%s", got, want)
			}
			goFrames, ffFrames := decodedFrames(t, goOut), decodedFrames(t, ffOut)
			if goFrames != ffFrames {
				t.Errorf("decoded frames differ\nGo join:\n%s\nFFmpeg join:\n%s", goFrames, ffFrames)
			}
			if lines := strings.Count(goFrames, "\n0,"); lines != n {
				t.Errorf("the Go join decodes to %d frames, want %d", lines, n)
			}
			if boxes := strings.Join(topLevelBoxes(t, goOut), " "); boxes != "ftyp moov free mdat" {
				t.Errorf("the Go join's boxes are %s, want ftyp moov free mdat (the index in front)", boxes)
			}
			p := probeCounted(t, goOut)
			if got := countStreams(p, "audio"); (got == 1) != (sound != "") || got > 1 {
				t.Errorf("the Go join has %d audio streams (sound %q)", got, sound)
			}
			v := videoStream(t, p)
			if want := float64(n) / tc.fps; v.NbFrames != n || !near(v.Duration, want, 0.001) {
				t.Errorf("the Go join has %d frames over %v s, want %d over %v s", v.NbFrames, v.Duration, n, want)
			}
			idrs := strings.Count(ffmpegOutput(t, "ffprobe", "-select_streams", "v:0", "-show_entries",
				"packet=flags", "-of", "csv", goOut), "K")
			if idrs <= len(segs) {
				t.Errorf("%d keyframes in %d segments: the scene cut made no IDR picture, the test misses a case", idrs, len(segs))
			}
		})
	}
}

// TestJoinFallsBackToFFmpeg gives Join segments the Go join refuses: it says why, and Join still joins them
// through FFmpeg.
func TestJoinFallsBackToFFmpeg(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o := EncodeOptions{Width: 192, Height: 108, FPS: 30}
	frames := testFrames(t, 192, 108, "30", 50, PixFmtYUV420P)
	same := encodeSegments(t, dir, o, frames, []int{20, 30})
	// Another frame size: another SPS, so another sample description.
	small := testFrames(t, 160, 90, "30", 20, PixFmtYUV420P)
	so := EncodeOptions{Width: 160, Height: 90, FPS: 30}
	other := encodeSegments(t, t.TempDir(), so, small, []int{20})
	// Two frames: x264 uses no B-frames, so the segment skips no delay.
	short := encodeSegments(t, t.TempDir(), o, frames, []int{2})

	// A sound longer than the video: FFmpeg's -t cuts it.
	long := mixedSound(t, dir, 3, "mono", 48000)
	// Two udta boxes in the movie box: which one counts is not for the Go join to guess.
	twoUdta := withSecondUdta(t, same[1], filepath.Join(t.TempDir(), "two-udta.mp4"))

	for _, tc := range []struct {
		name   string
		segs   []string
		sound  string
		frames int
		why    string
	}{
		{"sizes", []string{same[0], other[0], same[1]}, "", 70, "sample description"},
		{"B-frame delay", []string{same[0], short[0], same[1]}, "", 52, "B-frame delay"},
		{"frame count", same, "", 49, "hold 50 frames, want 49"},
		{"long sound", same, long, 50, "beyond the video"},
		{"two udta", []string{same[0], twoUdta}, "", 50, `2 "udta" boxes`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := planJoin(tc.segs, tc.sound, 30, 1, tc.frames)
			if err == nil || !strings.Contains(err.Error(), tc.why) {
				t.Fatalf("the Go join said %v, want a refusal about %q", err, tc.why)
			}
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".mp4")
			jo := o
			jo.Frames = tc.frames
			if err := Join(testContext(t), tc.segs, tc.sound, out, jo); err != nil {
				t.Fatal(err)
			}
			// FFmpeg's -t keeps the frames whose decode time is before the cut: with B-frames, one more
			// than Frames when the segments hold more. That is Join's behaviour before the Go join too.
			p := probeCounted(t, out)
			v := videoStream(t, p)
			if v.NbFrames < tc.frames || v.NbFrames > tc.frames+1 {
				t.Errorf("the FFmpeg join has %d frames, want %d", v.NbFrames, tc.frames)
			}
			if got := countStreams(p, "audio"); (got == 1) != (tc.sound != "") || got > 1 {
				t.Errorf("the FFmpeg join has %d audio streams (sound %q)", got, tc.sound)
			}
		})
	}
}

// withSecondUdta writes to out a copy of the segment seg (its index at the end) whose movie box holds its
// udta box twice.
func withSecondUdta(t testing.TB, seg, out string) string {
	t.Helper()
	data := readFile(t, seg)
	boxes, err := childBoxes(data)
	if err != nil || boxes[len(boxes)-1].typ != "moov" {
		t.Fatalf("%s: want the moov box last (%v)", seg, err)
	}
	moov := boxes[len(boxes)-1]
	children, err := childBoxes(moov.body)
	if err != nil {
		t.Fatal(err)
	}
	udta, err := only(children, "udta")
	if err != nil {
		t.Fatalf("%s: %v", seg, err)
	}
	at := len(data) - len(moov.raw)
	data = append(data, udta.raw...)
	binary.BigEndian.PutUint32(data[at:], uint32(len(moov.raw)+len(udta.raw)))
	if err := os.WriteFile(out, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJoinInGoSurvivesDamagedFiles damages a segment's and a sound's index byte by byte, and cuts the
// files short: the Go join must refuse them or join them, never panic.
func TestJoinInGoSurvivesDamagedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	o := EncodeOptions{Width: 64, Height: 36, FPS: 30, Frames: 20}
	seg := encodeSegments(t, dir, o, testFrames(t, 64, 36, "30", 20, PixFmtYUV420P), []int{20}, 0)[0]
	sound := mixedSound(t, dir, 0.5, "mono", 48000)
	damaged := filepath.Join(dir, "damaged.mp4")
	for _, tc := range []struct{ name, file string }{{"segment", seg}, {"sound", sound}} {
		orig := readFile(t, tc.file)
		moov := bytes.Index(orig, []byte("moov")) - 4 // the segment's index is in front: its samples follow
		try := func(data []byte) {
			if err := os.WriteFile(damaged, data, 0o644); err != nil {
				t.Fatal(err)
			}
			segs, audio := []string{damaged}, ""
			if tc.file == sound {
				segs, audio = []string{seg}, damaged
			}
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s: the Go join panicked: %v", tc.name, r)
				}
			}()
			if p, err := planJoin(segs, audio, 30, 1, 20); err == nil {
				if err := p.write(testContext(t), filepath.Join(dir, "out.mp4")); err != nil {
					t.Logf("%s: write: %v", tc.name, err)
				}
			}
		}
		for i := moov; i < len(orig) && i < moov+4096; i++ {
			data := append([]byte(nil), orig...)
			data[i] ^= 0xff
			try(data)
		}
		for n := 0; n < len(orig); n += 97 {
			try(orig[:n])
		}
	}
}

// TestJoinKeepsTheFrameGrid joins 40 segments of 15 frames at 29.97 fps (500.5 ms each), in Go (mp4) and
// through FFmpeg (mov). FFmpeg's concat demuxer offsets each segment by its movie header's duration, rounded
// up to 501 ms, and after about 34 of them the error passes half a frame: one frame held twice, the video a
// frame too long. The Go join counts frames, and the concat list gives FFmpeg each segment's exact duration.
func TestJoinKeepsTheFrameGrid(t *testing.T) {
	t.Parallel()
	const segments, each = 40, 15
	dir := t.TempDir()
	o := EncodeOptions{Width: 64, Height: 36, FPS: 29.97, Frames: segments * each}
	frames := testFrames(t, 64, 36, "30000/1001", each, PixFmtYUV420P)
	seg := encodeSegments(t, dir, o, frames, []int{each})[0]
	segs := make([]string, segments)
	for i := range segs {
		segs[i] = seg
	}
	for _, format := range []Format{FormatMP4, FormatMOV} {
		out := filepath.Join(dir, "joined."+string(format))
		jo := o
		jo.Format = format
		if err := Join(testContext(t), segs, "", out, jo); err != nil {
			t.Fatal(err)
		}
		v := videoStream(t, probeCounted(t, out))
		if want := segments * each * 1001.0 / 30000; v.NbFrames != segments*each || !near(v.Duration, want, 0.0001) {
			t.Errorf("%s: %d frames over %v s, want %d over %v s", format, v.NbFrames, v.Duration, segments*each, want)
		}
		packets := strings.Fields(ffmpegOutput(t, "ffprobe", "-select_streams", "v:0", "-show_entries",
			"packet=dts,duration", "-of", "csv=p=0", out))
		prev := int64(0)
		for i, p := range packets {
			var dts, d int64
			if _, err := fmt.Sscanf(p, "%d,%d", &dts, &d); err != nil {
				t.Fatalf("%s: packet %q: %v", format, p, err)
			}
			if d != 3003 || (i > 0 && dts-prev != 3003) {
				t.Errorf("%s: packet %d at %d ticks lasts %d, the one before at %d: want one frame (3003) apart",
					format, i, dts, d, prev)
				break
			}
			prev = dts
		}
	}
}

// BenchmarkJoin16x1080p joins 16 segments of 56 frames of 1080p (30 s at 30 fps, like make bench-batch's
// variants), without and with a mixed sound, in Go and through FFmpeg, alternating, and reports each one's
// time per join and the ratios.
func BenchmarkJoin16x1080p(b *testing.B) {
	dir := b.TempDir()
	o := EncodeOptions{Width: 1920, Height: 1080, FPS: 30, Frames: 16 * 56, AudioCodec: "aac"}
	frames := testFrames(b, 1920, 1080, "30", 56, PixFmtYUV420P)
	seg := encodeSegments(b, dir, o, frames, []int{56})[0]
	data, err := os.ReadFile(seg)
	if err != nil {
		b.Fatal(err)
	}
	segs := make([]string, 16)
	for i := range segs {
		segs[i] = filepath.Join(dir, fmt.Sprintf("copy%02d.mp4", i))
		if err := os.WriteFile(segs[i], data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	sound := mixedSound(b, dir, o.duration(), "stereo", 48000)
	var took [2][2]time.Duration // [sound][FFmpeg]
	outs := [2][2]string{}
	b.ResetTimer()
	for b.Loop() {
		for withSound, audio := range []string{"", sound} {
			for ff := range 2 {
				outs[withSound][ff] = filepath.Join(dir, fmt.Sprintf("joined-%d-%d.mp4", withSound, ff))
				start := time.Now()
				if ff == 0 {
					err = Join(testContext(b), segs, audio, outs[withSound][ff], o)
				} else {
					// Join reads the indexes before either join; the FFmpeg join's list uses them.
					err = joinFFmpeg(testContext(b), segs, readSegmentsOrFail(b, segs), audio, outs[withSound][ff], o,
						FormatMP4, 30, 1)
				}
				if err != nil {
					b.Fatal(err)
				}
				took[withSound][ff] += time.Since(start)
			}
		}
	}
	ms := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(b.N) }
	b.ReportMetric(ms(took[0][0]), "go-ms/join")
	b.ReportMetric(ms(took[0][1]), "ffmpeg-ms/join")
	b.ReportMetric(took[0][1].Seconds()/took[0][0].Seconds(), "ffmpeg/go")
	b.ReportMetric(ms(took[1][0]), "go-sound-ms/join")
	b.ReportMetric(ms(took[1][1]), "ffmpeg-sound-ms/join")
	b.ReportMetric(took[1][1].Seconds()/took[1][0].Seconds(), "sound-ffmpeg/go")
	b.ReportMetric(float64(16*len(data))/1e6, "MB-video")
	b.StopTimer()
	for _, pair := range outs {
		if !bytes.Equal(readFile(b, pair[0]), readFile(b, pair[1])) {
			b.Errorf("the Go and FFmpeg joins %s differ", filepath.Base(pair[0]))
		}
	}
}
