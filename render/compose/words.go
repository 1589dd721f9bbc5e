package compose

import (
	"runtime"
	"unsafe"
)

// fastWords reports whether byte slices may be reinterpreted as slices of little-endian words: the machine
// is little-endian and loads words from any address. It is true on amd64 and arm64, where the hot loops
// then read two pixels with one load and no bounds checks; elsewhere they use encoding/binary.
var fastWords = (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64") && littleEndian()

func littleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// words64 returns the first len(b)/8 little-endian uint64 of b, sharing its memory. Only call it when
// fastWords is true.
func words64(b []byte) []uint64 {
	if len(b) < 8 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/8)
}

// words16 returns the first len(b)/2 little-endian uint16 of b, sharing its memory. Only call it when
// fastWords is true.
func words16(b []byte) []uint16 {
	if len(b) < 2 {
		return nil
	}
	return unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/2)
}
