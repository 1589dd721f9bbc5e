package ffmpeg

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// decodeAll returns frames 0..n-1 of src as o describes, read in order by a decoder of its own.
func decodeAll(t *testing.T, src string, o DecodeOptions, n int) [][]byte {
	t.Helper()
	d, err := OpenDecoder(testContext(t), src, o)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var frames [][]byte
	for i := 0; i < n; i++ {
		img, err := d.Frame(i)
		if err != nil {
			t.Fatalf("Frame(%d): %v", i, err)
		}
		frames = append(frames, bytes.Clone(img.Pix))
	}
	return frames
}

// A frame is a pure function of the source and its index, whichever way it was decoded: read in sequence by
// a launched ffmpeg (the reference), decoded alone for a random access (RandomAccess), or by a standby
// (KeepStandby), in sequence or alone. The bytes are compared, not a tolerance: the command lines differ only
// in how the source and seek point reach FFmpeg.
func TestStandbyDecodesAsALaunch(t *testing.T) {
	// Not parallel: the standby pool is the process's.
	src := lavfi(t, filepath.Join(t.TempDir(), "motion.mp4"), "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=4",
		"-c:v", "libx264", "-preset", "medium", "-bf", "3", "-g", "25", "-pix_fmt", "yuv420p") // B-frames, keyframes off the clip's grid
	const n = 40
	order := []int{17, 18, 3, 39, 2, 25, 26, 27, 0, 12, 38}
	for _, o := range []DecodeOptions{
		{Width: 200, Height: 150, FPS: 24, Start: 0.3, Rate: 1.5}, // scaled down: yuv422p crosses the pipe
		{Width: 400, Height: 300, FPS: 30, Start: 0.2},            // scaled up: RGBA does
		{FPS: 30, Start: 0.5},                                     // at the source's size: yuv420p does
	} {
		name := fmt.Sprintf("%dx%d", o.Width, o.Height)
		want := decodeAll(t, src, o, n)
		check := func(how string, o DecodeOptions) {
			t.Helper()
			d, err := OpenDecoder(testContext(t), src, o)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for _, i := range order {
				img, err := d.Frame(i)
				if err != nil {
					t.Fatalf("%s, %s: Frame(%d): %v", name, how, i, err)
				}
				if !bytes.Equal(img.Pix, want[i]) {
					t.Errorf("%s, %s: Frame(%d) differs from the frame read in sequence", name, how, i)
				}
			}
		}
		random := o
		random.RandomAccess = true
		check("random access", random)

		stop := KeepStandby()
		standbys.fill() // ready now, whatever replacements of earlier takes are still launching
		before := standbys.takenCount()
		check("random access on standbys", random)
		if got := standbys.takenCount() - before; got == 0 {
			t.Errorf("%s: no standby was used", name)
		}
		standbys.fill()
		before = standbys.takenCount()
		got := decodeAll(t, src, o, n)
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Errorf("%s, sequence on a standby: frame %d differs", name, i)
			}
		}
		if standbys.takenCount() == before {
			t.Errorf("%s: the sequence used no standby", name)
		}
		stop()
	}
}

// Sources a standby cannot take (an End for a sequence) are decoded by a launch, with the same frames.
func TestStandbyLeavesEndToALaunch(t *testing.T) {
	src := lavfi(t, filepath.Join(t.TempDir(), "motion.mp4"), "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30:duration=2",
		"-c:v", "libx264", "-preset", "ultrafast", "-g", "15")
	o := DecodeOptions{FPS: 30, Start: 0.5, End: 1.2}
	want := decodeAll(t, src, o, 21)
	stop := KeepStandby()
	defer stop()
	standbys.fill()
	before := standbys.takenCount()
	got := decodeAll(t, src, o, 21)
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("frame %d differs", i)
		}
	}
	if n := standbys.takenCount() - before; n != 0 {
		t.Errorf("%d standbys used for a sequence with an End", n)
	}
	d, err := OpenDecoder(testContext(t), src, o)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Frame(21); err == nil {
		t.Error("Frame(21) past End succeeded")
	}
}

// While a frame holds the standbys (HoldStandby), a decoder's call for replacements launches none; the last
// holder's release launches them.
func TestHoldStandbyDelaysLaunches(t *testing.T) {
	// Not parallel: the standby pool is the process's.
	stop := KeepStandby()
	defer stop()
	idle := func() int {
		standbys.mu.Lock()
		defer standbys.mu.Unlock()
		return len(standbys.idle) + standbys.launching
	}
	for _, s := range func() []*standby { // start from none ready
		standbys.mu.Lock()
		defer standbys.mu.Unlock()
		idle := standbys.idle
		standbys.idle = nil
		return idle
	}() {
		s.discard()
	}
	first, second := HoldStandby(), HoldStandby()
	standbys.fill()
	if n := idle(); n != 0 {
		t.Fatalf("%d standbys launched while held", n)
	}
	first()
	first() // a second call of the same release changes nothing
	standbys.fill()
	if n := idle(); n != 0 {
		t.Fatalf("%d standbys launched while one holder remains", n)
	}
	second()
	deadline := time.Now().Add(30 * time.Second)
	for idle() < standbyCount {
		if time.Now().After(deadline) {
			t.Fatalf("%d standbys ready 30 s after the last release, want %d", idle(), standbyCount)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The release's launches may still be in flight; the next test starts from a pool at rest.
	if err := WaitStandbys(testContext(t)); err != nil {
		t.Fatal(err)
	}
}

// A preview service's standbys are launched when it starts (the first KeepStandby), before any video is
// opened, so the first frame of a document nobody asked for before finds them; WaitStandbys returns once they
// have finished starting, and the last stop discards them.
func TestKeepStandbyLaunchesAtStart(t *testing.T) {
	// Not parallel: the standby pool is the process's.
	ready := func() int {
		standbys.mu.Lock()
		defer standbys.mu.Unlock()
		return len(standbys.idle)
	}
	if standbys.users != 0 {
		t.Fatalf("%d KeepStandby callers left over by other tests", standbys.users)
	}
	// A replacement launched while an earlier test kept standbys may still be in flight; KeepStandby would
	// count it as launching and start one fewer.
	if err := WaitStandbys(testContext(t)); err != nil {
		t.Fatal(err)
	}
	stop := KeepStandby()
	if n := ready(); n != standbyCount {
		stop()
		t.Fatalf("%d standbys launched by KeepStandby, want %d", n, standbyCount)
	}
	if err := WaitStandbys(testContext(t)); err != nil {
		stop()
		t.Fatal(err)
	}
	standbys.mu.Lock()
	idle := append([]*standby(nil), standbys.idle...)
	standbys.mu.Unlock()
	for _, s := range idle {
		if s.cmd.ProcessState != nil {
			t.Errorf("standby %d ended before any work was given", s.cmd.Process.Pid)
		}
	}
	stop()
	if n := ready(); n != 0 {
		t.Errorf("%d standbys left after the last stop", n)
	}
}
