package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/jobs"
	"github.com/framecast/framecast/internal/teststack"
)

// stack is a real service in this process: a SQLite database, a local object store, a started render
// queue, and one account with an API key.
type stack struct {
	svc     *core.Service
	account core.Account
	key     string
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newStack opens a fresh stack whose renders run (two at a time) until the test ends.
func newStack(t *testing.T) *stack {
	t.Helper()
	s := teststack.New(t, teststack.Options{
		Core:             core.Config{PublicURL: "http://framecast.test", DefaultWorkers: 2},
		AllowPrivateURLs: true,
		Queue:            true,
		Jobs:             jobs.Config{Workers: 2, PollInterval: 50 * time.Millisecond, ProgressInterval: 100 * time.Millisecond},
		AccountName:      "agent",
		KeyName:          "mcp test",
	})
	return &stack{svc: s.Service, account: s.Account, key: s.Key}
}

// testOptions are server options for tests: quick polling, loopback downloads allowed.
func testOptions() Options {
	return Options{PollInterval: 100 * time.Millisecond, AllowPrivateURLs: true, Logger: quietLogger()}
}

// progressLog collects the progress notifications a client receives.
type progressLog struct {
	mu     sync.Mutex
	values []float64
}

func (p *progressLog) handle(n mcp.JSONRPCNotification) {
	if n.Method != string(mcp.MethodNotificationProgress) {
		return
	}
	v, _ := n.Params.AdditionalFields["progress"].(float64)
	p.mu.Lock()
	p.values = append(p.values, v)
	p.mu.Unlock()
}

// expectFinal waits (a few seconds at most: notifications travel apart from results) until the
// last progress notification says 100, and fails if it never does or if the values ever go down.
func (p *progressLog) expectFinal(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		values := p.list()
		if n := len(values); n > 0 && values[n-1] == 100 {
			for i := 1; i < n; i++ {
				if values[i] <= values[i-1] {
					t.Errorf("progress %v does not increase", values)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("progress notifications %v: want at least one, ending at 100", values)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *progressLog) list() []float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]float64(nil), p.values...)
}

// started initializes c (already Started) and returns it.
func initialize(t *testing.T, c *client.Client) {
	t.Helper()
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	req.Params.ClientInfo = mcp.Implementation{Name: "framecast-test", Version: "1"}
	if _, err := c.Initialize(context.Background(), req); err != nil {
		t.Fatalf("initialize: %v", err)
	}
}

// inProcessClient returns an initialized in-process client of the server of b, and the progress
// notifications it receives.
func inProcessClient(t *testing.T, b Backend) (*client.Client, *progressLog) {
	t.Helper()
	return inProcessClientWith(t, b, testOptions())
}

// inProcessClientWith is inProcessClient with the server's options.
func inProcessClientWith(t *testing.T, b Backend, opts Options) (*client.Client, *progressLog) {
	t.Helper()
	c, err := client.NewInProcessClient(NewServer(b, opts))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	progress := &progressLog{}
	c.OnNotification(progress.handle)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	initialize(t, c)
	return c, progress
}

// callTool calls a tool with args; a protocol error fails the test (tools report failures in results).
func callTool(t *testing.T, c *client.Client, name string, args any, progressToken any) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	if progressToken != nil {
		req.Params.Meta = &mcp.Meta{ProgressToken: progressToken}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := c.CallTool(ctx, req)
	if err != nil {
		t.Fatalf("%s: protocol error %v", name, err)
	}
	return res
}

// ok fails unless res succeeded, and decodes its structured content into out (when not nil).
func ok(t *testing.T, name string, res *mcp.CallToolResult, out any) {
	t.Helper()
	if res.IsError {
		t.Fatalf("%s failed: %s", name, texts(res))
	}
	if out == nil {
		return
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: structured content %s: %v", name, raw, err)
	}
}

// failed fails unless res is a tool error with code, and returns its body.
func failed(t *testing.T, name string, res *mcp.CallToolResult, code string) ErrorBody {
	t.Helper()
	if !res.IsError {
		t.Fatalf("%s: want error %s, got success: %s", name, code, texts(res))
	}
	if len(res.Content) != 2 {
		t.Fatalf("%s: want 2 contents in an error, got %d", name, len(res.Content))
	}
	var body ErrorBody
	if err := json.Unmarshal([]byte(res.Content[1].(mcp.TextContent).Text), &body); err != nil {
		t.Fatalf("%s: error body: %v", name, err)
	}
	if body.Code != code {
		t.Fatalf("%s: want code %s, got %s: %s", name, code, body.Code, body.Error)
	}
	return body
}

// texts joins the text contents of res.
func texts(res *mcp.CallToolResult) string {
	s := ""
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			s += tc.Text + "\n"
		}
	}
	return s
}

// doc returns a valid document of w × h px lasting seconds at fps, with a red background and a white
// box in its left half.
func doc(w, h int, fps int, seconds float64) map[string]any {
	var d map[string]any
	raw := fmt.Sprintf(`{"meta":{"version":"2.0.0","width":%d,"height":%d,"fps":%d,"background":"#ff0000"},
"tracks":[{"id":"main","clips":[{"type":"rect","start":0,"duration":%g,"style":{"fill":"#ffffff"},
 "transform":{"x":0,"y":0,"width":"50%%","height":"100%%","anchor":"top-left"}}]}]}`, w, h, fps, seconds)
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		panic(err)
	}
	return d
}

// badDoc has a misspelled clip type in its second clip and a negative width.
func badDoc() map[string]any {
	var d map[string]any
	json.Unmarshal([]byte(`{"meta":{"version":"2.0.0","width":-5,"height":180,"fps":30},
"tracks":[{"id":"main","clips":[{"type":"text","text":"Hi","start":0,"duration":1},{"type":"txet","start":1,"duration":1}]}]}`), &d)
	return d
}

func mcpListTools() mcp.ListToolsRequest { return mcp.ListToolsRequest{} }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// toolCount is the number of tools a server lists.
func toolCount() int {
	ts := &toolset{}
	return len(ts.specs()) + len(ts.extraSpecs())
}
