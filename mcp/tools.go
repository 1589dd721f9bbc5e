package mcp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/framecast/framecast/core"
)

// hints are a tool's annotations: what calling it does to the world.
type hints struct {
	readOnly    bool // changes nothing
	destructive bool // may delete something (meaningful only when not readOnly)
	idempotent  bool // calling again with the same arguments has no further effect
	openWorld   bool // reaches outside Framecast (downloads a URL, posts a webhook)
}

// toolSpec is one tool: its name, description for a model, annotations, argument and result types, and
// handler.
type toolSpec struct {
	name, title, description string
	hints                    hints
	args                     any // a zero value of the argument type, for the input schema
	result                   any // a zero value of the structured result type, for the output schema
	handle                   server.ToolHandlerFunc
}

// tool builds the mcp.Tool of spec with its generated schemas.
func (spec toolSpec) tool() (mcp.Tool, error) {
	in, err := inputSchema(spec.args)
	if err != nil {
		return mcp.Tool{}, fmt.Errorf("%s: %w", spec.name, err)
	}
	out, err := outputSchema(spec.result)
	if err != nil {
		return mcp.Tool{}, fmt.Errorf("%s: %w", spec.name, err)
	}
	h := spec.hints
	return mcp.Tool{
		Name: spec.name, Title: spec.title, Description: spec.description,
		RawInputSchema: in, RawOutputSchema: out,
		Annotations: mcp.ToolAnnotation{
			Title:           spec.title,
			ReadOnlyHint:    mcp.ToBoolPtr(h.readOnly),
			DestructiveHint: mcp.ToBoolPtr(!h.readOnly && h.destructive),
			IdempotentHint:  mcp.ToBoolPtr(h.idempotent),
			OpenWorldHint:   mcp.ToBoolPtr(h.openWorld),
		},
	}, nil
}

// bindArgs decodes a call's arguments into args; malformed arguments are INVALID_REQUEST.
func bindArgs(req mcp.CallToolRequest, args any) error {
	if err := req.BindArguments(args); err != nil {
		return core.InvalidRequest("invalid arguments: %v", err)
	}
	return nil
}

// structured returns v as a tool result: structured content, and the same JSON as text for clients
// that read only text.
func structured(v any) *mcp.CallToolResult {
	text, err := json.Marshal(v)
	if err != nil {
		return toolError(fmt.Errorf("encode the result: %w", err))
	}
	return mcp.NewToolResultStructured(v, string(text))
}

// adapt makes the handler of a tool that decodes its arguments into In, runs one operation and returns
// its result as structured content, or its error as a tool error.
func adapt[In, Out any](run func(ctx context.Context, in In) (Out, error)) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var in In
		if err := bindArgs(req, &in); err != nil {
			return toolError(err), nil
		}
		out, err := run(withIdempotency(ctx, req), in)
		if err != nil {
			return toolError(err), nil
		}
		return structured(out), nil
	}
}

// IdempotencyKeyMeta names the field of a tool call's _meta that carries an idempotency key: a call
// repeated with the same key (after a lost answer, say) gets the first call's result instead of creating
// or charging again, as the REST API's Idempotency-Key header does (core.Idempotency).
const IdempotencyKeyMeta = "idempotencyKey"

// withIdempotency returns ctx carrying the call's idempotency key, when its _meta has one.
func withIdempotency(ctx context.Context, req mcp.CallToolRequest) context.Context {
	if req.Params.Meta == nil {
		return ctx
	}
	if key, ok := req.Params.Meta.AdditionalFields[IdempotencyKeyMeta].(string); ok && key != "" {
		return core.WithIdempotency(ctx, &core.Idempotency{Key: key})
	}
	return ctx
}

// toolset holds what the tool handlers share.
type toolset struct {
	b    Backend
	opts Options
}

// specs lists every tool.
func (t *toolset) specs() []toolSpec {
	b := t.b
	return []toolSpec{
		{
			name: "validate_document", title: "Validate a video document",
			description: "Checks a video document and lists every problem: errors (the document is rejected) and warnings, each with its JSON path (such as tracks[0].clips[2].animations[0].type) and, for misspelled names, a did-you-mean suggestion. " +
				"For a valid document it also gives the video's size, fps, duration, quality and the credits a render would cost. Free; changes nothing. " +
				"Call it after every edit, fix what it reports, then look at the video with render_frames before paying for a render.",
			hints: hints{readOnly: true, idempotent: true}, args: DocumentArgs{}, result: ValidationResult{},
			handle: adapt(func(ctx context.Context, in DocumentArgs) (ValidationResult, error) {
				return b.Validate(ctx, json.RawMessage(in.Document))
			}),
		},
		{
			name: "render_frame", title: "Draw one frame",
			description: "Draws the frame of a video document at one moment and returns it as a PNG image, drawn by the same engine as the final render, so you can see what the video will look like. " +
				"Free (no credits); the document must be valid (see validate_document). Use render_frames to see several moments at once.",
			hints: hints{readOnly: true, idempotent: true, openWorld: true}, args: RenderFrameArgs{}, result: FramesResult{},
			handle: t.renderFrame,
		},
		{
			name: "render_frames", title: "Draw a contact sheet",
			description: "Draws several frames of a video document (the given times, or count moments spread evenly) and returns them as one PNG contact sheet, left to right and top to bottom, so you can check the whole video's look and timing before rendering. " +
				"Free (no credits). When it looks right, call create_video then render_video (or create_preview to share a link first).",
			hints: hints{readOnly: true, idempotent: true, openWorld: true}, args: RenderFramesArgs{}, result: FramesResult{},
			handle: t.renderFrames,
		},
		{
			name: "create_preview", title: "Create a preview link",
			description: "Validates a video document and keeps it for 7 days as a preview with shareable player links (previewUrl, viewerUrl) that show a quick low-resolution render. Free. " +
				"An invalid document fails with INVALID_CONFIG and every problem's path. Next: render_preview to make the final video, or convert_preview to keep it as a video without rendering.",
			hints: hints{}, args: DocumentArgs{}, result: core.CreatePreviewResult{},
			handle: adapt(func(ctx context.Context, in DocumentArgs) (core.CreatePreviewResult, error) {
				res, err := b.CreatePreview(ctx, json.RawMessage(in.Document))
				return nextAfterCreatePreview(res), err
			}),
		},
		{
			name: "get_preview", title: "Get a preview",
			description: "Returns a live preview: its document (config) and when it expires. Free. Expired or deleted previews are NOT_FOUND.",
			hints:       hints{readOnly: true, idempotent: true}, args: PreviewArgs{}, result: core.PreviewResult{},
			handle: adapt(func(ctx context.Context, in PreviewArgs) (core.PreviewResult, error) {
				return b.GetPreview(ctx, in.TempID)
			}),
		},
		{
			name: "delete_preview", title: "Delete a preview",
			description: "Deletes a preview; its links stop working. Videos converted from it are kept. Free.",
			hints:       hints{destructive: true, idempotent: true}, args: PreviewArgs{}, result: core.DeletePreviewResult{},
			handle: adapt(func(ctx context.Context, in PreviewArgs) (core.DeletePreviewResult, error) {
				return b.DeletePreview(ctx, in.TempID)
			}),
		},
		{
			name: "convert_preview", title: "Keep a preview as a video",
			description: "Copies a preview's document into a new video (task) that does not expire, without rendering it. Free. Returns the taskId; next call render_video with it.",
			hints:       hints{}, args: ConvertPreviewArgs{}, result: core.ConvertPreviewResult{},
			handle: adapt(func(ctx context.Context, in ConvertPreviewArgs) (core.ConvertPreviewResult, error) {
				res, err := b.ConvertPreview(ctx, in.TempID, in.options())
				return nextAfterConvertPreview(res), err
			}),
		},
		{
			name: "render_preview", title: "Render a preview",
			description: "Converts a preview into a new video and starts its final render in one step. COSTS CREDITS (see validate_document or get_capabilities for the price; INSUFFICIENT_CREDITS if the balance is short, and then nothing is created). " +
				"Each call creates and charges a new video. Returns the taskId; next call wait_for_video with it.",
			hints: hints{openWorld: true}, args: RenderPreviewArgs{}, result: core.RenderPreviewResult{},
			handle: adapt(func(ctx context.Context, in RenderPreviewArgs) (core.RenderPreviewResult, error) {
				res, err := b.RenderPreview(ctx, in.TempID, core.RenderPreviewInput{TaskOptions: in.options(), RenderInput: in.render()})
				res.RenderResult = nextAfterRender(res.RenderResult)
				return res, err
			}),
		},
		{
			name: "create_video", title: "Create a video",
			description: "Validates a video document and stores it as a video (task) with status created; it does not render it. Free. " +
				"An invalid document fails with INVALID_CONFIG and every problem's path. Next: render_video with the returned taskId.",
			hints: hints{}, args: CreateVideoArgs{}, result: core.CreateTaskResult{},
			handle: adapt(func(ctx context.Context, in CreateVideoArgs) (core.CreateTaskResult, error) {
				res, err := b.CreateTask(ctx, core.CreateTaskInput{Config: json.RawMessage(in.Document), Variables: in.Variables, TaskOptions: in.options()})
				return nextAfterCreateVideo(res), err
			}),
		},
		{
			name: "list_videos", title: "List videos",
			description: "Lists videos, newest first, with their status (created, rendering, completed, failed), progress and, once completed, videoUrl. Free.",
			hints:       hints{readOnly: true, idempotent: true}, args: ListVideosArgs{}, result: core.ListTasksResult{},
			handle: adapt(func(ctx context.Context, in ListVideosArgs) (core.ListTasksResult, error) {
				return b.ListTasks(ctx, core.ListTasksInput{PageInput: in.page(), Status: core.TaskStatus(in.Status), Category: in.Category})
			}),
		},
		{
			name: "get_video", title: "Get a video",
			description: "Returns one video: status, progress (0..1 while rendering), cost, and videoUrl and thumbnailUrl once completed, or error once failed. Free. To wait for a render, call wait_for_video instead of polling this.",
			hints:       hints{readOnly: true, idempotent: true}, args: TaskArgs{}, result: core.TaskResult{},
			handle: adapt(func(ctx context.Context, in TaskArgs) (core.TaskResult, error) { return b.GetTask(ctx, in.TaskID) }),
		},
		{
			name: "get_video_config", title: "Get a video's document",
			description: "Returns the video document a video (task) was created with, exactly as stored (the JSON its configUrl serves), so it can be edited and used again: check the edit with validate_document, then create_video with it. Free.",
			hints:       hints{readOnly: true, idempotent: true}, args: TaskArgs{}, result: Document{},
			handle: adapt(func(ctx context.Context, in TaskArgs) (Document, error) {
				doc, err := b.GetTaskConfig(ctx, in.TaskID)
				return Document(doc), err
			}),
		},
		{
			name: "list_video_webhooks", title: "List a video's webhook deliveries",
			description: "Lists the webhook delivery attempts of a video rendered with a webhook_url (render_video or render_preview), oldest first: the URL, attempt number, HTTP status (0 when the endpoint did not answer), error and duration of each. Free. " +
				"Webhooks are signed with the secret get_webhook_secret returns.",
			hints: hints{readOnly: true, idempotent: true}, args: TaskArgs{}, result: core.WebhookAttemptsResult{},
			handle: adapt(func(ctx context.Context, in TaskArgs) (core.WebhookAttemptsResult, error) {
				return b.GetWebhookAttempts(ctx, in.TaskID)
			}),
		},
		{
			name: "delete_video", title: "Delete a video",
			description: "Deletes a video and its rendered files for good. A render in progress is cancelled and its credits refunded.",
			hints:       hints{destructive: true, idempotent: true}, args: TaskArgs{}, result: core.DeleteTaskResult{},
			handle: adapt(func(ctx context.Context, in TaskArgs) (core.DeleteTaskResult, error) {
				return b.DeleteTask(ctx, in.TaskID)
			}),
		},
		{
			name: "render_video", title: "Render a video",
			description: "Starts the final render of a video created with create_video or convert_preview. COSTS CREDITS by quality (from the video's size) and duration; the result says the cost and the remaining balance (INSUFFICIENT_CREDITS if short). " +
				"A completed video is not rendered or charged again, and a rendering one is ALREADY_RENDERING; a failed one renders again. Next: wait_for_video with the taskId.",
			hints: hints{idempotent: true, openWorld: true}, args: RenderVideoArgs{}, result: core.RenderResult{},
			handle: adapt(func(ctx context.Context, in RenderVideoArgs) (core.RenderResult, error) {
				res, err := b.RenderTask(ctx, in.TaskID, in.render())
				return nextAfterRender(res), err
			}),
		},
		{
			name: "wait_for_video", title: "Wait for a render",
			description: "Waits until a video's render completes or fails, sending progress notifications while it renders, and returns the final video (status completed with videoUrl, or failed with error). Free. " +
				"If timeout_seconds pass first it returns the video still rendering: call it again. A video that was never rendered is INVALID_REQUEST: call render_video first.",
			hints: hints{readOnly: true, idempotent: true}, args: WaitArgs{}, result: core.TaskResult{},
			handle: t.waitForVideo,
		},
		{
			name: "create_template", title: "Save a template",
			description: "Saves a video document with {{name}} placeholders in any string as a reusable template, with a declaration of each variable: its type (string, number, color, url, image, video, audio, boolean, list), default, required, description and constraints (maxLength, min, max, enum). " +
				"A string that is only a placeholder (\"{{price}}\") takes the value with its JSON type: a number, a URL, a list of clips. The template is checked with sample values (an error fails with INVALID_CONFIG and its path); placeholders without a declaration come back as warnings. Free. " +
				"Returns the templateId (version 1); next preview_template or render_template with a variable set, or create_batch for many.",
			hints: hints{}, args: TemplateBodyArgs{}, result: core.TemplateResult{},
			handle: adapt(func(ctx context.Context, in TemplateBodyArgs) (core.TemplateResult, error) {
				return b.CreateTemplate(ctx, in.input())
			}),
		},
		{
			name: "list_templates", title: "List saved templates",
			description: "Lists the saved templates, newest first, with their variables and version (not their documents: get_template has it). Free.",
			hints:       hints{readOnly: true, idempotent: true}, args: ListTemplatesArgs{}, result: core.ListTemplatesResult{},
			handle: adapt(func(ctx context.Context, in ListTemplatesArgs) (core.ListTemplatesResult, error) {
				return b.ListTemplates(ctx, in.page())
			}),
		},
		{
			name: "get_template", title: "Get a saved template",
			description: "Returns a saved template: its document with {{name}} placeholders, its variable declarations and its version. Free.",
			hints:       hints{readOnly: true, idempotent: true}, args: TemplateArgs{}, result: core.TemplateResult{},
			handle: adapt(func(ctx context.Context, in TemplateArgs) (core.TemplateResult, error) {
				return b.GetTemplate(ctx, in.TemplateID)
			}),
		},
		{
			name: "update_template", title: "Update a saved template",
			description: "Replaces a saved template's document, variables, name and description (give them all, as create_template takes them); its version goes up by one. Videos already made keep the version they used. Free.",
			hints:       hints{idempotent: false}, args: UpdateTemplateArgs{}, result: core.TemplateResult{},
			handle: adapt(func(ctx context.Context, in UpdateTemplateArgs) (core.TemplateResult, error) {
				return b.UpdateTemplate(ctx, in.TemplateID, in.input())
			}),
		},
		{
			name: "delete_template", title: "Delete a saved template",
			description: "Deletes a saved template. Videos made from it are kept. Free.",
			hints:       hints{destructive: true, idempotent: true}, args: TemplateArgs{}, result: core.DeleteTemplateResult{},
			handle: adapt(func(ctx context.Context, in TemplateArgs) (core.DeleteTemplateResult, error) {
				return b.DeleteTemplate(ctx, in.TemplateID)
			}),
		},
		{
			name: "render_template", title: "Render a template",
			description: "Fills a saved template's variables with one variable set and starts the final render of the result as a new video. COSTS CREDITS like render_video (INSUFFICIENT_CREDITS if short, and then nothing is created). " +
				"A missing required variable or a value of the wrong type fails with INVALID_CONFIG naming it (path variables.<name>). Each call creates and charges a new video. Next: wait_for_video with the taskId.",
			hints: hints{openWorld: true}, args: RenderTemplateArgs{}, result: core.RenderTemplateResult{},
			handle: adapt(func(ctx context.Context, in RenderTemplateArgs) (core.RenderTemplateResult, error) {
				res, err := b.RenderTemplate(ctx, in.TemplateID, core.RenderTemplateInput{Variables: in.Variables, TaskOptions: in.options(), RenderInput: in.render()})
				res.RenderResult = nextAfterRender(res.RenderResult)
				return res, err
			}),
		},
		{
			name: "preview_template", title: "Preview a template",
			description: "Fills a saved template's variables with one variable set and keeps the result as a free preview with player links (as create_preview). Errors name the variable (variables.<name>). Free.",
			hints:       hints{}, args: PreviewTemplateArgs{}, result: core.PreviewTemplateResult{},
			handle: adapt(func(ctx context.Context, in PreviewTemplateArgs) (core.PreviewTemplateResult, error) {
				res, err := b.PreviewTemplate(ctx, in.TemplateID, core.PreviewTemplateInput{Variables: in.Variables})
				res.CreatePreviewResult = nextAfterCreatePreview(res.CreatePreviewResult)
				return res, err
			}),
		},
		{
			name: "create_batch", title: "Render a template many times",
			description: "Renders a saved template once per variable set, each as a new video (task) that renders, costs and sends its webhook like render_template's. Give items ([{variables, metadata?, title?}], at most 10000) or csv (a header row of variable names, one row per video). " +
				"COSTS CREDITS for every item: the whole batch is checked first, every item's variables (INVALID_CONFIG naming items[i].variables.<name>, or rows[<line>] for a CSV) and the credits of all items together (INSUFFICIENT_CREDITS with the total); nothing is created unless all pass. " +
				"With webhook_url, each item's webhook and a signed batch.completed webhook when all have ended. Next: get_batch with the batchId.",
			hints: hints{openWorld: true}, args: CreateBatchArgs{}, result: core.BatchResult{},
			handle: adapt(func(ctx context.Context, in CreateBatchArgs) (core.BatchResult, error) {
				var res core.BatchResult
				var err error
				switch {
				case in.CSV != "" && len(in.Items) > 0:
					return res, core.InvalidRequest("give items or csv, not both")
				case in.CSV != "":
					res, err = b.CreateBatchFromCSV(ctx, in.input(), in.CSV)
				default:
					res, err = b.CreateBatch(ctx, in.input())
				}
				if err == nil {
					res.Message = fmt.Sprintf("Batch %s started: %d videos, %d credits. Follow it with get_batch {\"batchId\": %q}; each item's taskId works with wait_for_video.", res.BatchID, res.Total, res.TotalCost, res.BatchID)
				}
				return res, err
			}),
		},
		{
			name: "get_batch", title: "Get a batch",
			description: "Returns a batch: its status (running, or completed once every item has ended), counts of its items by status (created, rendering, completed, failed, deleted), progress (0..1) and a page of its items with their taskId, status and videoUrl once completed. Free.",
			hints:       hints{readOnly: true, idempotent: true}, args: GetBatchArgs{}, result: core.BatchResult{},
			handle: adapt(func(ctx context.Context, in GetBatchArgs) (core.BatchResult, error) {
				return b.GetBatch(ctx, in.BatchID, core.GetBatchInput{PageInput: in.page()})
			}),
		},
		{
			name: "upload_file", title: "Upload a media file",
			description: "Stores an image, video or audio file for use in documents: give a public URL to download it from, or its bytes in base64. The type is decided from the content (images: jpeg, png, webp, gif, svg, avif; video: mp4, webm, mov; audio: mp3, wav, m4a, flac, ogg). " +
				"Returns the file's url: use it as a clip's src. Uploads count against the storage quota; they cost no credits.",
			hints: hints{openWorld: true}, args: UploadFileArgs{}, result: core.UploadResult{},
			handle: adapt(func(ctx context.Context, in UploadFileArgs) (core.UploadResult, error) {
				res, err := t.upload(ctx, in)
				return nextAfterUpload(res), err
			}),
		},
		{
			name: "list_files", title: "List uploaded files",
			description: "Lists uploaded files, newest first, with their url (usable as a clip src), type, size and dimensions. Free.",
			hints:       hints{readOnly: true, idempotent: true}, args: ListFilesArgs{}, result: core.ListFilesResult{},
			handle: adapt(func(ctx context.Context, in ListFilesArgs) (core.ListFilesResult, error) {
				return b.ListFiles(ctx, core.ListFilesInput{PageInput: in.page(), Type: in.Type})
			}),
		},
		{
			name: "delete_file", title: "Delete an uploaded file",
			description: "Deletes an uploaded file and frees its storage. Documents that still use its url will fail to render.",
			hints:       hints{destructive: true, idempotent: true}, args: FileArgs{}, result: core.DeleteFileResult{},
			handle: adapt(func(ctx context.Context, in FileArgs) (core.DeleteFileResult, error) {
				return b.DeleteFile(ctx, in.FileID)
			}),
		},
		{
			name: "get_credits", title: "Get the credit balance",
			description: "Returns the account's credit balance. Renders cost credits (see get_capabilities for prices); everything else is free.",
			hints:       hints{readOnly: true, idempotent: true}, args: NoArgs{}, result: core.CreditsResult{},
			handle: adapt(func(ctx context.Context, _ NoArgs) (core.CreditsResult, error) { return b.GetCredits(ctx) }),
		},
		{
			name: "get_webhook_secret", title: "Get the webhook signing secret",
			description: "Returns the secret that signs the account's webhooks (the webhook_url of render_video and render_preview) and how: a receiver checks each delivery's webhook-signature header with it. Free. " +
				"Keep it private; list_video_webhooks shows a video's delivery attempts.",
			hints: hints{readOnly: true, idempotent: true}, args: NoArgs{}, result: core.WebhookSecretResult{},
			handle: adapt(func(ctx context.Context, _ NoArgs) (core.WebhookSecretResult, error) { return b.GetWebhookSecret(ctx) }),
		},
		{
			name: "get_capabilities", title: "Get the server's capabilities",
			description: "Lists what this server accepts: clip types, animation types, easings, transitions, keyframe properties, the built-in templates with their data fields (type, default, description), a sample and a thumbnail resource each, output qualities with their credit prices, and document limits. Free. " +
				"The full document schema and a guide are the resources framecast://schema/document and framecast://docs/document.md; get_schema gives one clip type's fields.",
			hints: hints{readOnly: true, idempotent: true}, args: NoArgs{}, result: core.CapabilitiesResult{},
			handle: adapt(func(ctx context.Context, _ NoArgs) (core.CapabilitiesResult, error) {
				caps, err := b.Capabilities(ctx)
				return withThumbnails(caps), err
			}),
		},
	}
}

// FramesResult describes the image render_frame or render_frames returns: its size and the moments
// drawn, in the order laid out.
type FramesResult struct {
	Width   int       `json:"width"`
	Height  int       `json:"height"`
	Times   []float64 `json:"times"`
	Columns int       `json:"columns"`
}

// imageResult returns img as PNG image content, with res as structured content and text.
func imageResult(img image.Image, res FramesResult) *mcp.CallToolResult {
	var buf bytes.Buffer
	if err := encodePNG(&buf, img); err != nil {
		return toolError(fmt.Errorf("encode the PNG: %w", err))
	}
	res.Width, res.Height = img.Bounds().Dx(), img.Bounds().Dy()
	out := structured(res)
	out.Content = append(out.Content, mcp.NewImageContent(base64.StdEncoding.EncodeToString(buf.Bytes()), "image/png"))
	return out
}

func (t *toolset) renderFrame(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in RenderFrameArgs
	if err := bindArgs(req, &in); err != nil {
		return toolError(err), nil
	}
	frames, err := t.b.Frames(ctx, json.RawMessage(in.Document), []float64{in.Time}, in.Width)
	if err != nil {
		return toolError(err), nil
	}
	return imageResult(frames[0], FramesResult{Times: []float64{in.Time}, Columns: 1}), nil
}

// defaultSheet is the number and width of the frames of a contact sheet when the call does not say.
const (
	defaultSheetCount = 6
	defaultSheetWidth = 320
)

func (t *toolset) renderFrames(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in RenderFramesArgs
	if err := bindArgs(req, &in); err != nil {
		return toolError(err), nil
	}
	times := in.Times
	if len(times) == 0 {
		n := in.Count
		if n == 0 {
			n = defaultSheetCount
		}
		if n < 0 || n > MaxSheetFrames {
			return toolError(core.InvalidRequest("count must be between 1 and %d", MaxSheetFrames)), nil
		}
		v, err := t.b.Validate(ctx, json.RawMessage(in.Document))
		if err != nil {
			return toolError(err), nil
		}
		times = evenTimes(n, v.Duration) // an invalid document has no duration: Frames reports its errors
	}
	if len(times) > MaxSheetFrames {
		return toolError(core.InvalidRequest("at most %d frames fit on one sheet, not %d", MaxSheetFrames, len(times))), nil
	}
	width := in.Width
	if width == 0 {
		width = defaultSheetWidth
	}
	frames, err := t.b.Frames(ctx, json.RawMessage(in.Document), times, width)
	if err != nil {
		return toolError(err), nil
	}
	columns := sheetColumns(len(frames))
	return imageResult(labelledSheet(frames, times, columns), FramesResult{Times: times, Columns: columns}), nil
}

// Bounds of wait_for_video.
const (
	defaultWaitTimeout = 10 * time.Minute
	maxWaitTimeout     = time.Hour
)

func (t *toolset) waitForVideo(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in WaitArgs
	if err := bindArgs(req, &in); err != nil {
		return toolError(err), nil
	}
	timeout := defaultWaitTimeout
	if in.TimeoutSeconds > 0 {
		timeout = min(time.Duration(in.TimeoutSeconds)*time.Second, maxWaitTimeout)
	}
	deadline := time.Now().Add(timeout)
	progress := newProgressReporter(ctx, req)
	for {
		res, err := t.b.GetTask(ctx, in.TaskID)
		if err != nil {
			return toolError(err), nil
		}
		switch res.Status {
		case core.TaskCreated:
			return toolError(core.InvalidRequest("video %s is not rendering: call render_video first", in.TaskID)), nil
		case core.TaskCompleted:
			progress.report(1, "completed")
			return structured(res), nil
		case core.TaskFailed:
			progress.report(1, "failed: "+res.Error)
			return structured(res), nil
		}
		fraction := 0.0
		if res.Progress != nil {
			fraction = *res.Progress
		}
		progress.report(fraction, fmt.Sprintf("rendering: %.0f%%", 100*fraction))
		if time.Now().After(deadline) {
			return structured(res), nil // still rendering: the model calls again
		}
		select {
		case <-ctx.Done():
			return toolError(core.InvalidRequest("wait_for_video was cancelled: %v", ctx.Err())), nil
		case <-time.After(t.opts.PollInterval):
		}
	}
}

// progressReporter sends the progress notifications of one call, if the client asked for them with a
// progress token: out of 100, each one higher than the last, as the protocol requires.
type progressReporter struct {
	ctx   context.Context
	srv   *server.MCPServer
	token mcp.ProgressToken
	last  float64
}

func newProgressReporter(ctx context.Context, req mcp.CallToolRequest) *progressReporter {
	p := &progressReporter{ctx: ctx, srv: server.ServerFromContext(ctx), last: -1}
	if req.Params.Meta != nil {
		p.token = req.Params.Meta.ProgressToken
	}
	return p
}

// report sends fraction (0..1) with message when it is more than the last one sent.
func (p *progressReporter) report(fraction float64, message string) {
	value := float64(int(100*fraction*10)) / 10 // one decimal
	if p.token == nil || p.srv == nil || value <= p.last {
		return
	}
	p.last = value
	// A client that went away cannot be told; the wait goes on regardless.
	_ = p.srv.SendNotificationToClient(p.ctx, string(mcp.MethodNotificationProgress), map[string]any{
		"progressToken": p.token, "progress": value, "total": 100, "message": message,
	})
}

// upload stores the file an upload_file call gives, downloading it first when it is a URL.
func (t *toolset) upload(ctx context.Context, in UploadFileArgs) (core.UploadResult, error) {
	given := 0
	for _, v := range []string{in.URL, in.ContentBase64, in.Path} {
		if v != "" {
			given++
		}
	}
	switch {
	case given != 1:
		return core.UploadResult{}, core.InvalidRequest("give exactly one of url, content_base64 and path")
	case in.Path != "":
		return t.uploadLocal(ctx, in)
	case in.ContentBase64 != "":
		content := in.ContentBase64
		if strings.HasPrefix(content, "data:") {
			_, content, _ = strings.Cut(content, ",")
		}
		data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(content))
		if err != nil {
			return core.UploadResult{}, core.InvalidRequest("content_base64 is not valid base64: %v", err)
		}
		return t.b.Upload(ctx, []core.UploadFile{{Name: in.Name, Content: bytes.NewReader(data)}})
	}
	file, closeBody, err := core.DownloadUpload(ctx, in.URL, in.Name, t.opts.AllowPrivateURLs)
	if err != nil {
		return core.UploadResult{}, err
	}
	defer closeBody()
	return t.b.Upload(ctx, []core.UploadFile{file})
}
