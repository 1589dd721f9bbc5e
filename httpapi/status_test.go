package httpapi

import (
	"errors"
	"net/http"
	"testing"

	"github.com/framecast/framecast/core"
)

// Every code core may return has its HTTP status here, and only those: core carries codes, httpapi the
// statuses (the contract's table, with Framecast's additions).
func TestEveryCodeHasAStatus(t *testing.T) {
	for _, code := range core.Codes {
		if _, ok := codeStatus[code]; !ok {
			t.Errorf("core code %s has no HTTP status", code)
		}
	}
	if len(codeStatus) != len(core.Codes) {
		t.Errorf("%d statuses for %d codes", len(codeStatus), len(core.Codes))
	}
	for code, want := range map[string]int{core.CodeInvalidConfig: 400, core.CodeAlreadyRendering: 400, core.CodeInsufficientCredits: 402,
		core.CodeStorageLimitExceeded: 413, core.CodeIdempotencyKeyReused: 422, core.CodeRemoteError: 502, core.CodeServerBusy: 503,
		core.CodeInternal: 500, "NOT_A_CODE": http.StatusInternalServerError} {
		if got := StatusOf(code); got != want {
			t.Errorf("StatusOf(%s) = %d; want %d", code, got, want)
		}
	}
}

// The codes and statuses the API contract documents (the error table of docs/api.md and the auth table)
// stay as they are: a change here is a change of the wire contract that the official SDKs rely on. Codes
// beyond these are Framecast's additions (INTERNAL_ERROR for a failure inside this server, 500, distinct
// from REMOTE_ERROR for a failed dependency, 502; SERVER_BUSY; IDEMPOTENCY_KEY_REUSED).
func TestDocumentedCodesKeepTheirStatus(t *testing.T) {
	documented := map[string]int{
		"INVALID_REQUEST": 400, "INVALID_CONFIG": 400, "NO_FILES": 400, "UNSUPPORTED_FILE_TYPE": 400,
		"INSUFFICIENT_CREDITS": 402, "NOT_FOUND": 404, "ALREADY_RENDERING": 400, "STORAGE_LIMIT_EXCEEDED": 413,
		"RATE_LIMITED": 429, "UPLOAD_FAILED": 500, "RENDER_TRIGGER_FAILED": 500, "REMOTE_ERROR": 502,
		"MISSING_API_KEY": 401, "INVALID_API_KEY_FORMAT": 401, "INVALID_API_KEY": 401, "API_KEY_INACTIVE": 401,
		"USER_NOT_FOUND": 401,
	}
	for code, want := range documented {
		if got := StatusOf(code); got != want {
			t.Errorf("documented code %s answers %d; the contract says %d", code, got, want)
		}
	}
	// An error without a code is a bug here, not a dependency's failure: 500 INTERNAL_ERROR, its cause kept
	// for the log, never the documented 502 REMOTE_ERROR that tells a client to retry.
	e := core.AsError(errors.New("nil map write"))
	if e.Code != core.CodeInternal || StatusOf(e.Code) != http.StatusInternalServerError || e.Err == nil {
		t.Errorf("unknown error: %s %d %v", e.Code, StatusOf(e.Code), e.Err)
	}
}
