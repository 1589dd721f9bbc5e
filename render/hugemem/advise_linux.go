package hugemem

import (
	"syscall"
	"unsafe"
)

// advise marks the huge-page-aligned part of b MADV_HUGEPAGE. The advice is best effort: a kernel without
// transparent huge pages, or with them off, refuses or ignores it, and b works the same.
func advise(b []byte) {
	base := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (base + hugePage - 1) &^ (hugePage - 1)
	end := (base + uintptr(len(b))) &^ (hugePage - 1)
	if end <= start {
		return
	}
	_ = syscall.Madvise(b[start-base:end-base], syscall.MADV_HUGEPAGE)
}
