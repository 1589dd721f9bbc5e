package mcp

import (
	"encoding/json"
	"testing"

	"github.com/framecast/framecast/core"
)

// TestRenderFrameOfAZeroHeightKeyframe: a rect keyframed from height 0 looks drawable, and is: the
// frame tools draw it (invisible while its height is 0) instead of answering a storage failure that
// invites the agent to retry.
func TestRenderFrameOfAZeroHeightKeyframe(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	var d map[string]any
	if err := json.Unmarshal([]byte(`{"meta": {"version": "2.0.0", "width": 320, "height": 180, "fps": 10},
		"tracks": [{"clips": [{"type": "rect", "start": 0, "duration": 2, "style": {"fill": "#ff0000"},
			"transform": {"width": 200, "height": 100},
			"keyframes": [{"property": "height", "frames": [{"time": 0, "value": 0}, {"time": 1, "value": 100}]}]}]}]}`), &d); err != nil {
		t.Fatal(err)
	}
	for _, at := range []float64{0, 1.5} {
		res := callTool(t, c, "render_frame", map[string]any{"document": d, "time": at}, nil)
		var fr FramesResult
		ok(t, "render_frame", res, &fr)
		img := imageOf(t, res)
		center := img.At(160, 90)
		if at == 0 && near(center, red) {
			t.Errorf("at 0 s the rect has height 0 and should not show; the center is %v", center)
		}
		if at == 1.5 && !near(center, red) {
			t.Errorf("at 1.5 s the rect is 100 px high; the center is %v, want red", center)
		}
	}
}

// TestValidateDocumentChecksMediaURLsLikeTheAPI: validate_document applies the same media-URL check as
// create_preview (one validation in core), so a document the tool calls valid is one the API accepts. (The
// test stack allows loopback URLs for its own media server, so the refused source here is a local path.)
func TestValidateDocumentChecksMediaURLsLikeTheAPI(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	d := map[string]any{
		"meta": map[string]any{"version": "2.0.0", "width": 320, "height": 180},
		"tracks": []any{map[string]any{"clips": []any{
			map[string]any{"type": "image", "src": "assets/photo1.jpg", "start": 0, "duration": 1},
		}}},
	}
	var v ValidationResult
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": d}, nil), &v)
	if v.Valid {
		t.Fatalf("validate_document calls a local file path valid: %+v", v)
	}
	found := false
	for _, p := range v.Errors {
		if p.Path == "tracks[0].clips[0].src" {
			found = true
		}
	}
	if !found {
		t.Errorf("no error at tracks[0].clips[0].src: %+v", v.Errors)
	}
	failed(t, "create_preview", callTool(t, c, "create_preview", map[string]any{"document": d}, nil), core.CodeInvalidConfig)
}
