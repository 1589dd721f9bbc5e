package httpapi

import (
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
