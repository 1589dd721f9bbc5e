package core

import (
	"strings"
	"testing"
)

// Frames drawn on request are bounded to schemas.DrawBudget().MaxFramesPixels per call: 24 frames of
// 1024 × 4096 took 1.56 GB. The refusal says what fits.
func TestFramesPixelBudget(t *testing.T) {
	if err := checkFramesBudget(24, 320, 1920, 1080); err != nil {
		t.Errorf("24 frames of 320 px: %v; want them drawn", err)
	}
	err := checkFramesBudget(24, 1024, 1024, 4096)
	if CodeOf(err) != CodeInvalidRequest || !strings.Contains(err.Error(), "a width of at most") {
		t.Fatalf("24 frames of 1024×4096: %v; want INVALID_REQUEST saying what width fits", err)
	}
}
