package mcp

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/framecast/framecast/core"
)

// ErrorBody is the JSON of a failed tool call, the REST API's error body: the API code, the message and
// the details (for INVALID_CONFIG, details.errors and details.warnings list each problem with its path).
type ErrorBody struct {
	Success bool           `json:"success"` // always false
	Error   string         `json:"error"`
	Code    string         `json:"code"`
	Details map[string]any `json:"details"`
}

// toolError turns a failed operation into a tool result with isError set, never a protocol error, so that
// the model reads what went wrong: a first text with the code, the message and one line per problem, and
// a second text with the ErrorBody as JSON.
func toolError(err error) *mcp.CallToolResult {
	e := core.AsError(err)
	if e.Err != nil || e.Code == core.CodeInternal {
		// The agent reads the code and message only; the cause (a dependency's error, or a bug's) goes to
		// the log, as httpapi does for the same errors.
		slog.Default().Error("mcp tool failed", "code", e.Code, "message", e.Message, "cause", e.Err)
	}
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Code, e.Message)
	for _, kind := range []string{"errors", "warnings"} {
		var problems []core.Problem // typed from core, decoded maps from a remote server
		if raw, err := json.Marshal(details[kind]); err == nil {
			_ = json.Unmarshal(raw, &problems)
		}
		for _, p := range problems {
			fmt.Fprintf(&b, "\n%s %s: %s", strings.TrimSuffix(kind, "s"), orRoot(p.Path), p.Message)
		}
	}
	body, jerr := json.Marshal(ErrorBody{Error: e.Message, Code: e.Code, Details: details})
	if jerr != nil {
		body = []byte(fmt.Sprintf(`{"success":false,"code":%q,"error":%q,"details":{}}`, e.Code, e.Message))
	}
	return &mcp.CallToolResult{
		IsError: true,
		Content: []mcp.Content{mcp.NewTextContent(b.String()), mcp.NewTextContent(string(body))},
	}
}

// orRoot names the document root for a problem without a path.
func orRoot(path string) string {
	if path == "" {
		return "(document)"
	}
	return path
}
