package mcp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// TestArgumentsCheckedBeforeTheToolRuns: the gate answers bad arguments with -32602 naming the field
// (stdio and streamable HTTP), and the handlers report them as INVALID_REQUEST with the same path when a
// call reaches them anyway (SSE).
func TestArgumentsCheckedBeforeTheToolRuns(t *testing.T) {
	st := newStack(t)
	srv, checker := newServer(NewLocal(st.svc, st.account.ID), testOptions())

	for _, tc := range []struct{ msg, want string }{
		{`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_video","arguments":{}}}`, "taskId"},
		{`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_video","arguments":{"taskId":42}}}`, "taskId: got number, want string"},
		{`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"render_frame","arguments":{"document":{},"time":-1}}}`, "time"},
		{`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_video","arguments":{"taskId":"t","extra":1}}}`, "extra"},
		{`{"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{"name":"make_video","arguments":{}}}`, "brief"},
	} {
		answer := checker.gate([]byte(tc.msg))
		var resp struct {
			Error struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(answer, &resp); err != nil || resp.Error.Code != mcp.INVALID_PARAMS || !strings.Contains(resp.Error.Message, tc.want) {
			t.Errorf("%s: answer %s, want -32602 naming %q", tc.msg, answer, tc.want)
		}
	}
	for _, ok := range []string{
		`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"get_video","arguments":{"taskId":"t"}}}`,
		`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"validate_document","arguments":{"document":"{\"meta\":{}}"}}}`,
		`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"get_credits"}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
	} {
		if answer := checker.gate([]byte(ok)); answer != nil {
			t.Errorf("%s: refused: %s", ok, answer)
		}
	}

	// The handler path: a tool error with the field's path.
	ctx := context.Background()
	srv.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	raw, _ := json.Marshal(srv.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_video","arguments":{"taskId":42}}}`)))
	if !strings.Contains(string(raw), `"isError":true`) || !strings.Contains(string(raw), "INVALID_REQUEST") || !strings.Contains(string(raw), "taskId") {
		t.Errorf("get_video with a number: %s", raw)
	}

	// The stdio reader answers refused lines itself and passes the others on.
	var out bytes.Buffer
	in := strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_video","arguments":{}}}` + "\n" +
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_credits","arguments":{}}}` + "\n")
	passed, err := io.ReadAll(&gatedReader{in: bufio.NewReader(in), out: &out, gate: checker.gate})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"id":1`) || !strings.Contains(out.String(), "-32602") || strings.Contains(string(passed), `"id":1`) || !strings.Contains(string(passed), "get_credits") {
		t.Errorf("gated reader: answered %q, passed %q", out.String(), passed)
	}
}
