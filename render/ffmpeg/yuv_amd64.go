//go:build amd64 && !purego

package ffmpeg

import "golang.org/x/sys/cpu"

// haveVectorYUV reports whether yuvRowAVX2 may run: the CPU has AVX2. Tests switch it off to compare the
// vector and the portable conversion.
var haveVectorYUV = cpu.X86.HasAVX2

// yuvRowAVX2 is convertRow on pixels pixels (a multiple of 8) with AVX2, eight per step, in 32-bit lanes:
// the same integer arithmetic as the tables hold (k's products, computed instead of looked up) and the same
// clamping, so the same bytes.
//
//go:noescape
func yuvRowAVX2(dst, ys, us, vs *byte, pixels int, k *yuvConstants)

// convertRowVector converts as many whole steps of 8 pixels as the row holds and returns how many pixels it
// converted (0 when the CPU has no AVX2).
func (c *yuvConverter) convertRowVector(dst, ys, us, vs []byte) int {
	if !haveVectorYUV {
		return 0
	}
	n := len(ys) &^ 7
	if n == 0 || len(dst) < 4*n || len(us) < n/2 || len(vs) < n/2 {
		return 0
	}
	yuvRowAVX2(&dst[0], &ys[0], &us[0], &vs[0], n, &c.k)
	return n
}
