// Package ffmpeg runs every FFmpeg and ffprobe subprocess the video side of the engine needs: encoding raw
// frames to MP4, WebM or GIF, writing video-only segments and joining them by stream copy, decoding video
// clips into RGBA frames, probing media, measuring loudness and writing stills and thumbnails.
//
// The package knows nothing about documents and draws nothing. Every subprocess runs quietly (-hide_banner
// -loglevel error -nostdin), is killed when its context is cancelled, and reports failures with the last few
// kilobytes of its standard error.
//
// The binaries are found with FindFFmpeg: the environment variables FRAMECAST_FFMPEG and FRAMECAST_FFPROBE
// name them explicitly, otherwise they are looked up in PATH.
package ffmpeg

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Environment variables that override where the binaries are looked up.
const (
	EnvFFmpeg  = "FRAMECAST_FFMPEG"
	EnvFFprobe = "FRAMECAST_FFPROBE"
)

// quietArgs start every ffmpeg command line: no banner, only errors, never read the terminal.
var quietArgs = []string{"-hide_banner", "-loglevel", "error", "-nostdin"}

// stderrTailSize is how much of a subprocess's standard error is kept for error messages.
const stderrTailSize = 4 << 10

// waitDelay bounds how long Wait waits for a killed subprocess's pipes to drain.
const waitDelay = 5 * time.Second

// FindFFmpeg returns the paths of the ffmpeg and ffprobe binaries. FRAMECAST_FFMPEG and FRAMECAST_FFPROBE,
// when set, name them (as a path or a name looked up in PATH); otherwise "ffmpeg" and "ffprobe" are looked up
// in PATH. The error says how to fix a missing binary.
func FindFFmpeg() (ffmpeg, ffprobe string, err error) {
	ffmpeg, err = findBinary("ffmpeg", EnvFFmpeg)
	if err != nil {
		return "", "", err
	}
	ffprobe, err = findBinary("ffprobe", EnvFFprobe)
	if err != nil {
		return "", "", err
	}
	return ffmpeg, ffprobe, nil
}

// findBinary resolves one binary, preferring the environment variable env.
func findBinary(name, env string) (string, error) {
	if p := os.Getenv(env); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%s not found at %s=%q: %w", name, env, p, err)
		}
		return path, nil
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found: install FFmpeg (apt-get install ffmpeg) or set %s", name, env)
	}
	return path, nil
}

// ffmpegPath returns the ffmpeg binary alone.
func ffmpegPath() (string, error) { return findBinary("ffmpeg", EnvFFmpeg) }

// ffprobePath returns the ffprobe binary alone.
func ffprobePath() (string, error) { return findBinary("ffprobe", EnvFFprobe) }

// newCommand prepares a subprocess that is killed when ctx is cancelled and whose standard error is kept in
// the returned tail.
func newCommand(ctx context.Context, bin string, args []string) (*exec.Cmd, *tailBuffer) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = waitDelay
	tail := &tailBuffer{max: stderrTailSize}
	cmd.Stderr = tail
	return cmd, tail
}

// runFFmpeg runs ffmpeg with the quiet arguments followed by args and waits for it.
func runFFmpeg(ctx context.Context, args ...string) error {
	bin, err := ffmpegPath()
	if err != nil {
		return err
	}
	cmd, tail := newCommand(ctx, bin, append(append([]string{}, quietArgs...), args...))
	if err := cmd.Run(); err != nil {
		return commandError("ffmpeg", ctx, err, tail)
	}
	return nil
}

// commandError describes a failed subprocess: the context's error when it was cancelled, else the exit
// status with the tail of standard error.
func commandError(name string, ctx context.Context, err error, tail *tailBuffer) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s: %w", name, ctxErr)
	}
	if msg := tail.String(); msg != "" {
		return fmt.Errorf("%s: %w: %s", name, err, msg)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// tailBuffer is an io.Writer that keeps only the last max bytes written to it. It is safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

// Write keeps the end of p and never fails.
func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if len(p) >= t.max {
		p = p[len(p)-t.max:]
		t.buf = t.buf[:0]
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

// String returns the kept text, trimmed of surrounding white space.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}

// Rational returns fps as the exact fraction FFmpeg should use, such as "30/1" for 30 and "30000/1001" for
// 29.97. The NTSC rates (23.976, 29.97, 47.952, 59.94, 119.88) map to their x/1001 fractions; other rates
// become the closest fraction with a denominator up to 1001. It returns an error for rates that are not
// positive and finite.
func Rational(fps float64) (string, error) {
	num, den, err := rational(fps)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(num) + "/" + strconv.Itoa(den), nil
}

// rational returns fps as num/den; see Rational.
func rational(fps float64) (num, den int, err error) {
	if !(fps > 0) || math.IsInf(fps, 0) || fps > 1e6 {
		return 0, 0, fmt.Errorf("invalid frame rate %v: must be positive and finite", fps)
	}
	if r := math.Round(fps); math.Abs(fps-r) < 1e-6 {
		return int(r), 1, nil
	}
	// NTSC-style rates: n*1000/1001, given as 29.97 or 29.97002997...
	if n := math.Round(fps * 1.001); math.Abs(fps-n/1.001) < 0.006 {
		return int(n) * 1000, 1001, nil
	}
	bestNum, bestDen, bestErr := 0, 1, math.Inf(1)
	for d := 1; d <= 1001; d++ {
		n := math.Round(fps * float64(d))
		if e := math.Abs(fps - n/float64(d)); e < bestErr-1e-12 {
			bestNum, bestDen, bestErr = int(n), d, e
		}
	}
	return bestNum, bestDen, nil
}

// formatSeconds writes a time in seconds for an FFmpeg option, with microsecond precision.
func formatSeconds(s float64) string { return strconv.FormatFloat(s, 'f', 6, 64) }

// itoa is a short alias used while building argument lists.
func itoa(i int) string { return strconv.Itoa(i) }

// joinFilters joins filter-graph parts with commas, skipping empty ones.
func joinFilters(parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ",")
}
