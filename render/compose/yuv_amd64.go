//go:build amd64 && !purego

package compose

import "golang.org/x/sys/cpu"

// vectorBlocks is how many 2×2 blocks convertBlocksAVX2 converts per step (16 pixels of two rows).
const vectorBlocks = 8

// haveVectorConvert reports whether convertBlocksAVX2 may run: the CPU has AVX2. Tests switch it off to compare
// the vector and the portable conversion.
var haveVectorConvert = cpu.X86.HasAVX2

// convertBlocksAVX2 is convertPairs on blocks 2×2 blocks (a multiple of vectorBlocks) with AVX2, eight blocks
// per step: the same integer arithmetic, so the same bytes. top and bottom point at 8·blocks bytes of RGBA,
// yTop and yBottom at 2·blocks luma bytes, u and v at blocks chroma bytes each.
//
//go:noescape
func convertBlocksAVX2(top, bottom, yTop, yBottom, u, v *byte, blocks int)

// convertBlocksVector converts as many whole steps of blocks as there are in the rows and returns how many
// blocks it converted (0 when the CPU has no AVX2).
func convertBlocksVector(top, bottom, yTop, yBottom, u, v []byte) int {
	if !haveVectorConvert {
		return 0
	}
	n := len(u) &^ (vectorBlocks - 1)
	if n == 0 || len(v) < n || len(top) < 8*n || len(bottom) < 8*n || len(yTop) < 2*n || len(yBottom) < 2*n {
		return 0
	}
	convertBlocksAVX2(&top[0], &bottom[0], &yTop[0], &yBottom[0], &u[0], &v[0], n)
	return n
}
