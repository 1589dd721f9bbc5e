package ffmpeg

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Standby decoders. Launching ffmpeg costs about 0.2 s of CPU before it reads a byte: a distribution's
// build links some 215 shared libraries, bound at start (full RELRO), and perf shows half the time in the
// dynamic linker's symbol lookups and the rest in the kernel mapping them. For a preview frame that is most of
// the wait: each video on screen needs a decoder started at the frame asked for.
//
// A standby is a decoding ffmpeg launched ahead of need, before anyone knows what it will decode: its command
// line names no source, seek point or filter. It blocks reading two pipes, and the decoder that takes it
// writes them: the source and seek point as a concat script (file, inpoint), the filters as a filter script.
// With -copyts the concat demuxer gives the frames the timestamps that -noaccurate_seek -ss gives a direct
// launch (both seek to the keyframe before the point and subtract it), so the frames are the same bytes
// (TestStandbyDecodesAsALaunch). While a preview service runs (KeepStandby), a few are kept ready: launched
// when the service starts, so that the first video frame of a document nobody asked for before finds them
// (the busy bench document's cold frame: about 500 ms with its two decoders launching, about 200 ms with
// standbys ready), and replaced once the one taken has decoded the frame it was taken for (not when it is
// taken: the launch would compete for the cores with that frame).
// A preview frame holds both launches until it is encoded (HoldStandby): its own decoders launch their ffmpeg
// as standbys would, and the ones for the next frames start once it is out. A decoder takes one when there is one and the source allows it (see
// Decoder.standbyFits), and launches ffmpeg itself otherwise. Documents without video launch none.

// standbyCount is how many standbys are kept launched: one per video of a frame with two videos, the busy
// preview's case; a third video launches its own.
const standbyCount = 2

// standbyInputArgs are the decoder options of a standby: those of a decoder of a source up to 1080p (one
// thread; see singleThreadPixels).
var standbyInputArgs = []string{"-threads", "1"}

// standbyArgs is a standby's command line after the quiet arguments: the concat script on fd 3, the filter
// script on fd 4 (ending with the pixel format), raw frames on stdout, as Decoder.launch writes them.
var standbyArgs = append(append([]string{"-copyts"}, standbyInputArgs...), "-f", "concat", "-safe", "0", "-i", "/dev/fd/3",
	"-map", "0:v:0", "-an", "-sn", "-dn", "-filter_script:v", "/dev/fd/4", "-f", "rawvideo", "pipe:1")

// standby is one launched, waiting ffmpeg.
type standby struct {
	cmd             *exec.Cmd
	source, filters *os.File // write ends of the scripts' pipes
	out             *os.File // read end of stdout
	tail            *tailBuffer
}

// standbyPool keeps standbys while at least one KeepStandby caller wants them.
type standbyPool struct {
	mu        sync.Mutex
	users     int
	idle      []*standby
	launching int
	taken     int // standbys given to decoders, for tests
	// holds counts the HoldStandby callers drawing now; fill waits for the last to let go (pending).
	holds   int
	pending bool
}

func (p *standbyPool) takenCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.taken
}

var standbys standbyPool

// KeepStandby keeps standby decoders launched ahead of need, from the first caller's call (a preview service,
// whose frames are asked for in any order, calls it at start) until every caller has called its stop.
// Decoders of the whole process use them.
func KeepStandby() (stop func()) {
	standbys.mu.Lock()
	standbys.users++
	first := standbys.users == 1
	standbys.mu.Unlock()
	if first {
		standbys.fill() // starting processes only (milliseconds): each links its libraries on its own
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			standbys.mu.Lock()
			standbys.users--
			var idle []*standby
			if standbys.users == 0 {
				idle, standbys.idle = standbys.idle, nil
			}
			standbys.mu.Unlock()
			for _, s := range idle {
				s.discard()
			}
		})
	}
}

// HoldStandby delays launching standbys until release is called (and every other holder's): a preview
// frame holds them while it is drawn and encoded. A standby's replacement is launched once the frame it was
// taken for is decoded, and its launch (about 0.2 s of CPU) would otherwise compete for the cores with the rest
// of that frame (the other clips, the JPEG): on the busy document's cold frame, two launches beside the last
// 0.1–0.3 s of its work. A decoder that finds no standby launches its own ffmpeg, as without standbys.
func HoldStandby() (release func()) {
	standbys.mu.Lock()
	standbys.holds++
	standbys.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			standbys.mu.Lock()
			standbys.holds--
			launch := standbys.holds == 0 && standbys.pending
			if launch {
				standbys.pending = false
			}
			standbys.mu.Unlock()
			if launch {
				go standbys.fill()
			}
		})
	}
}

// take returns a standby, or nil when none is ready. Its replacement is launched by the decoder
// (decodeProcess.replace). A standby is ready as soon as its process is started: one still linking FFmpeg's
// libraries is further along than an ffmpeg launched now.
func (p *standbyPool) take() *standby {
	p.mu.Lock()
	defer p.mu.Unlock()
	var s *standby
	if n := len(p.idle); n > 0 {
		s, p.idle = p.idle[n-1], p.idle[:n-1]
		p.taken++
	}
	return s
}

// WaitStandbys returns once every standby kept ready (KeepStandby), those still being launched included, has
// finished starting (linking FFmpeg's libraries, about 0.2 s of CPU each) and waits for its work, or when ctx
// ends. A server is then as ready for the first frame of a new document as it will ever be; the preview
// benchmark waits for it so as to time a server that is up, not one started a moment before. It reads Linux's
// /proc (a standby blocked reading its script's pipe); elsewhere it returns once no launch is in flight.
func WaitStandbys(ctx context.Context) error {
	launched := func() bool { // launches in flight (a replacement's, a fill's) are not in idle yet
		standbys.mu.Lock()
		defer standbys.mu.Unlock()
		return standbys.launching == 0
	}
	if err := pollUntil(ctx, launched); err != nil {
		return err
	}
	standbys.mu.Lock()
	var pids []int
	for _, s := range standbys.idle {
		pids = append(pids, s.cmd.Process.Pid)
	}
	standbys.mu.Unlock()
	for _, pid := range pids {
		waiting := func() bool {
			wchan, err := os.ReadFile(fmt.Sprintf("/proc/%d/wchan", pid))
			// no /proc, the process has ended, or it waits for its script
			return err != nil || strings.Contains(string(wchan), "pipe_read")
		}
		if err := pollUntil(ctx, waiting); err != nil {
			return err
		}
	}
	return nil
}

// pollUntil returns nil once done reports true, checking every 5 ms, or ctx's error when it ends first.
func pollUntil(ctx context.Context, done func() bool) error {
	for !done() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// fill launches standbys until standbyCount are ready or launching. A failed launch is not retried: decoders
// launch their own.
func (p *standbyPool) fill() {
	for {
		p.mu.Lock()
		if p.users == 0 || len(p.idle)+p.launching >= standbyCount {
			p.mu.Unlock()
			return
		}
		if p.holds > 0 {
			p.pending = true // launched when the last holder lets go
			p.mu.Unlock()
			return
		}
		p.launching++
		p.mu.Unlock()
		s, err := launchStandby()
		p.mu.Lock()
		p.launching--
		if err != nil || p.users == 0 {
			p.mu.Unlock()
			if s != nil {
				s.discard()
			}
			return
		}
		p.idle = append(p.idle, s)
		p.mu.Unlock()
	}
}

func launchStandby() (*standby, error) {
	bin, err := ffmpegPath()
	if err != nil {
		return nil, err
	}
	var files []*os.File // read ends for ffmpeg: fd 3, fd 4, stdout's write end
	closeAll := func(fs ...*os.File) {
		for _, f := range fs {
			f.Close()
		}
	}
	srcR, srcW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	filR, filW, err := os.Pipe()
	if err != nil {
		closeAll(srcR, srcW)
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		closeAll(srcR, srcW, filR, filW)
		return nil, err
	}
	enlargePipe(outW)
	files = append(files, srcR, filR, outW)
	// Not tied to a context: the decoder that takes it kills it when its own context ends (launch).
	cmd, tail := newCommand(context.Background(), bin, append(append([]string{}, quietArgs...), standbyArgs...))
	cmd.ExtraFiles = []*os.File{srcR, filR}
	cmd.Stdout = outW
	if err := cmd.Start(); err != nil {
		closeAll(append(files, srcW, filW, outR)...)
		return nil, err
	}
	closeAll(files...)
	return &standby{cmd: cmd, source: srcW, filters: filW, out: outR, tail: tail}, nil
}

// discard kills an unused standby.
func (s *standby) discard() {
	_ = s.cmd.Process.Kill()
	s.source.Close()
	s.filters.Close()
	s.out.Close()
	_ = s.cmd.Wait()
}

// start gives the standby its work: decode src from seek seconds (no seek when 0) through the filters vf.
// The process is killed when ctx ends. On failure the standby is discarded.
func (s *standby) start(ctx context.Context, src string, seek float64, vf string) (*decodeProcess, error) {
	script := "ffconcat version 1.0\nfile 'file:" + strings.ReplaceAll(src, "'", `'\''`) + "'\n"
	if seek > 0 {
		script += "inpoint " + formatSeconds(seek) + "\n"
	}
	_, err := s.source.WriteString(script)
	if cerr := s.source.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_, err = s.filters.WriteString(vf)
	}
	if cerr := s.filters.Close(); err == nil {
		err = cerr
	}
	if err != nil { // the standby died meanwhile
		s.discard()
		return nil, err
	}
	kill := context.AfterFunc(ctx, func() { _ = s.cmd.Process.Kill() })
	return &decodeProcess{cmd: s.cmd, out: s.out, tail: s.tail, unwatch: kill, standby: true}, nil
}

// standbyPath reports whether src can be given to a standby: a local file named without line breaks (the
// concat script is line-based), by its absolute path.
func standbyPath(src string) (string, bool) {
	if strings.ContainsAny(src, "\n\r") || strings.Contains(src, "://") {
		return "", false
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return "", false
	}
	if fi, err := os.Stat(abs); err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return abs, true
}
