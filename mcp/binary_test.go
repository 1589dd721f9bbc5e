package mcp

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"

	"github.com/framecast/framecast/core/blob"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  string
)

// framecastBinary returns the framecast command built from ../cmd/framecast (or $FRAMECAST_TEST_BIN),
// skipping the test when it does not build, since the command is written alongside this package.
func framecastBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("FRAMECAST_TEST_BIN"); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "framecast-mcp-test-")
		if err != nil {
			buildErr = err.Error()
			return
		}
		binPath = filepath.Join(dir, "framecast")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/framecast").CombinedOutput()
		if err != nil {
			buildErr = string(out)
		}
	})
	if buildErr != "" {
		t.Skipf("cmd/framecast does not build yet, so the binary tests cannot run:\n%s", buildErr)
	}
	return binPath
}

// newKey creates an account and key in the data folder with `framecast keys create`.
func newKey(t *testing.T, bin, data string) string {
	t.Helper()
	out, err := exec.Command(bin, "keys", "create", "--data", data, "--account", "agent").Output()
	if err != nil {
		t.Fatalf("keys create: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// dataVideoPath reads rendered videos from the data folder's object store.
func dataVideoPath(t *testing.T, data string) videoPath {
	return func(url string) string {
		i := strings.Index(url, "/files/")
		bl, err := blob.NewLocal(filepath.Join(data, "objects"))
		if err != nil || i < 0 {
			t.Fatalf("video url %s: %v", url, err)
		}
		p, err := bl.Path(url[i+len("/files/"):])
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// TestStdioBinary runs `framecast mcp --stdio` as a subprocess, with the key in FRAMECAST_API_KEY and
// the service in process, for mcp-go's stdio client and for a second, hand-written JSON-RPC client.
func TestStdioBinary(t *testing.T) {
	bin := framecastBinary(t)
	data := t.TempDir()
	key := newKey(t, bin, data)
	env := append(os.Environ(), "FRAMECAST_API_KEY="+key, "FRAMECAST_LOG_LEVEL=warn")
	args := []string{"mcp", "--stdio", "--data", data, "--allow-private-urls"}

	c, err := client.NewStdioMCPClient(bin, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	progress := startClient(t, c)
	scenario(t, c, progress, dataVideoPath(t, data))
	c.Close()

	// The second client speaks newline-delimited JSON-RPC by hand.
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	lines.Buffer(make([]byte, 1<<20), 64<<20)
	id := 0
	call := func(method string, params any) json.RawMessage {
		id++
		req, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
		stdin.Write(append(req, '\n'))
		for lines.Scan() {
			var msg struct {
				ID     int             `json:"id"`
				Result json.RawMessage `json:"result"`
				Error  any             `json:"error"`
			}
			if json.Unmarshal(lines.Bytes(), &msg) == nil && msg.ID == id {
				if msg.Error != nil {
					t.Fatalf("%s: %v", method, msg.Error)
				}
				if method == "initialize" {
					stdin.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"))
				}
				return msg.Result
			}
		}
		t.Fatalf("%s: no answer (%v)", method, lines.Err())
		return nil
	}
	independentCheck(t, call)
}

// startServe runs `framecast serve` on a free loopback port with the data folder data, stops it when the
// test ends, and returns its base URL once it answers.
func startServe(t *testing.T, bin, data string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--data", data, "--allow-private-urls")
	serve.Cancel = func() error { return serve.Process.Signal(os.Interrupt) }
	serve.WaitDelay = 20 * time.Second
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); serve.Wait() })
	base := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("framecast serve did not come up")
		}
	}
	return base
}

// TestStreamableHTTPBinary runs `framecast serve` and talks MCP over streamable HTTP at /mcp.
func TestStreamableHTTPBinary(t *testing.T) {
	bin := framecastBinary(t)
	data := t.TempDir()
	key := newKey(t, bin, data)
	base := startServe(t, bin, data)

	c, err := client.NewStreamableHttpClient(base+StreamablePath, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + key}))
	if err != nil {
		t.Fatal(err)
	}
	progress := startClient(t, c)
	scenario(t, c, progress, dataVideoPath(t, data))

	raw := &rawHTTPClient{t: t, url: base + StreamablePath, key: key}
	independentCheck(t, raw.call)
}
