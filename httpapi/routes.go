package httpapi

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// operation is one REST operation under /api/v1: how it is routed and how the OpenAPI document
// (OpenAPI) and the API reference (APIReference) describe it. The table apiOperations is the one place
// a REST operation is written: New mounts its rows, the document and the reference are generated from
// them, and TestRouteTableIsTheRouter fails when a chi route under /api/v1 is not a row or a row is not
// routed.
type operation struct {
	Method  string // http.MethodGet, …
	Pattern string // chi pattern under /api/v1, such as "/video/{taskId}"
	// ID is the OpenAPI operationId: lowerCamelCase, unique, stable (client generators name methods after it).
	ID string
	// Tag groups operations in the reference: tagTasks, tagPreviews, tagTemplates, tagBatches, tagFiles,
	// tagAccount.
	Tag string
	// Summary is one line; Description, Markdown, says what a caller must know (behaviour, limits, codes).
	Summary, Description string
	// Public operations need no API key and skip the body limit and Idempotency-Key replay.
	Public bool
	// Request is the body: nil for none, a zero value of a core input type (reflected into a JSON Schema),
	// documentBody for a bare video document, or uploadBody for the multipart upload. A JSON body is always
	// optional unless RequireBody is set.
	Request     any
	RequireBody bool
	// Query lists the query parameters.
	Query []queryParam
	// Status is the HTTP status of success, Response a zero value of its core result type (or documentBody).
	Status   int
	Response any
	// Errors are the API error codes particular to this operation. The generator adds those every
	// operation of its kind may answer (authentication, rate limit, body size, idempotency, internal and
	// remote failures: see commonErrors), and finds each code's status in codeStatus.
	Errors []string
	// Handle serves the operation.
	Handle func(s *server, w http.ResponseWriter, r *http.Request)
}

// queryParam is one query parameter of an operation.
type queryParam struct {
	Name, Description string
	Schema            map[string]any // a JSON Schema
}

// Tags of apiOperations, in the order the reference shows them.
const (
	tagTasks     = "Tasks"
	tagPreviews  = "Previews"
	tagTemplates = "Templates"
	tagBatches   = "Batches"
	tagFiles     = "Files"
	tagAccount   = "Account"
)

// documentBody stands for a video document as a request or response body: the OpenAPI document refers
// to the document's JSON Schema (GET core.SchemaPath) instead of repeating it.
type documentBody struct{}

// uploadBody stands for the multipart/form-data body of an upload.
type uploadBody struct{}

// batchBody stands for the body of POST /batches: core.CreateBatchInput as JSON, or a CSV of variable
// sets (text/csv with the other fields in the query, or multipart/form-data).
type batchBody struct{}

// The query parameters of lists.
var (
	pageParam = queryParam{Name: "page", Description: "Page number, from 1.",
		Schema: map[string]any{"type": "integer", "minimum": 1, "maximum": core.MaxPage, "default": 1}}
	limitParam = queryParam{Name: "limit", Description: "Items per page; more than the maximum is taken as the maximum.",
		Schema: map[string]any{"type": "integer", "minimum": 1, "default": core.DefaultPageLimit, "maximum": core.MaxPageLimit}}
)

// apiOperations is the REST API, in the order of the reference. To add an operation:
//
//  1. its core method, and its handler here (a method of *server: decode, call core, respond);
//  2. a row below: method, pattern, operationId, summary, body and result types (core's), error codes;
//  3. `go generate ./httpapi`: docs/openapi.json and docs/api.md are regenerated (TestPublishedContractIsCurrent);
//  4. its MCP tool, mapped in mcp's restTools (TestRESTAndMCPHaveTheSameOperations);
//  5. its method in package client, named after the operationId, with its result type paired with core's in
//     client's typePairs (TestOneMethodPerOperation, TestTypesMatchTheServer).
//
// Nothing else routes /api/v1: TestRouteTableIsTheRouter fails on a route that is not a row here.
var apiOperations = []operation{
	{
		Method: http.MethodPost, Pattern: "/video", ID: "createVideo", Tag: tagTasks,
		Summary: "Create a task (a video) from a document, without rendering it",
		Description: "Validates the document and stores it as a task in status `created`. Nothing is charged; " +
			"render it with `POST /api/v1/video/{taskId}/render`. An invalid document is `INVALID_CONFIG` with every " +
			"problem and its JSON path in `details`.",
		Request: core.CreateTaskInput{}, RequireBody: true, Status: http.StatusCreated, Response: core.CreateTaskResult{},
		Errors: []string{core.CodeInvalidConfig, core.CodeStorageLimitExceeded},
		Handle: (*server).createTask,
	},
	{
		Method: http.MethodGet, Pattern: "/video", ID: "listVideos", Tag: tagTasks,
		Summary:     "List tasks, newest first",
		Description: "One page of the account's tasks, optionally of one status or category.",
		Query: []queryParam{pageParam, limitParam,
			{Name: "status", Description: "Only tasks in this status.", Schema: map[string]any{"type": "string", "enum": core.TaskStatuses}},
			{Name: "category", Description: "Only tasks of this category (`all` for every category).", Schema: map[string]any{"type": "string"}}},
		Status: http.StatusOK, Response: core.ListTasksResult{},
		Errors: []string{core.CodeInvalidRequest},
		Handle: (*server).listTasks,
	},
	{
		Method: http.MethodGet, Pattern: "/video/{taskId}", ID: "getVideo", Tag: tagTasks,
		Summary: "Get a task: its status, progress and, once completed, its video URL",
		Description: "`progress` (0 to 1) is present while the task renders, `videoUrl` once it is completed, " +
			"`error` when it failed.",
		Status: http.StatusOK, Response: core.TaskResult{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).getTask,
	},
	{
		Method: http.MethodDelete, Pattern: "/video/{taskId}", ID: "deleteVideo", Tag: tagTasks,
		Summary:     "Delete a task and its outputs",
		Description: "Removes the task, its renders and their output files; a render in flight is cancelled and refunded.",
		Status:      http.StatusOK, Response: core.DeleteTaskResult{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).deleteTask,
	},
	{
		Method: http.MethodPost, Pattern: "/video/{taskId}/render", ID: "renderVideo", Tag: tagTasks,
		Summary: "Render a task (charges credits)",
		Description: "Charges the render's cost and queues it; the body is optional. A task already rendering is " +
			"`ALREADY_RENDERING`; a completed task answers `alreadyRendered: true` with its `videoUrl` and charges " +
			"nothing; a failed task may be rendered again (the failed render was refunded). With `webhook_url`, the " +
			"end of the render is POSTed there, signed with the account's webhook secret.",
		Request: core.RenderInput{}, Status: http.StatusOK, Response: core.RenderResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeNotFound, core.CodeAlreadyRendering, core.CodeInsufficientCredits,
			core.CodeRenderTriggerFailed},
		Handle: (*server).renderTask,
	},
	{
		Method: http.MethodGet, Pattern: "/video/{taskId}/config", ID: "getVideoConfig", Tag: tagTasks,
		Summary:     "Get a task's document",
		Description: "The stored video document itself (the task's `configUrl`), as it can be posted again.",
		Status:      http.StatusOK, Response: documentBody{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).getTaskConfig,
	},
	{
		Method: http.MethodGet, Pattern: "/video/{taskId}/webhooks", ID: "listVideoWebhooks", Tag: tagTasks,
		Summary:     "List a task's webhook deliveries",
		Description: "Every attempt to deliver the task's webhooks, oldest first (Framecast's addition).",
		Status:      http.StatusOK, Response: core.WebhookAttemptsResult{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).listWebhooks,
	},
	{
		Method: http.MethodPost, Pattern: "/preview", ID: "createPreview", Tag: tagPreviews,
		Summary: "Create a free preview of a document",
		Description: "The body is the bare video document (a body wrapped as `{\"config\": …}` is `INVALID_CONFIG`). " +
			"The document is validated and kept for 7 days; nothing is charged. `previewUrl` is the clean player, " +
			"`viewerUrl` the player with details.",
		Request: documentBody{}, RequireBody: true, Status: http.StatusOK, Response: core.CreatePreviewResult{},
		Errors: []string{core.CodeInvalidConfig},
		Handle: (*server).createPreview,
	},
	{
		Method: http.MethodGet, Pattern: "/preview/{tempId}", ID: "getPreview", Tag: tagPreviews,
		Summary:     "Get a preview and its document",
		Description: "An expired or deleted preview is `NOT_FOUND`.",
		Status:      http.StatusOK, Response: core.PreviewResult{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).getPreview,
	},
	{
		Method: http.MethodDelete, Pattern: "/preview/{tempId}", ID: "deletePreview", Tag: tagPreviews,
		Summary: "Delete a preview",
		Status:  http.StatusOK, Response: core.DeletePreviewResult{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).deletePreview,
	},
	{
		Method: http.MethodPost, Pattern: "/preview/{tempId}/convert", ID: "convertPreview", Tag: tagPreviews,
		Summary:     "Copy a preview into a new task, without rendering it",
		Description: "The body is optional; the preview keeps working.",
		Request:     core.TaskOptions{}, Status: http.StatusOK, Response: core.ConvertPreviewResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeNotFound},
		Handle: (*server).convertPreview,
	},
	{
		Method: http.MethodPost, Pattern: "/preview/{tempId}/render", ID: "renderPreview", Tag: tagPreviews,
		Summary:     "Convert a preview into a task and render it (charges credits)",
		Description: "`POST /api/v1/preview/{tempId}/convert`, then `POST /api/v1/video/{taskId}/render`; the body is optional.",
		Request:     core.RenderPreviewInput{}, Status: http.StatusOK, Response: core.RenderPreviewResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeNotFound, core.CodeInsufficientCredits, core.CodeRenderTriggerFailed},
		Handle: (*server).renderPreview,
	},
	{
		Method: http.MethodPost, Pattern: "/templates", ID: "createTemplate", Tag: tagTemplates,
		Summary: "Save a template: a document with {{name}} placeholders and its variables",
		Description: "`config` is a video document with `{{name}}` placeholders in any string; `variables` declares each " +
			"variable (`type`: string, number, color, url, image, video, audio, boolean or list; `required`, `default`, " +
			"`description`, `maxLength`, `min`, `max`, `enum`). A string that is only a placeholder takes the value with " +
			"its JSON type. The template is checked with sample values; placeholders without a declaration come back " +
			"in `warnings`. The template starts at `version` 1 (Framecast's addition).",
		Request: core.TemplateInput{}, RequireBody: true, Status: http.StatusCreated, Response: core.TemplateResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeInvalidConfig, core.CodeStorageLimitExceeded},
		Handle: (*server).createTemplate,
	},
	{
		Method: http.MethodGet, Pattern: "/templates", ID: "listTemplates", Tag: tagTemplates,
		Summary:     "List saved templates, newest first",
		Description: "One page of the account's templates with their variables and version, without their documents.",
		Query:       []queryParam{pageParam, limitParam},
		Status:      http.StatusOK, Response: core.ListTemplatesResult{},
		Errors: []string{core.CodeInvalidRequest},
		Handle: (*server).listTemplates,
	},
	{
		Method: http.MethodGet, Pattern: "/templates/{templateId}", ID: "getTemplate", Tag: tagTemplates,
		Summary: "Get a saved template with its document",
		Status:  http.StatusOK, Response: core.TemplateResult{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).getTemplate,
	},
	{
		Method: http.MethodPut, Pattern: "/templates/{templateId}", ID: "updateTemplate", Tag: tagTemplates,
		Summary:     "Replace a saved template (its version goes up by one)",
		Description: "The same body as creating one. Tasks already made from the template keep their documents and record the version they used.",
		Request:     core.TemplateInput{}, RequireBody: true, Status: http.StatusOK, Response: core.TemplateResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeInvalidConfig, core.CodeNotFound, core.CodeStorageLimitExceeded},
		Handle: (*server).updateTemplate,
	},
	{
		Method: http.MethodDelete, Pattern: "/templates/{templateId}", ID: "deleteTemplate", Tag: tagTemplates,
		Summary: "Delete a saved template (tasks made from it are kept)",
		Status:  http.StatusOK, Response: core.DeleteTemplateResult{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).deleteTemplate,
	},
	{
		Method: http.MethodPost, Pattern: "/templates/{templateId}/render", ID: "renderTemplate", Tag: tagTemplates,
		Summary: "Render a template with one variable set (charges credits)",
		Description: "Merges `variables` into the template and renders the result as a new task, with the fields, credits " +
			"and webhook of `POST /api/v1/video/{taskId}/render`; the task records `templateId` and `templateVersion`. " +
			"A missing required variable or a value of the wrong type is `INVALID_CONFIG` naming it (`variables.<name>`); " +
			"without enough credits nothing is created.",
		Request: core.RenderTemplateInput{}, Status: http.StatusOK, Response: core.RenderTemplateResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeInvalidConfig, core.CodeNotFound, core.CodeInsufficientCredits,
			core.CodeStorageLimitExceeded, core.CodeRenderTriggerFailed},
		Handle: (*server).renderTemplate,
	},
	{
		Method: http.MethodPost, Pattern: "/templates/{templateId}/preview", ID: "previewTemplate", Tag: tagTemplates,
		Summary:     "Preview a template with one variable set (free)",
		Description: "Merges `variables` into the template and keeps the result as a preview, as `POST /api/v1/preview` does.",
		Request:     core.PreviewTemplateInput{}, Status: http.StatusOK, Response: core.PreviewTemplateResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeInvalidConfig, core.CodeNotFound, core.CodeStorageLimitExceeded},
		Handle: (*server).previewTemplate,
	},
	{
		Method: http.MethodPost, Pattern: "/batches", ID: "createBatch", Tag: tagBatches,
		Summary: "Render a template with many variable sets (charges credits for every item)",
		Description: "`items` holds one `{variables, metadata?, title?}` per video, at most " + strconv.Itoa(core.MaxBatchItems) + ". " +
			"Or send a CSV: as a `text/csv` body (the other fields in the query) or in the multipart part `file`; its header " +
			"row names the variables, `metadata.<key>` columns fill each item's metadata, and each further row is one video. " +
			"The whole batch is checked first (every item's variables and merged document: problems are `INVALID_CONFIG` " +
			"with paths `items[i].variables.<name>`, or `rows[<line>]…` for a CSV) and the credits of all items together " +
			"(`INSUFFICIENT_CREDITS` with the total); then every item becomes a task whose render is queued and charged " +
			"(one ledger entry each, refunded if it fails). `webhook_url` receives each item's webhook and, when every item " +
			"has ended, a signed `batch.completed` webhook. Items render in `num_workers` segments each (default 1).",
		Request: batchBody{}, RequireBody: true, Status: http.StatusCreated, Response: core.BatchResult{},
		Query: []queryParam{{Name: "templateId", Description: "The template, for a `text/csv` body.", Schema: map[string]any{"type": "string"}},
			{Name: "webhook_url", Description: "The webhook URL, for a `text/csv` body.", Schema: map[string]any{"type": "string", "format": "uri"}},
			{Name: "num_workers", Description: "Segments per item, for a `text/csv` body.", Schema: map[string]any{"type": "integer", "minimum": 1}},
			{Name: "category", Description: "The items' category, for a `text/csv` body.", Schema: map[string]any{"type": "string"}},
			{Name: "metadata", Description: "The batch's metadata (a JSON object), for a `text/csv` body.", Schema: map[string]any{"type": "string"}}},
		Errors: []string{core.CodeInvalidRequest, core.CodeInvalidConfig, core.CodeNotFound, core.CodeInsufficientCredits,
			core.CodeStorageLimitExceeded, core.CodeRenderTriggerFailed},
		Handle: (*server).createBatch,
	},
	{
		Method: http.MethodGet, Pattern: "/batches/{batchId}", ID: "getBatch", Tag: tagBatches,
		Summary: "Get a batch: counts by status, progress and a page of its items",
		Description: "`counts` has the items created, rendering, completed, failed and deleted; `progress` (0 to 1) counts " +
			"ended items and the progress of rendering ones; `status` is `completed` once every item has ended. `items` is " +
			"one page of the items in order, each with its `taskId`, status and, once completed, `videoUrl`.",
		Query:  []queryParam{pageParam, limitParam},
		Status: http.StatusOK, Response: core.BatchResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeNotFound},
		Handle: (*server).getBatch,
	},
	{
		Method: http.MethodPost, Pattern: "/upload", ID: "uploadFiles", Tag: tagFiles,
		Summary: "Upload media files",
		Description: "multipart/form-data with one file in `file`, or several in repeated `files` (or `files[]`). " +
			"Types are decided from the content: images jpeg, png, webp, gif, svg, avif; video mp4, webm, mov, ogg; " +
			"audio mp3, wav, aac/m4a, flac, ogg. All files are stored or none. A file's `url` can be a clip's `src` " +
			"in the account's documents.",
		Request: uploadBody{}, RequireBody: true, Status: http.StatusOK, Response: core.UploadResult{},
		Errors: []string{core.CodeInvalidRequest, core.CodeNoFiles, core.CodeUnsupportedFileType, core.CodeUploadFailed},
		Handle: (*server).upload,
	},
	{
		Method: http.MethodGet, Pattern: "/files", ID: "listFiles", Tag: tagFiles,
		Summary:     "List uploaded files, newest first",
		Description: "One page of the account's uploads, optionally of one type.",
		Query: []queryParam{pageParam, limitParam,
			{Name: "type", Description: "Only files of this type.", Schema: map[string]any{"type": "string", "enum": []string{core.KindImage, core.KindVideo, core.KindAudio}}}},
		Status: http.StatusOK, Response: core.ListFilesResult{},
		Errors: []string{core.CodeInvalidRequest},
		Handle: (*server).listFiles,
	},
	{
		Method: http.MethodDelete, Pattern: "/files/{fileId}", ID: "deleteFile", Tag: tagFiles,
		Summary: "Delete an uploaded file",
		Status:  http.StatusOK, Response: core.DeleteFileResult{},
		Errors: []string{core.CodeNotFound},
		Handle: (*server).deleteFile,
	},
	{
		Method: http.MethodGet, Pattern: "/credits", ID: "getCredits", Tag: tagAccount,
		Summary: "Get the credit balance",
		Status:  http.StatusOK, Response: core.CreditsResult{},
		Handle: (*server).credits,
	},
	{
		Method: http.MethodGet, Pattern: "/webhooks/secret", ID: "getWebhookSecret", Tag: tagAccount,
		Summary: "Get the account's webhook signing secret",
		Description: "Webhooks follow the Standard Webhooks convention: headers `webhook-id`, `webhook-timestamp` and " +
			"`webhook-signature: v1,<base64 HMAC-SHA256 of \"id.timestamp.body\">` keyed by this secret (Framecast's addition).",
		Status: http.StatusOK, Response: core.WebhookSecretResult{},
		Handle: (*server).webhookSecret,
	},
	{
		Method: http.MethodGet, Pattern: "/capabilities", ID: "getCapabilities", Tag: tagAccount,
		Summary: "Describe what this server accepts (no API key needed)",
		Description: "Clip types, animations, easings, transitions and keyframe properties of the document, the " +
			"render qualities and their prices, the server's limits and features, and links to the document's JSON " +
			"Schema and guide.",
		Public: true, Status: http.StatusOK, Response: core.CapabilitiesResult{},
		Handle: (*server).capabilities,
	},
}

// mountAPI routes apiOperations under r (the /api/v1 router): the public ones as they are, the others
// behind the API key, the body limit and Idempotency-Key replay.
func (s *server) mountAPI(r chi.Router) {
	for _, op := range apiOperations {
		if op.Public {
			r.Method(op.Method, op.Pattern, s.handler(op))
		}
	}
	r.Group(func(r chi.Router) {
		r.Use(s.authenticate, s.limitBody, s.idempotent)
		for _, op := range apiOperations {
			if !op.Public {
				r.Method(op.Method, op.Pattern, s.handler(op))
			}
		}
	})
}

// handler binds an operation's handler to s.
func (s *server) handler(op operation) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { op.Handle(s, w, r) })
}
