package mcp

import (
	"strings"
	"testing"

	"github.com/framecast/framecast/core"
)

// render_frames draws at most schemas.DrawBudget().MaxFramesPixels per call: 24 frames of 1024 × 4096 took
// 1.56 GB. The refusal says what fits.
func TestRenderFramesPixelBudget(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	d := doc(1024, 4096, 10, 2)
	body := failed(t, "render_frames", callTool(t, c, "render_frames", map[string]any{"document": d, "count": 24, "width": 1024}, nil), core.CodeInvalidRequest)
	if !strings.Contains(body.Error, "million pixels") || !strings.Contains(body.Error, "a width of at most") {
		t.Errorf("render_frames error = %q; want the pixel budget named", body.Error)
	}
}
