package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"

	"github.com/framecast/framecast/core"
)

// errorBody is the JSON of every error response.
type errorBody struct {
	Success bool           `json:"success"` // always false
	Error   string         `json:"error"`
	Code    string         `json:"code"`
	Details map[string]any `json:"details"` // {} when the error has none
}

// writeJSON writes v as the JSON body of a response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only a programming error (a type that cannot be encoded) gets here.
		body = []byte(`{"success":false,"error":"the response could not be encoded","code":"` + core.CodeInternal + `","details":{}}`)
		status = http.StatusInternalServerError
	}
	writeRawJSON(w, status, body)
}

// writeRawJSON writes body, already JSON, with status.
func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

// writeError writes err as the API's error body with the HTTP status of its code. An error that is not a
// *core.Error is reported as core.AsError does (INTERNAL_ERROR). The cause, never shown to the client,
// goes to the access log.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ws withStatus
	if errors.As(err, &ws) {
		writeErrorStatus(w, r, ws.status, ws.err)
		return
	}
	e := core.AsError(err)
	writeErrorStatus(w, r, StatusOf(e.Code), e)
}

// withStatus is an API error answered with another HTTP status than its code's (408 for a request body
// that stopped arriving).
type withStatus struct {
	status int
	err    *core.Error
}

func (w withStatus) Error() string { return w.err.Error() }

// Unwrap returns the API error.
func (w withStatus) Unwrap() error { return w.err }

// writeErrorStatus is writeError with a status of the caller's choosing (405 for a method not allowed).
func writeErrorStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	e := core.AsError(err)
	if e.Err != nil || e.Code == core.CodeInternal {
		noteError(r, e)
	}
	if status == http.StatusUnauthorized {
		// RFC 9110 asks a 401 to say how to authenticate (MCP clients read it too).
		w.Header().Set("WWW-Authenticate", `Bearer realm="framecast"`)
	}
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	writeJSON(w, status, errorBody{Success: false, Error: e.Message, Code: e.Code, Details: details})
}

// respond writes the result of a core operation: v with status on success, the error otherwise.
func respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// readBody reads the whole request body, already bounded by limitBody. A body over the bound is
// STORAGE_LIMIT_EXCEEDED; one that cannot be read is INVALID_REQUEST.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyError(err)
	}
	return body, nil
}

// decodeBody decodes an optional JSON object body into v: an empty body leaves v as it is; anything
// but a single JSON object is INVALID_REQUEST. Unknown fields are ignored, as SDKs may send more.
func decodeBody(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return core.InvalidRequest("the request body must be a JSON object")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return core.InvalidRequest("invalid JSON body: %v", err)
	}
	return nil
}

// queryPage reads the page and limit query parameters. Absent means the default; anything but a whole
// number of at least 1 is INVALID_REQUEST. A number too large for an int is kept as the largest int, so
// that core applies its one rule to it: a page over core.MaxPage is INVALID_REQUEST, a limit over the
// maximum is clamped (the API contract only bounds it: see limitParam).
func queryPage(r *http.Request) (core.PageInput, error) {
	var p core.PageInput
	for _, q := range []struct {
		name string
		dst  *int
	}{{"page", &p.Page}, {"limit", &p.Limit}} {
		raw := r.URL.Query().Get(q.name)
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 0)
		if errors.Is(err, strconv.ErrRange) && n > 0 {
			n, err = math.MaxInt, nil
		}
		if err != nil || n < 1 {
			return p, core.InvalidRequest("%s must be a whole number of at least 1, not %q", q.name, raw)
		}
		*q.dst = int(n)
	}
	return p, nil
}
