//go:build !linux

package ffmpeg

import "os"

// enlargePipe does nothing on systems that cannot resize pipes.
func enlargePipe(*os.File) {}
