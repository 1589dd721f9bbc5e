package mcp

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/framecast/framecast/core"
)

// audioPreviewSpec is render_audio_preview: the soundtrack mixed as the render would, as MCP audio content.
func (t *toolset) audioPreviewSpec() toolSpec {
	return toolSpec{
		name: "render_audio_preview", title: "Hear the soundtrack",
		description: "Mixes the soundtrack of a video document exactly as the render would (every audio clip and unmuted video, with trims, loops, fades, pan, gain envelopes, volume keyframes and ducking) and returns it as audio (Ogg Opus), as long as the document. " +
			"Free (no credits); the document must be valid. Use it to check levels, fades and ducking before render_video.",
		hints: hints{readOnly: true, idempotent: true, openWorld: true}, args: DocumentArgs{}, result: core.AudioPreviewResult{},
		handle: func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			var in DocumentArgs
			if err := bindArgs(req, &in); err != nil {
				return toolError(err), nil
			}
			res, err := t.b.AudioPreview(ctx, json.RawMessage(in.Document))
			if err != nil {
				return toolError(err), nil
			}
			out := structured(res)
			if !res.HasAudio {
				out.Content = append(out.Content, mcp.NewTextContent("The document has no sound: no audio clip, and no video clip with an audio track."))
				return out, nil
			}
			out.Content = append(out.Content, mcp.NewAudioContent(base64.StdEncoding.EncodeToString(res.Audio), res.MIMEType))
			return out, nil
		},
	}
}
