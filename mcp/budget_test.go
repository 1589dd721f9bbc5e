package mcp

import (
	"strings"
	"testing"

	"github.com/framecast/framecast/core"
)

// render_frames draws at most schemas.DrawBudget().MaxFramesPixels per call: 24 frames of 1024 × 4096 took
// 1.56 GB. The refusal says what fits.
func TestRenderFramesPixelBudget(t *testing.T) {
	if err := checkFramesBudget(24, 320, 1920, 1080); err != nil {
		t.Errorf("24 frames of 320 px: %v; want them drawn", err)
	}
	err := checkFramesBudget(24, 1024, 1024, 4096)
	if core.CodeOf(err) != core.CodeInvalidRequest || !strings.Contains(err.Error(), "a width of at most") {
		t.Fatalf("24 frames of 1024×4096: %v; want INVALID_REQUEST saying what width fits", err)
	}

	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	d := doc(1024, 4096, 10, 2)
	body := failed(t, "render_frames", callTool(t, c, "render_frames", map[string]any{"document": d, "count": 24, "width": 1024}, nil), core.CodeInvalidRequest)
	if !strings.Contains(body.Error, "million pixels") {
		t.Errorf("render_frames error = %q; want the pixel budget named", body.Error)
	}
}
