package httpapi

import (
	"net/http"

	"github.com/framecast/framecast/core"
)

// codeStatus is the one table from an API error code to its HTTP status. core's errors carry only the
// code; a test checks that every code in core.Codes is here.
var codeStatus = map[string]int{
	core.CodeInvalidRequest:       http.StatusBadRequest,
	core.CodeInvalidConfig:        http.StatusBadRequest,
	core.CodeNoFiles:              http.StatusBadRequest,
	core.CodeUnsupportedFileType:  http.StatusBadRequest,
	core.CodeInsufficientCredits:  http.StatusPaymentRequired,
	core.CodeNotFound:             http.StatusNotFound,
	core.CodeAlreadyRendering:     http.StatusBadRequest, // decided: the PHP SDK lists it under its 400-class ValidationException
	core.CodeStorageLimitExceeded: http.StatusRequestEntityTooLarge,
	core.CodeRateLimited:          http.StatusTooManyRequests,
	core.CodeUploadFailed:         http.StatusInternalServerError,
	core.CodeRenderTriggerFailed:  http.StatusInternalServerError,
	core.CodeRemoteError:          http.StatusBadGateway,
	core.CodeServerBusy:           http.StatusServiceUnavailable,
	core.CodeMissingAPIKey:        http.StatusUnauthorized,
	core.CodeInvalidAPIKeyFormat:  http.StatusUnauthorized,
	core.CodeInvalidAPIKey:        http.StatusUnauthorized,
	core.CodeAPIKeyInactive:       http.StatusUnauthorized,
	core.CodeUserNotFound:         http.StatusUnauthorized,
	core.CodeInternal:             http.StatusInternalServerError,
	// 422 follows the IETF draft "The Idempotency-Key HTTP Header Field": the request is well formed but
	// cannot be processed with that key.
	core.CodeIdempotencyKeyReused: http.StatusUnprocessableEntity,
}

// StatusOf returns the HTTP status of an API error code, 500 for a code it does not know.
func StatusOf(code string) int {
	if s, ok := codeStatus[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}
