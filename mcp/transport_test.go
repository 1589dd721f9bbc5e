package mcp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/httpapi"
	"github.com/framecast/framecast/render/ffmpeg"
)

// videoPath maps a rendered video's URL to its file, for probing.
type videoPath func(url string) string

// scenario is what every transport must carry: initialize (done by the caller), list the tools,
// validate a bad document (the paths come back), draw a frame (a PNG of the right size), then create,
// render and wait for a video with progress notifications, and probe the MP4.
func scenario(t *testing.T, c *client.Client, progress *progressLog, path videoPath) {
	t.Helper()
	tools, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tools.Tools) != toolCount() {
		t.Errorf("%d tools listed, want %d", len(tools.Tools), toolCount())
	}

	var bad ValidationResult
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": badDoc()}, nil), &bad)
	if bad.Valid || !strings.Contains(mustJSON(t, bad.Errors), "tracks[0].clips[1].type") {
		t.Errorf("validate_document of a bad document: %+v", bad)
	}

	frame := callTool(t, c, "render_frame", map[string]any{"document": doc(320, 180, 10, 1), "time": 0.2}, nil)
	ok(t, "render_frame", frame, nil)
	if img := imageOf(t, frame); img.Bounds().Dx() != 320 || img.Bounds().Dy() != 180 || !near(img.At(10, 10), white) {
		t.Errorf("frame: %v", img.Bounds())
	}

	var created core.CreateTaskResult
	ok(t, "create_video", callTool(t, c, "create_video", map[string]any{"document": doc(320, 180, 10, 1)}, nil), &created)
	var started core.RenderResult
	ok(t, "render_video", callTool(t, c, "render_video", map[string]any{"taskId": created.TaskID}, nil), &started)
	var done core.TaskResult
	ok(t, "wait_for_video", callTool(t, c, "wait_for_video", map[string]any{"taskId": created.TaskID}, "render-1"), &done)
	if done.Status != "completed" {
		t.Fatalf("wait_for_video: %+v", done)
	}
	progress.expectFinal(t)
	p, err := ffmpeg.Probe(context.Background(), path(done.VideoURL))
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	if !p.HasVideo || p.Streams[0].CodecName != "h264" || p.Streams[0].Width != 320 || p.Streams[0].Height != 180 {
		t.Errorf("video: %+v", p)
	}
}

// stackVideoPath reads rendered videos from st's object store.
func stackVideoPath(t *testing.T, st *stack) videoPath {
	return func(url string) string {
		key := strings.TrimPrefix(url, st.svc.Config().PublicURL+core.FilesPath)
		p, err := st.svc.Worker().Blob().(interface{ Path(string) (string, error) }).Path(key)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// newHTTPServer serves the REST API with the MCP handlers mounted, as framecast serve does.
func newHTTPServer(t *testing.T, st *stack) *httptest.Server {
	h := HTTPHandler(st.svc, testOptions())
	srv := httptest.NewServer(httpapi.New(st.svc, httpapi.Config{Logger: quietLogger(), RateLimit: -1, Extra: func(r chi.Router) { h.Mount(r) }}))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5e9)
		defer cancel()
		h.Shutdown(ctx)
		srv.Close()
	})
	return srv
}

// startClient starts and initializes c, collecting its progress notifications.
func startClient(t *testing.T, c *client.Client) *progressLog {
	t.Helper()
	t.Cleanup(func() { c.Close() })
	progress := &progressLog{}
	c.OnNotification(progress.handle)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	initialize(t, c)
	return progress
}

func TestStreamableHTTP(t *testing.T) {
	st := newStack(t)
	srv := newHTTPServer(t, st)
	c, err := client.NewStreamableHttpClient(srv.URL+StreamablePath, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + st.key}))
	if err != nil {
		t.Fatal(err)
	}
	progress := startClient(t, c)
	scenario(t, c, progress, stackVideoPath(t, st))

	// The event store: the last notification, sent just before wait_for_video returns, always arrives.
	var list core.ListTasksResult
	ok(t, "list_videos", callTool(t, c, "list_videos", map[string]any{"status": "completed"}, nil), &list)
	for i := range 20 {
		p := &progressLog{}
		token := fmt.Sprintf("again-%d", i)
		c.OnNotification(func(n mcp.JSONRPCNotification) {
			if n.Params.AdditionalFields["progressToken"] == token {
				p.handle(n)
			}
		})
		ok(t, "wait_for_video", callTool(t, c, "wait_for_video", map[string]any{"taskId": list.Tasks[0].TaskID}, token), nil)
		p.expectFinal(t)
	}
}

func TestSSE(t *testing.T) {
	st := newStack(t)
	srv := newHTTPServer(t, st)
	c, err := client.NewSSEMCPClient(srv.URL+SSEPath, transport.WithHeaders(map[string]string{"X-API-Key": st.key}))
	if err != nil {
		t.Fatal(err)
	}
	progress := startClient(t, c)
	scenario(t, c, progress, stackVideoPath(t, st))

	// Another account may not post to this session.
	other, _ := st.svc.CreateAccount(context.Background(), "other")
	otherKey, _, _ := st.svc.CreateKey(context.Background(), other.ID, "")
	h := HTTPHandler(st.svc, testOptions())
	id := "some-session"
	h.sessions.Store(id, st.account.ID)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, MessagePath+"?sessionId="+id, strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+otherKey)
	h.Message.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotFound {
		t.Errorf("posting to another account's session: %d %s", rec.Code, rec.Body)
	}
}

// TestHTTPAuth checks that MCP over HTTP takes the REST API's keys, in its four ways, and answers a
// request without one with its 401 error body.
func TestHTTPAuth(t *testing.T) {
	st := newStack(t)
	srv := newHTTPServer(t, st)
	initBody := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`
	post := func(url string, header map[string]string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(initBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	resp := post(srv.URL+StreamablePath, nil)
	var body ErrorBody
	json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != http.StatusUnauthorized || body.Code != core.CodeMissingAPIKey {
		t.Errorf("no key: %d %+v", resp.StatusCode, body)
	}
	if resp := post(srv.URL+StreamablePath, map[string]string{"Authorization": "Bearer sk-wrong"}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad key: %d", resp.StatusCode)
	}
	for name, r := range map[string]*http.Response{
		"Bearer":    post(srv.URL+StreamablePath, map[string]string{"Authorization": "Bearer " + st.key}),
		"Token":     post(srv.URL+StreamablePath, map[string]string{"Authorization": "Token " + st.key}),
		"X-API-Key": post(srv.URL+StreamablePath, map[string]string{"X-API-Key": st.key}),
		"api_key":   post(srv.URL+StreamablePath+"?api_key="+st.key, nil),
	} {
		if r.StatusCode != http.StatusOK || r.Header.Get("Mcp-Session-Id") == "" {
			t.Errorf("%s: %d, session %q", name, r.StatusCode, r.Header.Get("Mcp-Session-Id"))
		}
	}
}

// rawHTTPClient is a second, independent MCP client: plain JSON-RPC over streamable HTTP.
type rawHTTPClient struct {
	t       *testing.T
	url     string
	key     string
	session string
	nextID  int
}

// call sends one request and returns its result, reading a JSON or an SSE answer.
func (c *rawHTTPClient) call(method string, params any) json.RawMessage {
	c.t.Helper()
	c.nextID++
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.nextID, "method": method, "params": params})
	req, _ := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("MCP-Protocol-Version", "2025-06-18")
	if c.session != "" {
		req.Header.Set("Mcp-Session-Id", c.session)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if s := resp.Header.Get("Mcp-Session-Id"); s != "" {
		c.session = s
	}
	data, _ := io.ReadAll(resp.Body)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok && strings.Contains(line, `"result"`) {
				data = []byte(line)
			}
		}
	}
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  any             `json:"error"`
	}
	if err := json.Unmarshal(data, &out); err != nil || out.Error != nil {
		c.t.Fatalf("%s: %v %v: %s", method, err, out.Error, data)
	}
	if method == "initialize" {
		c.notify("notifications/initialized")
	}
	return out.Result
}

func (c *rawHTTPClient) notify(method string) {
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method})
	req, _ := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Mcp-Session-Id", c.session)
	req.Header.Set("MCP-Protocol-Version", "2025-06-18")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}

// independentCheck drives a server with a raw JSON-RPC client: initialize, tools/list, and a
// validate_document whose structured result carries the problem paths.
func independentCheck(t *testing.T, call func(method string, params any) json.RawMessage) {
	t.Helper()
	var init struct {
		ServerInfo struct{ Name string } `json:"serverInfo"`
	}
	json.Unmarshal(call("initialize", map[string]any{"protocolVersion": "2025-06-18", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "raw", "version": "1"}}), &init)
	if init.ServerInfo.Name != "framecast" {
		t.Errorf("server name %q", init.ServerInfo.Name)
	}
	var tools struct{ Tools []struct{ Name string } }
	json.Unmarshal(call("tools/list", map[string]any{}), &tools)
	if len(tools.Tools) != toolCount() {
		t.Errorf("raw client: %d tools", len(tools.Tools))
	}
	var res struct {
		IsError           bool             `json:"isError"`
		StructuredContent ValidationResult `json:"structuredContent"`
	}
	json.Unmarshal(call("tools/call", map[string]any{"name": "validate_document", "arguments": map[string]any{"document": badDoc()}}), &res)
	if res.IsError || res.StructuredContent.Valid || !strings.Contains(mustJSON(t, res.StructuredContent.Errors), "meta.width") {
		t.Errorf("raw client: validate_document: %+v", res)
	}
}

func TestStreamableHTTPIndependentClient(t *testing.T) {
	st := newStack(t)
	srv := newHTTPServer(t, st)
	c := &rawHTTPClient{t: t, url: srv.URL + StreamablePath, key: st.key}
	independentCheck(t, c.call)
}
