package mcp

import (
	"fmt"

	"github.com/framecast/framecast/core"
)

// The REST API's results tell a program which endpoint to call next ("Render it with POST
// /api/v1/video/…/render"); a model calls tools, so the MCP results say which tool instead. These
// functions rewrite those messages and leave every other field as the API returns it.

func nextAfterCreateVideo(res core.CreateTaskResult) core.CreateTaskResult {
	res.Message = fmt.Sprintf("Video %s created; it is not rendered yet. Render it with render_video {\"taskId\": %q} (costs credits), then call wait_for_video with the same taskId.", res.TaskID, res.TaskID)
	return res
}

func nextAfterCreatePreview(res core.CreatePreviewResult) core.CreatePreviewResult {
	res.Note = fmt.Sprintf("Preview links expire in %s. Keep it as a video with convert_preview {\"tempId\": %q}, or render it in one step with render_preview (costs credits).", res.ExpiresIn, res.TempID)
	return res
}

func nextAfterConvertPreview(res core.ConvertPreviewResult) core.ConvertPreviewResult {
	res.Message = fmt.Sprintf("Preview converted to video %s. Render it with render_video {\"taskId\": %q}, then call wait_for_video.", res.TaskID, res.TaskID)
	return res
}

func nextAfterRender(res core.RenderResult) core.RenderResult {
	if res.AlreadyRendered {
		res.Message = fmt.Sprintf("This video is already rendered; nothing was charged. Call get_video {\"taskId\": %q} for its videoUrl.", res.TaskID)
		return res
	}
	res.Message += fmt.Sprintf(". Call wait_for_video {\"taskId\": %q} until it is completed.", res.TaskID)
	return res
}

func nextAfterUpload(res core.UploadResult) core.UploadResult {
	res.Message += ". Use each file's url as a clip's src (or in assets), then check the document with validate_document."
	return res
}
