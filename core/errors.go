package core

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/schemas"
)

// The API's error codes. Each adapter maps a code to its transport (httpapi to an HTTP status); core
// knows none.
const (
	CodeInvalidRequest       = "INVALID_REQUEST"
	CodeInvalidConfig        = "INVALID_CONFIG"
	CodeNoFiles              = "NO_FILES"
	CodeUnsupportedFileType  = "UNSUPPORTED_FILE_TYPE"
	CodeInsufficientCredits  = "INSUFFICIENT_CREDITS"
	CodeNotFound             = "NOT_FOUND"
	CodeAlreadyRendering     = "ALREADY_RENDERING"
	CodeStorageLimitExceeded = "STORAGE_LIMIT_EXCEEDED"
	CodeRateLimited          = "RATE_LIMITED"
	CodeUploadFailed         = "UPLOAD_FAILED"
	CodeRenderTriggerFailed  = "RENDER_TRIGGER_FAILED"
	CodeRemoteError          = "REMOTE_ERROR"
	CodeMissingAPIKey        = "MISSING_API_KEY"
	CodeInvalidAPIKeyFormat  = "INVALID_API_KEY_FORMAT"
	CodeInvalidAPIKey        = "INVALID_API_KEY"
	CodeAPIKeyInactive       = "API_KEY_INACTIVE"
	CodeUserNotFound         = "USER_NOT_FOUND"
	// CodeInternal is a failure inside this server (a bug), not caused by the request or a dependency.
	// Framecast's addition to the API's codes.
	CodeInternal = "INTERNAL_ERROR"
)

// Codes lists every error code an operation may return, for adapters that map each one (a test checks
// that every code has its HTTP status).
var Codes = []string{CodeInvalidRequest, CodeInvalidConfig, CodeNoFiles, CodeUnsupportedFileType, CodeInsufficientCredits,
	CodeNotFound, CodeAlreadyRendering, CodeStorageLimitExceeded, CodeRateLimited, CodeUploadFailed, CodeRenderTriggerFailed,
	CodeRemoteError, CodeMissingAPIKey, CodeInvalidAPIKeyFormat, CodeInvalidAPIKey, CodeAPIKeyInactive, CodeUserNotFound,
	CodeInternal, CodeIdempotencyKeyReused, CodeServerBusy}

// Error is a failed operation as the API reports it: the body {"success": false, "error": Message,
// "code": Code, "details": Details}. Err, when set, is the underlying cause, for logs; it is never shown
// to clients.
type Error struct {
	Code    string
	Message string
	Details map[string]any
	Err     error
}

// NewError returns an Error with code and message.
func NewError(code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Error implements error: "CODE: message", with the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Message + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// WithDetails sets the details and returns e.
func (e *Error) WithDetails(details map[string]any) *Error {
	e.Details = details
	return e
}

// WithCause sets the underlying cause and returns e.
func (e *Error) WithCause(err error) *Error {
	e.Err = err
	return e
}

// AsError returns err as an *Error: itself if it is one (or wraps one); an INVALID_CONFIG naming the path
// when the engine could not draw the document (render.DocumentError: retrying cannot help); otherwise an
// INTERNAL_ERROR that keeps err as its cause. Core's operations return *Error only (a failed dependency is
// REMOTE_ERROR), so an error without a code comes from an adapter's own bug; adapters log the cause of
// every INTERNAL_ERROR. It returns nil for nil.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if de := (*render.DocumentError)(nil); errors.As(err, &de) {
		return UndrawableDocument(de)
	}
	return Internal(err)
}

// UndrawableDocument reports a document the engine refused while drawing it (over a budget, an image that
// does not decode): INVALID_CONFIG with the path, like a validation error, since the document must change.
func UndrawableDocument(de *render.DocumentError) *Error {
	return InvalidConfig("The video cannot be drawn: "+de.Error(), []schemas.Problem{{Path: de.Path, Message: de.Message}}, nil).WithCause(de)
}

// CodeOf returns the API code of err ("" for nil).
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	return AsError(err).Code
}

// InvalidRequest reports a malformed request: bad JSON, a wrong body shape or a bad query value.
func InvalidRequest(format string, args ...any) *Error {
	return NewError(CodeInvalidRequest, fmt.Sprintf(format, args...))
}

// InvalidConfig reports a video document that fails validation; errors and warnings are lists of
// problems with their JSON paths, put in the details.
func InvalidConfig[P any](message string, errs, warnings []P) *Error {
	if errs == nil {
		errs = []P{}
	}
	if warnings == nil {
		warnings = []P{}
	}
	return NewError(CodeInvalidConfig, message).WithDetails(map[string]any{"errors": errs, "warnings": warnings})
}

// NoFiles reports an upload without a file.
func NoFiles() *Error {
	return NewError(CodeNoFiles, `No file uploaded: send the file in the multipart field "file" (or several in "files")`)
}

// UnsupportedFileType reports an upload whose content is not an accepted type.
func UnsupportedFileType(name, detected string) *Error {
	return NewError(CodeUnsupportedFileType, fmt.Sprintf("%s: file type %s is not accepted (images: jpeg, png, webp, gif, svg, avif; video: mp4, webm, mov, ogg; audio: mp3, wav, aac/m4a, flac, ogg)", name, detected)).
		WithDetails(map[string]any{"file": name, "detectedType": detected})
}

// InsufficientCredits reports a render that costs more than the balance.
func InsufficientCredits(required, balance int64) *Error {
	return NewError(CodeInsufficientCredits, fmt.Sprintf("Insufficient credits: this render costs %d credits and the balance is %d", required, balance)).
		WithDetails(map[string]any{"required": required, "available": balance})
}

// NotFound reports an unknown, expired, deleted, or another account's object; what names its kind.
func NotFound(what, id string) *Error {
	return NewError(CodeNotFound, fmt.Sprintf("%s %q not found", what, id))
}

// AlreadyRendering reports a render asked while the task renders.
func AlreadyRendering(taskID, renderTaskID string) *Error {
	return NewError(CodeAlreadyRendering, fmt.Sprintf("Task %s is already rendering", taskID)).
		WithDetails(map[string]any{"taskId": taskID, "renderTaskId": renderTaskID})
}

// StorageLimitExceeded reports a file over the size limit or an account over its storage quota.
func StorageLimitExceeded(message string, limit int64) *Error {
	return NewError(CodeStorageLimitExceeded, message).WithDetails(map[string]any{"limit": limit})
}

// RateLimited reports too many requests; the client may retry after retryAfterSeconds (the HTTP layer sends
// it as Retry-After).
func RateLimited(retryAfterSeconds int) *Error {
	return NewError(CodeRateLimited, "Too many requests; retry after "+strconv.Itoa(retryAfterSeconds)+" s").
		WithDetails(map[string]any{"retryAfter": retryAfterSeconds})
}

// UploadFailed reports that storing an upload failed.
func UploadFailed(err error) *Error {
	return NewError(CodeUploadFailed, "Storing the upload failed").WithCause(err)
}

// RenderTriggerFailed reports that the render could not be queued.
func RenderTriggerFailed(err error) *Error {
	return NewError(CodeRenderTriggerFailed, "The render could not be queued").WithCause(err)
}

// Internal reports a failure inside this server; the message says nothing of it, the cause is for logs.
func Internal(err error) *Error {
	return NewError(CodeInternal, "Something went wrong on the server; the failure was logged").WithCause(err)
}

// RemoteError reports that a dependency (object store, database) failed.
func RemoteError(err error) *Error {
	return NewError(CodeRemoteError, "A storage service failed; try again").WithCause(err)
}

// MissingAPIKey reports a request without an API key.
func MissingAPIKey() *Error {
	return NewError(CodeMissingAPIKey, "API key required: send Authorization: Bearer sk-…")
}

// InvalidAPIKeyFormat reports a key not shaped "sk-…".
func InvalidAPIKeyFormat() *Error {
	return NewError(CodeInvalidAPIKeyFormat, `Invalid API key format: keys start with "sk-"`)
}

// InvalidAPIKey reports an unknown or revoked key.
func InvalidAPIKey() *Error { return NewError(CodeInvalidAPIKey, "Invalid API key") }

// APIKeyInactive reports a disabled key.
func APIKeyInactive() *Error { return NewError(CodeAPIKeyInactive, "This API key is disabled") }

// UserNotFound reports a key whose account is gone.
func UserNotFound() *Error {
	return NewError(CodeUserNotFound, "The account of this API key no longer exists")
}
