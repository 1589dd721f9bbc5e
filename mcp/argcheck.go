package mcp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/framecast/framecast/core"
)

// Arguments are checked against each tool's input schema before the tool runs, so that a model learns
// which field is wrong (`get_video {}` is "taskId: missing", not NOT_FOUND `Task ""`; a number for taskId
// is "taskId: got number, want string", not a Go decoding error).
//
// The check runs twice. The argument gate answers a bad tools/call (or a prompts/get without its
// required arguments) with the JSON-RPC error -32602 "invalid params" before mcp-go sees it, on stdio and
// streamable HTTP, where this package reads the messages first; mcp-go itself can only answer a
// handler's error with -32603. And every tool handler checks again (checkArgsMiddleware), so on SSE, or
// with any other transport, a bad call is still a tool error with code INVALID_REQUEST and the same path.

// argChecker holds the compiled input schema of every tool and the required arguments of every prompt.
type argChecker struct {
	tools   map[string]*jsonschema.Schema
	prompts map[string][]string
}

// newArgChecker compiles the input schemas of specs.
func newArgChecker(specs []toolSpec) (*argChecker, error) {
	c := &argChecker{tools: map[string]*jsonschema.Schema{}, prompts: map[string][]string{"make_video": {"brief"}}}
	for _, spec := range specs {
		raw, err := inputSchema(spec.args)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.name, err)
		}
		comp := jsonschema.NewCompiler()
		comp.DefaultDraft(jsonschema.Draft2020)
		url := "mem://tools/" + spec.name + ".json"
		if err := comp.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", spec.name, err)
		}
		s, err := comp.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.name, err)
		}
		c.tools[spec.name] = s
	}
	return c, nil
}

// checkTool validates the arguments of a call of tool (decoded JSON, nil for none). A document given as a
// JSON string is checked as the object it holds. It returns nil for an unknown tool, which mcp-go
// reports itself.
func (c *argChecker) checkTool(tool string, args any) error {
	s := c.tools[tool]
	if s == nil {
		return nil
	}
	if args == nil {
		args = map[string]any{}
	}
	if m, ok := args.(map[string]any); ok {
		if doc, ok := m["document"].(string); ok {
			var v any
			if json.Unmarshal([]byte(strings.TrimSpace(doc)), &v) == nil {
				copied := make(map[string]any, len(m))
				for k, x := range m {
					copied[k] = x
				}
				copied["document"] = v
				args = copied
			}
		}
	}
	err := s.Validate(args)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	return argProblems(verr)
}

// argProblems turns a schema validation error into one line per failed leaf: "path: what is wrong".
func argProblems(verr *jsonschema.ValidationError) error {
	var lines []string
	seen := map[string]bool{}
	for _, unit := range verr.BasicOutput().Errors {
		if unit.Error == nil {
			continue
		}
		msg := unit.Error.String()
		if strings.HasPrefix(msg, "validation failed") || strings.HasPrefix(msg, "jsonschema validation failed") {
			continue // an inner node; its leaves say what is wrong
		}
		path := strings.ReplaceAll(strings.TrimPrefix(unit.InstanceLocation, "/"), "/", ".")
		if path == "" {
			path = "(arguments)"
		}
		line := path + ": " + msg
		if !seen[line] {
			seen[line] = true
			lines = append(lines, line)
		}
	}
	sort.Strings(lines)
	if len(lines) == 0 {
		lines = []string{verr.Error()}
	}
	return errors.New(strings.Join(lines, "; "))
}

// checkPrompt reports the required arguments of prompt that args lacks.
func (c *argChecker) checkPrompt(prompt string, args map[string]string) error {
	var missing []string
	for _, name := range c.prompts[prompt] {
		if strings.TrimSpace(args[name]) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: missing required argument %s", prompt, strings.Join(missing, ", "))
	}
	return nil
}

// middleware checks a tool's arguments before its handler runs; bad ones are a tool error with code
// INVALID_REQUEST naming each field.
func (c *argChecker) middleware(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if err := c.checkTool(req.Params.Name, req.Params.Arguments); err != nil {
			return toolError(core.InvalidRequest("invalid arguments: %v", err)), nil
		}
		return next(ctx, req)
	}
}

// rpcRequest is the part of a JSON-RPC request the gate reads.
type rpcRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"params"`
}

// gate returns the JSON-RPC error answer to msg when it is a tools/call whose arguments do not match the
// tool's input schema, or a prompts/get without a required argument; nil lets the message through.
func (c *argChecker) gate(msg []byte) []byte {
	msg = bytes.TrimSpace(msg)
	if len(msg) == 0 || msg[0] != '{' || !bytes.Contains(msg, []byte(`"method"`)) {
		return nil
	}
	var req rpcRequest
	if json.Unmarshal(msg, &req) != nil || len(req.ID) == 0 || bytes.Equal(req.ID, []byte("null")) {
		return nil
	}
	var err error
	switch req.Method {
	case string(mcp.MethodToolsCall):
		var args any
		if len(req.Params.Arguments) > 0 {
			if json.Unmarshal(req.Params.Arguments, &args) != nil {
				return nil // mcp-go answers malformed params itself
			}
		}
		if _, isObject := args.(map[string]any); args != nil && !isObject {
			err = errors.New("(arguments): want an object")
		} else if e := c.checkTool(req.Params.Name, args); e != nil {
			err = fmt.Errorf("%s: %w", req.Params.Name, e)
		}
	case string(mcp.MethodPromptsGet):
		var args map[string]string
		if len(req.Params.Arguments) > 0 && json.Unmarshal(req.Params.Arguments, &args) != nil {
			return nil
		}
		err = c.checkPrompt(req.Params.Name, args)
	}
	if err == nil {
		return nil
	}
	answer, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0", "id": req.ID,
		"error": map[string]any{"code": mcp.INVALID_PARAMS, "message": "Invalid params: " + err.Error()},
	})
	return answer
}

// lockedWriter serialises whole writes to w, so that the gate's answers and the stdio server's never
// interleave within a line.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// gatedReader passes the lines of a newline-delimited JSON-RPC stream through, except the requests the
// gate answers, whose answers it writes to out instead.
type gatedReader struct {
	in   *bufio.Reader
	out  io.Writer
	gate func([]byte) []byte
	buf  []byte
}

func (g *gatedReader) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		line, err := g.in.ReadBytes('\n')
		if len(line) > 0 {
			if answer := g.gate(line); answer != nil {
				if _, werr := g.out.Write(append(answer, '\n')); werr != nil {
					return 0, werr
				}
			} else {
				g.buf = line
			}
		}
		if err != nil {
			if len(g.buf) > 0 {
				break
			}
			return 0, err
		}
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// maxGatedBody bounds the streamable HTTP bodies the gate reads (larger ones go to mcp-go unread, which
// applies its own limits).
const maxGatedBody = 64 << 20

// gateHTTP answers the requests the gate refuses on a streamable HTTP endpoint and passes the others on.
func (c *argChecker) gateHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxGatedBody+1))
		r.Body.Close()
		if err != nil {
			http.Error(w, "read the request: "+err.Error(), http.StatusBadRequest)
			return
		}
		if len(body) <= maxGatedBody {
			if answer := c.gate(body); answer != nil {
				w.Header().Set("Content-Type", "application/json")
				if sid := r.Header.Get(server.HeaderKeySessionID); sid != "" {
					w.Header().Set(server.HeaderKeySessionID, sid)
				}
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write(answer)
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}
