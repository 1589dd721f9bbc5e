//go:build !amd64 || purego

package compose

// haveVectorConvert is false: this build has no vector conversion.
var haveVectorConvert = false

// convertBlocksVector converts nothing: the portable loop does it all.
func convertBlocksVector(top, bottom, yTop, yBottom, u, v []byte) int { return 0 }
