//go:build !amd64 || purego

package ffmpeg

// haveVectorYUV is false: this build has no vector conversion.
var haveVectorYUV = false

// convertRowVector converts nothing: the portable loop does it all.
func (c *yuvConverter) convertRowVector(dst, ys, us, vs []byte) int { return 0 }
