package client

import "encoding/json"

// The types of this file are the API's request and response bodies, field for field (the "success": true
// of every answer is left out). Their JSON names are the contract: see docs/api.md.

// VideoStatus is where a video (a task) stands.
type VideoStatus string

// The video statuses: created, then rendering while a render runs, then completed or failed; a failed
// video may be rendered again.
const (
	StatusCreated   VideoStatus = "created"
	StatusRendering VideoStatus = "rendering"
	StatusCompleted VideoStatus = "completed"
	StatusFailed    VideoStatus = "failed"
)

// Ended reports whether a video in status s has finished its latest render (completed or failed).
func (s VideoStatus) Ended() bool { return s == StatusCompleted || s == StatusFailed }

// TaskOptions are the optional descriptive fields of a new video.
type TaskOptions struct {
	// Metadata is any JSON object (a map, a struct, a json.RawMessage), returned with the video and in its
	// webhook.
	Metadata any    `json:"metadata,omitempty"`
	Title    string `json:"title,omitempty"`
	Category string `json:"category,omitempty"` // default "api"
}

// CreateVideoInput is the body of CreateVideo.
type CreateVideoInput struct {
	// Config is the video document: a json.RawMessage, a map, or any value that encodes to it.
	Config any `json:"config"`
	// Variables fill the document's {{name}} placeholders first (Framecast's addition).
	Variables map[string]any `json:"variables,omitempty"`
	TaskOptions
}

// Problem is one problem of a document, at a JSON path such as "tracks[0].clips[1].start".
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// CreateVideoResult is the answer of CreateVideo.
type CreateVideoResult struct {
	TaskID      string          `json:"taskId"`
	VideoTaskID string          `json:"videoTaskId"`
	Status      VideoStatus     `json:"status"`
	PreviewURL  string          `json:"previewUrl"`
	ViewerURL   string          `json:"viewerUrl"`
	ConfigURL   string          `json:"configUrl"`
	Title       string          `json:"title,omitempty"`
	Category    string          `json:"category"`
	Metadata    json.RawMessage `json:"metadata"`
	Width       int             `json:"width"`
	Height      int             `json:"height"`
	Duration    float64         `json:"duration"`
	Message     string          `json:"message"`
	Warnings    []Problem       `json:"warnings,omitempty"`
}

// Video is a task: its document's format, its status and, once completed, its video URL.
type Video struct {
	TaskID       string          `json:"taskId"`
	VideoTaskID  string          `json:"videoTaskId"`
	RenderTaskID string          `json:"renderTaskId,omitempty"`
	Title        string          `json:"title,omitempty"`
	Category     string          `json:"category"`
	Status       VideoStatus     `json:"status"`
	Width        int             `json:"width"`
	Height       int             `json:"height"`
	FPS          float64         `json:"fps"`
	Duration     float64         `json:"duration"`
	Quality      string          `json:"quality"`
	CostCredits  int64           `json:"costCredits"`
	VideoURL     string          `json:"videoUrl,omitempty"`     // when completed
	ThumbnailURL string          `json:"thumbnailUrl,omitempty"` // when completed
	PreviewURL   string          `json:"previewUrl"`
	ViewerURL    string          `json:"viewerUrl"`
	ConfigURL    string          `json:"configUrl"`
	Metadata     json.RawMessage `json:"metadata"`
	Error        string          `json:"error,omitempty"`    // when failed
	Progress     *float64        `json:"progress,omitempty"` // 0..1, while rendering
	CreatedAt    string          `json:"createdAt"`          // RFC 3339
	UpdatedAt    string          `json:"updatedAt"`
	CompletedAt  string          `json:"completedAt,omitempty"`
	// TemplateID and TemplateVersion name the saved template (and version) the document was merged from;
	// BatchID the batch the video is an item of (Framecast's additions).
	TemplateID      string `json:"templateId,omitempty"`
	TemplateVersion int64  `json:"templateVersion,omitempty"`
	BatchID         string `json:"batchId,omitempty"`
	Reuse
}

// Reuse tells how much of a render was answered from earlier ones (Framecast's addition): Reused when the
// whole video was (it cost nothing), else how many of its segments were not drawn again. SegmentsReused is
// known once the render completes.
type Reuse struct {
	Reused         bool `json:"reused"`
	SegmentsReused int  `json:"segmentsReused"`
	SegmentsTotal  int  `json:"segmentsTotal"`
}

// Pagination describes the page of a list.
type Pagination struct {
	Page  int `json:"page"`
	Limit int `json:"limit"`
	Total int `json:"total"` // items matching, over all pages
}

// ListVideosOptions select a page of videos; zero fields take the server's defaults (page 1, 20 a page).
type ListVideosOptions struct {
	Page, Limit int
	Status      VideoStatus // "" for all
	Category    string      // "" for the default category, "all" for all
}

// VideoList is the answer of ListVideos, newest first.
type VideoList struct {
	Tasks      []Video    `json:"tasks"`
	Pagination Pagination `json:"pagination"`
}

// DeleteVideoResult is the answer of DeleteVideo.
type DeleteVideoResult struct {
	TaskID        string `json:"taskId"`
	VideoTaskID   string `json:"videoTaskId"`
	Deleted       bool   `json:"deleted"`
	RemoteDeleted bool   `json:"remoteDeleted"`
	Message       string `json:"message"`
}

// RenderOptions are the optional settings of a render.
type RenderOptions struct {
	// WebhookURL receives a signed POST when the render ends.
	WebhookURL string `json:"webhook_url,omitempty"`
	// NumWorkers is how many segments the render is split into (0: the server's default).
	NumWorkers int `json:"num_workers,omitempty"`
}

// RenderResult is the answer of RenderVideo.
type RenderResult struct {
	TaskID           string      `json:"taskId"`
	RenderTaskID     string      `json:"renderTaskId"`
	Status           VideoStatus `json:"status"` // rendering, or completed when AlreadyRendered
	Quality          string      `json:"quality"`
	Width            int         `json:"width"`
	Height           int         `json:"height"`
	Cost             int64       `json:"cost"`
	RemainingCredits int64       `json:"remainingCredits"`
	PreviewURL       string      `json:"previewUrl"`
	ViewerURL        string      `json:"viewerUrl"`
	ConfigURL        string      `json:"configUrl"`
	Message          string      `json:"message"`
	AlreadyRendered  bool        `json:"alreadyRendered,omitempty"`
	VideoURL         string      `json:"videoUrl,omitempty"`
	Reuse
}

// WebhookAttempt is one attempt to deliver a video's webhook.
type WebhookAttempt struct {
	ID           string `json:"id"`
	RenderTaskID string `json:"renderTaskId"`
	WebhookID    string `json:"webhookId"`
	URL          string `json:"url"`
	Attempt      int    `json:"attempt"`
	StatusCode   int    `json:"statusCode"` // 0 when the endpoint did not answer
	Error        string `json:"error,omitempty"`
	DurationMS   int64  `json:"durationMs"`
	CreatedAt    string `json:"createdAt"`
}

// WebhookAttempts is the answer of ListVideoWebhooks, oldest first.
type WebhookAttempts struct {
	TaskID   string           `json:"taskId"`
	Attempts []WebhookAttempt `json:"attempts"`
}

// CreatePreviewResult is the answer of CreatePreview.
type CreatePreviewResult struct {
	TempID     string    `json:"tempId"`
	PreviewURL string    `json:"previewUrl"` // the clean player
	ViewerURL  string    `json:"viewerUrl"`  // the player with details
	ExpiresIn  string    `json:"expiresIn"`  // "7d"
	ExpiresAt  string    `json:"expiresAt"`
	Note       string    `json:"note"`
	Warnings   []Problem `json:"warnings,omitempty"`
}

// Preview is a preview and its document.
type Preview struct {
	TempID    string          `json:"tempId"`
	Config    json.RawMessage `json:"config"`
	ExpiresAt string          `json:"expiresAt"`
}

// DeletePreviewResult is the answer of DeletePreview.
type DeletePreviewResult struct {
	TempID  string `json:"tempId"`
	Deleted bool   `json:"deleted"`
	Message string `json:"message"`
}

// ConvertPreviewResult is the answer of ConvertPreview.
type ConvertPreviewResult struct {
	TempID      string `json:"tempId"`
	Converted   bool   `json:"converted"`
	TaskID      string `json:"taskId"`
	VideoTaskID string `json:"videoTaskId"`
	PreviewURL  string `json:"previewUrl"`
	ViewerURL   string `json:"viewerUrl"`
	ConfigURL   string `json:"configUrl"`
	Message     string `json:"message"`
}

// RenderPreviewOptions are the body of RenderPreview: the new video's fields and the render's settings.
type RenderPreviewOptions struct {
	TaskOptions
	RenderOptions
}

// RenderPreviewResult is the answer of RenderPreview: the conversion, then the render.
type RenderPreviewResult struct {
	TempID         string `json:"tempId"`
	Converted      bool   `json:"converted"`
	ConvertMessage string `json:"convertMessage"`
	RenderResult
}

// File is an uploaded file. Its URL can be a clip's src in the account's documents.
type File struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	URL       string  `json:"url"`
	Type      string  `json:"type"` // image, video or audio
	MimeType  string  `json:"mimeType"`
	Size      int64   `json:"size"`
	Width     int     `json:"width,omitempty"`
	Height    int     `json:"height,omitempty"`
	Duration  float64 `json:"duration,omitempty"`
	CreatedAt string  `json:"createdAt"`
}

// UploadResult is the answer of UploadFiles.
type UploadResult struct {
	Message string `json:"message"`
	Count   int    `json:"count"`
	Assets  []File `json:"assets"`
}

// ListFilesOptions select a page of files; zero fields take the server's defaults.
type ListFilesOptions struct {
	Page, Limit int
	Type        string // "" for all, else image, video or audio
}

// FileList is the answer of ListFiles, newest first.
type FileList struct {
	Files      []File     `json:"files"`
	Pagination Pagination `json:"pagination"`
}

// DeleteFileResult is the answer of DeleteFile.
type DeleteFileResult struct {
	FileID  string `json:"fileId"`
	Deleted bool   `json:"deleted"`
	Message string `json:"message"`
}

// Credits is the account's balance.
type Credits struct {
	Credits  int64  `json:"credits"`
	Currency string `json:"currency"` // "credits"
}

// WebhookSecret is the key the account's webhooks are signed with.
type WebhookSecret struct {
	Secret string `json:"secret"`
	Scheme string `json:"scheme"` // how webhooks are signed with it
}

// Capabilities describe what the server accepts.
type Capabilities struct {
	APIVersion string             `json:"apiVersion"`
	Schema     SchemaCapabilities `json:"schema"`
	Render     RenderCapabilities `json:"render"`
	// Features lists the server's features and limits, such as "maxUploadBytes" and "limits".
	Features map[string]any `json:"features"`
	// Docs links the document's JSON Schema ("schema") and guide ("documentation").
	Docs map[string]string `json:"docs"`
}

// SchemaCapabilities lists the names the video document accepts.
type SchemaCapabilities struct {
	Version            string         `json:"version"`
	ClipTypes          []string       `json:"clipTypes"`
	AnimationTypes     []string       `json:"animationTypes"`
	EasingFunctions    []string       `json:"easingFunctions"`
	TransitionTypes    []string       `json:"transitionTypes"`
	KeyframeProperties []string       `json:"keyframeProperties"`
	Templates          []TemplateInfo `json:"templates"`
}

// TemplateInfo is one built-in template: what it draws, its data fields and a sample.
type TemplateInfo struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Fields      []TemplateField `json:"fields"`
	Sample      map[string]any  `json:"sample"`
	Overlay     bool            `json:"overlay,omitempty"`
	Variants    []string        `json:"variants"`
	Thumbnail   string          `json:"thumbnail,omitempty"`
}

// TemplateField is one data field of a template.
type TemplateField struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Default     any    `json:"default,omitempty"`
	Description string `json:"description"`
}

// RenderCapabilities describe the output qualities and their prices.
type RenderCapabilities struct {
	QualitySelection string    `json:"qualitySelection"`
	Qualities        []Quality `json:"qualities"`
	DefaultWorkers   int       `json:"defaultWorkers"`
	MaxWorkers       int       `json:"maxWorkers"`
}

// Quality is one output quality: chosen by the short edge of the video, priced by its multiplier.
type Quality struct {
	Quality          string  `json:"quality"`
	Label            string  `json:"label"`
	ShortEdge        int     `json:"shortEdge"`
	CreditMultiplier float64 `json:"creditMultiplier"`
}
