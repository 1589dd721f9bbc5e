//go:build !linux

package render

import "testing"

// warmMemory is a no-op where the bench does not know how the system hands out memory (see bench_linux_test.go).
func warmMemory(testing.TB) {}
