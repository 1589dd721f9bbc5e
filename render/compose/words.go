package compose

import (
	"encoding/binary"
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

// words32 returns the first len(b)/4 little-endian uint32 of b, sharing its memory. Only call it when
// fastWords is true.
func words32(b []byte) []uint32 {
	if len(b) < 4 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/4)
}

// pixelWords returns the pixels of b as little-endian uint32: a view sharing b's memory when fastWords is
// true, otherwise a decoded copy (and shared is false: write changes back with storePixelWords).
func pixelWords(b []byte) (w []uint32, shared bool) {
	if fastWords {
		return words32(b), true
	}
	w = make([]uint32, len(b)/4)
	for i := range w {
		w[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return w, false
}

// storePixelWords writes pixels decoded by pixelWords back into b.
func storePixelWords(b []byte, w []uint32) {
	for i, p := range w {
		binary.LittleEndian.PutUint32(b[4*i:], p)
	}
}
