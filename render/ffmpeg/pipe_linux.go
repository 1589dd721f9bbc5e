//go:build linux

package ffmpeg

import (
	"os"

	"golang.org/x/sys/unix"
)

// pipeSize is the capacity asked for the pipe that carries raw frames to ffmpeg. The default 64 KiB pipe
// forces many context switches per frame; 1 MiB measured 16–21 % less wall time for RGBA frames.
const pipeSize = 1 << 20

// enlargePipe grows the kernel buffer of the pipe w writes to. Failure is harmless (the pipe keeps its
// default size, for example when /proc/sys/fs/pipe-max-size is lower) and therefore ignored.
func enlargePipe(w *os.File) {
	raw, err := w.SyscallConn()
	if err != nil {
		return
	}
	_ = raw.Control(func(fd uintptr) {
		_, _ = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, pipeSize)
	})
}
